"""Running one document job: claim it, build the PDF from fresh rows (with its kind's registered compile), store it
under its kind's folder, record the version.

The job renders under `force_locale(job.language)`: labels, dates and page numbers in the language the
coordinator chose (Polish unless they chose another), user content as filed.

Safe to run twice or after a crash: a job that is done already is skipped, a job left running by a
worker that died is run again, and only the run that marks the job done records a version (the file a
losing twin wrote is removed).
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from flask import Flask
from flask_babel import force_locale

from consult.documents import storage
from consult.documents.models import DocumentJob
from consult.documents.operations import claim_job, complete_job, fail_job
from consult.extensions import db

log = logging.getLogger(__name__)


def run_job(job_id: int, app: Flask, *, fan_out: Callable | None = None) -> int | None:
    """Run the job in its own application context (its own database session). Returns the version id.

    `fan_out(job)` (a Celery worker gives one) may hand the rest of the job to other tasks and return True:
    the job then stays running, and `finish_job` completes it later.
    """
    with app.app_context():
        job = claim_job(job_id)
        if job is None:
            log.info("document job %s: nothing to do (done, failed or missing)", job_id)
            return None
        with force_locale(job.language):  # every label, date and page number in the document's language
            try:
                if fan_out is not None and fan_out(job):
                    return None
            except Exception as exc:
                db.session.rollback()
                log.exception("document job %s failed to fan out", job_id)
                fail_job(job_id, _reason(exc))
                return None
            return _build_and_record(job, lambda: job.document_kind.compile(job))


def finish_job(job_id: int, app: Flask, build: Callable) -> int | None:
    """Complete a running job whose work was fanned out: `build(job)` makes the document from what the other
    tasks prepared. A job that is not running any more (done, failed, missing) is left alone."""
    with app.app_context():
        job = db.session.get(DocumentJob, job_id)
        if job is None or job.state != "running":
            log.info("document job %s: nothing to finish (%s)", job_id, job and job.state)
            return None
        with force_locale(job.language):
            return _build_and_record(job, lambda: build(job))


def _build_and_record(job, build: Callable) -> int | None:
    job_id = job.id
    try:
        built = build()
        sha = hashlib.sha256(built.pdf).hexdigest()
        key = f"{job.document_kind.folder}/{job.subject_id}/job-{job.id}-{sha[:16]}.pdf"
        storage.write(key, built.pdf)
    except Exception as exc:
        db.session.rollback()
        log.exception("document job %s failed", job_id)
        fail_job(job_id, _reason(exc))
        return None
    version = complete_job(job_id, storage_key=key, sha256=sha, size=len(built.pdf), pages=built.pages,
                           source_digest=built.source_digest)
    if version is None:
        storage.remove(key)
        return None
    if job.document_kind.after_compile is not None:  # the version is committed whatever its follow-up does
        try:
            job.document_kind.after_compile(version.id)
        except Exception:
            log.exception("document job %s: the follow-up of version %s failed", job_id, version.id)
    return version.id


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
