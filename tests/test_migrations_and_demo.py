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
    # Alembic's check does not compare CHECK constraints: the kinds of notification the migrations allow are the
    # models' (a migration that adds kinds and forgets one would refuse that notification at its first send).
    from consult.notifications.models import NOTIFICATION_KINDS

    assert _allowed_kinds(fresh_database) == set(NOTIFICATION_KINDS)


def _allowed_kinds(env) -> set[str]:
    """The kinds the database's CHECK on notifications.kind allows (SQLite keeps it as written; PostgreSQL as
    `kind = ANY (ARRAY['…'::character varying, …])`: the quoted names are the kinds either way)."""
    import re

    engine = create_engine(env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
    try:
        checks = inspect(engine).get_check_constraints("notifications")
    finally:
        engine.dispose()
    [kinds] = [c["sqltext"] for c in checks if c["name"] == "ck_notifications_kind_known"]
    return set(re.findall(r"'([a-z_]+)'", kinds))


REVISION_ADDING_A_KIND = '''"""a test revision that adds a kind of notification the way migrations/kinds.py says"""
import importlib.util
from pathlib import Path

from alembic import op

_spec = importlib.util.spec_from_file_location("migration_kinds", Path(__file__).parent.parent / "kinds.py")
kinds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds)

revision = "0123456789ab"
down_revision = "{head}"
branch_labels = None
depends_on = None

NOTIFICATION_KINDS_ADDED = ("test_kind_added",)


def upgrade():
    kinds.rebuild_check(op, revision)


def downgrade():
    kinds.rebuild_check(op, down_revision)
'''


def test_a_migration_adding_kinds_names_only_its_own_and_its_downgrade_takes_them_away(fresh_database, tmp_path):
    """migrations/kinds.py: a revision lists the kinds it adds; the CHECK it makes allows them and every kind
    before; its downgrade leaves the kinds as they were."""
    import shutil

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from consult.notifications.models import NOTIFICATION_KINDS

    migrations = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", migrations, ignore=shutil.ignore_patterns("__pycache__"))
    config = Config(str(migrations / "alembic.ini"))
    config.set_main_option("script_location", str(migrations))
    head = ScriptDirectory.from_config(config).get_current_head()
    (migrations / "versions" / "0123456789ab_test_kind.py").write_text(REVISION_ADDING_A_KIND.format(head=head))

    upgrade = _cli(["db", "upgrade", "-d", str(migrations)], fresh_database)
    assert upgrade.returncode == 0, upgrade.stderr
    assert _allowed_kinds(fresh_database) == set(NOTIFICATION_KINDS) | {"test_kind_added"}
    downgrade = _cli(["db", "downgrade", "-d", str(migrations)], fresh_database)
    assert downgrade.returncode == 0, downgrade.stderr
    assert _allowed_kinds(fresh_database) == set(NOTIFICATION_KINDS)


def test_demo_loads_the_fixture_once_and_prints_the_accounts(fresh_database):
    # The demo is the embedded default: jobs in process (a worker of another test session must not get them).
    # Nor a base URL for the e-mails' links: the demo sets it to where it serves (--port).
    env = {k: v for k, v in fresh_database.items() if k not in ("REDIS_URL", "CONSULT_BASE_URL")}
    first = subprocess.run(["consult", "demo", "--no-serve", "--port", "5055"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
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
            # the e-mails the demo wrote (its outbox) link to the server it runs
            bodies = conn.execute(text("select body from notifications")).scalars().all()
            assert bodies and all("http://127.0.0.1:5055/" in b and ":5000" not in b for b in bodies)
    finally:
        engine.dispose()


def test_the_kinds_a_revision_leaves_follow_the_chain_also_through_revisions_written_the_old_way():
    """A branch started before migrations/kinds.py may still add kinds the old way (a cumulative `KINDS`): a later
    revision that names only its own kinds keeps them, whatever order the lead chains the two in."""
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("migration_kinds", ROOT / "migrations" / "kinds.py")
    kinds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kinds)

    def revision(rev, down, **module):
        return SimpleNamespace(revision=rev, down_revision=down, module=SimpleNamespace(**module))

    old_way = revision("a1", kinds.BASE_REVISION, KINDS=kinds.check((*kinds.BASE, "old_kind")))
    documents = revision("a2", "a1", KINDS="kind IN ('summary', 'results')")  # another table's kinds: not these
    new_way = revision("a3", "a2", NOTIFICATION_KINDS_ADDED=("new_kind",))
    chain = {r.revision: r for r in (old_way, documents, new_way)}
    chain[kinds.BASE_REVISION] = revision(kinds.BASE_REVISION, "older")
    script = SimpleNamespace(get_revision=chain.get)
    assert kinds.known(script, "a3") == (*kinds.BASE, "old_kind", "new_kind")
    assert kinds.known(script, "a2") == (*kinds.BASE, "old_kind")
    assert kinds.known(script, kinds.BASE_REVISION) == kinds.BASE
    with pytest.raises(ValueError):
        kinds.known(script, "older")
