"""Every state change of the consolidated consultation report: asking for a compile, publishing a version.

Both are for coordinators. The report shows published positions only, so every compiled version may be
published; publishing never unpublishes an earlier version (earlier versions stay downloadable).
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.operations import PENDING_BLOCKS_FOR, document_language
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.programmes.models import Programme

KIND = "programme_report"


def _require_coordinator(actor) -> None:
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Raport z konsultacji kompilują i publikują koordynatorzy."))


def _has_content(programme_id: int) -> bool:
    """A meeting (its section is there even before anything was filed at it) or a published postulate filed
    online."""
    from consult.consultation_report.online import IN_REPORT
    from consult.postulates.models import Postulate

    meeting = db.select(Meeting.id).where(Meeting.programme_id == programme_id)
    online = db.select(Postulate.id).where(Postulate.programme_id == programme_id, *IN_REPORT)
    return bool(db.session.scalar(db.select(db.or_(meeting.exists(), online.exists()))))


@once("report_compile")
def request_report(actor, programme: Programme, *, language: str | None = "pl") -> DocumentJob:
    """Queue the compile of the programme's consultation report in `language` (pl, en, uk); the job runs after
    the caller commits. While a compile in the same language is pending, asking again raises AlreadyDone with
    that job's id; one in another language is waited for (Refused)."""
    _require_coordinator(actor)
    language = document_language(language)
    programme = lock_for_update(Programme, programme.id)  # one pending compile: checked, then queued
    if not _has_content(programme.id):
        raise Refused(_("Program nie ma jeszcze spotkań branżowych ani opublikowanych postulatów złożonych online, "
                        "więc raport z konsultacji byłby pusty."))
    pending = db.session.scalar(
        db.select(DocumentJob).where(DocumentJob.kind == KIND, DocumentJob.about("programme", programme.id),
                                     DocumentJob.state.in_(("queued", "running")),
                                     DocumentJob.requested_at > utcnow() - PENDING_BLOCKS_FOR)
        .order_by(DocumentJob.id.desc()).limit(1))
    # One compile of a programme at a time, whatever its language: the assembly forgets the cached sections it
    # did not use, which a compile running beside it may be using.
    if pending is not None and pending.language == language:  # the same compile, asked for again
        raise AlreadyDone("document_job", pending.id)
    if pending is not None:
        raise Refused(_("Raport z konsultacji tego programu jest już kompilowany (zadanie nr %(id)s). Poczekaj, "
                        "aż się skończy.", id=pending.id))
    job = DocumentJob(kind=KIND, subject_id=programme.id, preview=False, language=language, state="queued",
                      attempts=0,
                      requested_by_id=getattr(actor, "id", None), requested_at=utcnow())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "programme", programme.id, "request_programme_report", job_id=job.id,
                 language=language)
    from consult.documents.dispatch import enqueue

    after_commit(db.session, enqueue, job.id, current_app._get_current_object())
    return job


def publish_report(actor, version: DocumentVersion) -> DocumentVersion:
    """Make a compiled version of the report public. Earlier published versions stay public."""
    _require_coordinator(actor)
    if version.kind != KIND:
        raise Refused(_("To nie jest wersja raportu z konsultacji."))
    if version.published:
        raise Refused(_("Wersja %(n)s raportu jest już opublikowana.", n=version.number))
    version.published_at = utcnow()
    version.published_by_id = getattr(actor, "id", None)
    version.published_by_label = str(getattr(actor, "name", None) or actor)[:200]
    audit.record(actor, "programme", version.subject_id, "publish_programme_report", document_version_id=version.id,
                 number=version.number, language=version.language, sha256=version.sha256)
    return version
