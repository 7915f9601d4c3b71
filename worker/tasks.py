"""Celery tasks. Each receives ids, loads fresh rows and may run twice without making two documents or sending
an e-mail that was sent already."""
from __future__ import annotations

import logging

from celery.signals import worker_process_init

from consult.documents.dispatch import TASK_NAME
from consult.notifications.delivery import TASK_NAME as MAIL_TASK_NAME
from worker.celery_app import celery

log = logging.getLogger(__name__)
_flask_app = None


def flask_app():
    """One Flask app per worker process, made on first use (after the fork), configured from the environment."""
    global _flask_app
    if _flask_app is None:
        from consult import create_app

        _flask_app = create_app()
    return _flask_app


@worker_process_init.connect
def _warm_up(**_kwargs) -> None:
    """Make the app and the font configuration when a worker process starts, not in its first job."""
    from worker.pdf import font_config

    flask_app()
    font_config()


# A task that finds the database gone (restarted, failed over) tries again after 1, 2, 4 ... at most 30 seconds,
# for about ten minutes, instead of failing a job it has not harmed: the transaction went with the connection.
DATABASE_RETRIES = 25


def _database_backoff(retries: int) -> float:
    return float(min(30, 2 ** retries))


@celery.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=DATABASE_RETRIES)
def compile_document(self, job_id: int) -> int | None:
    from consult.core.outage import database_unavailable
    from consult.documents.operations import fail_job
    from consult.documents.runner import run_job

    app = flask_app()
    try:
        return run_job(int(job_id), app, fan_out=_fan_out)
    except Exception as exc:
        if database_unavailable(exc) and self.request.retries < DATABASE_RETRIES:
            log.warning("document job %s: the database is unavailable (%s); trying again", job_id,
                        type(exc).__name__)
            raise self.retry(countdown=_database_backoff(self.request.retries)) from exc
        log.exception("document job %s crashed", job_id)
        with app.app_context():
            fail_job(int(job_id), f"{type(exc).__name__}: {exc}")
        raise


@celery.task(name=MAIL_TASK_NAME, bind=True, acks_late=True, max_retries=None)
def deliver_email(self, notification_id: int) -> str | None:
    """One attempt to e-mail a notification; a refusal is retried with the backoff the row records, as many
    times as MAIL_MAX_ATTEMPTS allows (the row counts the attempts, so a redelivered task cannot exceed it)."""
    from consult.core.outage import database_unavailable
    from consult.notifications.delivery import attempt

    try:
        outcome = attempt(int(notification_id), flask_app())
    except Exception as exc:
        if database_unavailable(exc):  # the row counts attempts: the next one is tried once the database is back
            log.warning("e-mail %s: the database is unavailable (%s); trying again", notification_id,
                        type(exc).__name__)
            raise self.retry(countdown=_database_backoff(min(self.request.retries, 5))) from exc
        raise
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state


@celery.task(name="consult.send_reminders")
def send_reminders() -> int:
    """The periodic twin of `consult send-reminders` (worker/celery_app.py beat_schedule)."""
    from consult.core.operations import transaction
    from consult.notifications.operations import send_reminders as write_reminders

    with flask_app().app_context(), transaction():
        return len(write_reminders())


@celery.task(name="consult.send_due_mail")
def send_due_mail() -> dict:
    """The periodic twin of `consult send-mail`: e-mails whose attempt is due and nobody is sending."""
    from consult.notifications.delivery import deliver_due

    return deliver_due(flask_app())


# --- the consolidated consultation report: sections in parallel, then one assembly ------------------------

# Fewer missing sections than this are rendered by the job itself (after one position changed, say).
FAN_OUT_FROM = 3


def _fan_out(job) -> bool:
    """Whether the job's kind handed its work to other tasks (its registration's fan_out); False: build it here."""
    spread = job.document_kind.fan_out
    return bool(spread is not None and spread(job))


def fan_out_report(job) -> bool:
    """A programme report's missing sections go to the workers as a chord: one task per section (largest first)
    and, when all are done, the assembly. Nothing here waits for them (the consultation report's registration,
    consult/consultation_report/documents.py, names this)."""
    from celery import chord

    from consult.consultation_report.document import missing, plan, plan_to_json

    sections = plan(job.subject_id)
    todo = missing(sections)
    if len(todo) < FAN_OUT_FROM:
        job.report_plan = sections  # the build here uses this plan instead of reading every meeting again
        return False  # a section or two: rendering them here is quicker than a round trip through the queue
    from consult.documents.operations import start_progress

    start_progress(job.id, len(todo))
    body = assemble_report.si(job.id, plan_to_json(sections))
    chord([render_report_section.si(job.id, s.key, s.digest) for s in todo])(body)
    return True


@celery.task(name="consult.render_report_section", acks_late=True, reject_on_worker_lost=True)
def render_report_section(job_id: int, section: str | int, digest: str) -> int | None:
    """Render one section into the cache: `section` is its key ("meeting:12", "online:<programme>:<unit>"; a
    bare number, a meeting's id, from a task queued before online sections existed). A failure is only logged:
    the chord must go on to the assembly, which renders a section still missing itself and fails the job with
    the reason if it cannot."""
    from flask_babel import force_locale

    from consult.consultation_report.document import render_section
    from consult.documents.models import DocumentJob
    from consult.extensions import db

    app = flask_app()
    with app.app_context():
        job = db.session.get(DocumentJob, int(job_id))
        language = job.language if job is not None else "pl"
    with app.app_context(), force_locale(language):  # the report's language (the section digest includes it)
        try:
            row = render_section(int(job_id), section, str(digest))
            return row.id if row is not None else None
        except Exception:
            db.session.rollback()
            log.exception("report job %s: section %s failed", job_id, section)
            return None


@celery.task(name="consult.assemble_report", acks_late=True, reject_on_worker_lost=True)
def assemble_report(job_id: int, sections: list) -> int | None:
    from consult.consultation_report.document import assemble, plan_from_json
    from consult.documents.operations import fail_job
    from consult.documents.runner import finish_job

    app = flask_app()
    planned = plan_from_json(sections)
    try:
        return finish_job(int(job_id), app, lambda job: assemble(job.subject_id, planned, job.id))
    except Exception as exc:
        log.exception("report job %s: assembly crashed", job_id)
        with app.app_context():
            fail_job(int(job_id), f"{type(exc).__name__}: {exc}")
        raise


@celery.task(name="consult.warm_report_section", acks_late=True, reject_on_worker_lost=True)
def warm_report_section(key: str, debounce: float | None = None) -> bool:
    """Render a report section whose content changed, on the edit that marked it (or when its debounce window
    ends: consult.consultation_report.warm): the coordinator's next compile finds it cached."""
    from consult.consultation_report.warm import warm_section

    with flask_app().app_context():
        return warm_section(str(key), None if debounce is None else float(debounce))


@celery.task(name="consult.warm_stale_report_sections")
def warm_stale_report_sections() -> int:
    """The beat's sweep of sections marked stale whose task was lost (a worker that died, a broker that was down)."""
    from consult.consultation_report.warm import warm_stale

    app = flask_app()
    with app.app_context():
        # a section's render may wait REPORT_WARM_DELAY + REPORT_WARM_DEBOUNCE after its mark: the sweep leaves it
        return warm_stale(older_than=max(60.0, 4 * (float(app.config.get("REPORT_WARM_DELAY", 0.0))
                                                     + float(app.config.get("REPORT_WARM_DEBOUNCE", 5.0)))))
