"""Places of activity and booking their rooms: what a resident, an operator and the public see and get."""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest

from consult.core.actors import SYSTEM
from consult.core.errors import Refused
from consult.core.operations import transaction
from consult.core.types import WARSAW, clock_at
from consult.extensions import db
from consult.places import rules
from consult.places.models import BookingRequest
from tests.conftest import login
from tests.places_support import places_of


# --- working days ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("event_day, last_day", [
    (date(2027, 4, 1), date(2027, 3, 26)),    # Thursday after Easter: Easter Monday (29 March) is no working day
    (date(2027, 5, 5), date(2027, 4, 29)),    # Wednesday after 1 May (Saturday) and 3 May (Monday)
    (date(2027, 11, 15), date(2027, 11, 9)),  # Monday after 11 November (Thursday)
    (date(2027, 3, 11), date(2027, 3, 8)),    # an ordinary Thursday: Monday
    (date(2027, 3, 13), date(2027, 3, 10)),   # a Saturday: Wednesday
])
def test_last_day_to_ask_skips_weekends_and_polish_holidays(event_day, last_day):
    assert rules.last_day_to_ask(event_day) == last_day


def test_holidays_are_no_working_days():
    assert not rules.is_working_day(date(2027, 3, 29))  # Easter Monday
    assert not rules.is_working_day(date(2027, 5, 3)) and not rules.is_working_day(date(2027, 11, 11))
    assert rules.is_working_day(date(2027, 5, 4))
    assert rules.earliest_event_day(date(2027, 4, 28)) == date(2027, 5, 1)  # Wed, Thu, Fri before Saturday
    assert rules.earliest_event_day(date(2027, 4, 29)) == date(2027, 5, 5)  # Thu, Fri, (1, 2, 3 May), Tue


def test_weekly_occurrences_keep_the_wall_clock_across_summer_time():
    start = datetime(2027, 3, 23, 18, tzinfo=WARSAW)  # a Tuesday before the change to summer time (28 March)
    times = rules.occurrences(start.astimezone(WARSAW), (start + timedelta(hours=2)).astimezone(WARSAW), "weekly",
                              date(2027, 4, 6))
    assert [t[0].astimezone(WARSAW).strftime("%d.%m %H:%M") for t in times] == ["23.03 18:00", "30.03 18:00",
                                                                               "06.04 18:00"]


# --- the register ------------------------------------------------------------------------------------------

def test_register_filters_search_and_downloads(app, world, client):
    p = places_of(world)
    page = client.get("/miejsca").get_data(as_text=True)
    assert "MAM Na Kozłówce" in page and "PAL Na Skarpie" in page
    page = client.get("/miejsca?dzielnica=XVIII").get_data(as_text=True)
    assert "PAL Na Skarpie" in page and "MAM Na Kozłówce" not in page
    page = client.get(f"/miejsca?operator=o{world.org_a.id}").get_data(as_text=True)
    assert "MAM Na Kozłówce" in page and "PAL Na Skarpie" not in page
    page = client.get(f"/miejsca?rodzaj={p['y'].kind_id}&q=skarp").get_data(as_text=True)
    assert "PAL Na Skarpie" in page and "MAM Na Kozłówce" not in page
    csv = client.get("/miejsca/eksport.csv?dzielnica=XI").get_data(as_text=True)
    assert "MAM Na Kozłówce" in csv and "Fundacja Zustricz" in csv and "PAL Na Skarpie" not in csv
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/miejsca/eksport.xlsx").data))
    names = [row[0].value for row in book.active.iter_rows(min_row=2)]
    assert names == ["MAM Na Kozłówce", "PAL Na Skarpie"]
    assert client.get("/miejsca/eksport.ods").status_code == 200


def test_operator_edits_its_own_place_but_not_its_operator(app, world):
    p = places_of(world)
    client = login(app.test_client(), world.user("ngo_a"))
    page = client.get(f"/miejsca/{p['a'].id}/edycja").get_data(as_text=True)
    assert 'name="operator"' not in page
    response = client.post(f"/miejsca/{p['a'].id}/edycja", data={
        "kind": str(p["a"].kind_id), "name": "MAM Na Kozłówce", "address": "ul. Na Kozłówce 25",
        "district": "XI", "opening_hours": "pon.–pt. 10:00–20:00", "operator": f"o{world.org_b.id}",
        "version": str(p["a"].version)})
    assert response.status_code == 302
    db.session.expire_all()
    assert p["a"].opening_hours == "pon.–pt. 10:00–20:00" and p["a"].organisation_id == world.org_a.id
    assert "pon.–pt. 10:00–20:00" in client.get(f"/miejsca/{p['a'].id}").get_data(as_text=True)
    other = login(app.test_client(), world.user("ngo_b"))
    assert other.get(f"/miejsca/{p['a'].id}/edycja").status_code == 403


