"""Renders in flight: a part of the consultation report (a section, or the front matter's statistics) being rendered
by some process right now, so that another process needing the same part waits for it instead of rendering its own
copy.

A render claims the part (its key and the language it renders in) in `report_section_renders` when it starts, in a
transaction of its own, and deletes the claim when it ends (`held`). The typical case: a position is published, the
background (consult.consultation_report.warm) starts rendering its section at once, and the coordinator asks for the
report a moment later: the compile finds the section missing from the cache but claimed, renders what nobody renders
(the statistics, say) and then waits for the claim to go (`wait_for`) and takes the section from the cache.

A claim is ignored (the waiting process renders the part itself) once it is older than REPORT_RENDER_WAIT seconds
(default 60: a render takes seconds) or when the process that wrote it is gone from this host (`worker` is
"<host>:<pid>"): a worker that died leaves its claim behind, and nobody waits for it.
"""
from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from consult.consultation_report.models import SectionRender, insert_if_absent
from consult.core.types import utcnow
from consult.extensions import db

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1


def me() -> str:
    """This process, as its claims name it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def render_wait() -> float:
    return float(current_app.config.get("REPORT_RENDER_WAIT", 60.0))


def _alive(worker: str) -> bool:
    """Whether the process that wrote a claim may still be rendering: on another host, it is assumed to be (only the
    claim's age tells); on this one, its pid must exist."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def live(started_at, worker: str) -> bool:
    """Whether a claim is of a render that may still end: younger than REPORT_RENDER_WAIT, its process alive."""
    return started_at > utcnow() - timedelta(seconds=render_wait()) and _alive(worker)


def _claim_of(key: str, language: str):
    return db.session.execute(select(SectionRender.started_at, SectionRender.worker).where(
        SectionRender.key == key, SectionRender.language == language)).first()


def claim(key: str, programme_id: int, language: str) -> bool:
    """Claim the part `key` for a render in `language` by this process (committed). True when this process holds
    the claim now (written, or a dead render's claim taken over); False when a live render holds it."""
    for _attempt in range(3):
        now = utcnow()
        inserted = db.session.execute(insert_if_absent(SectionRender, db.engine.dialect.name).values(
            key=key, language=language, programme_id=programme_id, started_at=now, worker=me())).first()
        db.session.commit()
        if inserted is not None:
            return True
        held_by = _claim_of(key, language)
        db.session.rollback()
        if held_by is None:
            continue  # it ended between the two statements: claim it again
        if live(held_by.started_at, held_by.worker):
            return False
        taken = db.session.execute(
            update(SectionRender).where(SectionRender.key == key, SectionRender.language == language,
                                        SectionRender.worker == held_by.worker,
                                        SectionRender.started_at == held_by.started_at)
            .values(started_at=now, worker=me()).execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        if taken == 1:
            log.warning("report part %s (%s): the claim of %s, started %s, was left by a render that died; "
                        "rendering it here", key, language, held_by.worker, held_by.started_at)
            return True
    return False


def release(key: str, language: str) -> None:
    """Delete this process's claim of the part (committed)."""
    db.session.rollback()
    db.session.execute(delete(SectionRender).where(SectionRender.key == key, SectionRender.language == language,
                                                   SectionRender.worker == me()))
    db.session.commit()


@contextmanager
def held(key: str, programme_id: int, language: str) -> Iterator[bool]:
    """Claim the part for the time of the block; yields whether this process holds the claim (False: another live
    render does, and the block should not render it)."""
    mine = claim(key, programme_id, language)
    try:
        yield mine
    finally:
        if mine:
            release_quietly(key, language)


def release_quietly(key: str, language: str) -> None:
    """`release`, at the end of a render whose outcome stands whatever happens to the claim: a claim that cannot be
    deleted is logged and left to age out (REPORT_RENDER_WAIT)."""
    try:
        release(key, language)
    except Exception:
        db.session.rollback()
        log.exception("report part %s (%s): its claim could not be deleted", key, language)


def in_flight(keys: list[str], language: str) -> set[str]:
    """Which of the parts `keys` a live render holds a claim of, in `language`."""
    if not keys:
        return set()
    rows = db.session.execute(select(SectionRender.key, SectionRender.started_at, SectionRender.worker).where(
        SectionRender.key.in_(sorted(set(keys))), SectionRender.language == language)).all()
    found = {row.key for row in rows if live(row.started_at, row.worker)}
    db.session.rollback()
    return found


def wait_for(key: str, language: str) -> float:
    """Wait while a live render holds the part's claim (at most REPORT_RENDER_WAIT seconds); the seconds waited."""
    started = time.monotonic()
    limit = render_wait()
    while time.monotonic() - started < limit:
        db.session.rollback()  # see the other process's commits
        row = _claim_of(key, language)
        if row is None or not live(row.started_at, row.worker):
            break
        time.sleep(POLL_SECONDS)
    db.session.rollback()
    return time.monotonic() - started
