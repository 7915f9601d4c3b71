"""Creating and changing programmes (coordinators only)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.submissions import once
from consult.extensions import db
from consult.programmes.models import DEFAULT_POSITION_DAYS, MAX_POSITION_DAYS, Programme


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


def _position_days(days: int | None) -> int:
    """The days a unit has for a position; None (the field left empty) is the default."""
    if days is None:
        return DEFAULT_POSITION_DAYS
    if not isinstance(days, int) or not 1 <= days <= MAX_POSITION_DAYS:
        raise Refused(_("Termin na stanowisko komórki: podaj liczbę dni od 1 do %(n)s.", n=MAX_POSITION_DAYS),
                      field="position_days")
    return days


@once("programme")
def create_programme(actor, *, year: int, title: str, consultation_opens: datetime,
                     consultation_closes: datetime, position_days: int | None = None) -> Programme:
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Programy tworzą koordynatorzy."))
    title = _validate(year, title, consultation_opens, consultation_closes)
    position_days = _position_days(position_days)
    programme = Programme(year=year, title=title, consultation_opens=consultation_opens,
                          consultation_closes=consultation_closes, position_days=position_days)
    db.session.add(programme)
    db.session.flush()
    audit.record(actor, "programme", programme.id, "create", year=year, title=title,
                 opens=consultation_opens.isoformat(), closes=consultation_closes.isoformat(),
                 position_days=position_days)
    return programme


def update_programme(actor, programme: Programme, *, year: int, title: str, consultation_opens: datetime,
                     consultation_closes: datetime, position_days: int | None = None) -> Programme:
    """Change a programme. A new number of days for a position applies to postulates routed from now on: the
    due dates already set stay (a coordinator changes one on the postulate's page)."""
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Programy zmieniają koordynatorzy."))
    title = _validate(year, title, consultation_opens, consultation_closes, exclude_id=programme.id)
    position_days = _position_days(position_days)
    audit.record(actor, "programme", programme.id, "edit", year=year, title=title,
                 opens=consultation_opens.isoformat(), closes=consultation_closes.isoformat(),
                 position_days=position_days)
    programme.position_days = position_days
    programme.year, programme.title = year, title
    programme.consultation_opens, programme.consultation_closes = consultation_opens, consultation_closes
    return programme
