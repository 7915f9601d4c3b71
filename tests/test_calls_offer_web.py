"""An NGO prepares, submits, corrects and withdraws an offer through the web."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.calls import operations as ops
from consult.calls.models import Offer
from consult.core.operations import transaction
from consult.extensions import db
from tests.conftest import login
from tests.test_calls import ANNOUNCED, Clock, actions, announced_call


@pytest.fixture
def clock(monkeypatch):
    c = Clock(ANNOUNCED)
    monkeypatch.setattr(ops, "utcnow", c)
    return c


def _date(name: str, day, month, year) -> dict:
    """A date as the three inputs of the house's date field post it."""
    return {f"{name}-day": str(day), f"{name}-month": str(month), f"{name}-year": str(year)}


SECTIONS = {
    "basic": {"task_type": "Wspieranie rodziny"},
    "applicants": {
        "address": "ul. Długa 1, Kraków",
        "contact_name": "Anna Nowak",
        "contact_email": "a@example.org",
        "partners-0-organisation_id": "",
        "partners-0-name": "Klub Seniora",
        "partners-0-role": "Sala.",
    },
    "task": {
        "title": "Świetlica dla dzieci",
        **_date("task_starts", 1, 5, 2027),
        **_date("task_ends", 31, 12, 2027),
        "description": "Zajęcia popołudniowe.",
        "schedule-0-name": "Zajęcia",
        **_date("schedule-0-starts", 1, 5, 2027),
        **_date("schedule-0-ends", 31, 12, 2027),
        "results-0-result": "Dzieci objęte opieką",
        "results-0-target_value": "30",
        "results-0-monitoring": "lista obecności",
    },
    "resources": {"staff": "Dwóch pedagogów."},
    "costs": {
        "cost_lines-0-category": "activity",
        "cost_lines-0-name": "Warsztaty",
        "cost_lines-0-unit": "godzina",
        "cost_lines-0-unit_cost": "150,00",
        "cost_lines-0-quantity": "40",
        "cost_lines-1-category": "administrative",
        "cost_lines-1-name": "Księgowość",
        "cost_lines-1-unit": "miesiąc",
        "cost_lines-1-unit_cost": "500",
        "cost_lines-1-quantity": "4",
        "grant_requested": "6 000",
        "own_financial": "1000",
        "own_personal": "500",
        "own_material": "0",
        "participant_fees": "500",
    },
    "declarations": {k: "yes" for k in ops.DECLARATIONS},
}


def _start(client, world, clock):
    call = announced_call(world, clock)
    login(client, world.user("ngo_a"))
    response = client.post(f"/konkursy/{call.id}/oferty/nowa")
    assert response.status_code == 302
    offer = db.session.scalar(db.select(Offer).where(Offer.call_id == call.id))
    return call, offer


def _save(client, offer, section, data):
    db.session.expire_all()
    version = db.session.get(Offer, offer.id).version
    return client.post(f"/oferty/{offer.id}/czesc/{section}", data={**data, "version": str(version)})


def test_an_ngo_prepares_and_submits_an_offer(client, world, clock):
    _call, offer = _start(client, world, clock)
    page = client.get(f"/oferty/{offer.id}/edycja").get_data(as_text=True)
    assert "nierozpoczęta" in page and f'href="/oferty/{offer.id}/sprawdzenie"' in page
    assert "/zlozenie" not in page  # the submit button is on the check page only
    response = client.post(f"/oferty/{offer.id}/zlozenie")
    page = response.get_data(as_text=True)
    assert (
        "<title>Błąd: " in page
        and "Oferta nie jest kompletna" in page
        and 'href="#section-applicants"' in page
    )
    for section, data in SECTIONS.items():
        assert _save(client, offer, section, data).status_code == 302, section
    db.session.expire_all()
    offer = db.session.get(Offer, offer.id)
    assert offer.total_costs == 8000 and offer.partners[0].name == "Klub Seniora"
    assert offer.task["schedule"][0]["starts"] == "2027-05-01"
    page = client.get(f"/oferty/{offer.id}/czesc/task").get_data(as_text=True)
    for name, value in (("task_starts-day", "1"), ("task_starts-month", "5"), ("schedule-0-ends-year", "2027")):
        assert f'name="{name}" type="text" inputmode="numeric"' in page.replace("\n", " ")
    assert 'id="task_starts-month"' in page and 'value="31"' in page
    response = client.post(f"/oferty/{offer.id}/zlozenie")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/oferty/{offer.id}/potwierdzenie"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert offer.reference in page and "Co dalej" in page
    # The same button sent again (a double click in the deadline rush): it leads to the confirmation too, and the
    # offer is filed once.
    again = client.post(f"/oferty/{offer.id}/zlozenie")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/oferty/{offer.id}/potwierdzenie")
    assert "oferta jest złożona" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert actions("offer", offer.id).count("submit") == 1
    # Submitted: frozen.
    response = _save(client, offer, "other", {"text": "po złożeniu"})
    assert response.status_code == 200 and "Tej czynności nie można wykonać" in response.get_data(
        as_text=True
    )


