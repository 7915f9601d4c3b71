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

PAGES = {  # role -> pages
    "anon": ["/postulaty", "/postulaty?category=accepted"],
    "unit_x": ["/kolejka", "/kolejka?state=published"],
    "coordinator": ["/rejestr", "/rejestr?state=published"],
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


@pytest.mark.parametrize("more", [5])
def test_queries_per_page_do_not_grow_with_the_data(app, world, more):
    ids = {"programme": world.programme.id, "unit_x": world.unit_x.id, "org_a": world.org_a.id}
    _add_rows(ids, 0, 3)
    small = _measure(app)
    _add_rows(ids, 3, 3 * more - 3)
    large = _measure(app)
    for url in small:
        assert large[url][1] > small[url][1], f"{url}: the larger data should show more rows"
        assert large[url][0] == small[url][0], (
            f"{url}: {small[url][0]} queries for {small[url][1]} rows, {large[url][0]} for {large[url][1]}")
