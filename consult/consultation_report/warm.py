"""Keeping the consultation report warm: a section whose content changed is rendered again in the background, so
that a coordinator's compile finds every section cached but those changed in the last moments.

Whatever changes what a section shows (a published position, an edited meeting, its attendance or officials, a
postulate forwarded to another unit, a redaction) is seen when the session flushes, whichever operation made it: the
section's key is marked in `report_stale_sections` in the same transaction. Only the first edit of a burst inserts
the row; after its commit that edit sends one Celery task (`consult.warm_report_section`). The first edit's task runs
REPORT_WARM_DELAY seconds later (default 0: at once, so that a compile asked for right after the edit finds the
section rendered or being rendered); an edit of the same section within REPORT_WARM_DEBOUNCE seconds (default 5) of
the start of the render before sends its task for the end of that window, and the edits made until then find the
section marked and send nothing (`_countdown`; the window is a Redis key the render writes when it starts): a burst
of edits costs two renders, the first at once and one trailing. When the task runs it deletes the row first (an edit made while it renders marks the section again and
sends another task), reads the section anew and renders it into the cache (consult.consultation_report.document.
obtain_section: while it renders, its claim in `report_section_renders` makes a compile wait for it instead of
rendering a copy, consult.consultation_report.inflight), and the front matter's statistics with it, in the language
of the programme's newest compile. A programme whose report was never compiled is not warmed: its first compile is a
cold one anyway. A beat task sweeps rows left behind (a worker that died, a broker that was down).

Without REDIS_URL (the embedded default) nothing is sent and nothing is rendered in the request: the marks stay, and
the next compile renders the missing sections as before (`warm_stale` renders them when called: the sweep's body).
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta
from functools import lru_cache

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from consult.consultation_report.models import (
    StaleReportSection,
    insert_if_absent,
    meeting_key,
    online_key,
    parse_key,
)
from consult.core.jobs import after_commit
from consult.core.types import utcnow

log = logging.getLogger(__name__)

TASK_NAME = "consult.warm_report_section"
_SEEN = "consult_report_warm_seen"


def _touched(session: Session) -> tuple[set[str], set[int]]:
    """The section keys the flushed objects name directly, and the postulates whose section is to be looked up."""
    from consult.meetings.models import Meeting, MeetingAttendance, MeetingOfficial
    from consult.postulates.models import Position, Postulate, Redaction

    keys: set[str] = set()
    postulate_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Meeting):
            if obj.id is not None:
                keys.add(meeting_key(obj.id))
        elif isinstance(obj, (MeetingAttendance, MeetingOfficial)):
            if obj.meeting_id is not None:
                keys.add(meeting_key(obj.meeting_id))
        elif isinstance(obj, Postulate):
            state = inspect(obj)
            for name in ("meeting_id", "responsible_unit_id"):  # the section it leaves is stale too
                history = state.attrs[name].history
                for old in history.deleted or ():
                    if old is not None and name == "meeting_id":
                        keys.add(meeting_key(old))
                    elif old is not None and obj.meeting_id is None:
                        keys.add(online_key(obj.programme_id, old))
            if obj.meeting_id is not None:
                keys.add(meeting_key(obj.meeting_id))
            elif obj.responsible_unit_id is not None and obj.programme_id is not None:
                keys.add(online_key(obj.programme_id, obj.responsible_unit_id))
        elif isinstance(obj, (Position, Redaction)) and obj.postulate_id is not None:
            postulate_ids.add(obj.postulate_id)
    return keys, postulate_ids


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    if not has_app_context():
        return
    keys, postulate_ids = _touched(session)
    if keys or postulate_ids:
        seen = session.info.setdefault(_SEEN, [set(), set()])
        seen[0] |= keys
        seen[1] |= postulate_ids


@event.listens_for(Session, "after_flush_postexec")
def _mark(session: Session, _context) -> None:
    """Mark the sections the flush touched (one statement each, on the flush's connection); a section marked
    already (an earlier edit of the burst) is left as it is."""
    seen = session.info.pop(_SEEN, None)
    if not seen:
        return
    keys, postulate_ids = seen
    connection = session.connection()
    if postulate_ids:
        from consult.postulates.models import Postulate

        for pid, meeting_id, programme_id, unit_id in connection.execute(
                Postulate.__table__.select().with_only_columns(
                    Postulate.id, Postulate.meeting_id, Postulate.programme_id, Postulate.responsible_unit_id)
                .where(Postulate.id.in_(sorted(postulate_ids)))):
            if meeting_id is not None:
                keys.add(meeting_key(meeting_id))
            elif unit_id is not None:
                keys.add(online_key(programme_id, unit_id))
    if not keys:
        return
    insert = insert_if_absent(StaleReportSection, connection.dialect.name)
    now = utcnow()
    # RETURNING says whether the row was inserted (psycopg reports no rowcount for ON CONFLICT DO NOTHING)
    fresh = [key for key in sorted(keys)
             if connection.execute(insert.values(key=key, marked_at=now)).first() is not None]
    if fresh:
        after_commit(session, schedule, fresh, current_app._get_current_object())


# The Redis key saying until when (a time.time() float) a section's debounce window lasts: written by the task that
# renders the section, when it starts, for REPORT_WARM_DEBOUNCE seconds (`_open_window`); read by an edit's schedule.
SLOT_PREFIX = "consult:report-warm:"


@lru_cache(maxsize=4)
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _countdown(url: str, key: str, delay: float) -> float:
    """Seconds until the section `key`'s render: REPORT_WARM_DELAY after the first edit of a burst (at once by
    default); for a later edit, made within REPORT_WARM_DEBOUNCE seconds of the render before, when that window
    ends (the edits made until then find the section marked and are rendered together, by that one task)."""
    until = _redis(url).get(SLOT_PREFIX + key)
    remaining = float(until) - time.time() if until else 0.0
    return max(0.0, delay, remaining)


def _open_window(key: str, debounce: float) -> None:
    """The debounce window of a render starting now (the background's Redis, when there is one)."""
    url = current_app.config.get("REDIS_URL")
    if not url or debounce <= 0:
        return
    try:
        _redis(url).set(SLOT_PREFIX + key, repr(time.time() + debounce), px=int(1000 * debounce) + 1000)
    except Exception:  # without the window the next edit is rendered at once: more renders, nothing wrong
        log.warning("report section %s: its debounce window could not be written", key, exc_info=True)


def schedule(keys: list[str], app) -> None:
    """Send one render per section newly marked (after the commit that marked them), when `_countdown` says, with
    the debounce its render opens. Without REDIS_URL: nothing (the request is not slowed down; the next compile
    renders what is missing)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return
    delay = float(app.config.get("REPORT_WARM_DELAY", 0.0))
    debounce = float(app.config.get("REPORT_WARM_DEBOUNCE", 5.0))
    try:
        from worker.celery_app import client_for

        client = client_for(url)
        for key in keys:
            client.send_task(TASK_NAME, args=[key], kwargs={"debounce": debounce},
                             countdown=_countdown(url, key, delay))
    except Exception:  # the broker is down: the beat sweep or the next compile renders them
        log.exception("could not schedule the report sections %s", keys)


def _programme_of(key: str) -> int | None:
    from consult.extensions import db
    from consult.meetings.models import Meeting

    kind, ids = parse_key(key)
    if kind == "meeting":
        return db.session.scalar(db.select(Meeting.programme_id).where(Meeting.id == ids[0]))
    return ids[0]


def _report_language(programme_id: int) -> str | None:
    """The language of the programme's newest compiled report; None when it was never compiled."""
    from consult.consultation_report.operations import KIND
    from consult.documents.models import DocumentVersion
    from consult.extensions import db

    return db.session.scalar(
        db.select(DocumentVersion.language)
        .where(DocumentVersion.kind == KIND, DocumentVersion.about("programme", programme_id))
        .order_by(DocumentVersion.id.desc()).limit(1))


def warm_section(key: str, debounce: float | None = None) -> bool:
    """Render the marked section `key` again if its content is not cached (in an app context), and the front
    matter's statistics with it. True when the section was rendered here; False when another task took the mark,
    the programme's report was never compiled, or the section is cached (or was rendered by another process while
    this one waited for it: consult.consultation_report.inflight). The mark is deleted (and committed) before the
    content is read; the section's debounce window (`debounce` seconds, REPORT_WARM_DEBOUNCE of the edit's app, or
    of this one's for a task sent without it) opens before that commit, so an edit that marks the section again
    from then on is rendered when the window ends."""
    from flask_babel import force_locale

    from consult.consultation_report.document import content_of, obtain_section
    from consult.extensions import db

    taken = db.session.execute(db.delete(StaleReportSection).where(StaleReportSection.key == key)).rowcount
    if taken == 1:
        _open_window(key, float(current_app.config.get("REPORT_WARM_DEBOUNCE", 5.0)) if debounce is None
                     else float(debounce))
    db.session.commit()
    if taken != 1:
        return False
    try:
        programme_id = _programme_of(key)
        language = _report_language(programme_id) if programme_id is not None else None
        if language is None:
            return False
        with force_locale(language):
            content = content_of(key)
            rendered = False
            if content is not None:
                _row, how = obtain_section(None, key, content.digest, content=content)
                rendered = how == "rendered"
            warm_statistics(programme_id)  # whatever the section: the edit may have changed them alone
            return rendered
    except Exception:
        db.session.rollback()
        log.exception("report section %s: rendering it in the background failed", key)
        return False
    finally:
        db.session.rollback()


def warm_statistics(programme_id: int) -> None:
    """Render the front matter's statistics as the next compile will show them (a published position changes them),
    unless they are cached (consult.consultation_report.document._front_part) or another process is rendering them
    (a compile that started meanwhile); the contents depend on every section's page count and on the day, and are
    left to the compile."""
    from consult.consultation_report import inflight
    from consult.consultation_report.document import _front_part, front_part_cached, statistics
    from consult.consultation_report.models import statistics_key
    from consult.i18n import current_locale

    data = {"statistics": statistics(programme_id)}
    if front_part_cached(programme_id, "statistics", data):
        return
    with inflight.held(statistics_key(programme_id), programme_id, current_locale()) as mine:
        if mine:
            _front_part(programme_id, "statistics", data)


def warm_stale(older_than: float = 0.0) -> int:
    """Render every marked section marked at least `older_than` seconds ago (the beat sweep; tests call it as the
    background). Returns how many were rendered."""
    from consult.extensions import db

    before = utcnow() - timedelta(seconds=older_than)
    keys = list(db.session.scalars(db.select(StaleReportSection.key).where(StaleReportSection.marked_at <= before)
                                   .order_by(StaleReportSection.marked_at)))
    db.session.rollback()
    return sum(1 for key in keys if warm_section(key))
