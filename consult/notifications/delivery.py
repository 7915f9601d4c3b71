"""Delivering the e-mail of a notification: by a Celery worker through Redis, or in this process.

After the commit that wrote a notification (`schedule`), its id goes to the broker when REDIS_URL is set
(task `consult.deliver_email`, worker/tasks.py); without it this process tries once at once. An attempt
(`attempt`) claims the row, sends it (consult/notifications/mailer.py) and records the outcome:

- accepted: `sent`, with the time;
- refused or unreachable: the error is kept and, while fewer than MAIL_MAX_ATTEMPTS were made, another attempt
  is due after MAIL_RETRY_DELAY seconds, doubled each time (the worker retries the task with that countdown;
  in process `consult send-mail`, run from cron, sends what is due); after the last one the row is `failed`,
  which the coordinators' outbox shows with the reason, and from where they may send it again.

A claim is a conditional update (`sending_since`), so two processes never try the same e-mail at once; a claim
left by a process that died expires after CLAIM_EXPIRES and `consult send-mail` picks the row up again.
Nothing is lost silently: a row is queued until it is sent or shown as failed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import or_, update

from consult.core.jobs import after_commit
from consult.core.types import utcnow
from consult.extensions import db
from consult.notifications import mailer
from consult.notifications.models import ATTACHING_KINDS, FIXED_ADDRESS_KINDS, Notification

log = logging.getLogger(__name__)

TASK_NAME = "consult.deliver_email"
CLAIM_EXPIRES = timedelta(minutes=10)
MAX_ERROR = 2000


@dataclass(frozen=True)
class Outcome:
    state: str | None  # sent, queued (a retry is due later), failed; None: nothing was tried
    retry_in: float | None = None


def schedule(note: Notification, *, detached: bool = False) -> None:
    """Deliver the notification's e-mail once the current transaction commits (dropped on rollback). `detached`:
    without a broker the attempt runs in a thread of its own, so the request does not wait for the SMTP server
    (a password-reset page must answer as fast whether or not it wrote an e-mail)."""
    after_commit(db.session(), enqueue_detached if detached else enqueue, note.id,
                 current_app._get_current_object())


def enqueue_detached(note_id: int, app: Flask) -> None:
    if app.config.get("REDIS_URL"):
        enqueue(note_id, app)
        return
    import threading

    threading.Thread(target=enqueue, args=(note_id, app), name=f"e-mail {note_id}", daemon=True).start()


def enqueue(note_id: int, app: Flask) -> None:
    """Send the id to the worker (REDIS_URL) or try it here and now. A broker that is down leaves the row
    queued and due: `consult send-mail` delivers it."""
    url = app.config.get("REDIS_URL")
    if url:
        try:
            from worker.celery_app import client_for

            client_for(url).send_task(TASK_NAME, args=[note_id])
        except Exception:
            log.exception("could not send e-mail %s to the queue at %s; consult send-mail will deliver it", note_id,
                          url)
        return
    try:
        attempt(note_id, app)
    except Exception:  # the change is committed whatever happens to its e-mail; the row stays queued for cron
        log.exception("e-mail %s: the attempt in process crashed; consult send-mail will retry it", note_id)


def _attachments(note: Notification) -> list[tuple[str, bytes]]:
    """The PDF a receipt is about, carried by its e-mail (when its file is still there)."""
    if note.kind not in ATTACHING_KINDS or note.related_type != "document_version":
        return []
    from consult.documents import storage
    from consult.documents.models import DocumentVersion

    version = db.session.get(DocumentVersion, note.related_id)
    path = storage.path_of(version.storage_key) if version is not None else None
    return [(version.filename, path.read_bytes())] if path is not None and path.is_file() else []


def attempt(note_id: int, app: Flask) -> Outcome:
    """One delivery attempt of a queued e-mail, in an application context (and a session) of its own."""
    with app.app_context():
        note = _claim(note_id)
        if note is None:
            return Outcome(None)
        config = app.config
        recipient = note.recipient
        if recipient is None:  # a person without an account: the address they gave
            address = note.address
        else:
            address = note.address if note.kind in FIXED_ADDRESS_KINDS and note.address else recipient.email
            if not recipient.active:  # no point in trying again: show it as failed at once
                return _record_failure(note, "Konto odbiorcy jest nieaktywne: e-maila nie wysłano.", config,
                                       final=True)
        try:
            from consult.notifications.rendering import email_text

            message = mailer.build_message(config, to_address=address, to_name=note.to_name,
                                           subject=note.subject, text=email_text(note), locale=note.locale,
                                           attachments=_attachments(note))
            mailer.send(config, message)
        except mailer.DeliveryError as exc:
            return _record_failure(note, str(exc), config)
        except Exception as exc:  # a bug or a bad row: recorded like a refusal, never left hanging
            log.exception("e-mail %s could not be built or sent", note_id)
            return _record_failure(note, f"{type(exc).__name__}: {exc}", config)
        now = utcnow()
        db.session.execute(update(Notification).where(Notification.id == note.id)
                           .values(state="sent", sent_at=now, address=address, sending_since=None,
                                   next_attempt_at=None)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        log.info("e-mail %s sent to %s", note_id, address)
        return Outcome("sent")


def _claim(note_id: int) -> Notification | None:
    now = utcnow()
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id == note_id, Notification.state == "queued",
               or_(Notification.sending_since.is_(None), Notification.sending_since < now - CLAIM_EXPIRES))
        .values(sending_since=now, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    return db.session.get(Notification, note_id, populate_existing=True)


def retry_delay(config, attempts: int) -> float:
    """Seconds before attempt number `attempts + 1`: the base delay, doubled after each attempt."""
    return float(config["MAIL_RETRY_DELAY"]) * (2 ** max(0, attempts - 1))


def _record_failure(note: Notification, reason: str, config, *, final: bool = False) -> Outcome:
    db.session.rollback()
    attempts = note.attempts
    reason = reason[:MAX_ERROR]
    if final or attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
        values = {"state": "failed", "error": reason, "sending_since": None, "next_attempt_at": None}
        outcome = Outcome("failed")
        log.warning("e-mail %s failed after %s attempts: %s", note.id, attempts, reason)
    else:
        delay = retry_delay(config, attempts)
        values = {"error": reason, "sending_since": None, "next_attempt_at": utcnow() + timedelta(seconds=delay)}
        outcome = Outcome("queued", retry_in=delay)
        log.info("e-mail %s refused (attempt %s), next attempt in %.1f s: %s", note.id, attempts, delay, reason)
    db.session.execute(update(Notification).where(Notification.id == note.id, Notification.state == "queued")
                       .values(**values).execution_options(synchronize_session=False))
    db.session.commit()
    return outcome


def due_ids(limit: int = 500) -> list[int]:
    """Queued e-mails whose attempt is due and that nobody is sending (or whose sender died)."""
    now = utcnow()
    return list(db.session.scalars(
        db.select(Notification.id)
        .where(Notification.state == "queued",
               or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
               or_(Notification.sending_since.is_(None), Notification.sending_since < now - CLAIM_EXPIRES))
        .order_by(Notification.id).limit(limit)))


def deliver_due(app: Flask) -> dict[str, int]:
    """Try every due e-mail once, here: what `consult send-mail` and the periodic task do. Counts by outcome."""
    counts = {"sent": 0, "queued": 0, "failed": 0}
    if not mailer.smtp_configured(app.config):
        return counts
    with app.app_context():
        ids = due_ids()
    for note_id in ids:
        outcome = attempt(note_id, app)
        if outcome.state:
            counts[outcome.state] += 1
    return counts
