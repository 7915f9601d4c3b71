"""Fixtures shared by the whole suite.

The suite runs on the embedded default (a SQLite file) or, when DATABASE_URL is set, on that
database (CI runs it on PostgreSQL). Each test starts from empty tables.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.xdist_support import ensure_database, isolate_worker

isolate_worker()  # under pytest-xdist: this process's own database, Redis databases (before consult is imported)

from consult import create_app
from consult.extensions import db

from tests.mail_support import mail_server  # noqa: E402,F401  (the session's SMTP server)
from tests.browser_support import browser, live_server  # noqa: E402,F401  (one Chromium, one live server)
from tests.summary_support import summary_worker  # noqa: E402,F401  (the session's worker fixture)



def pytest_addoption(parser, pluginmanager):
    """pyproject's addopts ask for pytest-xdist's `-n auto --dist worksteal`; with `-p no:xdist` (or without
    pytest-xdist) the same command line runs in this one process."""
    if not pluginmanager.has_plugin("xdist"):
        group = parser.getgroup("xdist", "pytest-xdist is not loaded: the tests run in this process")
        # _addoption: a lower-case short option, as pytest-xdist declares it itself.
        group._addoption("-n", "--numprocesses", dest="numprocesses", default=None, help="ignored")
        group.addoption("--dist", dest="dist", default="no", help="ignored")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    from tests.xdist_support import auto_workers

    return auto_workers()


ROLES = ["anon", "ngo_a", "ngo_b", "unit_x", "unit_y", "coordinator", "admin", "resident"]
PASSWORD = "haslo-testowe-123"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("consult")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"
    ensure_database(url)  # an xdist worker's own PostgreSQL database (tests/xdist_support.py)
    os.environ.setdefault("CONSULT_INSTANCE", str(tmp / "instance"))
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _normalise(url),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "CONSULT_STORAGE": str(tmp / "storage"),
        "SECRET_KEY": "test-secret",
        # The report's sections are rendered again in the background only where a test asks for it
        # (tests/test_consultation_report_warm.py): elsewhere the worker would race the compiles the tests count.
        "REPORT_WARM_DELAY": 3600.0,
    })
    # Each test holds one application context (see _clean_tables), which requests reuse; forget the
    # signed-in user Flask-Login (and the locale Flask-Babel) caches in `g` at the start of each request, as a real server does, so
    # that several clients signed in as different people can take turns within one test.
    from flask import g, request_started

    def forget_cached_user(sender, **extra):
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)  # and the locale Flask-Babel chose for the previous request

    request_started.connect(forget_cached_user, application, weak=False)
    with application.app_context():
        _no_fsync(db.engine)
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _no_fsync(engine) -> None:
    """The test process's commits do not wait for the disk: a throwaway database need not survive a power cut.
    SQLite: PRAGMA synchronous=OFF (measured: the 28 tests of test_postulates_web.py waited 2.4 s in 1,024
    fdatasync calls); PostgreSQL: synchronous_commit off for the session (measured ~9 ms a commit with it on,
    ~1-2 ms off). What other connections see, and when (a worker process's), is unchanged: only durability is."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _commit_without_fsync(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
        elif engine.dialect.name == "postgresql":
            cursor.execute("SET synchronous_commit TO OFF")
            dbapi_connection.commit()  # a SET in a transaction rolled back would be undone
        cursor.close()

    engine.dispose()  # connections made before this have no listener


def _normalise(url: str) -> str:
    from consult.config import _database_url

    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        return _database_url(None)  # type: ignore[arg-type]
    finally:
        if old is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = old


def _wait_for_pending_jobs(app, timeout: float = 60.0) -> None:
    """With REDIS_URL, the session's Celery worker may still be running a job the previous test queued
    (a call's announcement PDF is compiled after every announce) or delivering an e-mail: let it finish, so that
    it cannot write into the next test's tables. In process (no REDIS_URL) jobs finish before the request returns."""
    if not app.config.get("REDIS_URL"):
        return
    import time

    from consult.documents.models import DocumentJob
    from consult.notifications.models import Notification

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # see the worker's commits
        if not db.session.scalar(db.select(DocumentJob.id).where(DocumentJob.state.in_(("queued", "running")))
                                 .limit(1)) and \
                not db.session.scalar(db.select(Notification.id).where(Notification.state == "queued",
                                                                       Notification.next_attempt_at.isnot(None))
                                      .limit(1)):
            return
        time.sleep(0.1)


def empty_all_tables() -> None:
    """Delete every row of every table, children first, and commit. One query says which tables have rows,
    and only those are emptied: a DELETE, even of an empty table, begins a write (on SQLite each one costs
    more than the query), and most tests fill a few tables only. On PostgreSQL the DELETEs go in one round
    trip (measured: faster than one statement each, and far faster than TRUNCATE on such small tables)."""
    tables = db.metadata.sorted_tables
    filled = {name for (name,) in db.session.execute(_filled_tables_query())}
    doomed = [table for table in reversed(tables) if table.name in filled]
    if doomed and db.engine.dialect.name == "postgresql":
        db.session.connection().exec_driver_sql("; ".join(f'DELETE FROM "{t.name}"' for t in doomed))
    else:
        for table in doomed:
            db.session.execute(table.delete())
    db.session.commit()


def _filled_tables_query():
    from sqlalchemy import exists, literal, select, union_all

    return union_all(*(select(literal(table.name)).where(exists(select(literal(1)).select_from(table)))
                       for table in db.metadata.sorted_tables))


@pytest.fixture(autouse=True)
def _clean_tables(app):
    """Every test starts with empty tables, inside an application context."""
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        _wait_for_pending_jobs(app)
        for _attempt in range(10):
            try:
                empty_all_tables()
                break
            except IntegrityError:
                # A job left by a killed worker (fault tests) may still land between two deletes.
                db.session.rollback()
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture(scope="session", autouse=True)
def _jobs_worker(request, app):
    """On CI's second pass (REDIS_URL set) one real Celery worker runs every job the tests queue, for the
    whole session, as in a deployment; without REDIS_URL jobs run in process and no worker is started."""
    if app.config.get("REDIS_URL"):
        request.getfixturevalue("summary_worker")
    yield


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, user_or_email, password: str = PASSWORD):
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    response = client.post("/logowanie", data={"email": email, "password": password})
    assert response.status_code == 302, f"login of {email} failed"
    return client


