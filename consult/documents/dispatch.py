"""Handing a document job to whoever runs it: a Celery worker through Redis, or this process.

With REDIS_URL the job goes to the broker and a `celery -A worker.celery_app worker` process runs it.
Without it the job runs here and now (after the commit that created it), so the embedded default works
with no Redis at all.
"""
from __future__ import annotations

import logging

from flask import Flask

log = logging.getLogger(__name__)

TASK_NAME = "consult.compile_document"


def enqueue(job_id: int, app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    if url:
        try:
            from worker.celery_app import client_for

            client_for(url).send_task(TASK_NAME, args=[job_id])
        except Exception as exc:  # the broker is down: say so on the job instead of leaving it queued
            log.exception("could not send document job %s to %s", job_id, url)
            _fail_in_new_context(app, job_id, f"Nie udało się przekazać zadania do kolejki ({exc}).")
        return
    from consult.documents.runner import run_job

    try:
        run_job(job_id, app)
    except Exception as exc:
        log.exception("document job %s failed in process", job_id)
        _fail_in_new_context(app, job_id, str(exc))


def _fail_in_new_context(app: Flask, job_id: int, reason: str) -> None:
    from consult.documents.operations import fail_job

    with app.app_context():
        fail_job(job_id, reason)
