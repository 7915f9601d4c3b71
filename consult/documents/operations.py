"""Every state change of a document job or version that is no domain's: queueing a compile a domain asked for,
the job's own steps and progress, recording who published a version.

A domain's own operations (consult/<domain>/documents.py: compiling a meeting's summary, a call's PDFs, ...) check
who asks and the subject's state, then call `queue_job`; publishing is theirs too, with `mark_published`.
`claim_job`, `complete_job` and `fail_job` are the job's own steps; each commits, because a job reports its progress
to the page while it runs, and each is a conditional update so that a job delivered twice (a worker killed before it
acknowledged the message) ends with one version. What a kind's version is called in the audit log, whether it is
public the moment it is compiled, and its subject are the kind's registration (consult.documents.registry).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError

from consult.core import audit
from consult.core.errors import Refused
from consult.core.jobs import after_commit
from consult.core.types import utcnow
from consult.documents.models import DOCUMENT_LANGUAGES, DocumentJob, DocumentVersion
from consult.documents.registry import kind_of
from consult.extensions import db

# A compile asked for while an equal one (same subject, preview or not, language) is pending is answered with
# that job (AlreadyDone) for this long, so that a double click does not make two versions; after it a stuck
# job is no longer waited for.
PENDING_BLOCKS_FOR = timedelta(minutes=10)
MAX_REASON = 2000


def document_language(language: str | None) -> str:
    """The language a document is asked for in: Polish when none is given, refused when it is not one the
    documents are translated into."""
    from consult.i18n import LANGUAGE_NAMES

    if language is None or language == "":
        return "pl"
    if language not in DOCUMENT_LANGUAGES:
        raise Refused(_("Nieznany język dokumentu: „%(language)s”. Wybierz jeden z: %(known)s.",
                        language=str(language)[:20], known=", ".join(LANGUAGE_NAMES[c] for c in DOCUMENT_LANGUAGES)),
                      field="language")
    return language


def queue_job(actor, kind: str, subject_id: int, *, preview: bool = False, language: str = "pl") -> DocumentJob:
    """A new job compiling the document of `kind` about the subject, run after the caller commits (by a Celery
    worker with REDIS_URL, in this process without it). The domain's operation that asks for it has checked who
    asks, the subject's state and that no equal job is pending, and records its own audit event."""
    document_kind = kind_of(kind)
    job = DocumentJob(kind=kind, subject_type=document_kind.subject_type, subject_id=subject_id, preview=preview, language=document_language(language), state="queued", attempts=0,
                      requested_by_id=getattr(actor, "id", None), requested_at=utcnow())
    db.session.add(job)
    db.session.flush()
    from consult.documents.dispatch import enqueue

    after_commit(db.session, enqueue, job.id, current_app._get_current_object())
    return job


def pending_job(kind: str, subject_id: int, *, preview: bool | None = None, language: str | None = None,
                states=("queued", "running"), since=None) -> DocumentJob | None:
    """The newest job of `kind` about the subject in one of `states` (asked for after `since`), if any."""
    query = db.select(DocumentJob).where(DocumentJob.kind == kind, DocumentJob.subject_id == subject_id,
                                         DocumentJob.state.in_(states))
    if preview is not None:
        query = query.where(DocumentJob.preview == preview)
    if language is not None:
        query = query.where(DocumentJob.language == language)
    if since is not None:
        query = query.where(DocumentJob.requested_at > since)
    return db.session.scalar(query.order_by(DocumentJob.id.desc()).limit(1))


def mark_published(actor, version: DocumentVersion) -> DocumentVersion:
    """Record who made the version public and when; the domain's publish operation has checked the rest."""
    version.published_at = utcnow()
    version.published_by_id = getattr(actor, "id", None)
    version.published_by_label = str(getattr(actor, "name", None) or actor)[:200]
    return version


def may_see(user, version: DocumentVersion) -> bool:
    """Whether the user (None: someone not signed in) may see the version, as its kind says."""
    return bool(kind_of(version.kind).may_see(user, version))


# --- the job's own steps (each commits) -----------------------------------------------------------

def start_progress(job_id: int, total: int) -> None:
    """The job has `total` steps to do (a report's sections to render); none is done yet. Bookkeeping of the job
    itself, like its attempts: no audit event."""
    db.session.execute(update(DocumentJob).where(DocumentJob.id == job_id)
                       .values(progress_done=0, progress_total=total).execution_options(synchronize_session=False))
    db.session.commit()


