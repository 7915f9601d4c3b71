"""Entering the limits of small grants: a new dated set (an amendment), and the year's planned grants.

Only administrators enter them. A set is never edited: an amendment is a new set that holds from a later day.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from consult.calls.operations import parse_amount
from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text
from consult.extensions import db
from consult.i18n import format_day
from consult.smallgrants.limits import RULE_KINDS, RULES
from consult.smallgrants.models import PlannedPublicTaskGrants, SmallGrantLimit, SmallGrantLimitSet


def _require_admin(actor) -> None:
    if not has_role(actor, "admin"):
        raise Forbidden(_("Limity małych grantów wpisują administratorzy."))


def _value(rule: str, typed) -> Decimal:
    label = str(RULES[rule]).lower()
    kind = RULE_KINDS[rule]
    value = parse_amount(typed, f"{rule}_value", label, required=True, positive=True,
                         places=0 if kind == "days" else 2)
    if kind == "percent" and value > 100:
        raise Refused(_("%(label)s: podaj wartość od 0 do 100.", label=str(RULES[rule])), field=f"{rule}_value")
    if kind == "days" and value > 3660:
        raise Refused(_("%(label)s: podaj liczbę dni do 3660.", label=str(RULES[rule])), field=f"{rule}_value")
    return value


def enter_limit_set(actor, *, effective_from: date | None, values: dict, bases: dict,
                    note: str = "") -> SmallGrantLimitSet:
    """A new set of limits holding from `effective_from` (later than every set entered so far).

    `values` and `bases` map each rule code to what was typed: the value and the legal basis."""
    _require_admin(actor)
    if effective_from is None:
        raise Refused(_("Podaj datę, od której obowiązują nowe limity."), field="effective_from")
    latest = db.session.scalar(db.select(SmallGrantLimitSet.effective_from)
                               .order_by(SmallGrantLimitSet.effective_from.desc()).limit(1))
    if latest is not None and effective_from <= latest:
        raise Refused(_("Nowe limity muszą obowiązywać od dnia późniejszego niż ostatnie wpisane (%(day)s). "
                        "Wcześniejszych zestawów się nie zmienia: zmianę przepisów wpisuje się jako nowy zestaw.",
                        day=format_day(latest)), field="effective_from")
    limits = []
    for position, rule in enumerate(RULES):
        value = _value(rule, values.get(rule))
        check_text(bases.get(rule) or "", field=f"{rule}_basis", label=_("Podstawa prawna"))
        basis = " ".join((bases.get(rule) or "").split())
        if not basis:
            raise Refused(_("%(label)s: podaj podstawę prawną.", label=str(RULES[rule])), field=f"{rule}_basis")
        if len(basis) > 200:
            raise Refused(_("Podstawa prawna może mieć najwyżej 200 znaków."), field=f"{rule}_basis")
        limits.append(SmallGrantLimit(rule=rule, position=position, value=value, legal_basis=basis))
    check_text(note or "", field="note", label=_("Uwagi"))
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise Refused(_("Uwagi mogą mieć najwyżej 500 znaków."), field="note")
    limit_set = SmallGrantLimitSet(effective_from=effective_from, note=note, created_by_id=actor.id, limits=limits)
    db.session.add(limit_set)
    db.session.flush()
    audit.record(actor, "small_grant_limits", limit_set.id, "enter_limits", effective_from=effective_from.isoformat(),
                 **{rule: str(limit.value) for rule, limit in zip(RULES, limits)})
    return limit_set


def set_planned_grants(actor, *, year: int | None, amount) -> PlannedPublicTaskGrants:
    """The grants planned in `year` for public tasks by NGOs (entered again when the budget changes)."""
    _require_admin(actor)
    if year is None or not 2000 <= year <= 2100:
        raise Refused(_("Podaj rok budżetowy, np. 2027."), field="year")
    value = parse_amount(amount, "amount", _("kwotę dotacji planowanych"), required=True)
    row = db.session.get(PlannedPublicTaskGrants, year)
    before = row.amount if row else None
    if row is None:
        row = PlannedPublicTaskGrants(year=year, amount=value, updated_by_id=actor.id)
        db.session.add(row)
    else:
        row.amount, row.updated_by_id = value, actor.id
    db.session.flush()
    audit.record(actor, "small_grant_limits", year, "set_planned_grants", year=year,
                 before=str(before) if before is not None else None, after=str(value))
    return row