def test_section_refusals_point_at_the_field(client, world, clock):
    _call, offer = _start(client, world, clock)
    page = _save(client, offer, "costs", dict(SECTIONS["costs"], grant_requested="200 000")).get_data(
        as_text=True
    )
    assert (
        'href="#grant_requested"' in page and 'id="grant_requested-error"' in page and "100 000,00 zł" in page
    )
    assert 'value="200 000"' in page  # what was typed stays in the form
    page = _save(client, offer, "task", {**SECTIONS["task"], **_date("task_ends", 31, 2, 2027)}).get_data(
        as_text=True
    )
    assert 'href="#task_ends"' in page and "ten miesiąc nie ma dnia 31" in page and "<title>Błąd: " in page
    assert 'value="Świetlica dla dzieci"' in page  # what was typed stays
    page = _save(client, offer, "task", {**SECTIONS["task"], **_date("task_ends", 1, 1, 2027)}).get_data(
        as_text=True
    )
    assert 'href="#task_ends"' in page and 'id="task_ends-error"' in page and "przed datą rozpoczęcia" in page
    page = _save(client, offer, "costs", dict(SECTIONS["costs"], **{"cost_lines-1-quantity": "0"})).get_data(
        as_text=True
    )
    assert 'href="#cost_lines-1"' in page


def test_submission_after_the_deadline_is_refused_on_the_page(client, world, clock):
    call, offer = _start(client, world, clock)
    for section, data in SECTIONS.items():
        _save(client, offer, section, data)
    clock.now = call.offers_deadline
    page = client.post(f"/oferty/{offer.id}/zlozenie").get_data(as_text=True)
    assert "<title>Błąd: " in page and "upłynął" in page


def test_an_offer_is_amended_within_a_correction_window_then_finished(client, world, clock):
    call, offer = _start(client, world, clock)
    for section, data in SECTIONS.items():
        _save(client, offer, section, data)
    assert client.post(f"/oferty/{offer.id}/zlozenie").status_code == 302
    clock.now = call.offers_deadline
    with transaction():
        ops.request_correction(
            world.user("unit_x"),
            db.session.get(Offer, offer.id),
            deficiencies="Brak podpisu skarbnika.",
            deadline=clock.now + timedelta(days=7),
        )
    page = client.get(f"/oferty/{offer.id}/edycja").get_data(as_text=True)
    assert "Brak podpisu skarbnika." in page and "Zakończ poprawki" in page
    assert _save(client, offer, "other", {"text": "Podpis uzupełniony."}).status_code == 302
    assert client.post(f"/oferty/{offer.id}/koniec-poprawek").status_code == 302
    assert _save(client, offer, "other", {"text": "Jeszcze coś."}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Offer, offer.id).other == {"text": "Podpis uzupełniony."}


def test_an_ngo_withdraws_a_draft_and_another_ngo_cannot_touch_it(client, world, clock):
    _call, offer = _start(client, world, clock)
    other = client.application.test_client()
    login(other, world.user("ngo_b"))
    assert other.get(f"/oferty/{offer.id}/edycja").status_code == 403
    assert other.post(f"/oferty/{offer.id}/czesc/other", data={"text": "x"}).status_code == 403
    assert client.post(f"/oferty/{offer.id}/wycofanie", data={"reason": "Rezygnujemy."}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Offer, offer.id).state == "withdrawn"
    assert offer.reference in client.get("/moje-oferty").get_data(as_text=True)


