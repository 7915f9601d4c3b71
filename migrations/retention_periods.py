"""Seeding the default retention period of a kind of record (consult/retention/kinds.py), for the migrations that add
a kind: each migration names its own kind, months and legal basis (copied there, so that a later change of the default
does not change what the migration did); a row an administrator already made for the kind is left as it is.

A migration loads this file by its path, as migrations/kinds.py says of itself (the migrations folder is no package),
and calls `seed(op, KIND, MONTHS, BASIS)` in its upgrade and `unseed(op, KIND)` in its downgrade.
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

import consult.core.types

periods = sa.table('retention_periods', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                   sa.column('months', sa.Integer), sa.column('legal_basis', sa.Text),
                   sa.column('updated_at', consult.core.types.UTCDateTime()), sa.column('version', sa.Integer))


def seed(op, kind: str, months: int, basis: str) -> None:
    conn = op.get_bind()
    if conn.scalar(sa.select(periods.c.id).where(periods.c.kind == kind)) is None:
        conn.execute(periods.insert().values(kind=kind, months=months, legal_basis=basis,
                                             updated_at=datetime.now(UTC), version=1))


def unseed(op, kind: str) -> None:
    op.get_bind().execute(periods.delete().where(periods.c.kind == kind))
