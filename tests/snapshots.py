"""A snapshot of every row in the database, restored in a few milliseconds instead of rebuilt through the
operations: the access matrix (tests/test_access.py) builds the world and a case's objects once and restores them
for each of the other roles, so each role still starts from exactly the same rows, in tables emptied by
`_clean_tables`, while the matrix does not pay ten times for the same setup.

The rows are read with their ids, and put back with them; sequences (PostgreSQL) and SQLite's rowids stay past
them, since emptying a table does not reset either. The ORM objects of the world are read again by id."""
from __future__ import annotations

from dataclasses import dataclass, fields

from consult.extensions import db
from tests.conftest import World


@dataclass(frozen=True)
class _Ref:
    cls: type
    key: object


def _encode(value):
    """ORM objects become references by id, inside dicts, lists and tuples too; other values stay."""
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_encode(v) for v in value)
    if hasattr(type(value), "__mapper__"):
        return _Ref(type(value), value.id)
    return value


def _decode(value):
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_decode(v) for v in value)
    if isinstance(value, _Ref):
        return db.session.get(value.cls, value.key)
    return value


def _undue(row: dict) -> dict:
    """An e-mail the snapshot caught on its way (queued and due, perhaps claimed by the session's worker: a filed
    document's receipt is written just after its job is done) comes back as one no worker carries, for no task
    will deliver it again: queued, not due, unclaimed. Else every later role's setup would wait its full minute
    for it (tests/conftest.py _wait_for_pending_jobs)."""
    if row.get("state") != "queued":
        return row
    return {**row, "next_attempt_at": None, "sending_since": None}


@dataclass
class Snapshot:
    rows: dict  # table name -> list of row dicts, in the metadata's dependency order
    world: dict  # the World's attributes (its fields, and what cases keep on it), ORM objects as references

    @classmethod
    def take(cls, world: World) -> Snapshot:
        db.session.commit()
        rows = {}
        for table in db.metadata.sorted_tables:
            found = [dict(row._mapping) for row in db.session.execute(db.select(table)).all()]
            if found:
                rows[table.name] = found
        db.session.rollback()
        return cls(rows=rows, world=_encode(dict(vars(world))))

    def restore(self) -> World:
        """Into emptied tables: every row back, then the world's objects read from them."""
        tables = db.metadata.tables
        for table in db.metadata.sorted_tables:
            if table.name in self.rows:
                # rows of a table that points at itself (a unit's parent) go in the order they were made
                rows = sorted(self.rows[table.name], key=lambda r: r.get("id") or 0)
                if table.name == "notifications":
                    rows = [_undue(r) for r in rows]
                db.session.execute(tables[table.name].insert(), rows)
        db.session.commit()
        values = _decode(self.world)
        world = World(**{f.name: values.pop(f.name) for f in fields(World)})
        vars(world).update(values)  # what the cases keep on the world (tests/access_cases: the call of a stage...)
        return world