def test_admin_adds_a_kind_that_places_can_have(app, world):
    client = login(app.test_client(), world.user("admin"))
    assert client.post("/miejsca/rodzaje", data={"name": "Dom sąsiedzki"}).status_code == 302
    assert "Dom sąsiedzki" in client.get("/miejsca/nowe").get_data(as_text=True)


# --- booking a room ---------------------------------------------------------------------------------------

def _form(p, day, start="18:00", end="20:00", room=0, **extra):
    return {"room": str(p["a"].rooms[room].id), "day-day": str(day.day), "day-month": str(day.month),
            "day-year": str(day.year), "starts": start, "ends": end, "recurrence": "none",
            "title": "Klub planszówek", "responsible_name": "Ola Nowak", "responsible_contact": "ola@example.org",
            "audience": "12", "accessible": "y", **extra}


def test_a_request_less_than_three_working_days_ahead_is_refused_naming_the_last_day(app, world):
    p = places_of(world)
    client = login(app.test_client(), world.user("resident"))
    # on Friday 30 April 2027 a Wednesday 5 May event is too late: 29 April was the last day (1 and 3 May are
    # holidays, 2 May a Sunday); Thursday 6 May is the first day one may ask for
    with clock_at(datetime(2027, 4, 30, 9, tzinfo=WARSAW)):
        page = client.post(f"/miejsca/{p['a'].id}/rezerwacja", data=_form(p, date(2027, 5, 5))).get_data(as_text=True)
        assert "3 dni robocze" in page and "Błąd: " in page
        assert "29.04.2027" in page and "06.05.2027" in page
        assert client.post(f"/miejsca/{p['a'].id}/rezerwacja",
                           data=_form(p, date(2027, 5, 6))).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(BookingRequest)
                             .where(BookingRequest.title == "Klub planszówek")) == 1


def test_recurring_request_lists_its_dates_before_sending(app, world):
    p = places_of(world)
    client = login(app.test_client(), world.user("ngo_b"))
    first = p["day"] + timedelta(days=1)
    until = first + timedelta(weeks=3)
    data = _form(p, first, recurrence="weekly", **{"until-day": str(until.day), "until-month": str(until.month),
                                                   "until-year": str(until.year)})
    page = client.post(f"/miejsca/{p['a'].id}/rezerwacja", data={**data, "sprawdz": "1"}).get_data(as_text=True)
    assert page.count("–20:00</li>") == 4 and "Wszystkie terminy są wolne" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(BookingRequest)
                             .where(BookingRequest.title == "Klub planszówek")) == 0
    response = client.post(f"/miejsca/{p['a'].id}/rezerwacja", data=data)
    made = db.session.scalar(db.select(BookingRequest).where(BookingRequest.title == "Klub planszówek"))
    assert response.status_code == 302 and len(made.occurrences) == 4 and made.organisation_id == world.org_b.id
    week = login(app.test_client(), world.user("ngo_a")).get(f"/miejsca/{p['a'].id}/tydzien?od={first.isoformat()}")
    assert "co tydzień, terminów: 4" in week.get_data(as_text=True)


def test_a_colliding_slot_is_said_on_the_form_with_free_slots_nearby(app, world):
    p = places_of(world)  # "Las w słoiku", accepted: room 1, 10:00–12:00 on p["day"]
    client = login(app.test_client(), world.user("resident"))
    page = client.post(f"/miejsca/{p['a'].id}/rezerwacja",
                       data=_form(p, p["day"], "11:00", "12:00")).get_data(as_text=True)
    assert "jest zajęta" in page and "Wolne terminy w pobliżu" in page
    assert "12:00–13:00" in page  # an hour later is free
    # another room at the same time is free
    assert client.post(f"/miejsca/{p['a'].id}/rezerwacja",
                       data=_form(p, p["day"], "11:00", "12:00", room=1)).status_code == 302


