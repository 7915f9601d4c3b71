"""A call from its draft to its announcement, closing for offers, evaluation or cancellation.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.calls import jobs
from consult.calls.models import AGGREGATIONS, Call
from consult.calls.operations._common import (
    MAX_TEXT,
    _clock,
    _date,
    _require_runner,
    parse_amount,
    text_value,
)
from consult.calls.operations.card import DEFAULT_CARD, DEFAULT_FORMAL_CRITERIA, _set_card, _set_formal
from consult.calls.operations.guards import _CallAt, cancel_ground
from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.input import whole_number
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import check_version, fire
from consult.core.submissions import once
from consult.core.types import to_warsaw
from consult.extensions import db
from consult.organisations.models import Unit
from consult.programmes.models import Programme
from workflows import CALL

ANNOUNCEMENT_FIELDS = (
    "title",
    "task_type",
    "sphere",
    "funds",
    "award_rules",
    "task_starts",
    "task_ends",
    "task_conditions",
    "offers_deadline",
    "procedure",
    "criteria_notes",
    "selection_date",
    "previous_tasks",
    "aggregation",
)


def _announcement(values: dict, call: Call | None = None) -> dict:
    """Validate the announcement fields given (a partial draft is fine); return them cleaned."""
    out: dict = {}
    labels = {
        "title": _("tytuł konkursu"),
        "task_type": _("rodzaj zadania"),
        "sphere": _("sferę pożytku publicznego"),
        "award_rules": _("zasady przyznawania dotacji"),
        "task_conditions": _("warunki realizacji zadania"),
        "procedure": _("tryb i sposób wyboru ofert"),
        "criteria_notes": _("dodatkowe informacje o kryteriach"),
    }
    for key, label in labels.items():
        if key in values:
            out[key] = text_value(
                values[key],
                key,
                label,
                required=(key == "title"),
                limit=500 if key == "title" else 300 if key == "sphere" else MAX_TEXT,
            )
    if "funds" in values:
        out["funds"] = parse_amount(values["funds"], "funds", _("wysokość środków"), required=True)
    for key, label in (
        ("task_starts", _("początek realizacji zadania")),
        ("task_ends", _("koniec realizacji zadania")),
        ("selection_date", _("termin wyboru ofert")),
    ):
        if key in values:
            out[key] = _date(values[key], key, label)
    starts = out.get("task_starts", call.task_starts if call else None)
    ends = out.get("task_ends", call.task_ends if call else None)
    if starts and ends and ends < starts:
        raise Refused(
            _("Koniec realizacji zadania musi przypadać nie wcześniej niż jego początek."), field="task_ends"
        )
    if "offers_deadline" in values:
        deadline = values["offers_deadline"]
        if deadline is not None and (not isinstance(deadline, datetime) or deadline.tzinfo is None):
            raise Refused(_("Podaj datę i godzinę terminu składania ofert."), field="offers_deadline")
        out["offers_deadline"] = deadline
    if "aggregation" in values:
        if values["aggregation"] not in AGGREGATIONS:
            raise Refused(_("Wybierz sposób łączenia ocen: średnia albo mediana."), field="aggregation")
        out["aggregation"] = values["aggregation"]
    if "previous_tasks" in values:
        rows = []
        for i, row in enumerate(values["previous_tasks"] or []):
            field = f"previous_tasks-{i}"
            year = whole_number(row.get("year"), minimum=1000, maximum=9999)
            if year is None:
                raise Refused(_("Wiersz %(n)s zadań z lat poprzednich: podaj rok.", n=i + 1), field=field)
            task = text_value(row.get("task"), field, _("nazwę zadania"), required=True, limit=1000)
            amount = parse_amount(row.get("amount"), field, _("kwotę dotacji"), required=True)
            rows.append({"year": year, "task": task, "amount": str(amount)})
        out["previous_tasks"] = rows
    unknown = set(values) - set(ANNOUNCEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    return out


@once("call")
def create_call(actor, programme: Programme, unit: Unit, *, title: str, **values) -> Call:
    """Draft a call within a programme, run by `unit`, with the default card and formal criteria."""
    if not (has_role(actor, "coordinator") or (has_role(actor, "unit") and actor.unit_id == unit.id)):
        raise Forbidden(_("Konkurs przygotowuje koordynator albo komórka, która będzie go prowadzić."))
    fields = _announcement({"title": title, **values})
    call = Call(programme=programme, unit=unit, state="draft", created_by_id=actor.id, **fields)
    db.session.add(call)
    db.session.flush()
    audit.record(
        actor,
        "call",
        call.id,
        "create",
        to_state="draft",
        title=call.title,
        unit=unit.name,
        programme=programme.year,
    )
    _set_card(call, DEFAULT_CARD)
    _set_formal(call, DEFAULT_FORMAL_CRITERIA)
    return call


def update_call(actor, call: Call, *, expected_version: int | None = None, **values) -> Call:
    _require_runner(actor, call)
    check_version(call, expected_version)
    fields = _announcement(values, call)
    changed = sorted(k for k, v in fields.items() if getattr(call, k) != v)
    fire(CALL, call, "edit", actor, changed=changed)
    for key, value in fields.items():
        setattr(call, key, value)
    return call


def announcement_missing(call: Call) -> list[tuple[str, str]]:
    """What art. 13 ust. 2 requires of the announcement and the draft does not have yet."""
    out = []
    for key, message in (
        ("task_type", _("Wpisz rodzaj zadania publicznego.")),
        ("sphere", _("Wpisz sferę pożytku publicznego.")),
        ("award_rules", _("Wpisz zasady przyznawania dotacji.")),
        ("task_starts", _("Podaj początek realizacji zadania.")),
        ("task_ends", _("Podaj koniec realizacji zadania.")),
        ("task_conditions", _("Wpisz warunki realizacji zadania.")),
        ("offers_deadline", _("Podaj termin składania ofert.")),
        ("procedure", _("Wpisz tryb i sposób wyboru ofert.")),
        ("selection_date", _("Podaj termin dokonania wyboru ofert.")),
    ):
        if not getattr(call, key):
            out.append((key, message))
    if not call.funds or call.funds <= 0:
        out.append(("funds", _("Podaj wysokość środków przeznaczonych na realizację zadania.")))
    if not call.criteria:
        out.append(("criteria", _("Karta oceny nie ma żadnego kryterium.")))
    if not call.formal_criteria:
        out.append(("formal_criteria", _("Podaj kryteria formalne.")))
    if (
        call.selection_date
        and call.offers_deadline
        and call.selection_date < to_warsaw(call.offers_deadline).date()
    ):
        out.append(
            ("selection_date", _("Termin wyboru ofert nie może przypadać przed terminem składania ofert."))
        )
    return out


def announce_call(actor, call: Call) -> Call:
    """Publish the announcement; its page becomes public and its PDF is scheduled after commit. Irreversible.

    Serialised on the call with the edits of its card and formal criteria (which do not change the call's
    row): what is checked here is what is announced.
    """
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)
    missing = announcement_missing(call)
    if missing:
        field, message = missing[0]
        more = _(" (pozostałe braki: %(n)s)", n=len(missing) - 1) if len(missing) > 1 else ""
        raise Refused(
            _("Ogłoszenie nie jest kompletne: %(first)s%(more)s", first=message, more=more), field=field
        )
    now = _clock()
    fire(
        CALL,
        call,
        "announce",
        actor,
        context=_CallAt(call, now),
        offers_deadline=call.offers_deadline.isoformat(),
        funds=str(call.funds),
    )
    call.announced_at = now
    after_commit(db.session, jobs.enqueue_announcement_document, call.id)
    return call


def close_call_for_offers(actor, call: Call) -> Call:
    """Record that the offers deadline passed (a scheduled job or staff do it); drafts stay drafts."""
    _require_runner(actor, call)
    now = _clock()
    fire(CALL, call, "close_for_offers", actor, context=_CallAt(call, now))
    call.closed_at = now
    return call


def close_calls_past_deadline(actor) -> list[Call]:
    """Close for offers every announced call whose deadline has passed (for a scheduled job or the CLI)."""
    now = _clock()
    due = db.session.scalars(
        db.select(Call).where(Call.state == "announced", Call.offers_deadline <= now).order_by(Call.id)
    ).all()
    for call in due:
        close_call_for_offers(actor, call)
    return list(due)


def start_evaluation(actor, call: Call) -> Call:
    _require_runner(actor, call)
    fire(
        CALL,
        call,
        "start_evaluation",
        actor,
        context=_CallAt(call, _clock()),
        offers=sum(1 for o in call.offers if o.state == "formally_accepted"),
    )
    return call


def cancel_call(actor, call: Call, *, reason: str) -> Call:
    """Cancel the call (art. 18a): only when no offer was filed or none is valid; the reason is published."""
    _require_runner(actor, call)
    reason = text_value(reason, "reason", _("uzasadnienie unieważnienia"), required=True)
    now = _clock()
    ground = cancel_ground(call, now)
    fire(CALL, call, "cancel", actor, context=_CallAt(call, now), ground=ground, reason=reason)
    call.cancelled_at, call.cancel_ground, call.cancel_reason = now, ground, reason
    return call
