"""The lists of postulates cost the same number of SQL queries whatever the number of rows they show: the
public register, a unit's queue, the coordinator's register and an NGO's list of its postulates are counted
(SQLAlchemy's before_cursor_execute) with a little data and with five times more, spread over new
organisations, meetings and units so that a relation loaded row by row would show as more queries."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import time, timedelta

import pytest
from sqlalchemy import event

from consult.core.types import utcnow
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.organisations.models import Organisation, Unit
from consult.postulates.models import Position, Postulate
from tests.conftest import login

PAGES = {  # role -> pages (a search too: it joins the organisations)
    "anon": ["/postulaty", "/postulaty?category=accepted", "/postulaty?text=s%C4%85siad%C3%B3w"],
    "unit_x": ["/kolejka", "/kolejka?state=published", "/kolejka?text=s%C4%85siad%C3%B3w"],
    "coordinator": ["/rejestr", "/rejestr?state=published", "/rejestr?submitter=s%C4%85siad%C3%B3w"],
    "ngo_a": ["/moje-postulaty"],
}


def _add_rows(ids, start: int, count: int) -> None:
    """`count` groups of postulates, each group with its own organisation, meeting and second unit:
    published (positions of unit X and of the group's unit), answered and assigned to unit X, and one
    filed by NGO A."""
    now = utcnow()
    for i in range(start, start + count):
        unit = Unit(name=f"Jednostka pomocnicza {i}", code=f"JP{i}")
        org = Organisation(name=f"Stowarzyszenie Sąsiadów {i}", legal_form="stowarzyszenie")
        meeting = Meeting(programme_id=ids["programme"], host_unit=unit, title=f"Spotkanie {i}",
                          date=(now + timedelta(days=i)).date(), starts=time(17), ends=time(19), place="sala")
        db.session.add_all([unit, org, meeting])
        db.session.flush()
        common = {"programme_id": ids["programme"], "organisation_id": org.id, "submitted_at": now,
                  "responsible_unit_id": ids["unit_x"]}
        published = Postulate(**common, content=f"Opublikowany {i}", state="published", meeting_id=meeting.id,
                              number=1)
        answered = Postulate(**common, content=f"Ze stanowiskiem {i}", state="answered")
        assigned = Postulate(**common, content=f"Przypisany {i}", state="assigned")
        own = Postulate(**{**common, "organisation_id": ids["org_a"], "responsible_unit_id": None},
                        content=f"Organizacji A {i}", state="submitted")
        db.session.add_all([published, answered, assigned, own])
        db.session.flush()
        db.session.add_all([
            Position(postulate_id=published.id, unit_id=ids["unit_x"], category="accepted", text="Tak.",
                     status="published", published_at=now),
            Position(postulate_id=published.id, unit_id=unit.id, category="explanation", text="Wyjaśniamy.",
                     status="published", published_at=now),
            Position(postulate_id=answered.id, unit_id=ids["unit_x"], category="rejected", text="Nie."),
        ])
    db.session.commit()


@contextmanager
def _counting():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _measure(app) -> dict[str, tuple[int, int]]:
    """For each page: (queries, rows found as the page says)."""
    out = {}
    for role, urls in PAGES.items():
        client = app.test_client()
        if role != "anon":
            login(client, f"{role}@example.org")
        for url in urls:
            client.get(url)  # anything done once per process (templates compiled) is not counted
            db.session.expunge_all()  # the request loads what it shows itself
            with _counting() as statements:
                response = client.get(url)
            assert response.status_code == 200, url
            page = response.get_data(as_text=True)
            found = re.search(r"Znaleziono: (\d+)", page)
            out[url] = (len(statements), int(found.group(1)) if found else page.count('class="ref"'))
    return out


# What the public register and a unit's queue cost at most, whatever they list: the filters' three lists
# (programmes, meetings, units; the queue's two), the count, the page's rows and their positions (the queue's rows
# carry their due dates and no positions); the queue also reads the signed-in user (with their unit) and whether
# they sit on a commission.
MOST_QUERIES = {"/postulaty": 6, "/kolejka": 6}


@pytest.mark.parametrize("more", [10])
def test_queries_per_page_do_not_grow_with_the_data(app, world, more):
    """5 published postulates (and 15 in unit X's queue), then 50 (and 150: a full page of 50 and more)."""
    ids = {"programme": world.programme.id, "unit_x": world.unit_x.id, "org_a": world.org_a.id}
    _add_rows(ids, 0, 5)
    small = _measure(app)
    _add_rows(ids, 5, 5 * more - 5)
    large = _measure(app)
    assert large["/postulaty"][1] >= 50 and large["/kolejka"][1] >= 150  # (the world has a few of its own)
    for url in small:
        assert large[url][1] > small[url][1], f"{url}: the larger data should show more rows"
        assert large[url][0] == small[url][0], (
            f"{url}: {small[url][0]} queries for {small[url][1]} rows, {large[url][0]} for {large[url][1]}")
        most = MOST_QUERIES.get(url.split("?")[0])
        assert most is None or large[url][0] <= most, f"{url}: {large[url][0]} queries, at most {most} expected"


def _count_queries(client, url: str) -> tuple[int, str]:
    client.get(url)
    db.session.expunge_all()
    with _counting() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), response.get_data(as_text=True)


def test_a_reports_activities_cost_the_same_queries_whatever_their_number(app, world):
    """A small report (8 activities) and the seed's whole first part (many more, in more goals, tasks and
    areas, with more units): the coordinator's page of activities and a unit's cost the same."""
    from tests.implementation_support import fixture_data, import_data, small_data

    coordinator = login(app.test_client(), "coordinator@example.org")
    staff = login(app.test_client(), "unit_x@example.org")
    measured = []
    whole = fixture_data()
    whole["report_year"] = 2023
    for data in (small_data(), whole):
        report_id = import_data(data)
        with_units = [f"/koordynacja/sprawozdania/{report_id}", f"/koordynacja/sprawozdania/{report_id}?q=a"]
        counts = [_count_queries(coordinator, url) for url in with_units]
        counts.append(_count_queries(staff, f"/sprawozdania/{report_id}"))
        measured.append(([n for n, _ in counts], counts[0][1].count('<tr id="dzialanie-')))
    (small, small_rows), (large, large_rows) = measured
    assert large_rows > small_rows
    assert large == small, f"{small} queries for {small_rows} activities, {large} for {large_rows}"


def test_a_meetings_postulates_cost_the_same_queries_whatever_their_number(app, world):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.postulates.operations import (
        assign_postulate,
        publish_positions,
        record_meeting_postulate,
        save_position,
    )

    coordinator = login(app.test_client(), "coordinator@example.org")
    anon = app.test_client()
    meeting_id = world.meeting.id
    urls = [(coordinator, f"/koordynacja/spotkania/{meeting_id}"), (anon, f"/programy/spotkania/{meeting_id}")]

    def add(count):
        meeting = db.session.get(Meeting, meeting_id)
        with transaction():
            for i in range(count):
                org = Organisation(name=f"Koło Gospodyń {utcnow().timestamp()}-{i}", legal_form="stowarzyszenie")
                unit = Unit(name=f"Rada Dzielnicy {utcnow().timestamp()}-{i}", code=f"RD{i}{utcnow().microsecond}")
                db.session.add_all([org, unit])
                db.session.flush()
                p = record_meeting_postulate(world.user("coordinator"), meeting, content=f"Postulat {i}",
                                             organisation=org)
                assign_postulate(SYSTEM, p, unit)
                db.session.flush()
                save_position(SYSTEM, p, category="accepted", text="Tak.", unit=unit)
                publish_positions(SYSTEM, [p])

    add(2)
    small = [_count_queries(client, url)[0] for client, url in urls]
    add(8)
    large = [_count_queries(client, url)[0] for client, url in urls]
    assert large == small


def _programme_text_with_postulates(programme, provisions: int) -> None:
    """A text of `provisions` paragraphs in two versions (each paragraph changed), each paragraph with a
    published postulate of a new organisation whose accepted position changed it and the next paragraph; every
    other postulate is on the programme as a whole (only its position names the provisions)."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.programme_text.models import PositionChange, Provision
    from consult.programme_text.operations import import_text, publish_text_version

    for version in (1, 2):
        with transaction():
            import_text(SYSTEM, programme, [{"id": f"par-{i}", "kind": "paragraph", "number": str(i),
                                             "text": f"Paragraf {i} w wersji {version}."}
                                            for i in range(1, provisions + 1)])
            publish_text_version(SYSTEM, programme, kind="draft")
    rows = db.session.scalars(db.select(Provision).where(Provision.programme_id == programme.id)
                              .order_by(Provision.ordinal)).all()
    now = utcnow()
    for i, row in enumerate(rows):
        unit = Unit(name=f"Komórka tekstu {programme.year}-{i}", code=f"KT{programme.year}{i}")
        org = Organisation(name=f"Fundacja Przepisu {programme.year}-{i}", legal_form="fundacja")
        db.session.add_all([unit, org])
        db.session.flush()
        postulate = Postulate(programme_id=programme.id, organisation_id=org.id, content=f"Zmienić § {i + 1}",
                              state="published", submitted_at=now, responsible_unit_id=unit.id,
                              provision_id=row.id if i % 2 == 0 else None)
        db.session.add(postulate)
        db.session.flush()
        position = Position(postulate_id=postulate.id, unit_id=unit.id, category="accepted", text="Zmieniono.",
                            status="published", published_at=now)
        db.session.add(position)
        db.session.flush()
        db.session.add_all([PositionChange(position_id=position.id, provision_id=r.id)
                            for r in {row, rows[(i + 1) % len(rows)]}])
    db.session.commit()


def test_the_programme_text_pages_cost_the_same_queries_whatever_the_number_of_provisions(app, world):
    """The public text, the page "what changed, and why" (per provision: its postulates, their positions and the
    changes they made) and a provision's page: 3 provisions and 15 cost the same."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.programmes.operations import create_programme

    with transaction():
        larger = create_programme(SYSTEM, year=2028, title="Program Współpracy na rok 2028",
                                  consultation_opens=world.programme.consultation_opens,
                                  consultation_closes=world.programme.consultation_closes)
    from consult.programmes.models import Programme

    measured = []
    for programme_id, provisions in ((world.programme.id, 3), (larger.id, 15)):
        _programme_text_with_postulates(db.session.get(Programme, programme_id), provisions)
        client = app.test_client()
        urls = [f"/programy/{programme_id}/tekst", f"/programy/{programme_id}/tekst/zmiany",
                f"/programy/{programme_id}/tekst/przepisy/par-2"]
        counts = [_count_queries(client, url) for url in urls]
        changes_page = counts[1][1]
        assert changes_page.count("zmieniło ten przepis") == 2 * provisions
        measured.append([n for n, _page in counts])
    small, large = measured
    assert large == small, f"{small} queries for 3 provisions, {large} for 15"
