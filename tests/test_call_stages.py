"""The stages of a call's operations that small grants reuse without a call (consult/calls/operations/:
sections.py, budget.py, decision.py's weigh_decision), and the package still answering every name the tree
imports from `consult.calls.operations`.
"""
from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from consult.calls import operations as ops
from consult.calls.operations import (
    CostLine,
    budget_missing,
    check_grant_within,
    parse_cost_lines,
    parse_funding,
    parse_task_section,
    task_section_missing,
    total_costs,
    weigh_decision,
)
from consult.core.errors import Refused

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def polish(app):
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        yield


# --- the decision ---------------------------------------------------------------------------------------------

def test_a_grant_within_what_was_asked_and_what_is_left_passes_without_a_call(polish):
    asked = []
    verdict = weigh_decision("grant", "1 500,50", None, requested=Decimal("2000"), funds=Decimal("5000"),
                             granted_to_others=lambda: asked.append(1) or Decimal("3000"))
    assert (verdict.kind, verdict.amount, verdict.reason) == ("grant", Decimal("1500.50"), None)
    assert asked == [1]  # read once, after the caller's lock


def test_a_grant_above_the_request_or_the_funds_left_is_refused_with_the_callers_words(polish):
    with pytest.raises(Refused) as above:
        weigh_decision("grant", "2500", None, requested=Decimal("2000"), funds=Decimal("5000"),
                       granted_to_others=lambda: Decimal(0))
    assert above.value.field == "amount" and "2 000,00 zł" in above.value.reason

    with pytest.raises(Refused) as over:
        weigh_decision("grant", "2000", None, requested=Decimal("2000"), funds=Decimal("5000"),
                       granted_to_others=lambda: Decimal("4000"),
                       exceeds=lambda total, funds, left: f"limit małych grantów: zostało {left}")
    assert over.value.field == "amount" and over.value.reason == "limit małych grantów: zostało 1000.00"

    with pytest.raises(Refused) as call_words:
        weigh_decision("grant", "2000", None, requested=Decimal("2000"), funds=Decimal("5000"),
                       granted_to_others=lambda: Decimal("4000"))
    assert "przekroczyłaby środki konkursu (5 000,00 zł)" in call_words.value.reason
    assert "zostało 1 000,00 zł" in call_words.value.reason


def test_a_refusal_needs_its_reason_and_reads_no_funds(polish):
    def never():
        raise AssertionError("a refusal does not read the funds granted")

    with pytest.raises(Refused) as missing:
        weigh_decision("refusal", None, "  ", requested=Decimal("10"), funds=Decimal("10"), granted_to_others=never)
    assert missing.value.field == "reason"
    verdict = weigh_decision("refusal", "999", "Zadanie poza sferą.", requested=Decimal("10"), funds=Decimal("10"),
                             granted_to_others=never)
    assert (verdict.kind, verdict.amount, verdict.reason) == ("refusal", None, "Zadanie poza sferą.")
    with pytest.raises(Refused) as unknown:
        weigh_decision("maybe", None, None, requested=Decimal("10"), funds=Decimal("10"), granted_to_others=never)
    assert unknown.value.field == "kind"


# --- the task section -----------------------------------------------------------------------------------------

def test_the_task_section_is_read_without_an_offer_and_says_what_it_lacks(polish):
    section = parse_task_section({
        "title": " Warsztaty ", "task_starts": "2027-03-01", "task_ends": "2027-05-31", "place": "Nowa Huta",
        "schedule": [{"name": "Warsztaty", "starts": "2027-03-01", "ends": "2027-03-31"}],
        "results": [{"result": "Uczestnicy", "target_value": "40 osób", "monitoring": "lista obecności"}],
    })
    assert (section.title, section.starts, section.ends) == ("Warsztaty", date(2027, 3, 1), date(2027, 5, 31))
    assert section.task["place"] == "Nowa Huta" and section.task["schedule"][0]["starts"] == "2027-03-01"
    assert [r.target_value for r in section.results] == ["40 osób"]
    assert parse_task_section({"title": "Bez rezultatów"}).results is None  # not sent: left as they are

    missing = task_section_missing(title=section.title, starts=section.starts, ends=section.ends, task=section.task,
                                   results_count=len(section.results), allowed_starts=date(2027, 4, 1))
    assert [field for field, _message in missing] == ["task_starts", "description"]

    with pytest.raises(Refused) as backwards:
        parse_task_section({"task_starts": "2027-05-01", "task_ends": "2027-04-01"})
    assert backwards.value.field == "task_ends"
    with pytest.raises(Refused) as result:
        parse_task_section({"results": [{"result": "", "target_value": "1", "monitoring": "x"}]})
    assert result.value.field == "results-0"


# --- the budget ---------------------------------------------------------------------------------------------

def test_the_budget_is_read_summed_and_checked_without_an_offer(polish):
    lines = parse_cost_lines([
        {"category": "activity", "name": "Trener", "unit": "godzina", "unit_cost": "150,00", "quantity": "10"},
        {"category": "administrative", "name": "Księgowość", "unit": "usługa", "unit_cost": "300", "quantity": "1",
         "partner_id": "7"},
    ], partner_ids={7})
    assert [line.total for line in lines] == [Decimal("1500.00"), Decimal("300.00")]
    assert total_costs(lines) == Decimal("1800.00")
    funding = parse_funding({"grant_requested": "1 500", "own_personal": "300"})
    assert (funding.own_contribution, funding.total) == (Decimal("300.00"), Decimal("1800.00"))
    assert budget_missing(has_lines=True, grant_requested=funding.grant_requested, funds=Decimal("10000"),
                          total_funding=funding.total, total_costs=total_costs(lines)) == []

    short = budget_missing(has_lines=True, grant_requested=Decimal("1000"), funds=Decimal("10000"),
                           total_funding=Decimal("1300"), total_costs=Decimal("1800"))
    assert short == [("grant_requested", "Źródła finansowania (1 300,00 zł) muszą być równe sumie kosztów "
                                         "(1 800,00 zł).")]
    with pytest.raises(Refused) as partner:
        parse_cost_lines([{"name": "x", "unit": "szt.", "unit_cost": "1", "quantity": "1", "partner_id": "8"}],
                         partner_ids={7})
    assert partner.value.field == "cost_lines-0"
    with pytest.raises(Refused) as over:
        check_grant_within(Decimal("10000.01"), Decimal("10000"))
    assert over.value.field == "grant_requested"
    assert CostLine("activity", "x", "szt.", Decimal("0.10"), Decimal("3")).total == Decimal("0.30")


# --- the package answers every name it answered as one module ---------------------------------------------------

def _names_imported_from_operations() -> set[tuple[str, str]]:
    found = set()
    for folder in ("consult", "tests", "bench", "scripts", "worker"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "consult.calls.operations":
                    found.update((alias.name, str(path.relative_to(ROOT))) for alias in node.names)
    return found


def test_every_name_the_tree_imports_from_the_calls_operations_is_there():
    imported = _names_imported_from_operations()
    assert {"parse_amount", "DECLARATIONS", "SECTIONS", "create_call", "submit_offer"} <= {n for n, _p in imported}
    assert sorted((name, where) for name, where in imported if not hasattr(ops, name)) == []
