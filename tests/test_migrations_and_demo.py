"""The schema is made by the migrations, and the two-command start works."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

ROOT = Path(__file__).resolve().parent.parent


def _cli(args, env, timeout=180):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the backend under test: a new SQLite file, or a new PostgreSQL database."""
    env = {**os.environ, "CONSULT_INSTANCE": str(tmp_path / "instance"), "CONSULT_STORAGE": str(tmp_path / "storage")}
    base = os.environ.get("DATABASE_URL")
    if not base:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.db'}"
        yield env
        return
    import psycopg

    name = f"consult_mig_{os.getpid()}"
    admin_url = base.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrations_build_the_schema_the_models_describe(fresh_database):
    upgrade = _cli(["db", "upgrade"], fresh_database)
    assert upgrade.returncode == 0, upgrade.stderr
    check = _cli(["db", "check"], fresh_database)
    assert check.returncode == 0 and "No new upgrade operations detected" in (check.stdout + check.stderr), \
        check.stdout + check.stderr
    url = fresh_database["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"postulates", "positions", "meetings", "audit_events", "users", "organisations", "units"} <= tables


def test_demo_loads_the_fixture_once_and_prints_the_accounts(fresh_database):
    # The demo is the embedded default: jobs in process (a worker of another test session must not get them).
    env = {k: v for k, v in fresh_database.items() if k != "REDIS_URL"}
    first = subprocess.run(["consult", "demo", "--no-serve"], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Dane demonstracyjne wczytane." in first.stdout
    for role in ("admin", "coordinator", "unit", "ngo"):
        assert f"  {role} " in first.stdout
    assert "koordynator@demo.consult.local" in first.stdout
    # The commission member is printed with what the account is for.
    member = next(line for line in first.stdout.splitlines() if "komisja@demo.consult.local" in line)
    assert member.startswith("  ngo ") and "członkini komisji konkursowej" in member
    again = subprocess.run(["consult", "demo", "--no-serve"], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0 and "były już wczytane" in again.stdout
    url = env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            from sqlalchemy import text
            assert conn.execute(text("select count(*) from meetings")).scalar() == 2
            assert conn.execute(text("select count(*) from postulates where state = 'published'")).scalar() == 14
            # The summary, the three calls' announcements and the results of the decided call.
            assert conn.execute(text("select kind, count(*) from document_versions where published_at is not null "
                                     "group by kind order by kind")).all() == [
                ("call_announcement", 3), ("call_results", 1), ("meeting_summary", 1)]
            assert sorted(conn.execute(text("select state from calls")).scalars()) == [
                "announced", "evaluation", "results_published"]
    finally:
        engine.dispose()