def test_operator_asks_for_changes_requester_sends_again_operator_accepts_and_mail_goes_in_the_requesters_language(
        app, world):
    from consult.notifications.models import Notification

    p = places_of(world)
    waiting = p["waiting"]
    resident = world.user("resident")
    with transaction():
        db.session.get(type(resident), resident.id).locale = "uk"
    operator = login(app.test_client(), world.user("ngo_a"))
    assert "Kawiarenka naprawcza" in operator.get(f"/miejsca/{p['a'].id}/tydzien").get_data(as_text=True)
    operator.post(f"/miejsca/wnioski/{waiting.id}/zmiany", data={"note": "Proszę o godzinę 18:00."})
    db.session.expire_all()
    assert waiting.state == "changes_requested"
    requester = login(app.test_client(), resident)
    assert "Proszę o godzinę 18:00." in requester.get(f"/miejsca/wnioski/{waiting.id}/poprawa").get_data(as_text=True)
    response = requester.post(f"/miejsca/wnioski/{waiting.id}/poprawa",
                              data={**_form(p, p["day"], "18:00", "20:00"), "version": str(waiting.version),
                                    "title": "Kawiarenka naprawcza"})
    assert response.status_code == 302
    db.session.expire_all()
    assert waiting.state == "sent" and waiting.local_start.hour == 18
    operator.post(f"/miejsca/wnioski/{waiting.id}/przyjecie")
    db.session.expire_all()
    assert waiting.state == "accepted" and all(o.accepted for o in waiting.occurrences)
    notes = db.session.scalars(db.select(Notification).where(Notification.recipient_id == resident.id,
                                                             Notification.link == f"/miejsca/wnioski/{waiting.id}")
                               .order_by(Notification.id)).all()
    assert [n.kind for n in notes] == ["booking_changes_requested", "booking_accepted"]
    assert "Kawiarenka naprawcza" in notes[1].body and "Підтвердження" in notes[1].subject


def test_refusal_needs_a_reason(app, world):
    p = places_of(world)
    operator = login(app.test_client(), world.user("coordinator"))
    page = operator.post(f"/miejsca/wnioski/{p['waiting'].id}/odmowa", data={"note": " "}).get_data(as_text=True)
    assert "Podaj powód odmowy." in page
    operator.post(f"/miejsca/wnioski/{p['waiting'].id}/odmowa", data={"note": "Remont sali."})
    db.session.expire_all()
    assert p["waiting"].state == "refused" and p["waiting"].decision_note == "Remont sali."


def test_two_overlapping_requests_cannot_both_be_accepted(app, world):
    from consult.places.operations import RequestDetails, accept_booking_request, send_booking_request

    p = places_of(world)
    with transaction():
        other = send_booking_request(world.user("ngo_b"), p["a"], RequestDetails(
            room=p["a"].rooms[0], day=p["day"], starts=time(18), ends=time(20), title="Koncert",
            responsible_name="X", responsible_contact="x@example.org"))
        accept_booking_request(SYSTEM, other)
    with pytest.raises(Refused, match="jest już zajęta"), transaction():
        accept_booking_request(SYSTEM, db.session.get(BookingRequest, p["waiting"].id))
    assert db.session.get(BookingRequest, p["waiting"].id).state == "sent"


# --- calendars and reminders ---------------------------------------------------------------------------

def test_public_calendar_and_ical_feed_show_events_without_personal_data(app, world, client):
    from icalendar import Calendar

    p = places_of(world)
    page = client.get(f"/miejsca/{p['a'].id}/kalendarz?od={p['day'].isoformat()}").get_data(as_text=True)
    assert "Las w słoiku" in page and "Kawiarenka naprawcza" not in page  # only accepted events
    assert "Jan Mieszkaniec" not in page and "jan@example.org" not in page
    for url in (f"/miejsca/{p['a'].id}/kalendarz.ics", f"/miejsca/sale/{p['a'].rooms[0].id}/kalendarz.ics"):
        response = client.get(url)
        assert response.mimetype == "text/calendar"
        events = Calendar.from_ical(response.data).walk("VEVENT")
        assert [str(e["summary"]) for e in events] == ["Las w słoiku"]
        start = events[0].decoded("dtstart")
        assert start.astimezone(WARSAW).hour == 10 and start.astimezone(WARSAW).date() == p["day"]
        assert "Jan" not in response.get_data(as_text=True)
    other_room = Calendar.from_ical(client.get(f"/miejsca/sale/{p['a'].rooms[1].id}/kalendarz.ics").data)
    assert other_room.walk("VEVENT") == []


