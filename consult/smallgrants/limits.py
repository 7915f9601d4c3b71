"""Judging a small grant by the limits in force on the day its offer was filed.

`limits_in_force(day)` finds the set; `breaches(...)` names every rule an offer or a grant would break, each with the
rule's value and legal basis, so that a refusal says which rule and on what basis. Amounts are Decimal to the grosz;
a task's length counts its first and last day (1 January to 31 March is 90 days).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.extensions import db
from consult.i18n import format_amount, format_number
from consult.smallgrants.models import PlannedPublicTaskGrants, SmallGrantLimitSet

RULES = {
    "max_grant": _l("Najwyższa kwota dofinansowania lub finansowania jednej oferty"),
    "max_days": _l("Najdłuższy okres realizacji zadania (dni)"),
    "yearly_cap": _l("Najwyższa łączna kwota dla jednej organizacji w roku kalendarzowym"),
    "max_share": _l("Największa część dotacji planowanych na zadania publiczne w roku (%)"),
}
# The kind of value each rule holds: how it is typed and shown.
RULE_KINDS = {"max_grant": "amount", "max_days": "days", "yearly_cap": "amount", "max_share": "percent"}

# The wording of art. 19a of the Act on Public Benefit Activity and Volunteering that consult starts with; a later
# amendment is entered by an administrator as a new set (the migration loads this one).
INITIAL_SET = {
    "max_grant": (Decimal("10000.00"), "art. 19a ust. 1 pkt 1 ustawy o działalności pożytku publicznego i o wolontariacie"),
    "max_days": (Decimal("90"), "art. 19a ust. 1 pkt 2 ustawy o działalności pożytku publicznego i o wolontariacie"),
    "yearly_cap": (Decimal("20000.00"), "art. 19a ust. 2 ustawy o działalności pożytku publicznego i o wolontariacie"),
    "max_share": (Decimal("20"), "art. 19a ust. 3 ustawy o działalności pożytku publicznego i o wolontariacie"),
}
INITIAL_EFFECTIVE_FROM = date(2020, 1, 1)


def shown(rule: str, value: Decimal) -> str:
    kind = RULE_KINDS[rule]
    if kind == "amount":
        return format_amount(value)
    if kind == "days":
        return format_number(int(value))
    return f"{format_number(value.normalize())}%"


def limits_in_force(day: date) -> SmallGrantLimitSet | None:
    """The set of limits in force on `day`: the latest one whose effective_from is not after it."""
    return db.session.scalar(db.select(SmallGrantLimitSet).where(SmallGrantLimitSet.effective_from <= day)
                             .order_by(SmallGrantLimitSet.effective_from.desc()).limit(1))


def planned_grants(year: int) -> Decimal | None:
    row = db.session.get(PlannedPublicTaskGrants, year)
    return row.amount if row else None


def task_days(starts: date, ends: date) -> int:
    """The task's length in days, its first and last day included."""
    return (ends - starts).days + 1


@dataclass(frozen=True)
class Breach:
    rule: str
    limit: Decimal
    legal_basis: str
    message: str

    def __str__(self) -> str:
        return self.message


def breaches(limit_set: SmallGrantLimitSet, *, amount: Decimal, starts: date, ends: date,
             organisation_year_total: Decimal = Decimal(0), year_total: Decimal = Decimal(0),
             planned: Decimal | None = None) -> list[Breach]:
    """Every rule of `limit_set` that a grant of `amount` for a task from `starts` to `ends` would break.

    `organisation_year_total`: what the organisation has already been granted this way in the calendar year;
    `year_total`: what the city has already granted this way in the year; `planned`: the grants planned in the
    year for public tasks by NGOs (the 20% share is of this; None: not entered, which is itself a breach)."""
    found = []

    def breach(rule: str, message: str) -> None:
        limit = limit_set.limit(rule)
        found.append(Breach(rule, limit.value, limit.legal_basis,
                            _("%(message)s (%(basis)s)", message=message, basis=limit.legal_basis)))

    max_grant = limit_set.limit("max_grant").value
    if amount > max_grant:
        breach("max_grant", _("Kwota %(amount)s przekracza najwyższą kwotę małego grantu, %(limit)s",
                              amount=format_amount(amount), limit=format_amount(max_grant)))
    max_days = int(limit_set.limit("max_days").value)
    days = task_days(starts, ends)
    if days > max_days:
        breach("max_days", _("Zadanie trwa %(days)s dni, a mały grant może trwać najwyżej %(limit)s dni",
                             days=days, limit=max_days))
    yearly_cap = limit_set.limit("yearly_cap").value
    if organisation_year_total + amount > yearly_cap:
        breach("yearly_cap", _(
            "Organizacja otrzymała już w tym roku %(before)s w tym trybie; z tą kwotą byłoby to %(after)s, "
            "a najwyżej można %(limit)s", before=format_amount(organisation_year_total),
            after=format_amount(organisation_year_total + amount), limit=format_amount(yearly_cap)))
    share = limit_set.limit("max_share").value
    if planned is None:
        breach("max_share", _("Nie wpisano kwoty dotacji planowanych w tym roku na zadania publiczne, "
                              "więc nie da się sprawdzić, czy małe granty mieszczą się w %(share)s%%",
                              share=format_number(share.normalize())))
    else:
        allowed = (planned * share / 100).quantize(Decimal("0.01"))
        if year_total + amount > allowed:
            breach("max_share", _(
                "Małe granty w tym roku wyniosłyby %(after)s, a mogą najwyżej %(allowed)s "
                "(%(share)s%% z %(planned)s dotacji planowanych na zadania publiczne)",
                after=format_amount(year_total + amount), allowed=format_amount(allowed),
                share=format_number(share.normalize()), planned=format_amount(planned)))
    return found
