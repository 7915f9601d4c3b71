"""The evaluation card and the formal criteria of a draft call, edited through their pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from consult.calls import operations as ops
from consult.calls import queries
from consult.calls.models import Call
from consult.core.audit import trail
from consult.core.errors import Forbidden, Refused
from consult.core.operations import transaction
from consult.extensions import db
from tests.access_cases.calls import call_of
from tests.conftest import login


def _card_url(call) -> str:
    return f"/koordynacja/konkursy/{call.id}/karta"


def _fresh(call) -> Call:
    db.session.expire_all()
    return db.session.get(Call, call.id)


def test_the_card_page_lists_the_default_card_with_subcriteria(client, world):
    call = call_of(world, "draft")
    login(client, world.user("unit_x"))
    page = client.get(_card_url(call)).get_data(as_text=True)
    assert "Karta oceny merytorycznej" in page
    assert 'name="criteria-2-1-title"' in page  # the quality criterion's second sub-criterion
    assert "Udokumentowana deklaracja współpracy" in page
    assert "Przywróć domyślną kartę" in page
    manage = client.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    assert f'href="/koordynacja/konkursy/{call.id}/karta"' in manage


def test_a_runner_saves_a_card_with_a_subcriterion_and_a_blank_row_is_dropped(client, world):
    call = call_of(world, "draft")
    login(client, world.user("unit_x"))
    response = client.post(
        _card_url(call),
        data={
            "action": "save",
            "criteria-0-title": "Jakość",
            "criteria-0-max_points": "10",
            "criteria-0-0-title": "Harmonogram",
            "criteria-0-0-max_points": "7,5",
            "criteria-0-1-title": "Kadra",
            "criteria-0-1-max_points": "2,5",
            "criteria-1-title": "",
            "criteria-1-max_points": "",
            "criteria-2-title": "Koszty",
            "criteria-2-max_points": "5",
        },
    )
    assert response.status_code == 302
    assert "Zapisano kartę oceny" in client.get(response.headers["Location"]).get_data(as_text=True)
    call = _fresh(call)
    assert [c.title for c in call.scored_criteria] == ["Harmonogram", "Kadra", "Koszty"]
    assert call.max_total == Decimal(15)
    assert trail("call", call.id)[-1].action == "edit_card"


def test_subcriteria_that_do_not_add_up_are_refused_beside_the_criterion(client, world):
    call = call_of(world, "draft")
    login(client, world.user("coordinator"))
    response = client.post(
        _card_url(call),
        data={
            "action": "save",
            "criteria-0-title": "Jakość",
            "criteria-0-max_points": "10",
            "criteria-0-0-title": "Harmonogram",
            "criteria-0-0-max_points": "3",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Błąd: " in page and "Wystąpił problem" in page
    assert 'href="#criteria-0"' in page and 'id="criteria-0-error"' in page
    assert "muszą być równe" in page
    assert 'value="Harmonogram"' in page  # what was typed stays
    assert len(_fresh(call).scored_criteria) == 8  # nothing saved


def test_adding_and_removing_rows_rerenders_without_saving(client, world):
    call = call_of(world, "draft")
    login(client, world.user("unit_x"))
    typed = {"criteria-0-title": "Jakość", "criteria-0-max_points": "10"}
    page = client.post(_card_url(call), data={**typed, "action": "add"}).get_data(as_text=True)
    assert 'name="criteria-1-title"' in page and 'value="Jakość"' in page
    page = client.post(_card_url(call), data={**typed, "action": "add_sub-0"}).get_data(as_text=True)
    assert 'name="criteria-0-0-title"' in page
    page = client.post(
        _card_url(call),
        data={**typed, "criteria-1-title": "Koszty", "criteria-1-max_points": "5", "action": "remove-0"},
    ).get_data(as_text=True)
    assert 'value="Koszty"' in page and 'value="Jakość"' not in page
    assert len(_fresh(call).scored_criteria) == 8


def test_reset_puts_back_the_default_card(client, world):
    call = call_of(world, "draft")
    with transaction():
        ops.set_evaluation_card(world.user("coordinator"), call, [{"title": "Jedno", "max_points": "5"}])
    login(client, world.user("unit_x"))
    response = client.post(f"/koordynacja/konkursy/{call.id}/karta/domyslna")
    assert response.status_code == 302
    call = _fresh(call)
    assert call.max_total == Decimal(45) and len(queries.card(call)) == 6
    assert trail("call", call.id)[-1].action == "reset_card"


def test_reset_is_for_runners_of_a_draft_only(world):
    draft, announced = call_of(world, "draft"), call_of(world, "announced")
    with pytest.raises(Forbidden), transaction():
        ops.reset_evaluation_card(world.user("unit_y"), draft)
    with pytest.raises(Refused), transaction():
        ops.reset_evaluation_card(world.user("coordinator"), announced)


def test_an_announced_calls_card_is_shown_not_edited(client, world):
    call = call_of(world, "announced")
    login(client, world.user("unit_x"))
    page = client.get(_card_url(call)).get_data(as_text=True)
    assert "nie można już zmienić" in page and 'name="criteria-0-title"' not in page
    response = client.post(
        _card_url(call), data={"action": "save", "criteria-0-title": "X", "criteria-0-max_points": "5"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Wystąpił problem" in page
    assert len(_fresh(call).scored_criteria) == 8


def test_formal_criteria_are_edited_added_and_removed(client, world):
    call = call_of(world, "draft")
    login(client, world.user("unit_x"))
    url = f"/koordynacja/konkursy/{call.id}/kryteria-formalne"
    page = client.get(url).get_data(as_text=True)
    assert "Oferta została złożona w terminie" in page
    page = client.post(url, data={"formal_criteria-0": "A", "action": "add"}).get_data(as_text=True)
    assert 'name="formal_criteria-1"' in page
    page = client.post(
        url, data={"formal_criteria-0": "A", "formal_criteria-1": "B", "action": "remove-0"}
    ).get_data(as_text=True)
    assert ">B</textarea>" in page and ">A</textarea>" not in page
    response = client.post(url, data={"formal_criteria-0": "  ", "action": "save"})
    assert response.status_code == 200 and 'href="#formal_criteria"' in response.get_data(as_text=True)
    response = client.post(
        url, data={"formal_criteria-0": "Statut", "formal_criteria-1": "", "formal_criteria-2": "KRS", "action": "save"}
    )
    assert response.status_code == 302
    assert [c.text for c in _fresh(call).formal_criteria] == ["Statut", "KRS"]
