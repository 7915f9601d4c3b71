"""Via the web client a coordinator plans programmes and meetings, records attendance, enters postulates."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from consult.extensions import db
from consult.meetings.models import Meeting
from consult.postulates.models import Postulate
from consult.programmes.models import Programme
from tests.conftest import login


def _programme_form(**overrides):
    data = {"year": "2031", "title": "Program Współpracy na rok 2031",
            "opens_date-day": "1", "opens_date-month": "9", "opens_date-year": "2030", "opens_time": "08:00",
            "closes_date-day": "30", "closes_date-month": "9", "closes_date-year": "2030",
            "closes_time": "16:00"}
    data.update(overrides)
    return data


def _meeting_form(world, **overrides):
    data = {"host_unit": str(world.unit_y.id), "title": "Spotkanie branżowe WDKKO", "date-day": "17",
            "date-month": "6", "date-year": "2030", "starts": "17:00", "ends": "19:00",
            "place": "Klaster Innowacji Społeczno-Gospodarczych 20.22, sala nr 9",
            "scope": "Założenia RPW 2031",
            "introduction": "Przedstawiono założenia."}
    data.update(overrides)
    return data


def test_coordinator_creates_a_programme_in_warsaw_time(world, client):
    login(client, world.user("coordinator"))
    response = client.post("/koordynacja/programy/nowy", data=_programme_form())
    assert response.status_code == 302
    programme = db.session.scalar(db.select(Programme).where(Programme.year == 2031))
    # 1 September 2030 08:00 in Kraków is 06:00 UTC (summer time); 30 September 16:00 is 14:00 UTC.
    assert programme.consultation_opens == datetime(2030, 9, 1, 6, 0, tzinfo=timezone.utc)
    assert programme.consultation_closes == datetime(2030, 9, 30, 14, 0, tzinfo=timezone.utc)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "01.09.2030 08:00" in page and "30.09.2030 16:00" in page
    overview = client.get("/koordynacja").get_data(as_text=True)
    assert "Program Współpracy na rok 2031" in overview and "Program Współpracy na rok 2027" in overview


def test_an_impossible_date_is_refused_with_a_specific_message(world, client):
    login(client, world.user("coordinator"))
    response = client.post("/koordynacja/programy/nowy", data=_programme_form(**{"closes_date-day": "31",
                                                                                  "closes_date-month": "2"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Błąd: " in page and "Wystąpił problem" in page
    assert "Koniec konsultacji – data: data musi być prawdziwą datą" in page
    assert 'href="#closes_date"' in page  # the summary links to the day input
    assert 'id="closes_date" name="closes_date-day"' in page and 'value="31"' in page
    assert db.session.scalar(db.select(Programme).where(Programme.year == 2031)) is None


def test_missing_year_and_bad_time_get_their_own_messages(world, client):
    login(client, world.user("coordinator"))
    page = client.post("/koordynacja/programy/nowy", data=_programme_form(
        **{"opens_date-year": "", "closes_time": "25:00"})).get_data(as_text=True)
    assert "Początek konsultacji – data: podaj rok." in page
    assert "Koniec konsultacji – godzina: godzina musi być prawdziwą godziną" in page
    assert db.session.scalar(db.select(Programme).where(Programme.year == 2031)) is None


def test_operation_refusals_appear_beside_the_field(world, client):
    login(client, world.user("coordinator"))
    page = client.post("/koordynacja/programy/nowy", data=_programme_form(
        year="2027")).get_data(as_text=True)
    assert "Program na rok 2027 już istnieje." in page and "<title>Błąd: " in page
    page = client.post("/koordynacja/programy/nowy", data=_programme_form(
        **{"closes_date-month": "8"})).get_data(as_text=True)
    assert "Koniec konsultacji musi przypadać po ich początku." in page
    assert db.session.scalar(db.select(Programme).where(Programme.year == 2031)) is None


def test_coordinator_edits_a_programme(world, client):
    login(client, world.user("coordinator"))
    form = client.get(f"/koordynacja/programy/{world.programme.id}/edycja").get_data(as_text=True)
    assert 'value="Program Współpracy na rok 2027"' in form
    response = client.post(f"/koordynacja/programy/{world.programme.id}/edycja",
                           data=_programme_form(year="2027", title="RPW 2027 (poprawiony)"))
    assert response.status_code == 302
    assert db.session.get(Programme, world.programme.id).title == "RPW 2027 (poprawiony)"


def test_meeting_is_planned_edited_attended_held_and_gets_postulates(world, client):
    login(client, world.user("coordinator"))
    response = client.post(f"/koordynacja/programy/{world.programme.id}/spotkania/nowe",
                           data=_meeting_form(world))
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.title == "Spotkanie branżowe WDKKO"))
    assert meeting.date.isoformat() == "2030-06-17" and meeting.starts.hour == 17
    assert meeting.state == "planned"
    url = f"/koordynacja/spotkania/{meeting.id}"

    # End before start: refused beside the end time, nothing changed.
    page = client.post(f"{url}/edycja", data=_meeting_form(world, ends="16:00", version=str(meeting.version)))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Spotkanie musi kończyć się później, niż się zaczyna." in text
    assert "<title>Błąd: " in text
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).ends.hour == 19
    response = client.post(f"{url}/edycja", data=_meeting_form(world, place="sala nr 10",
                                                                 version=str(meeting.version)))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).place == "sala nr 10"

    # Attendance: the form offers at least five empty rows for officials, and more without JavaScript.
    form = client.get(f"{url}/obecnosc").get_data(as_text=True)
    assert 'name="officials-4-function"' in form
    more = client.post(f"{url}/obecnosc", data={"add_rows": "1", "officials-0-function": "Dyrektor"})
    assert 'name="officials-5-function"' in more.get_data(as_text=True)
    assert 'value="Dyrektor"' in more.get_data(as_text=True)
    meeting = db.session.get(Meeting, meeting.id)
    response = client.post(f"{url}/obecnosc", data={
        "organisations": [str(world.org_b.id), str(world.org_a.id)],
        "officials-0-function": "Dyrektor Wydziału", "officials-0-name": "Jan Kowalski",
        "officials-1-function": "", "officials-1-name": "",
        "officials-2-function": "Pełnomocnik Prezydenta ds. NGO",
        "participants_count": "12", "materials": "Prezentacja założeń\n\nProjekt programu\n",
        "version": str(meeting.version)})
    assert response.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    # checkboxes arrive in the order of the form: the register's, alphabetical, for a first list
    assert [o.name for o in meeting.organisations] == ["Fundacja Start Tango", "Fundacja Zustricz"]
    assert [(o.function, o.name) for o in meeting.officials] == [
        ("Dyrektor Wydziału", "Jan Kowalski"), ("Pełnomocnik Prezydenta ds. NGO", None)]
    assert [m.text for m in meeting.materials] == ["Prezentacja założeń", "Projekt programu"]
    assert meeting.participants_count == 12
    # An order recorded elsewhere (an imported summary) is kept: those present come first, as recorded,
    # and a save from the form keeps them in that order.
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.meetings.operations import record_attendance
    with transaction():
        record_attendance(SYSTEM, meeting, organisations=[world.org_a, world.org_b],
                          officials=[("Dyrektor Wydziału", "Jan Kowalski")])
    form = client.get(f"{url}/obecnosc").get_data(as_text=True)
    assert form.index("Fundacja Zustricz") < form.index("Fundacja Start Tango")
    meeting = db.session.get(Meeting, meeting.id)
    assert client.post(f"{url}/obecnosc", data={
        "organisations": [str(world.org_a.id), str(world.org_b.id)],
        "officials-0-function": "Dyrektor Wydziału",
        "version": str(meeting.version)}).status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert [o.name for o in meeting.organisations] == ["Fundacja Zustricz", "Fundacja Start Tango"]

    # A name without a function is refused and nothing is replaced.
    refused = client.post(f"{url}/obecnosc", data={"organisations": [], "officials-0-name": "Anna Nowak",
                                                   "version": str(meeting.version)})
    assert "Każda osoba z urzędu musi mieć wpisaną funkcję." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Meeting, meeting.id).attendance) == 2

    # Mark held: not before the meeting's day (it is planned for 2030), then on a date that has come.
    refused = client.post(f"{url}/odbyte", follow_redirects=True).get_data(as_text=True)
    assert "Spotkanie jest zaplanowane na 17.06.2030: można je oznaczyć jako odbyte od tego dnia." in refused
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).state == "planned"
    meeting = db.session.get(Meeting, meeting.id)
    assert client.post(f"{url}/edycja", data=_meeting_form(world, **{"date-year": "2025"}, place="sala nr 10",
                                                           version=str(meeting.version))).status_code == 302
    assert client.post(f"{url}/odbyte").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).state == "held"
    assert "Oznacz jako odbyte" not in client.get(url).get_data(as_text=True)

    # Postulates on behalf of an organisation and of an office holder, numbered 1, 2.
    response = client.post(f"{url}/postulaty/nowy", data={
        "submitter_kind": "organisation", "organisation": str(world.org_a.id),
        "content": "Szkolenia z praw obywatelskich dla młodzieży", "justification": "Brak programów."})
    assert response.status_code == 302
    response = client.post(f"{url}/postulaty/nowy", data={
        "submitter_kind": "official",
        "submitter_name": "Pełnomocnik Prezydenta Miasta Krakowa ds. Organizacji Pozarządowych",
        "content": "Więcej spotkań branżowych"})
    assert response.status_code == 302
    rows = db.session.scalars(db.select(Postulate).where(Postulate.meeting_id == meeting.id)
                              .order_by(Postulate.number)).all()
    assert [(p.number, p.submitter_label, p.state) for p in rows] == [
        (1, "Fundacja Zustricz", "submitted"),
        (2, "Pełnomocnik Prezydenta Miasta Krakowa ds. Organizacji Pozarządowych", "submitted")]

    # A taken number is refused beside the number field.
    page = client.post(f"{url}/postulaty/nowy", data={"submitter_kind": "organisation",
                                                      "organisation": str(world.org_b.id),
                                                      "content": "Jeszcze jeden", "number": "2"})
    text = page.get_data(as_text=True)
    assert "Na tym spotkaniu jest już postulat nr 2." in text and "<title>Błąd: " in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Postulate)
                             .where(Postulate.meeting_id == meeting.id)) == 2
    # No submitter chosen: a specific message.
    text = client.post(f"{url}/postulaty/nowy", data={"submitter_kind": "official", "content": "X"}).get_data(
        as_text=True)
    assert "Wpisz funkcję osoby, która zgłosiła postulat." in text

    # The meeting page lists them with links, and the programme page counts answers.
    page = client.get(url).get_data(as_text=True)
    assert f'href="/postulaty/{rows[0].id}"' in page
    assert "Szkolenia z praw obywatelskich dla młodzieży" in page
    assert "odpowiedziano na 0 z 2 postulatów" in page


def test_answered_count_counts_answered_and_published(world, client):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.postulates.operations import (assign_postulate, publish_positions, record_meeting_postulate,
                                               save_position)

    meeting = db.session.get(Meeting, world.meeting.id)
    with transaction():
        extra = [record_meeting_postulate(SYSTEM, meeting, content=f"P{i}",
                                          organisation=world.org_a if i else None,
                                          submitter_name=None if i else "Radny Miasta") for i in range(3)]
        for p in extra[:2]:
            assign_postulate(SYSTEM, p, world.unit_x)
            save_position(SYSTEM, p, category="accepted", text="Tak.")
        publish_positions(SYSTEM, [extra[0]])
    login(client, world.user("coordinator"))
    page = client.get(f"/koordynacja/programy/{world.programme.id}").get_data(as_text=True)
    # the world's meeting had one postulate already; two of the four now have positions
    assert "odpowiedziano na 2 z 4 postulatów" in page


def test_programme_page_counts_in_one_query_whatever_the_number_of_meetings(world, client, app):
    from datetime import time

    from sqlalchemy import event

    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.meetings.operations import MeetingDetails, create_meeting

    login(client, world.user("coordinator"))
    url = f"/koordynacja/programy/{world.programme.id}"

    def count_queries():
        db.session.expire_all()
        statements = []
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    few = count_queries()
    with transaction():
        for i in range(5):
            create_meeting(SYSTEM, world.programme, MeetingDetails(
                host_unit=world.unit_x if i % 2 else world.unit_y, title=f"Spotkanie {i}",
                date=world.meeting.date, starts=time(10, 0), ends=time(12, 0), place="sala"))
    assert count_queries() == few


def test_only_coordinators_manage_programmes(world, client):
    for role in ("admin", "unit_x", "ngo_a"):
        c = client.application.test_client()
        login(c, world.user(role))
        assert c.get("/koordynacja").status_code == 403
        assert c.post("/koordynacja/programy/nowy", data=_programme_form()).status_code == 403
    assert db.session.scalar(db.select(Programme).where(Programme.year == 2031)) is None


def test_an_edit_on_a_stale_form_is_refused_with_409(world, client):
    login(client, world.user("coordinator"))
    url = f"/koordynacja/spotkania/{world.meeting.id}"
    stale = str(world.meeting.version)
    assert client.post(f"{url}/edycja", data=_meeting_form(world, place="sala A", version=stale)).status_code == 302
    response = client.post(f"{url}/edycja", data=_meeting_form(world, place="sala B", version=stale))
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Ktoś inny zmienił ten zapis" in page and "<title>Błąd: " in page
    assert 'value="sala A"' in page  # the form shows what is saved now
    db.session.expire_all()
    assert db.session.get(Meeting, world.meeting.id).place == "sala A"
    response = client.post(f"{url}/obecnosc", data={"organisations": [str(world.org_a.id)], "version": stale})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Meeting, world.meeting.id).attendance == []


# --- what the browser walk through the journeys showed ------------------------------------------------

def test_meeting_page_leads_to_entering_assigning_the_summary_and_the_register(world, client):
    login(client, world.user("coordinator"))
    meeting, official = world.meeting, world.p["meeting_official"]
    page = client.get(f"/koordynacja/spotkania/{meeting.id}").get_data(as_text=True)
    assert f'href="/koordynacja/spotkania/{meeting.id}/postulaty/nowy"' in page
    assert f'href="/postulaty/{official.id}/przypisz">Przypisz komórce' in page  # filed, not yet assigned
    assert f'href="/koordynacja/spotkania/{meeting.id}/podsumowanie"' in page
    assert f'href="/rejestr?meeting={meeting.id}"' in page
    assert 'class="breadcrumb"><a href="/koordynacja">' in page


def test_attendance_enter_key_saves_and_adding_rows_says_nothing_was_saved(world, client):
    login(client, world.user("coordinator"))
    url = f"/koordynacja/spotkania/{world.meeting.id}/obecnosc"
    page = client.get(url).get_data(as_text=True)
    form = page[page.index("<form", page.index("<main")):]
    # Enter in a field presses the form's first submit button: it must be the one that saves
    first_button = form[form.index('<button type="submit"'):].split(">", 1)[0]
    assert 'name="save"' in first_button

    version = str(db.session.get(Meeting, world.meeting.id).version)
    more = client.post(url, data={"organisations": [str(world.org_a.id)], "add_rows": "1", "version": version})
    text = more.get_data(as_text=True)
    assert more.status_code == 200 and "Lista obecności nie jest jeszcze zapisana" in text
    db.session.expire_all()
    assert db.session.get(Meeting, world.meeting.id).attendance == []


def test_meeting_postulate_form_links_to_registering_a_missing_organisation(world, client):
    login(client, world.user("coordinator"))
    page = client.get(f"/koordynacja/spotkania/{world.meeting.id}/postulaty/nowy").get_data(as_text=True)
    assert 'href="/rejestry/organizacje/nowa"' in page


def test_a_number_typed_in_words_gets_one_message_naming_the_field(world, client):
    login(client, world.user("coordinator"))
    version = str(db.session.get(Meeting, world.meeting.id).version)
    page = client.post(f"/koordynacja/spotkania/{world.meeting.id}/obecnosc",
                       data={"participants_count": "dwanaście", "save": "1", "version": version})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<title>Błąd: " in text
    assert '<a href="#participants_count">Liczba uczestników: wpisz liczbę cyframi, np. 12.</a>' in text
    assert "nie może być ujemna" not in text and "Nieprawidłowa liczba" not in text
    assert 'value="dwanaście"' in text  # what was typed stays in the field

    programme = client.post("/koordynacja/programy/nowy", data=_programme_form(year="dwa tysiące")).get_data(
        as_text=True)
    assert "Rok programu: wpisz liczbę cyframi, np. 2027." in programme and "Nieprawidłowa" not in programme


def test_queue_state_filter_uses_the_words_of_the_state_tags(world, client):
    login(client, world.user("unit_x"))
    page = client.get("/kolejka").get_data(as_text=True)
    assert "przekazane komórce – czekają na stanowisko" in page and "ze stanowiskiem – do opublikowania" in page


def test_an_official_without_function_is_refused_with_a_link_to_that_row(world, client):
    login(client, world.user("coordinator"))
    version = str(db.session.get(Meeting, world.meeting.id).version)
    page = client.post(f"/koordynacja/spotkania/{world.meeting.id}/obecnosc", data={
        "officials-0-function": "Dyrektor Wydziału", "officials-0-name": "",
        "officials-1-function": "", "officials-1-name": "Jan Kowalski", "save": "1", "version": version})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<title>Błąd: " in text
    assert '<a href="#officials-1-function">Każda osoba z urzędu musi mieć wpisaną funkcję.</a>' in text
    assert '<p class="field-error">Każda osoba z urzędu musi mieć wpisaną funkcję.</p>' in text
    row = re.search(r'<input[^>]*id="officials-1-function"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in row and "input-error" in row
