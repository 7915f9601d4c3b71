"""Serialising decisions that read a total, a count or a rule and then write against it.

A check made by reading and then writing ("the grants of the call plus this one fit its funds", "this member
has not declared yet", "the next number in this meeting") is only true if nobody else writes between the read
and the write. Operations that make such a check take a lock on the row that owns the rule (the call, the
meeting, the commission member...) *before* they read, in the transaction that writes:

    call = lock_for_update(Call, offer.call_id)
    granted = <sum of the call's grants>          # read after the lock: includes every committed grant
    ...write...                                   # the lock is held until the caller's commit or rollback

A second transaction that asks for the same lock waits until the first one ends, then reads what it wrote.

PostgreSQL: `SELECT ... FOR NO KEY UPDATE` on the row (the strength an UPDATE of the row takes): it waits
for another transaction holding the lock or updating the row, while plain readers and the inserts of rows
that refer to it (an offer filed in a locked call: their foreign key check only takes KEY SHARE) are not
held up. Take the lock first in the transaction, before writing rows that refer to the locked one.

SQLite (the embedded default) has no row locks; its writers are serialised by one lock on the whole
database, taken by a transaction's first write, while reads made before it see whatever was committed
then. So the helper makes a write that changes nothing (`UPDATE t SET id = id WHERE id = ?`) as the first
thing: it takes the database's write lock (another writer waits, up to the driver's busy timeout) and
every read after it sees the latest committed state and nothing can change it until the commit.

On both, everything the session had loaded before the lock is expired, so that the operation re-reads the
owner and its children (its `offers`, their `decision`...) as they are once the lock is held: a decision
made on an object loaded before the lock would otherwise be made on what another transaction changed since.
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import update

from consult.extensions import db

T = TypeVar("T")


def lock_for_update(model: type[T], ident: int) -> T | None:
    """Lock the row of `model` with primary key `ident` until the end of the current transaction and
    return it freshly loaded (None if there is no such row). Pending changes are flushed first."""
    session = db.session
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        (pk,) = model.__table__.primary_key.columns
        session.execute(update(model.__table__).where(pk == ident).values({pk.name: pk}))
        session.expire_all()
        return session.get(model, ident)
    session.expire_all()
    return session.get(model, ident, with_for_update={"key_share": True}, populate_existing=True)