def test_reminder_the_day_before_once(app, world):
    from consult.notifications.models import Notification
    from consult.notifications.operations import send_reminders

    p = places_of(world)
    day_before = datetime.combine(p["day"] - timedelta(days=1), time(9), tzinfo=WARSAW)
    with transaction():
        assert [n.kind for n in send_reminders(day_before) if n.kind == "booking_reminder"] == ["booking_reminder"]
    with transaction():
        assert [n for n in send_reminders(day_before) if n.kind == "booking_reminder"] == []
    note = db.session.scalar(db.select(Notification).where(Notification.kind == "booking_reminder"))
    assert note.recipient_id == world.user("resident").id and "Las w słoiku" in note.body and "10:00" in note.body


def test_resident_signs_up_confirms_the_address_and_then_books(app, client, world):
    from consult.notifications.models import Notification
    from tests.test_signup import confirmation_link

    p = places_of(world)
    response = client.post("/miejsca/konto-mieszkanca", data={"name": "Anna Sąsiadka", "email": "anna@example.org",
                                                              "password": "dlugie-haslo-1"})
    assert response.status_code == 302
    # Not confirmed yet: the form says so and offers the link again; sending is refused and nothing is written.
    page = client.get(f"/miejsca/{p['a'].id}/rezerwacja").get_data(as_text=True)
    assert "Potwierdź adres e-mail" in page and "anna@example.org" in page and "Wyślij link jeszcze raz" in page
    refused = client.post(f"/miejsca/{p['a'].id}/rezerwacja", data=_form(p, p["day"], room=2))
    assert refused.status_code == 200 and "Najpierw potwierdź swój adres e-mail" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(BookingRequest)
                             .where(BookingRequest.title == "Klub planszówek")) == 0

    def links():
        db.session.expire_all()
        return db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
            Notification.kind == "email_confirmation", Notification.address == "anna@example.org"))

    assert links() == 1
    again = client.post(f"/miejsca/{p['a'].id}/rezerwacja/ponow-link", follow_redirects=True)
    assert "Wysłaliśmy link jeszcze raz" in again.get_data(as_text=True) and links() == 2
    # The link confirms the address once; then the same form sends the request.
    link = confirmation_link("anna@example.org")
    assert "wnioski o sale" in client.get(link).get_data(as_text=True)
    assert client.get(link).status_code == 404
    assert "Potwierdź adres e-mail" not in client.get(f"/miejsca/{p['a'].id}/rezerwacja").get_data(as_text=True)
    assert client.post(f"/miejsca/{p['a'].id}/rezerwacja", data=_form(p, p["day"], room=2)).status_code == 302
    assert "Klub planszówek" in client.get("/miejsca/moje-wnioski").get_data(as_text=True)


def test_api_lists_places_as_documented_without_personal_data(app, world, client):
    import json

    from tests.test_api import assert_matches

    p = places_of(world)
    page = client.get("/api/v1/places?district=XI").get_json()
    assert_matches(page, "PlacePage")
    assert [item["name"] for item in page["items"]] == ["MAM Na Kozłówce"]
    one = client.get(f"/api/v1/places/{p['y'].id}").get_json()
    assert_matches(one, "Place")
    assert one["operator"] == {"type": "unit", "id": world.unit_y.id, "name": world.unit_y.name}
    mam = client.get(f"/api/v1/places/{p['a'].id}").get_json()
    assert [r["name"] for r in mam["rooms"]] == ["Sala 1", "Sala 2", "Sala 3", "Hall główny"]
    assert client.get(mam["rooms"][0]["ical_url"]).mimetype == "text/calendar"
    text = json.dumps(mam, ensure_ascii=False)
    assert "Jan Mieszkaniec" not in text and "jan@example.org" not in text
    assert client.get("/api/v1/places?district=XX").status_code == 400
    assert client.get("/api/v1/places/999999").status_code == 404


def test_demo_registers_the_places_the_seeds_name(app, client):
    from consult.core.models import AuditEvent
    from consult.demo.places import PLACES, seed_places

    seed_places(None)
    page = client.get("/miejsca?q=PAL").get_data(as_text=True)
    for name in ("PAL Na Skarpie", "PAL Zesławice i Kantorowice", "PAL Mistrzejowice", "PAL Wróżenice"):
        assert name in page
    mam = client.get("/api/v1/places?district=XI").get_json()["items"][0]
    assert mam["name"] == "MAM Na Kozłówce" and mam["operator"]["name"] == "Fundacja Biuro Inicjatyw Społecznych"
    assert [r["name"] for r in mam["rooms"]] == ["Sala 1", "Sala 2", "Sala 3", "Hall główny"]
    assert client.get("/api/v1/places").get_json()["total"] == len(PLACES)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.subject_type == "place", AuditEvent.action == "create")) == len(PLACES)
