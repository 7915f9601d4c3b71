"""Gaps of issue 15 closed: an operator describes and withdraws rooms; a requester cancels before the event only,
and the operator hears of it; the operator's week and the public calendar are week grids one can walk through;
the day-before reminder reaches the requester once, in their language."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.core.types import WARSAW, clock_at
from consult.extensions import db
from consult.places.models import BookingRequest, Room
from tests.conftest import login
from tests.places_support import places_of


def _form(room, day, start="18:00", end="20:00"):
    return {"room": str(room.id), "day-day": str(day.day), "day-month": str(day.month), "day-year": str(day.year),
            "starts": start, "ends": end, "recurrence": "none", "title": "Klub planszówek",
            "responsible_name": "Ola Nowak", "responsible_contact": "ola@example.org", "audience": "12"}


# --- rooms -------------------------------------------------------------------------------------------------

def test_operator_describes_a_room_and_the_public_page_shows_it(app, world, client):
    p = places_of(world)
    room = p["a"].rooms[1]
    operator = login(app.test_client(), world.user("ngo_a"))
    form = operator.get(f"/miejsca/sale/{room.id}/edycja").get_data(as_text=True)
    assert "Sala 2" in form
    refused = operator.post(f"/miejsca/sale/{room.id}/edycja", data={
        "room_name": "Sala 1", "capacity": "30", "version": str(room.version)}).get_data(as_text=True)
    assert "Błąd: " in refused and "Sala „Sala 1” już jest w tym miejscu." in refused
    response = operator.post(f"/miejsca/sale/{room.id}/edycja", data={
        "room_name": "Sala warsztatowa", "capacity": "30", "equipment": "rzutnik, 30 krzeseł",
        "accessibility": "wejście bez schodów", "version": str(room.version)})
    assert response.status_code == 302
    page = client.get(f"/miejsca/{p['a'].id}").get_data(as_text=True)
    assert "Sala warsztatowa" in page and "rzutnik, 30 krzeseł" in page and "wejście bez schodów" in page
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.subject_type == "room",
                                                         AuditEvent.action == "edit")) is not None
    # another organisation's member may not
    other = login(app.test_client(), world.user("ngo_b"))
    assert other.get(f"/miejsca/sale/{room.id}/edycja").status_code == 403


def test_a_room_with_bookings_to_come_is_not_withdrawn_and_says_which(app, world):
    p = places_of(world)  # room 1 has "Las w słoiku" accepted and "Kawiarenka naprawcza" waiting
    busy, free = p["a"].rooms[0], p["a"].rooms[2]
    operator = login(app.test_client(), world.user("ngo_a"))
    page = operator.post(f"/miejsca/sale/{busy.id}/wycofanie", follow_redirects=True).get_data(as_text=True)
    assert "Nie można wycofać sali „Sala 1”" in page and "Las w słoiku" in page and "Kawiarenka naprawcza" in page
    db.session.expire_all()
    assert db.session.get(Room, busy.id).active
    page = operator.post(f"/miejsca/sale/{free.id}/wycofanie", follow_redirects=True).get_data(as_text=True)
    assert "Wycofano salę z rezerwacji" in page and "wycofana z rezerwacji" in page
    db.session.expire_all()
    assert not db.session.get(Room, free.id).active
    # a withdrawn room is not on the booking form, and a request naming it is refused
    resident = login(app.test_client(), world.user("resident"))
    form = resident.get(f"/miejsca/{p['a'].id}/rezerwacja").get_data(as_text=True)
    assert f'value="{free.id}"' not in form and f'value="{busy.id}"' in form
    refused = resident.post(f"/miejsca/{p['a'].id}/rezerwacja", data=_form(free, p["day"])).get_data(as_text=True)
    assert "Wybierz salę z listy." in refused
    # brought back, it can be booked again
    operator.post(f"/miejsca/sale/{free.id}/przywrocenie")
    assert resident.post(f"/miejsca/{p['a'].id}/rezerwacja", data=_form(free, p["day"])).status_code == 302


# --- withdrawing and cancelling ---------------------------------------------------------------------------

def test_requester_cancels_an_accepted_booking_before_it_starts_and_the_operator_is_told(app, world):
    from consult.notifications.models import Notification

    p = places_of(world)
    accepted = p["accepted"]
    requester = login(app.test_client(), world.user("resident"))
    page = requester.get(f"/miejsca/wnioski/{accepted.id}").get_data(as_text=True)
    assert "Odwołaj rezerwację" in page
    page = requester.post(f"/miejsca/wnioski/{accepted.id}/wycofanie", follow_redirects=True).get_data(as_text=True)
    assert "Odwołano rezerwację" in page
    db.session.expire_all()
    accepted = db.session.get(BookingRequest, accepted.id)
    assert accepted.state == "withdrawn" and not any(o.accepted for o in accepted.occurrences)
    assert db.session.scalar(db.select(AuditEvent.action).where(
        AuditEvent.subject_type == "booking_request", AuditEvent.subject_id == accepted.id)
        .order_by(AuditEvent.id.desc()).limit(1)) == "cancel"
    notes = db.session.scalars(db.select(Notification).where(Notification.kind == "booking_cancelled")).all()
    assert {n.recipient_id for n in notes} == {world.user("ngo_a").id}
    assert "Las w słoiku" in notes[0].body and "10:00" in notes[0].body
    # the room is free again: the public calendar no longer shows it
    assert "Las w słoiku" not in app.test_client().get(
        f"/miejsca/{p['a'].id}/kalendarz?od={p['day'].isoformat()}").get_data(as_text=True)


def test_after_the_start_neither_withdrawing_nor_cancelling_is_possible(app, world):
    from consult.notifications.models import Notification

    p = places_of(world)
    accepted, waiting = p["accepted"], p["waiting"]
    during = datetime.combine(p["day"], time(11), tzinfo=WARSAW)  # "Las w słoiku" runs 10:00–12:00
    requester = login(app.test_client(), world.user("resident"))
    with clock_at(during):
        page = requester.get(f"/miejsca/wnioski/{accepted.id}").get_data(as_text=True)
        assert "Odwołaj rezerwację" not in page and "Wydarzenie już się zaczęło" in page
        page = requester.post(f"/miejsca/wnioski/{accepted.id}/wycofanie",
                              follow_redirects=True).get_data(as_text=True)
        assert "po rozpoczęciu nie można już wycofać wniosku ani odwołać rezerwacji" in page
        with_waiting = requester.post(f"/miejsca/wnioski/{waiting.id}/wycofanie", follow_redirects=True)
        assert "po rozpoczęciu" not in with_waiting.get_data(as_text=True)  # 17:00 has not come yet
    db.session.expire_all()
    assert db.session.get(BookingRequest, accepted.id).state == "accepted"
    assert db.session.get(BookingRequest, waiting.id).state == "withdrawn"
    # a request withdrawn before any decision frees nothing the operator counted on: no e-mail
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.kind == "booking_cancelled")) == 0


# --- reminders --------------------------------------------------------------------------------------------

def test_the_reminder_goes_the_day_before_once_in_the_requesters_language(app, world):
    from consult.notifications.models import Notification
    from consult.notifications.operations import send_reminders

    p = places_of(world)
    resident = world.user("resident")
    with transaction():
        db.session.get(type(resident), resident.id).locale = "en"
    two_days_before = datetime.combine(p["day"] - timedelta(days=2), time(9), tzinfo=WARSAW)
    day_before = datetime.combine(p["day"] - timedelta(days=1), time(20), tzinfo=WARSAW)
    with transaction():
        assert [n for n in send_reminders(two_days_before) if n.kind == "booking_reminder"] == []
    for _ in range(2):
        with transaction():
            send_reminders(day_before)
    notes = db.session.scalars(db.select(Notification).where(Notification.kind == "booking_reminder")).all()
    assert len(notes) == 1 and notes[0].recipient_id == resident.id and notes[0].locale == "en"
    assert notes[0].subject.startswith("Tomorrow") and "Las w słoiku" in notes[0].body
    # a cancelled booking is not reminded of
    with transaction():
        from consult.places.operations import withdraw_booking_request

        withdraw_booking_request(db.session.get(type(resident), resident.id),
                                 db.session.get(BookingRequest, p["accepted"].id))
        db.session.execute(db.delete(Notification).where(Notification.kind == "booking_reminder"))
    with transaction():
        assert [n for n in send_reminders(day_before) if n.kind == "booking_reminder"] == []


# --- the week grids -----------------------------------------------------------------------------------------

def _grid(html: str):
    """The week table as the rows a screen reader reads: the column headers, then each hour's row."""
    from html.parser import HTMLParser

    class Table(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.caption, self._in, self._cell, self._row = [], "", None, None, None

        def handle_starttag(self, tag, attrs):
            if tag == "table" and ("class", "week-grid") in attrs:
                self._in = True
            elif self._in and tag == "caption":
                self._cell = []
            elif self._in and tag == "tr":
                self._row = []
            elif self._in and tag in ("th", "td"):
                self._cell = []

        def handle_endtag(self, tag):
            if tag == "table":
                self._in = False
            elif self._in and tag == "caption":
                self.caption, self._cell = " ".join("".join(self._cell).split()), None
            elif self._in and tag in ("th", "td") and self._row is not None:
                self._row.append(" ".join("".join(self._cell).split()))
                self._cell = None
            elif self._in and tag == "tr":
                self.rows.append(self._row)
                self._row = None

        def handle_data(self, data):
            if self._cell is not None:
                self._cell.append(data)

    table = Table()
    table.feed(html)
    return table


def test_operators_week_is_a_grid_of_days_and_hours_walked_week_by_week(app, world):
    p = places_of(world)  # on p["day"], a Wednesday: "Las w słoiku" accepted 10–12, "Kawiarenka naprawcza" 17–19
    operator = login(app.test_client(), world.user("ngo_a"))
    monday = p["day"] - timedelta(days=p["day"].weekday())
    html = operator.get(f"/miejsca/{p['a'].id}/tydzien?od={p['day'].isoformat()}").get_data(as_text=True)
    table = _grid(html)
    header = table.rows[0]
    assert header[0] == "Godzina" and len(header) == 8
    assert header[1].startswith("poniedziałek") and monday.strftime("%d.%m.%Y") in header[1]
    assert header[3].startswith("środa") and p["day"].strftime("%d.%m.%Y") in header[3]
    by_hour = {row[0]: row[1:] for row in table.rows[1:]}
    assert "Las w słoiku" in by_hour["10:00"][2] and "przyjęty" in by_hour["10:00"][2]
    assert "10:00–12:00" in by_hour["10:00"][2] and "Sala 1" in by_hour["10:00"][2]
    assert "Kawiarenka naprawcza" in by_hour["17:00"][2] and "czeka na decyzję" in by_hour["17:00"][2]
    assert by_hour["10:00"][1] == ""  # Tuesday
    assert table.caption == f"Rezerwacje i wnioski od {monday:%d.%m.%Y} do {monday + timedelta(days=6):%d.%m.%Y}"
    # the links to the next and previous weeks lead to a week seven days on, where nothing is planned
    following = (monday + timedelta(days=7)).isoformat()
    assert f'rel="next" href="/miejsca/{p["a"].id}/tydzien?od={following}"' in html
    later = operator.get(f"/miejsca/{p['a'].id}/tydzien?od={following}").get_data(as_text=True)
    assert "Las w słoiku" not in later and "W tym tygodniu nic nie zaplanowano." in later
    assert f'rel="prev" href="/miejsca/{p["a"].id}/tydzien?od={monday.isoformat()}"' in later
    # from a waiting request, the operator reaches the week it falls in
    request_page = operator.get(f"/miejsca/wnioski/{p['waiting'].id}").get_data(as_text=True)
    assert f'/miejsca/{p["a"].id}/tydzien?od={p["day"].isoformat()}' in request_page


def test_public_calendar_is_a_week_grid_of_accepted_events_without_people(app, world, client):
    p = places_of(world)
    html = client.get(f"/miejsca/{p['a'].id}/kalendarz?od={p['day'].isoformat()}").get_data(as_text=True)
    by_hour = {row[0]: row[1:] for row in _grid(html).rows[1:]}
    wednesday = p["day"].weekday()
    assert "Las w słoiku" in by_hour["10:00"][wednesday] and "Sala 1" in by_hour["10:00"][wednesday]
    assert "Kawiarenka naprawcza" not in html and "Jan Mieszkaniec" not in html and "jan@example.org" not in html
    assert "Poprzedni tydzień" in html and "Następny tydzień" in html and "Bieżący tydzień" in html
