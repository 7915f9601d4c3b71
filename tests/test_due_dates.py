"""Due dates of positions: assigning or forwarding a postulate gives the unit a date its position is due (the
programme's default or the coordinator's choice); the unit sees it, past it in words; a coordinator may set
another; coordinators read what is overdue per unit; the unit's staff are reminded once before it; and the
consultation report counts the positions recorded late.

The clock is moved as the reminder tests of test_mail move it: the operations' `utcnow` is patched, so an
assignment made "20 days ago" has its due date in the past when its position is recorded now.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from consult.auth.models import User
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.extensions import db
from consult.notifications.models import Notification
from consult.postulates import deadlines
from consult.postulates.models import Assignment, Postulate
from tests.conftest import login


def _html(response) -> str:
    return response.get_data(as_text=True)


def _day(value) -> str:
    return value.strftime("%d.%m.%Y")  # how the Polish pages write a date


def _parts(value) -> dict:
    return {"due_on-day": str(value.day), "due_on-month": str(value.month), "due_on-year": str(value.year)}


def _assignments(postulate_id: int) -> list[Assignment]:
    db.session.expire_all()
    return db.session.scalars(db.select(Assignment).where(Assignment.postulate_id == postulate_id)
                              .order_by(Assignment.id)).all()


def _filled(html: str, part: str) -> str:
    return re.search(rf'name="due_on-{part}"[^>]*value="(\d*)"', html).group(1)


@pytest.fixture
def days_ago(monkeypatch):
    """Run the postulate operations (assignments) as if it were `n` days ago; `days_ago(0)` is now again."""
    def move(n: int) -> None:
        monkeypatch.setattr("consult.postulates.operations.utcnow", lambda: utcnow() - timedelta(days=n))
    return move


def _assign(postulate, unit, **kwargs):
    from consult.postulates.operations import assign_postulate

    with transaction():
        assign_postulate(SYSTEM, db.session.get(Postulate, postulate.id), unit, **kwargs)


def _new_postulate(world, text: str, programme=None):
    from consult.postulates.operations import create_postulate

    with transaction():
        return create_postulate(world.user("ngo_a"), programme or world.programme, content=text, submit=True)


# --- assigning, forwarding, changing ----------------------------------------------------------------------

def test_assigning_sets_the_due_date_from_the_programmes_default(client, world):
    from consult.core.forms import warsaw_parts

    postulate = world.p["a_submitted"]
    login(client, world.user("coordinator"))
    default = deadlines.today() + timedelta(days=14)
    form = _html(client.get(f"/postulaty/{postulate.id}/przypisz"))
    assert "Termin stanowiska" in form and _day(default) in form  # the hint says what the programme gives
    assert (_filled(form, "day"), _filled(form, "month"), _filled(form, "year")) == (
        str(default.day), str(default.month), str(default.year))

    assert client.post(f"/postulaty/{postulate.id}/przypisz", data={"unit": world.unit_x.id}).status_code == 302
    [assignment] = _assignments(postulate.id)
    assert (assignment.unit_id, assignment.due_on, assignment.how, assignment.ended_at) == (
        world.unit_x.id, default, "assign", None)
    page = _html(client.get(f"/postulaty/{postulate.id}"))
    assert re.search(rf"<dt>Termin stanowiska</dt><dd>{re.escape(_day(default))}\s*</dd>", page)
    assert f"termin stanowiska: {_day(default)}" in page  # the audit trail says it too
    # the unit is told the date with the postulate
    [note] = db.session.scalars(db.select(Notification).where(
        Notification.kind == "postulate_assigned", Notification.related_id == postulate.id)).all()
    assert f"Termin stanowiska: {_day(default)} (do końca dnia)." in note.body

    # the programme's default is changeable: 21 days from now on
    programme = world.programme
    opens_day, opens_at = warsaw_parts(programme.consultation_opens)
    closes_day, closes_at = warsaw_parts(programme.consultation_closes)
    data = {"year": str(programme.year), "title": programme.title, "opens_time": opens_at.strftime("%H:%M"),
            "closes_time": closes_at.strftime("%H:%M"), "position_days": "21",
            **{f"opens_date-{k}": str(getattr(opens_day, k)) for k in ("day", "month", "year")},
            **{f"closes_date-{k}": str(getattr(closes_day, k)) for k in ("day", "month", "year")}}
    edit = client.get(f"/koordynacja/programy/{programme.id}/edycja")
    assert 'name="position_days"' in _html(edit) and 'value="14"' in _html(edit)
    assert client.post(f"/koordynacja/programy/{programme.id}/edycja", data=data).status_code == 302
    assert "21 dni od przypisania postulatu" in _html(client.get(f"/koordynacja/programy/{programme.id}"))
    other = world.p["b_submitted"]
    assert client.post(f"/postulaty/{other.id}/przypisz", data={"unit": world.unit_y.id}).status_code == 302
    assert _assignments(other.id)[0].due_on == deadlines.today() + timedelta(days=21)
    assert _assignments(postulate.id)[0].due_on == default  # a due date already set stays


def test_a_programmes_days_for_a_position_are_checked(client, world):
    login(client, world.user("coordinator"))
    base = {"year": "2031", "title": "Program Współpracy na rok 2031", "opens_time": "08:00", "closes_time": "16:00",
            "opens_date-day": "1", "opens_date-month": "9", "opens_date-year": "2030",
            "closes_date-day": "30", "closes_date-month": "9", "closes_date-year": "2030"}
    for value, message in (("0", "Termin na stanowisko komórki: podaj liczbę dni od 1 do 365."),
                           ("dwa tygodnie", "Termin na stanowisko komórki (liczba dni): wpisz liczbę cyframi")):
        page = _html(client.post("/koordynacja/programy/nowy", data={**base, "position_days": value}))
        assert "<title>Błąd: " in page and message in page and 'href="#position_days"' in page
    from consult.programmes.models import Programme

    assert db.session.scalar(db.select(Programme).where(Programme.year == 2031)) is None
    assert client.post("/koordynacja/programy/nowy", data={**base, "position_days": "10"}).status_code == 302
    assert db.session.scalar(db.select(Programme).where(Programme.year == 2031)).position_days == 10
    # left empty (as every form before this field did), the programme gets the default
    assert client.post("/koordynacja/programy/nowy", data={**base, "year": "2032"}).status_code == 302
    assert db.session.scalar(db.select(Programme).where(Programme.year == 2032)).position_days == 14


def test_the_coordinator_picks_another_due_date_and_forwarding_sets_a_new_one(client, world):
    postulate = world.p["a_submitted"]
    login(client, world.user("coordinator"))
    chosen = deadlines.today() + timedelta(days=5)
    response = client.post(f"/postulaty/{postulate.id}/przypisz", data={"unit": world.unit_x.id, **_parts(chosen)})
    assert response.status_code == 302
    assert _assignments(postulate.id)[0].due_on == chosen

    # forwarded with the form left as it came (its date is the programme's default again): a new due date
    form = _html(client.get(f"/postulaty/{postulate.id}/przekaz"))
    default = deadlines.today() + timedelta(days=14)
    assert _filled(form, "day") == str(default.day)
    response = client.post(f"/postulaty/{postulate.id}/przekaz",
                           data={"unit": world.unit_y.id, "note": "Właściwa jest komórka Y.", **_parts(default)})
    assert response.status_code == 302
    first, second = _assignments(postulate.id)
    assert first.ended_at is not None and (first.unit_id, first.due_on) == (world.unit_x.id, chosen)
    assert (second.unit_id, second.due_on, second.how, second.ended_at) == (world.unit_y.id, default, "forward", None)
    page = _html(client.get(f"/postulaty/{postulate.id}"))
    assert f"termin stanowiska: {_day(chosen)}" in page and f"termin stanowiska: {_day(default)}" in page

    # unit Y sees the date in its queue; unit X no longer has the postulate
    queue_y = _html(login(client.application.test_client(), world.user("unit_y")).get("/kolejka"))
    assert postulate.reference in queue_y and _day(default) in queue_y
    queue_x = _html(login(client.application.test_client(), world.user("unit_x")).get("/kolejka"))
    assert postulate.reference not in queue_x


@pytest.mark.parametrize("case, message", [
    ("yesterday", "Termin stanowiska nie może przypadać w przeszłości."),
    ("next_year", "Termin stanowiska może przypadać najwyżej 365 dni od dziś."),
    ("31_february", "Termin stanowiska: data musi być prawdziwą datą – ten miesiąc nie ma dnia 31."),
])
def test_a_wrong_due_date_is_refused_beside_the_field_and_nothing_changes(client, world, case, message):
    postulate = world.p["a_submitted"]
    login(client, world.user("coordinator"))
    today = deadlines.today()
    dates = {"yesterday": _parts(today - timedelta(days=1)), "next_year": _parts(today + timedelta(days=366)),
             "31_february": {"due_on-day": "31", "due_on-month": "2", "due_on-year": str(today.year + 1)}}
    response = client.post(f"/postulaty/{postulate.id}/przypisz", data={"unit": world.unit_x.id, **dates[case]})
    page = _html(response)
    assert response.status_code == 200 and "<title>Błąd: " in page and "Wystąpił problem" in page
    assert message in page and 'href="#due_on"' in page
    assert _filled(page, "day") == dates[case]["due_on-day"]  # what was typed stays in the form
    db.session.expire_all()
    assert db.session.get(Postulate, postulate.id).state == "submitted" and _assignments(postulate.id) == []


def test_a_coordinator_sets_a_new_due_date_while_the_position_is_awaited(client, world):
    postulate = world.p["a_assigned_x"]
    login(client, world.user("coordinator"))
    [before] = _assignments(postulate.id)
    assert f'href="/postulaty/{postulate.id}/termin">Zmień termin stanowiska' in _html(
        client.get(f"/postulaty/{postulate.id}"))
    form = _html(client.get(f"/postulaty/{postulate.id}/termin"))
    assert _filled(form, "day") == str(before.due_on.day)
    later = before.due_on + timedelta(days=7)
    assert client.post(f"/postulaty/{postulate.id}/termin", data=_parts(later)).status_code == 302
    old, new = _assignments(postulate.id)
    assert old.ended_at is not None and (new.due_on, new.unit_id, new.how) == (later, world.unit_x.id, "due_date")
    page = _html(client.get(f"/postulaty/{postulate.id}"))
    assert "zmiana terminu stanowiska" in page
    assert f"poprzedni termin: {_day(before.due_on)}" in page and f"termin stanowiska: {_day(later)}" in page

    again = _html(client.post(f"/postulaty/{postulate.id}/termin", data=_parts(later)))
    assert "<title>Błąd: " in again and "Stanowisko jest już należne w tym dniu." in again
    assert len(_assignments(postulate.id)) == 2

    # once answered, the due date is history: no new one
    answered = world.p["a_answered_x"]
    assert "Zmień termin stanowiska" not in _html(client.get(f"/postulaty/{answered.id}"))
    refused = _html(client.post(f"/postulaty/{answered.id}/termin",
                                data=_parts(deadlines.today() - timedelta(days=1))))
    assert "Tej czynności nie można wykonać" in refused and "<title>Błąd: " in refused
    assert "w przeszłości" not in refused  # no word about a date the page does not ask for
    assert len(_assignments(answered.id)) == 1


# --- what is overdue ---------------------------------------------------------------------------------------

def _overdue_world(world, days_ago):
    """unit X: a_submitted due 6 days ago, `old` due 16 days ago, `answered` answered after its due date, `today`
    due today; unit Y: b_submitted due 2 days ago, and `elsewhere` (another programme) due 6 days ago."""
    from consult.postulates.operations import save_position
    from consult.programmes.operations import create_programme

    now = utcnow()
    with transaction():
        other = create_programme(SYSTEM, year=2029, title="Program Współpracy na rok 2029",
                                 consultation_opens=now - timedelta(days=1), consultation_closes=now + timedelta(days=9))
    p = {"old": _new_postulate(world, "Dawno przypisany X"), "answered": _new_postulate(world, "Odpowiedziany X"),
         "today": _new_postulate(world, "Termin dziś X"), "elsewhere": _new_postulate(world, "Inny program Y", other)}
    for key, unit, n in (("a_submitted", world.unit_x, 20), ("b_submitted", world.unit_y, 16)):
        days_ago(n)
        _assign(world.p[key], unit)
    for key, unit, n in (("old", world.unit_x, 30), ("answered", world.unit_x, 20), ("today", world.unit_x, 14),
                         ("elsewhere", world.unit_y, 20)):
        days_ago(n)
        _assign(p[key], unit)
    days_ago(0)
    with transaction():
        save_position(world.user("unit_x"), db.session.get(Postulate, p["answered"].id), category="accepted",
                      text="Przyjmujemy, choć po terminie.")
    return other, p


def _unit_section(page: str, unit) -> str:
    start = page.index(f'<h3 id="unit-{unit.id}">')
    end = page.find("<h3 ", start + 1)
    return page[start:end if end > 0 else len(page)]


def test_coordinators_read_what_is_overdue_per_unit(app, world, days_ago, monkeypatch):
    _other, p = _overdue_world(world, days_ago)
    ref = {k: db.session.get(Postulate, v.id).reference for k, v in {**world.p, **p}.items()}
    client = login(app.test_client(), world.user("coordinator"))
    page = _html(client.get("/koordynacja/po-terminie"))
    counts = dict(re.findall(r'komorka=\d+"[^>]*>([^<]+)</a></th>\s*<td>(\d+)</td>', page))
    assert counts == {world.unit_x.name: "2", world.unit_y.name: "2"}
    x, y = _unit_section(page, world.unit_x), _unit_section(page, world.unit_y)
    assert "(po terminie: 2)" in x and "(po terminie: 2)" in y
    # the longest overdue first, with the days past the date in words
    assert x.index(ref["old"]) < x.index(ref["a_submitted"])
    assert "po terminie (16 dni)" in x and "po terminie (6 dni)" in x
    assert ref["b_submitted"] in y and ref["elsewhere"] in y and "po terminie (2 dni)" in y
    for key in ("answered", "today", "a_assigned_x", "a_answered_x"):
        assert ref[key] not in page, key
    assert f'href="/postulaty/{p["old"].id}"' in x  # each row leads to the postulate

    # by programme, and by unit
    mine = _html(client.get(f"/koordynacja/po-terminie?program={world.programme.id}"))
    counts = dict(re.findall(r'komorka=\d+"[^>]*>([^<]+)</a></th>\s*<td>(\d+)</td>', mine))
    assert counts == {world.unit_x.name: "2", world.unit_y.name: "1"} and ref["elsewhere"] not in mine
    only_y = _html(client.get(f"/koordynacja/po-terminie?komorka={world.unit_y.id}"))
    assert ref["b_submitted"] in only_y and ref["old"] not in only_y and ref["a_submitted"] not in only_y
    none = _html(client.get(f"/koordynacja/po-terminie?program={world.closed_programme.id}"))
    assert "W tym programie żaden postulat nie czeka na stanowisko po terminie." in none

    # paged like the other lists: the unit's heading keeps its whole count on the next page
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    first = _html(client.get("/koordynacja/po-terminie"))
    second = _html(client.get("/koordynacja/po-terminie?strona=2"))
    assert "Wyniki 1–3 z 4" in first and "Wyniki 4–4 z 4" in second
    # units by name (Dialogu before Polityki), each unit's longest overdue first
    assert world.unit_y.name < world.unit_x.name
    assert [r for r in (ref["elsewhere"], ref["b_submitted"], ref["old"], ref["a_submitted"]) if r in first] == [
        ref["elsewhere"], ref["b_submitted"], ref["old"]]
    assert ref["a_submitted"] in second and "(po terminie: 2)" in _unit_section(second, world.unit_x)

    # nobody else reads it
    for role in ("unit_x", "ngo_a", "admin"):
        assert login(app.test_client(), world.user(role)).get("/koordynacja/po-terminie").status_code == 403
    assert 'href="/koordynacja/po-terminie"' in _html(client.get("/koordynacja"))


def test_the_unit_sees_its_due_dates_and_what_is_overdue_in_words(app, world, days_ago):
    days_ago(20)
    _assign(world.p["a_submitted"], world.unit_x)
    days_ago(0)
    staff = login(app.test_client(), world.user("unit_x"))
    queue = _html(staff.get("/kolejka"))
    due = deadlines.today() - timedelta(days=6)
    row = re.search(rf'{re.escape(db.session.get(Postulate, world.p["a_submitted"].id).reference)}.*?</tr>', queue,
                    re.DOTALL).group(0)
    assert _day(due) in row and "po terminie (6 dni)" in row
    on_time = re.search(rf'{re.escape(world.p["a_assigned_x"].reference)}.*?</tr>', queue, re.DOTALL).group(0)
    assert _day(deadlines.today() + timedelta(days=14)) in on_time and "po terminie" not in on_time
    page = _html(staff.get(f"/postulaty/{world.p['a_submitted'].id}"))
    assert "Termin stanowiska" in page and "po terminie (6 dni)" in page
    # the NGO that filed it is not shown the unit's internal due date
    ngo = _html(login(app.test_client(), world.user("ngo_a")).get(f"/postulaty/{world.p['a_submitted'].id}"))
    assert "Termin stanowiska" not in ngo


# --- reminders ---------------------------------------------------------------------------------------------

def _run_reminders(app, monkeypatch, *, days_from_now: float) -> str:
    monkeypatch.setattr("consult.notifications.operations.utcnow",
                        lambda: utcnow() + timedelta(days=days_from_now))
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def _due_notes(user) -> list[Notification]:
    db.session.rollback()
    return db.session.scalars(db.select(Notification).where(
        Notification.recipient_id == user.id, Notification.kind == "position_due").order_by(Notification.id)).all()


def test_the_units_staff_are_reminded_once_before_the_due_date(app, world, monkeypatch):
    from consult.auth.operations import create_user

    with transaction():
        db.session.get(User, world.user("unit_x").id).locale = "en"
        second = create_user(SYSTEM, email="unit_x2@example.org", name="Unit X Second", password="haslo-testowe-123",
                             role="unit", unit=world.unit_x, bootstrap=True)
    postulate = world.p["a_assigned_x"]  # assigned now: due in 14 days
    due = deadlines.today() + timedelta(days=14)
    reference = postulate.reference
    # not yet: eleven days before
    assert "Przypomnienia o terminie stanowiska: 0" in _run_reminders(app, monkeypatch, days_from_now=3)
    # twelve days on, the end of the due date is within CONSULT_REMINDER_DAYS (3): each staff member once
    assert "Przypomnienia o terminie stanowiska: 2" in _run_reminders(app, monkeypatch, days_from_now=12)
    [english] = _due_notes(world.user("unit_x"))
    [polish] = _due_notes(second)
    assert polish.subject == f"Termin stanowiska w sprawie postulatu {reference} mija {_day(due)}"
    assert f"komórka {world.unit_x.name} ma zapisać stanowisko w sprawie postulatu {reference}" in polish.body
    assert f"/postulaty/{postulate.id}/stanowisko" in polish.body and polish.locale == "pl"
    assert english.subject == f"The position on postulate {reference} is due on {due.day} {due:%b} {due.year}"
    assert english.locale == "en" and "Reminder: the unit" in english.body
    # the answered and published postulates of unit X need no reminder; unit Y's staff are not told
    assert _due_notes(world.user("unit_y")) == []
    # the next hour's run, and the next day's: nothing new
    assert "Przypomnienia o terminie stanowiska: 0" in _run_reminders(app, monkeypatch, days_from_now=12.05)
    assert "Przypomnienia o terminie stanowiska: 0" in _run_reminders(app, monkeypatch, days_from_now=13)
    # the outbox lists what went
    outbox = _html(login(app.test_client(), world.user("coordinator")).get("/koordynacja/poczta"))
    assert polish.subject in outbox and english.subject in outbox

    # forwarded to unit Y: a new assignment, so unit Y's staff get their own reminder before its date
    from consult.postulates.operations import forward_postulate

    with transaction():
        forward_postulate(SYSTEM, db.session.get(Postulate, postulate.id), world.unit_y)
    assert "Przypomnienia o terminie stanowiska: 1" in _run_reminders(app, monkeypatch, days_from_now=12)
    assert len(_due_notes(world.user("unit_y"))) == 1 and len(_due_notes(second)) == 1


def test_no_reminder_for_a_due_date_already_close_nor_after_it(app, world, monkeypatch):
    # assigned with two days to go: the notice of the assignment says the date; no reminder follows
    _assign(world.p["b_submitted"], world.unit_y, due_on=deadlines.today() + timedelta(days=2))
    for days in (0, 1, 2):
        assert "Przypomnienia o terminie stanowiska: 0" in _run_reminders(app, monkeypatch, days_from_now=days)
    # past the due date of a_assigned_x (14 days): overdue, for the coordinators' list, not a reminder
    assert "Przypomnienia o terminie stanowiska: 0" in _run_reminders(app, monkeypatch, days_from_now=16)
    assert _due_notes(world.user("unit_y")) == [] and _due_notes(world.user("unit_x")) == []


# --- late positions ------------------------------------------------------------------------------------------

def test_a_position_is_late_against_its_own_units_due_date(world, days_ago):
    from consult.postulates.operations import forward_postulate, publish_positions, save_position

    coordinator = world.user("coordinator")
    late_then_forwarded, on_time, legacy = (_new_postulate(world, text) for text in ("Późno X, potem Y", "W terminie",
                                                                                    "Sprzed terminów"))
    days_ago(20)  # due 6 days ago
    _assign(late_then_forwarded, world.unit_x)
    _assign(legacy, world.unit_x)
    days_ago(5)  # due in 9 days
    _assign(on_time, world.unit_y)
    days_ago(0)
    with transaction():
        # a postulate assigned before due dates existed has no assignment
        db.session.execute(db.delete(Assignment).where(Assignment.postulate_id == legacy.id))
    with transaction():
        first = db.session.get(Postulate, late_then_forwarded.id)
        save_position(world.user("unit_x"), first, category="rejected", text="Nie, i to po terminie.")
        forward_postulate(coordinator, first, world.unit_y)  # unit Y gets 14 days of its own
        save_position(world.user("unit_y"), first, category="explanation", text="Wyjaśniamy w terminie.")
        save_position(world.user("unit_y"), db.session.get(Postulate, on_time.id), category="accepted", text="Tak.")
        save_position(world.user("unit_x"), db.session.get(Postulate, legacy.id), category="accepted", text="Tak.")
        # a position of a unit that was never asked (transcribed by a coordinator) has no due date
        save_position(coordinator, db.session.get(Postulate, on_time.id), unit=world.unit_x, category="explanation",
                      text="Komórka X dodaje wyjaśnienie.")
    counts = deadlines.late_positions(world.programme.id, published_only=False)
    by_unit = {row["label"]: (row["with_due_date"], row["late"]) for row in counts["late_by_unit"]}
    # unit X: a_answered_x and b_published_x (world, on time) and the late one; unit Y: two on time
    assert by_unit == {world.unit_x.name: (3, 1), world.unit_y.name: (2, 0)} and counts["late_positions"] == 1
    # the report counts published positions only
    assert deadlines.late_positions(world.programme.id)["late_positions"] == 0
    with transaction():
        publish_positions(coordinator, [db.session.get(Postulate, late_then_forwarded.id)])
    assert deadlines.late_positions(world.programme.id)["late_positions"] == 1


def test_the_consultation_reports_statistics_count_late_positions(app, world, days_ago):
    from consult.meetings.models import Meeting
    from consult.postulates.operations import publish_positions, record_meeting_postulate, save_position
    from tests.summary_support import page_texts, squeeze
    from tests.test_consultation_report import _compile

    with transaction():
        at_meeting = record_meeting_postulate(SYSTEM, db.session.get(Meeting, world.meeting.id),
                                              content="Zgłoszony na spotkaniu", submitter_name="Rada Dzielnicy I")
    draft_only = _new_postulate(world, "Odpowiedziany po terminie, stanowisko nieopublikowane")
    late = [world.p["a_submitted"], at_meeting, draft_only]  # filed online, at the meeting, online
    days_ago(20)  # due six days ago
    for postulate in late:
        _assign(postulate, world.unit_y)
    days_ago(0)
    with transaction():
        answered = [db.session.get(Postulate, p.id) for p in late]
        for postulate in answered:
            save_position(SYSTEM, postulate, category="accepted", text="Przyjęty po terminie.")
        publish_positions(SYSTEM, answered[:2])  # the third stays a draft: not in the report
    _job, pdf = _compile(world.programme.id)
    text = squeeze(" ".join(page_texts(pdf)))
    assert squeeze("Opublikowane stanowiska zapisane po terminie: 2") in text
    assert squeeze(f"{world.unit_y.name} 2 2") in text  # with a due date, of them late
    assert squeeze(f"{world.unit_x.name} 1 0") in text  # b_published_x: recorded the day it was assigned
