"""A migration's test from the data of before: the database at the revision before it, rows of that schema written,
then `flask db upgrade` to the head, as an operator upgrading an instance runs it."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from tests.test_migrations_and_demo import _cli


@contextmanager
def upgraded_from(env: dict, before: str, rows: list[str],
                  more: Callable | None = None) -> Iterator[tuple[object, object]]:
    """`env`'s database (the fresh_database fixture) upgraded to `before`, `rows` (SQL statements) inserted in one
    transaction with whatever `more(conn)` adds, then upgraded to the head (asserted to succeed). Yields the engine
    and the upgrade's completed process (its stderr holds what the migration logged); the engine is disposed after."""
    assert _cli(["db", "upgrade", before], env).returncode == 0
    engine = create_engine(env["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            for statement in rows:
                conn.execute(text(statement))
            if more is not None:
                more(conn)
        upgrade = _cli(["db", "upgrade"], env)
        assert upgrade.returncode == 0, upgrade.stderr
        yield engine, upgrade
    finally:
        engine.dispose()
