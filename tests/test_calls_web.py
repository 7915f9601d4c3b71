"""Pages of calls: the public announcement and the runners' page, as a user sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult.calls import operations as ops
from consult.calls.models import Call
from consult.core.audit import trail
from consult.core.operations import transaction
from consult.core.types import to_warsaw, utcnow, warsaw_to_utc
from consult.extensions import db
from tests.access_cases.calls import call_of
from tests.conftest import login


def test_public_announcement_shows_what_art_13_requires_and_no_person(client, world):
    call = call_of(world, "announced")
    page = client.get(f"/konkursy/{call.id}").get_data(as_text=True)
    for text in (
        "Wspieranie rodziny",
        "50 000,00 zł",
        "Zasady.",
        "Warunki.",
        "Tryb.",
        world.unit_x.name,
        "Karta oceny merytorycznej",
        "udokumentowana deklaracja współpracy",
        "Razem",
        "45",
        call.reference,
        "ogłoszony, przyjmuje oferty",
    ):
        assert text.lower() in page.lower(), text
    for user in world.users.values():
        assert user.email not in page and user.name not in page
    listing = client.get("/konkursy").get_data(as_text=True)
    assert call.title in listing
    assert call_of(world, "draft").title not in listing


def test_a_draft_is_not_public(client, world):
    draft = call_of(world, "draft")
    assert client.get(f"/konkursy/{draft.id}").status_code == 302
    login(client, world.user("ngo_a"))
    assert client.get(f"/konkursy/{draft.id}").status_code == 403


def test_announcing_too_early_shows_the_earliest_date(client, world):
    draft = call_of(world, "draft")
    today = to_warsaw(utcnow()).date()
    # 21 days from today at noon: the 21st day is cut short.
    noon = to_warsaw(utcnow()).replace(tzinfo=None, hour=12, minute=0, second=0, microsecond=0)
    with transaction():
        ops.update_call(
            world.user("coordinator"), draft, offers_deadline=warsaw_to_utc(noon + timedelta(days=21))
        )
    login(client, world.user("unit_x"))
    response = client.post(f"/koordynacja/konkursy/{draft.id}/ogloszenie")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Błąd: " in page and "Wystąpił problem" in page
    earliest = (today + timedelta(days=22)).strftime("%d.%m.%Y")
    assert f"{earliest} 00:00" in page and 'href="#announce"' in page
    db.session.expire_all()
    assert db.session.get(Call, draft.id).state == "draft"


def test_announcing_a_complete_draft_publishes_it(client, world):
    draft = call_of(world, "draft")
    login(client, world.user("unit_x"))
    response = client.post(f"/koordynacja/konkursy/{draft.id}/ogloszenie")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ogłoszono konkurs" in page and "Publiczna strona ogłoszenia" in page
    db.session.expire_all()
    assert db.session.get(Call, draft.id).state == "announced"
    assert trail("call", draft.id)[-1].actor_id == world.user("unit_x").id


def test_an_incomplete_draft_lists_what_is_missing(client, world):
    draft = call_of(world, "draft")
    with transaction():
        ops.update_call(world.user("coordinator"), draft, procedure="")
    login(client, world.user("coordinator"))
    page = client.get(f"/koordynacja/konkursy/{draft.id}").get_data(as_text=True)
    assert "Wpisz tryb i sposób wyboru ofert." in page
    response = client.post(f"/koordynacja/konkursy/{draft.id}/ogloszenie")
    assert 'href="#procedure"' in response.get_data(as_text=True)


def test_runners_list_shows_only_their_units_calls(client, world):
    call = call_of(world, "announced")
    login(client, world.user("unit_y"))
    assert call.title not in client.get("/koordynacja/konkursy").get_data(as_text=True)
    client2 = client.application.test_client()
    login(client2, world.user("unit_x"))
    assert call.title in client2.get("/koordynacja/konkursy").get_data(as_text=True)


def _form(w, **over):
    data = {
        "programme": str(w.programme.id),
        "unit": str(w.unit_x.id),
        "title": "Konkurs z formularza",
        "task_type": "Wspieranie rodziny",
        "funds": "12 000,50",
        "deadline_date-day": "1",
        "deadline_date-month": "6",
        "deadline_date-year": "2030",
        "deadline_time": "15:30",
        "aggregation": "median",
        "previous_tasks-0-year": "2026",
        "previous_tasks-0-task": "Placówki wsparcia dziennego",
        "previous_tasks-0-amount": "250 000",
    }
    data.update(over)
    return data


def test_a_coordinator_drafts_a_call_through_the_form(client, world):
    login(client, world.user("coordinator"))
    response = client.post("/koordynacja/konkursy/nowy", data=_form(world, unit=str(world.unit_y.id)))
    assert response.status_code == 302
    call = db.session.scalar(db.select(Call).where(Call.title == "Konkurs z formularza"))
    assert call.unit_id == world.unit_y.id and call.state == "draft" and call.aggregation == "median"
    assert str(call.funds) == "12000.50"
    assert to_warsaw(call.offers_deadline).strftime("%d.%m.%Y %H:%M") == "01.06.2030 15:30"
    assert call.previous_tasks == [
        {"year": 2026, "task": "Placówki wsparcia dziennego", "amount": "250000.00"}
    ]
    assert len(call.criteria) == 9 and call.formal_criteria  # the default card and formal criteria
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "12 000,50 zł" in page and "Zapisano projekt konkursu" in page


def test_unit_staff_draft_calls_of_their_own_unit(client, world):
    login(client, world.user("unit_y"))
    page = client.get("/koordynacja/konkursy/nowy").get_data(as_text=True)
    assert world.unit_y.name in page and world.unit_x.name not in page
    assert client.post("/koordynacja/konkursy/nowy", data=_form(world)).status_code == 200  # not their unit
    assert db.session.scalar(db.select(Call).where(Call.title == "Konkurs z formularza")) is None
    assert (
        client.post("/koordynacja/konkursy/nowy", data=_form(world, unit=str(world.unit_y.id))).status_code
        == 302
    )
    call = db.session.scalar(db.select(Call).where(Call.title == "Konkurs z formularza"))
    assert call.unit_id == world.unit_y.id


def test_a_refused_amount_is_shown_beside_the_field(client, world):
    login(client, world.user("coordinator"))
    response = client.post("/koordynacja/konkursy/nowy", data=_form(world, funds="dużo"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in page
    assert 'href="#funds"' in page and 'id="funds-error"' in page and "wpisz liczbę" in page
    assert db.session.scalar(db.select(Call).where(Call.title == "Konkurs z formularza")) is None


@pytest.mark.parametrize("locale, funds, previous, hint", [
    ("en", "1,250.50", "1,250", "In złoty, e.g. 250,000.00."),
    ("uk", "1\u00a0250,50", "1\u202f250", "У злотих, наприклад 250 000,00."),
    ("pl", "1 250.50", "1250", "W złotych, np. 250 000,00."),  # a dot as the decimal sign, as Poles type it
])
def test_amounts_are_read_as_the_users_language_writes_them(client, world, locale, funds, previous, hint):
    client.post(f"/jezyk/{locale}", data={})
    login(client, world.user("coordinator"))
    assert hint in client.get("/koordynacja/konkursy/nowy").get_data(as_text=True)
    response = client.post("/koordynacja/konkursy/nowy", data=_form(world, funds=funds,
                                                                       **{"previous_tasks-0-amount": previous}))
    assert response.status_code == 302, response.get_data(as_text=True)
    call = db.session.scalar(db.select(Call).where(Call.title == "Konkurs z formularza"))
    assert str(call.funds) == "1250.50" and call.previous_tasks[0]["amount"] == "1250.00"
    # the edit form gives them back in the same language, and saving it unchanged keeps them
    edit = client.get(f"/koordynacja/konkursy/{call.id}/edycja").get_data(as_text=True)
    written = "1250.50" if locale == "en" else "1250,50"
    assert f'value="{written}"' in edit


@pytest.mark.parametrize("locale, typed, message", [
    ("en", "1250,50", "The amount of funds: enter a number in the form 1,250.50."),
    ("uk", "1.250,50", "введіть число у форматі 1 250,50."),
    ("pl", "dużo", "wpisz liczbę w postaci 1 250,50."),
])
def test_a_refused_amount_says_the_format_of_the_users_language(client, world, locale, typed, message):
    client.post(f"/jezyk/{locale}", data={})
    login(client, world.user("coordinator"))
    response = client.post("/koordynacja/konkursy/nowy", data=_form(world, funds=typed))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Call).where(Call.title == "Konkurs z formularza")) is None


def test_a_deadline_needs_both_date_and_time(client, world):
    login(client, world.user("coordinator"))
    page = client.post("/koordynacja/konkursy/nowy", data=_form(world, deadline_time="")).get_data(
        as_text=True
    )
    assert "Podaj i datę, i godzinę terminu składania ofert." in page and 'href="#deadline_time"' in page


def test_editing_a_draft_on_a_stale_form_is_refused(client, world):
    draft = call_of(world, "draft")
    login(client, world.user("unit_x"))
    stale = str(draft.version)
    assert (
        client.post(
            f"/koordynacja/konkursy/{draft.id}/edycja", data=_form(world, version=stale, title="Nowy tytuł")
        ).status_code
        == 302
    )
    response = client.post(
        f"/koordynacja/konkursy/{draft.id}/edycja", data=_form(world, version=stale, title="Inny tytuł")
    )
    assert response.status_code == 409 and "Ktoś inny zmienił" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Call, draft.id).title == "Nowy tytuł"


def test_an_announced_call_cannot_be_edited(client, world):
    call = call_of(world, "announced")
    login(client, world.user("coordinator"))
    response = client.post(
        f"/koordynacja/konkursy/{call.id}/edycja", data=_form(world, version=str(call.version))
    )
    assert response.status_code == 200 and "Tej czynności nie można wykonać" in response.get_data(
        as_text=True
    )


def test_a_member_lists_the_commissions_they_sit_on_with_what_is_left_to_do(client, world):
    from tests.access_cases.calls import offer_of

    offer = offer_of(world, "evaluation")  # NGO B's nominee sits on this call; conflict declared on the other
    login(client, world.user("ngo_b"))
    home = client.get("/konkursy").get_data(as_text=True)
    assert 'href="/komisja"' in home and "Moje komisje konkursowe" in home
    page = client.get("/komisja").get_data(as_text=True)
    assert offer.call.title in page and f'href="/komisja/konkursy/{offer.call_id}"' in page
    row = page.split(offer.call.title)[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[2:]]
    assert cells == ["2", "1", "0", "0", "1"]  # offers, without declaration, to score, submitted, conflicts
    with transaction():
        ops.declare_conflict(world.user("ngo_b"), offer, has_conflict=False)
    row = client.get("/komisja").get_data(as_text=True).split(offer.call.title)[1].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in row.split("<td>")[2:]] == ["2", "0", "1", "0", "1"]
    # Someone on no commission has no link and an empty list.
    other = client.application.test_client()
    login(other, world.user("ngo_a"))
    assert 'href="/komisja"' not in other.get("/konkursy").get_data(as_text=True)
    assert "Nie zasiadasz w żadnej komisji" in other.get("/komisja").get_data(as_text=True)
