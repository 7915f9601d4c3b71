"""Follow-up work scheduled to run after the current transaction commits.

Operations never send e-mail or enqueue a Celery task before their changes are durable: they call
`after_commit(fn, *args)`; the callbacks run once the session commits and are dropped on rollback.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "consult_after_commit"


def after_commit(session: Session, fn: Callable, *args, **kwargs) -> None:
    session.info.setdefault(_KEY, []).append((fn, args, kwargs))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    pending = session.info.pop(_KEY, [])
    for fn, args, kwargs in pending:
        fn(*args, **kwargs)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