def advance_progress(job_id: int) -> None:
    """One more step of the job is done (never past its total: a step redelivered after a crash counts once more
    at most up to it). Its own small transaction, so that two workers' steps both count."""
    db.session.execute(
        update(DocumentJob)
        .where(DocumentJob.id == job_id, DocumentJob.progress_total.isnot(None),
               DocumentJob.progress_done < DocumentJob.progress_total)
        .values(progress_done=DocumentJob.progress_done + 1).execution_options(synchronize_session=False))
    db.session.commit()


def claim_job(job_id: int) -> DocumentJob | None:
    """Mark the job running (again, if a worker died in the middle). None when there is nothing to do."""
    result = db.session.execute(
        update(DocumentJob)
        .where(DocumentJob.id == job_id, DocumentJob.state.in_(("queued", "running")))
        .values(state="running", attempts=DocumentJob.attempts + 1, started_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(DocumentJob, job_id, populate_existing=True)


def complete_job(job_id: int, *, storage_key: str, sha256: str, size: int, pages: int,
                 source_digest: str) -> DocumentVersion | None:
    """Create the job's version and mark it done, in one transaction; None if the job was finished already."""
    for _attempt in range(3):
        try:
            now = utcnow()
            done = db.session.execute(
                update(DocumentJob)
                .where(DocumentJob.id == job_id, DocumentJob.state.in_(("queued", "running")))
                .values(state="done", finished_at=now, error=None)
                .execution_options(synchronize_session=False))
            if done.rowcount != 1:
                db.session.rollback()
                return None
            job = db.session.get(DocumentJob, job_id, populate_existing=True)
            kind = kind_of(job.kind)
            number = (db.session.scalar(
                db.select(func.max(DocumentVersion.number))
                .where(DocumentVersion.kind == job.kind, DocumentVersion.subject_id == job.subject_id)) or 0) + 1
            version = DocumentVersion(
                kind=job.kind, subject_type=job.subject_type, subject_id=job.subject_id, job_id=job.id, number=number, preview=job.preview, language=job.language,
                storage_key=storage_key, sha256=sha256, size=size, pages=pages, source_digest=source_digest,
                created_at=now, created_by_id=job.requested_by_id)
            if kind.published_on_compile and not job.preview:  # public the moment its subject's step is
                version.published_at, version.published_by_label = now, kind.published_by_label
            db.session.add(version)
            db.session.flush()
            audit.record(None, *_audited_as(job), kind.compiled_action, job_id=job.id,
                         **_subject_detail(job),
                         version=number, preview=job.preview, language=job.language, sha256=sha256, pages=pages)
            db.session.commit()
            return version
        except IntegrityError:
            # Two jobs of one meeting took the same number at once, or a twin of this job won: look again.
            db.session.rollback()
    raise RuntimeError(f"document job {job_id}: could not record its version")


def _audited_as(job: DocumentJob) -> tuple[str, int]:
    """A summary's compile is part of the meeting's story (its trail shows it); a call's PDFs are a follow-up of
    the call's transitions, kept out of the call's trail of decisions and audited as the job's own."""
    return ("document_job", job.id) if job.document_kind.audit_as_job else (job.subject_type, job.subject_id)


def _subject_detail(job: DocumentJob) -> dict:
    """A compile audited as the job's own names its subject in the details ("call_id": 7), so that the subject's
    page can find its documents' events."""
    return {f"{job.subject_type}_id": job.subject_id} if job.document_kind.audit_as_job else {}


def fail_job(job_id: int, reason: str) -> bool:
    """Mark the job failed with its reason. Published versions are left as they are."""
    reason = (reason or "").strip() or _("nieznany błąd")
    result = db.session.execute(
        update(DocumentJob)
        .where(DocumentJob.id == job_id, DocumentJob.state.in_(("queued", "running")))
        .values(state="failed", error=reason[:MAX_REASON], finished_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount == 1:
        job = db.session.get(DocumentJob, job_id)
        audit.record(None, *_audited_as(job), job.document_kind.compiled_action + "_failed", job_id=job_id,
                     **_subject_detail(job), reason=reason[:500])
    db.session.commit()
    return result.rowcount == 1
