"""Celery tasks. Each receives ids, loads fresh rows and may run twice without making two documents."""
from __future__ import annotations

import logging

from celery.signals import worker_process_init

from consult.documents.dispatch import TASK_NAME
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


@celery.task(name=TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def compile_document(job_id: int) -> int | None:
    from consult.documents.operations import fail_job
    from consult.documents.runner import run_job

    app = flask_app()
    try:
        return run_job(int(job_id), app)
    except Exception as exc:
        log.exception("document job %s crashed", job_id)
        with app.app_context():
            fail_job(int(job_id), f"{type(exc).__name__}: {exc}")
        raise
