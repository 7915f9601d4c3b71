"""An offer's budget as the 2018 template asks it (section V): cost lines (category, type of cost, unit, unit
cost, quantity, who of a joint offer bears it), the sources of funding (the grant asked for, own financial,
personal and material contributions, participants' fees), their sums, and the grant within the funds.

Nothing here needs a call or an offer row: an offer in a call and a small grant's offer (art. 19a) both read
their budget with `parse_cost_lines` and `parse_funding`, check the grant with `check_grant_within` and ask
`budget_missing` before submission, each storing the values on its own rows.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from consult.calls.models import COST_CATEGORIES, FUNDING_FIELDS, ZERO, Funding, money
from consult.calls.models import format_pln as _pln
from consult.calls.operations._common import QUANTITY_BELOW, _id, parse_amount, text_value
from consult.core.errors import Refused


@dataclass(frozen=True)
class CostLine:
    category: str  # COST_CATEGORIES: activity (koszt realizacji działań) or administrative
    name: str  # the type of cost (rodzaj kosztu)
    unit: str  # rodzaj miary: godzina, sztuka, usługa...
    unit_cost: Decimal
    quantity: Decimal
    partner_id: int | None = None  # who of a joint offer bears it; None: the lead applicant

    @property
    def total(self) -> Decimal:
        return line_total(self.unit_cost, self.quantity)


def line_total(unit_cost, quantity) -> Decimal:
    return money(Decimal(unit_cost) * Decimal(quantity))


def parse_cost_lines(rows, *, partner_ids: Iterable[int] = ()) -> list[CostLine]:
    """Cost lines from a form's rows, or Refused naming the first row that is wrong. A line may name who bears
    it only among `partner_ids` (a joint offer's partners)."""
    partner_ids = set(partner_ids)
    lines = []
    for i, row in enumerate(rows or []):
        field = f"cost_lines-{i}"
        category = row.get("category") or "activity"
        if category not in COST_CATEGORIES:
            raise Refused(
                _(
                    "Koszt %(n)s: wybierz rodzaj: koszt realizacji działań albo koszt administracyjny.",
                    n=i + 1,
                ),
                field=field,
            )
        partner_id = _id(row.get("partner_id"))
        if partner_id is not None and partner_id not in partner_ids:
            raise Refused(
                _("Koszt %(n)s: wybierz oferenta, który go ponosi, spośród partnerów oferty.", n=i + 1),
                field=field,
            )
        lines.append(
            CostLine(
                category=category,
                name=text_value(row.get("name"), field, _("rodzaj kosztu"), required=True, limit=500),
                unit=text_value(row.get("unit"), field, _("rodzaj miary"), required=True, limit=50),
                unit_cost=parse_amount(row.get("unit_cost"), field, _("koszt jednostkowy"), required=True),
                quantity=parse_amount(
                    row.get("quantity"), field, _("liczba jednostek"), required=True, positive=True,
                    below=QUANTITY_BELOW,
                ),
                partner_id=partner_id,
            )
        )
    return lines


def parse_funding(data: dict) -> Funding:
    """The sources of funding from a form's data, or Refused naming the first amount that is wrong."""
    labels = {
        "grant_requested": _("wnioskowana kwota dotacji"),
        "own_financial": _("wkład własny finansowy"),
        "own_personal": _("wkład osobowy"),
        "own_material": _("wkład rzeczowy"),
        "participant_fees": _("świadczenia pieniężne od odbiorców"),
    }
    return Funding(**{key: parse_amount(data.get(key), key, labels[key]) or ZERO for key in FUNDING_FIELDS})


def total_costs(lines: Iterable) -> Decimal:
    """The sum of cost lines (anything with a `total`: a CostLine, an offer's stored line)."""
    return sum((line.total for line in lines), ZERO)


def check_grant_within(requested, funds) -> None:
    """Refused when the grant asked for is more than the funds for the task."""
    if money(requested) > money(funds):
        raise Refused(
            _(
                "Wnioskowana dotacja (%(asked)s) przekracza środki przeznaczone na to zadanie w konkursie "
                "(%(funds)s).",
                asked=_pln(requested),
                funds=_pln(funds),
            ),
            field="grant_requested",
        )


def budget_missing(*, has_lines: bool, grant_requested, funds, total_funding, total_costs) -> list[tuple[str, str]]:
    """What the budget lacks to be submitted: (field, message), in the order of the template."""
    out: list[tuple[str, str]] = []
    if not has_lines:
        out.append(("cost_lines", _("Dodaj co najmniej jedną pozycję kosztorysu.")))
    if money(grant_requested) <= 0:
        out.append(("grant_requested", _("Podaj wnioskowaną kwotę dotacji.")))
    elif money(grant_requested) > money(funds):
        out.append(
            (
                "grant_requested",
                _("Wnioskowana dotacja przekracza środki przeznaczone na zadanie (%(funds)s).", funds=_pln(funds)),
            )
        )
    if has_lines and total_funding != total_costs:
        out.append(
            (
                "grant_requested",
                _(
                    "Źródła finansowania (%(funding)s) muszą być równe sumie kosztów (%(costs)s).",
                    funding=_pln(total_funding),
                    costs=_pln(total_costs),
                ),
            )
        )
    return out