@dataclass
class World:
    """Two NGOs, two units, a coordinator, an admin and a resident, and postulates in every state."""

    users: dict
    programme: object
    closed_programme: object
    meeting: object
    unit_x: object
    unit_y: object
    org_a: object
    org_b: object
    p: dict  # postulates by name

    def user(self, role: str):
        if role in EXTRA_ROLES and role not in self.users:
            self.users[role] = _extra_user(self, role)
        return self.users.get(role)


# Made only when a test asks for them (the access matrix does), so that the other tests' counts of an organisation's
# people stay as they were: a member (not an administrator) of NGO A, and a confirmed person with no organisation yet.
EXTRA_ROLES = ("ngo_a_member", "newcomer")


def _extra_user(world, role: str):
    from consult.auth.models import User
    from consult.core.types import utcnow

    user = User(email=f"{role}@example.org", name=role.replace("_", " ").title(), role="ngo",
                organisation_id=world.org_a.id if role == "ngo_a_member" else None,
                organisation_role="member" if role == "ngo_a_member" else None, email_confirmed_at=utcnow())
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def world(app):
    return make_world()


def make_world() -> World:
    """The shared world, built through the operations (the `world` fixture; the access matrix builds it once a case
    and restores it for the other roles: tests/snapshots.py)."""
    from consult.auth.operations import create_user
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.core.types import utcnow
    from consult.meetings.operations import MeetingDetails, create_meeting
    from consult.organisations.operations import create_organisation, create_unit
    from consult.postulates.operations import (assign_postulate, create_postulate, publish_positions,
                                               record_meeting_postulate, save_position)
    from consult.programmes.operations import create_programme

    now = utcnow()
    with transaction():
        unit_x = create_unit(SYSTEM, name="Wydział Polityki Społecznej, Równości i Zdrowia", code="WPSRZ")
        unit_y = create_unit(SYSTEM, name="Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego", code="WDKKO")
        org_a = create_organisation(SYSTEM, name="Fundacja Zustricz", legal_form="fundacja", nip="8567346215")
        org_b = create_organisation(SYSTEM, name="Fundacja Start Tango", legal_form="fundacja")
        users = {}
        for key, role, kw in (("ngo_a", "ngo", {"organisation": org_a}), ("ngo_b", "ngo", {"organisation": org_b}),
                              ("unit_x", "unit", {"unit": unit_x}), ("unit_y", "unit", {"unit": unit_y}),
                              ("coordinator", "coordinator", {}), ("admin", "admin", {}),
                              ("resident", "resident", {})):
            users[key] = create_user(SYSTEM, email=f"{key}@example.org", name=key.replace("_", " ").title(),
                                     password=PASSWORD, role=role, bootstrap=True, **kw)
        programme = create_programme(SYSTEM, year=2027, title="Program Współpracy na rok 2027",
                                     consultation_opens=now - timedelta(days=5),
                                     consultation_closes=now + timedelta(days=25))
        closed = create_programme(SYSTEM, year=2026, title="Program Współpracy na rok 2026",
                                  consultation_opens=now - timedelta(days=400),
                                  consultation_closes=now - timedelta(days=200))
        from datetime import time
        meeting = create_meeting(SYSTEM, programme, MeetingDetails(
            host_unit=unit_y, title="Spotkanie branżowe", date=(now + timedelta(days=3)).date(),
            starts=time(17, 0), ends=time(19, 0), place="sala nr 9"))
        a, b = users["ngo_a"], users["ngo_b"]
        p = {
            "a_draft": create_postulate(a, programme, content="Szkic organizacji A"),
            "a_submitted": create_postulate(a, programme, content="Złożony przez A", submit=True),
            "b_draft": create_postulate(b, programme, content="Szkic organizacji B"),
            "b_submitted": create_postulate(b, programme, content="Złożony przez B", submit=True),
            "a_assigned_x": create_postulate(a, programme, content="A, przypisany do X", submit=True),
            "a_answered_x": create_postulate(a, programme, content="A, ze stanowiskiem X", submit=True),
            "b_published_x": create_postulate(b, programme, content="B, opublikowany przez X", submit=True),
            "meeting_official": record_meeting_postulate(SYSTEM, meeting, content="Od pełnomocnika",
                                                         submitter_name="Pełnomocnik Prezydenta ds. NGO"),
        }
        for name in ("a_assigned_x", "a_answered_x", "b_published_x"):
            assign_postulate(SYSTEM, p[name], unit_x)
        save_position(users["unit_x"], p["a_answered_x"], category="accepted", text="Przyjmujemy.")
        save_position(users["unit_x"], p["b_published_x"], category="rejected", text="Nie przyjmujemy.")
        publish_positions(users["unit_x"], [p["b_published_x"]])
    return World(users=users, programme=programme, closed_programme=closed, meeting=meeting, unit_x=unit_x,
                 unit_y=unit_y, org_a=org_a, org_b=org_b, p=p)
