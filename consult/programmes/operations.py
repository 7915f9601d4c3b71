"""Creating and changing programmes (coordinators only)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.submissions import once
from consult.extensions import db
from consult.programmes.models import Programme


def _validate(year: int, title: str, opens: datetime, closes: datetime, *, exclude_id: int | None = None) -> str:
    title = (title or "").strip()
    if not title:
        raise Refused(_("Wpisz tytuł programu."), field="title")
    if len(title) > 500:
        raise Refused(_("Tytuł programu może mieć najwyżej 500 znaków."), field="title")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise Refused(_("Rok programu musi być liczbą od 2000 do 2100."), field="year")
    if opens is None or closes is None:
        raise Refused(_("Podaj początek i koniec konsultacji."), field="consultation_opens")
    if closes <= opens:
        raise Refused(_("Koniec konsultacji musi przypadać po ich początku."), field="consultation_closes")
    clash = db.session.scalar(db.select(Programme).where(Programme.year == year, Programme.id != (exclude_id or 0)))
    if clash is not None:
        raise Refused(_("Program na rok %(year)s już istnieje.", year=year), field="year")
    return title


@once("programme")
def create_programme(actor, *, year: int, title: str, consultation_opens: datetime,
                     consultation_closes: datetime) -> Programme:
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Programy tworzą koordynatorzy."))
    title = _validate(year, title, consultation_opens, consultation_closes)
    programme = Programme(year=year, title=title, consultation_opens=consultation_opens,
                          consultation_closes=consultation_closes)
    db.session.add(programme)
    db.session.flush()
    audit.record(actor, "programme", programme.id, "create", year=year, title=title,
                 opens=consultation_opens.isoformat(), closes=consultation_closes.isoformat())
    return programme


def update_programme(actor, programme: Programme, *, year: int, title: str, consultation_opens: datetime,
                     consultation_closes: datetime) -> Programme:
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Programy zmieniają koordynatorzy."))
    title = _validate(year, title, consultation_opens, consultation_closes, exclude_id=programme.id)
    audit.record(actor, "programme", programme.id, "edit", year=year, title=title,
                 opens=consultation_opens.isoformat(), closes=consultation_closes.isoformat())
    programme.year, programme.title = year, title
    programme.consultation_opens, programme.consultation_closes = consultation_opens, consultation_closes
    return programme
