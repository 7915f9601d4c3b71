"""Public programme and meeting pages: what anyone may read, and what they must not."""
from __future__ import annotations

from sqlalchemy import event

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.meetings.operations import record_attendance
from consult.organisations.models import Organisation, Unit
from consult.postulates.operations import (assign_postulate, publish_positions, record_meeting_postulate,
                                           save_position)
from tests.conftest import login


def _publish_meeting_postulates(world):
    meeting = db.session.get(Meeting, world.meeting.id)
    with transaction():
        record_attendance(SYSTEM, meeting, organisations=[world.org_a, world.org_b],
                          officials=[("Dyrektor Wydziału Dialogu", "Jan Kowalski")])
        published = record_meeting_postulate(SYSTEM, meeting, content="Szkolenia z praw obywatelskich",
                                             justification="Brak programów integracyjnych.",
                                             organisation=world.org_a)
        drafted = record_meeting_postulate(SYSTEM, meeting, content="Więcej miejsc w świetlicach",
                                           organisation=world.org_b)
        for p in (published, drafted):
            assign_postulate(SYSTEM, p, world.unit_x)
        save_position(SYSTEM, published, category="partially_accepted",
                      text="Komponent edukacyjny zostanie rozszerzony.")
        save_position(SYSTEM, drafted, category="rejected", text="Tajny projekt stanowiska.")
        publish_positions(SYSTEM, [published])
    return meeting


def test_programme_page_shows_meetings_and_published_online_postulates(world, client):
    page = client.get(f"/programy/{world.programme.id}").get_data(as_text=True)
    assert "Program Współpracy na rok 2027" in page and "konsultacje trwają" in page
    assert "(czasu warszawskiego)" in page
    assert "Spotkanie branżowe" in page and "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego" in page
    assert f'href="/programy/spotkania/{world.meeting.id}"' in page
    # the published online postulate and its published position
    assert "B, opublikowany przez X" in page and "Nie przyjmujemy." in page and "nieprzyjęty" in page
    # nothing unpublished: not the answered postulate's draft position, not drafts or submitted ones
    for hidden in ("Przyjmujemy.", "A, ze stanowiskiem X", "Szkic organizacji A", "Złożony przez A"):
        assert hidden not in page
    # no user's name or e-mail
    for user in world.users.values():
        assert user.name not in page and user.email not in page
    listing = client.get("/programy").get_data(as_text=True)
    assert f'href="/programy/{world.programme.id}"' in listing and "konsultacje zakończone" in listing


def test_meeting_page_shows_attendance_and_only_published_positions(world, client):
    meeting = _publish_meeting_postulates(world)
    page = client.get(f"/programy/spotkania/{meeting.id}").get_data(as_text=True)
    assert "Fundacja Zustricz" in page and "Fundacja Start Tango" in page
    assert "Dyrektor Wydziału Dialogu" in page and "Jan Kowalski" in page  # an office holder is public
    assert "Szkolenia z praw obywatelskich" in page and "Brak programów integracyjnych." in page
    assert "Komponent edukacyjny zostanie rozszerzony." in page and "przyjęty częściowo" in page
    assert "Wydział Polityki Społecznej, Równości i Zdrowia" in page
    # the answered-but-unpublished postulate and its draft position stay hidden, as does a submitted one
    assert "Więcej miejsc w świetlicach" not in page and "Tajny projekt stanowiska." not in page
    assert "Od pełnomocnika" not in page
    for user in world.users.values():
        assert user.name not in page and user.email not in page


def test_signed_in_users_see_the_same_public_page(world, client):
    from tests.conftest import login

    _publish_meeting_postulates(world)
    login(client, world.user("unit_x"))
    page = client.get(f"/programy/spotkania/{world.meeting.id}").get_data(as_text=True)
    assert "Tajny projekt stanowiska." not in page


def test_public_pages_do_not_query_per_row(world, client):
    meeting_id, programme_id = _publish_meeting_postulates(world).id, world.programme.id
    org_b, unit_y = world.org_b.id, world.unit_y.id

    def count(url):
        db.session.expire_all()
        db.session.close()
        statements = []
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    meeting_url, programme_url = f"/programy/spotkania/{meeting_id}", f"/programy/{programme_id}"
    before = count(meeting_url), count(programme_url)
    with transaction():
        meeting = db.session.get(Meeting, meeting_id)
        org, unit = db.session.get(Organisation, org_b), db.session.get(Unit, unit_y)
        more = [record_meeting_postulate(SYSTEM, meeting, content=f"Postulat {i}", organisation=org)
                for i in range(4)]
        for p in more:
            assign_postulate(SYSTEM, p, unit)
            save_position(SYSTEM, p, category="accepted", text="Tak.")
        publish_positions(SYSTEM, more)
    assert (count(meeting_url), count(programme_url)) == before


def test_wide_tables_scroll_in_their_own_box_and_the_page_says_where_you_are(world, client):
    _publish_meeting_postulates(world)
    page = client.get(f"/programy/spotkania/{world.meeting.id}").get_data(as_text=True)
    assert '<div class="table-scroll"' in page and "tabelę można przewijać w poziomie" in page
    listing = client.get("/programy").get_data(as_text=True)
    assert '<a href="/programy" aria-current="page">Programy współpracy</a>' in listing
    home = client.get("/").get_data(as_text=True)
    assert "(czasu warszawskiego)" in home and 'aria-current="page"' not in home


def test_programme_pages_lead_to_the_meeting_summaries(world, client):
    public = client.get(f"/programy/{world.programme.id}").get_data(as_text=True)
    assert f'href="/programy/{world.programme.id}/podsumowania"' in public
    login(client, world.user("coordinator"))
    overview = client.get("/koordynacja").get_data(as_text=True)
    assert 'href="/koordynacja/podsumowania"' in overview and 'href="/rejestr?state=submitted"' in overview


def test_on_a_narrow_screen_each_public_row_names_its_cells(world, client):
    _publish_meeting_postulates(world)
    page = client.get(f"/programy/spotkania/{world.meeting.id}").get_data(as_text=True)
    assert '<table class="wide stack">' in page
    for label in ("Lp.", "Zgłaszający", "Postulat", "Uzasadnienie", "Stanowisko"):
        assert f'data-label="{label}"' in page