def test_add_another_row_saves_and_shows_one_more_empty_row_and_remove_drops_one(client, world, clock):
    _call, offer = _start(client, world, clock)
    page = client.get(f"/oferty/{offer.id}/czesc/costs").get_data(as_text=True)
    assert 'name="cost_lines-0-name"' in page and 'name="cost_lines-1-name"' not in page  # one row to start
    assert "Dodaj kolejną pozycję kosztorysu" in page
    response = _save(client, offer, "costs", {**SECTIONS["costs"], "action": "add:cost_lines"})
    assert response.status_code == 302 and "dodaj=cost_lines" in response.headers["Location"]
    assert response.headers["Location"].endswith("#cost_lines-2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Księgowość"' in page and 'name="cost_lines-2-name"' in page
    assert "Dodano pusty wiersz" in page
    db.session.expire_all()
    assert len(db.session.get(Offer, offer.id).cost_lines) == 2  # saved
    response = _save(client, offer, "costs", {**SECTIONS["costs"], "action": "remove:cost_lines-0"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Warsztaty"' not in page and 'value="Księgowość"' in page
    db.session.expire_all()
    assert [c.name for c in db.session.get(Offer, offer.id).cost_lines] == ["Księgowość"]


def test_a_schedule_row_moved_up_keeps_its_dates_and_a_bad_row_date_is_told_beside_it(client, world, clock):
    _call, offer = _start(client, world, clock)
    data = {
        **SECTIONS["task"],
        "schedule-1-name": "",
        "schedule-2-name": "Wycieczka",
        **_date("schedule-2-starts", 1, 6, 2027),
        **_date("schedule-2-ends", 2, "", 2027),
    }
    page = _save(client, offer, "task", data).get_data(as_text=True)
    # The blank row 1 is dropped: "Wycieczka" becomes action 2 (index 1) and its date error points there.
    assert 'href="#schedule-1-ends"' in page and "Koniec działania 2: podaj miesiąc." in page
    assert 'name="schedule-1-starts-month" type="text" inputmode="numeric"' in page.replace("\n", " ")
    db.session.expire_all()
    assert db.session.get(Offer, offer.id).title is None or db.session.get(Offer, offer.id).title == ""
    data["schedule-2-ends-month"] = "6"
    assert _save(client, offer, "task", data).status_code == 302
    db.session.expire_all()
    schedule = db.session.get(Offer, offer.id).task["schedule"]
    assert [(a["name"], a["ends"]) for a in schedule] == [("Zajęcia", "2027-12-31"), ("Wycieczka", "2027-06-02")]


def test_check_your_answers_lists_every_answer_with_a_change_link_and_submits(client, world, clock):
    call, offer = _start(client, world, clock)
    for section, data in SECTIONS.items():
        _save(client, offer, section, data)
    page = client.get(f"/oferty/{offer.id}/sprawdzenie").get_data(as_text=True)
    assert "Sprawdź odpowiedzi" in page
    for text in ("Świetlica dla dzieci", "Klub Seniora", "Anna Nowak", "Dwóch pedagogów.", "Warsztaty"):
        assert text in page, text
    assert "od 01.05.2027 do 31.12.2027" in page
    assert f'href="/oferty/{offer.id}/czesc/task#title"' in page
    assert f'href="/oferty/{offer.id}/czesc/costs#grant_requested"' in page
    assert page.count(">Zmień<") >= 20
    assert "8 000,00 zł" in page  # total costs, computed
    assert f'action="/oferty/{offer.id}/zlozenie"' in page
    response = client.post(f"/oferty/{offer.id}/zlozenie")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    offer = db.session.get(Offer, offer.id)
    assert offer.reference in page and "Co dalej" in page and "pod względem formalnym" in page
    assert call.selection_date.strftime("%d.%m.%Y") in page
    # Submitted: the check page leads to the offer itself.
    assert client.get(f"/oferty/{offer.id}/sprawdzenie").status_code == 302


def test_an_incomplete_offer_is_refused_on_the_check_page(client, world, clock):
    _call, offer = _start(client, world, clock)
    _save(client, offer, "basic", SECTIONS["basic"])
    page = client.get(f"/oferty/{offer.id}/sprawdzenie").get_data(as_text=True)
    assert "W tej części brakuje:" in page
    response = client.post(f"/oferty/{offer.id}/zlozenie")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in page and "Sprawdź odpowiedzi" in page
    assert 'href="#section-applicants"' in page and 'id="section-applicants"' in page


@pytest.mark.parametrize("locale, typed, shown, hint", [
    ("en", {"cost_lines-0-unit_cost": "1,250.50", "cost_lines-0-quantity": "2", "grant_requested": "2,000.5"},
     {"cost_lines-0-unit_cost": "1250.50", "grant_requested": "2000.50"}, "Amounts in złoty, e.g. 1,250.50."),
    ("uk", {"cost_lines-0-unit_cost": "1\u202f250,50", "cost_lines-0-quantity": "2", "grant_requested": "2\u00a0000,5"},
     {"cost_lines-0-unit_cost": "1250,50", "grant_requested": "2000,50"}, "Суми в злотих, наприклад 1 250,50."),
    ("pl", {"cost_lines-0-unit_cost": "1250.50", "cost_lines-0-quantity": "2", "grant_requested": "2 000,5"},
     {"cost_lines-0-unit_cost": "1250,50", "grant_requested": "2000,50"}, "Kwoty w złotych, np. 1 250,50."),
])
def test_the_budget_is_read_and_shown_in_the_applicants_language(client, world, clock, locale, typed, shown, hint):
    client.post(f"/jezyk/{locale}", data={})
    _call, offer = _start(client, world, clock)
    assert hint in client.get(f"/oferty/{offer.id}/czesc/costs").get_data(as_text=True)
    response = _save(client, offer, "costs", {**SECTIONS["costs"], **typed})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    offer = db.session.get(Offer, offer.id)
    assert str(offer.cost_lines[0].unit_cost) == "1250.50" and str(offer.grant_requested) == "2000.50"
    page = client.get(f"/oferty/{offer.id}/czesc/costs").get_data(as_text=True)
    for name, value in shown.items():
        assert f'name="{name}"' in page and f'value="{value}"' in page, name
    # saved again unchanged, the amounts stay what they were
    assert _save(client, offer, "costs", {**SECTIONS["costs"], **typed, **shown}).status_code == 302
    db.session.expire_all()
    assert str(db.session.get(Offer, offer.id).cost_lines[0].unit_cost) == "1250.50"
