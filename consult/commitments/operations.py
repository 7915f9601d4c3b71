"""Recording a commitment on a position, and recording it done.

Who: the staff of the unit whose position it is, and coordinators. A commitment is due on a Kraków calenday day
(not in the past when it is recorded, at most three years ahead); it is done with a note, a link to the evidence,
or both (the link an http(s) address).
"""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _

from consult.commitments.models import Commitment
from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text
from consult.core.submissions import once
from consult.core.types import today_in_warsaw, utcnow
from consult.extensions import db
from consult.organisations.models import Unit
from consult.postulates.models import Position

MAX_DAYS_AHEAD = 3 * 366


def may_manage(actor, position: Position) -> bool:
    return has_role(actor, "coordinator") or (has_role(actor, "unit") and actor.unit_id == position.unit_id)


def _require(actor, position: Position) -> None:
    if not may_manage(actor, position):
        raise Forbidden(_("Zobowiązania zapisuje komórka, która zajęła stanowisko, albo koordynator."))


def _text(value, field: str, label: str, *, required: bool, limit: int) -> str | None:
    check_text(value or "", field=field, label=label)
    text = (value or "").strip()
    if not text:
        if required:
            raise Refused(_("%(label)s: wpisz treść.", label=label), field=field)
        return None
    if len(text) > limit:
        raise Refused(_("%(label)s: najwyżej %(n)s znaków.", label=label, n=limit), field=field)
    return text


@once("commitment")
def add_commitment(actor, position: Position, *, what: str, unit_id: int | None = None, operator: str | None = None,
                   due_on=None) -> Commitment:
    _require(actor, position)
    what = _text(what, "what", _("Co zostanie zrobione"), required=True, limit=2000)
    operator = _text(operator, "operator", _("Kto inny wykona"), required=False, limit=300)
    unit = None
    if unit_id:
        unit = db.session.get(Unit, unit_id)
        if unit is None:
            raise Refused(_("Wybierz komórkę z listy."), field="unit_id")
        from consult.organisations.operations import require_active_unit

        require_active_unit(unit, "unit_id")
    if unit is None and operator is None:
        raise Refused(_("Wybierz komórkę, która wykona zobowiązanie, albo wpisz, kto inny je wykona."),
                      field="unit_id")
    if unit is not None and operator is not None:
        raise Refused(_("Wybierz komórkę albo wpisz kogoś innego – nie jedno i drugie."), field="operator")
    if due_on is None:
        raise Refused(_("Podaj termin wykonania zobowiązania."), field="due_on")
    today = today_in_warsaw()
    if due_on < today:
        raise Refused(_("Termin wykonania nie może przypadać w przeszłości."), field="due_on")
    if due_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise Refused(_("Termin wykonania może przypadać najwyżej trzy lata od dziś."), field="due_on")
    commitment = Commitment(position_id=position.id, what=what, unit_id=unit.id if unit else None,
                            operator=operator, due_on=due_on, state="open", created_by_id=actor.id)
    db.session.add(commitment)
    db.session.flush()
    audit.record(actor, "commitment", commitment.id, "add_commitment", to_state="open",
                 postulate_id=position.postulate_id, position_id=position.id, due_on=due_on.isoformat(),
                 who=unit.name if unit else operator)
    return commitment


def _evidence_url(value) -> str | None:
    url = _text(value, "evidence_url", _("Odnośnik do dowodu"), required=False, limit=500)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise Refused(_("Odnośnik do dowodu: wpisz adres strony zaczynający się od https:// lub http://."),
                      field="evidence_url")
    return url


def complete_commitment(actor, commitment: Commitment, *, note: str | None = None,
                        evidence_url: str | None = None) -> Commitment:
    position = commitment.position
    if not (may_manage(actor, position) or (has_role(actor, "unit") and actor.unit_id == commitment.unit_id)):
        raise Forbidden(_("Wykonanie zobowiązania zapisuje komórka, która je wykonuje lub zajęła stanowisko, "
                          "albo koordynator."))
    if commitment.done:
        raise Refused(_("To zobowiązanie zapisano już jako wykonane."))
    note = _text(note, "note", _("Jak wykonano"), required=False, limit=2000)
    url = _evidence_url(evidence_url)
    if note is None and url is None:
        raise Refused(_("Opisz, jak wykonano zobowiązanie, albo podaj odnośnik do dowodu."), field="note")
    commitment.state, commitment.done_at, commitment.done_note, commitment.evidence_url = "done", utcnow(), note, url
    db.session.flush()
    audit.record(actor, "commitment", commitment.id, "complete_commitment", from_state="open", to_state="done",
                 postulate_id=position.postulate_id, evidence_url=url)
    return commitment
