"""Every state change of a document job or version: asking for a compile, the job's own progress,
publishing a version.

`request_compile` and `publish_version` are the doors views and CLI commands use for meeting summaries,
`request_call_document` the one the call workflow's after-commit hooks use (the caller owns the
transaction). A call's announcement and results are public the moment the call's operation publishes them,
so their PDF is published by the very step that records its version; a meeting summary is published by a
coordinator who has read it. `claim_job`, `complete_job` and `fail_job` are the job's own steps; each commits, because
a job reports its progress to the page while it runs, and each is a conditional update so that a job
delivered twice (a worker killed before it acknowledged the message) ends with one version.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import fire
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.documents.models import CALL_KINDS, DOCUMENT_LANGUAGES, DocumentJob, DocumentVersion
from consult.extensions import db
from consult.meetings.models import Meeting
from workflows import MEETING

# A compile asked for while an equal one (same meeting, preview or not, language) is pending is answered with
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


def _require_coordinator(actor) -> None:
    if not has_role(actor, "coordinator"):
        raise Forbidden(_("Podsumowania spotkań kompilują i publikują koordynatorzy."))


@once("summary_compile")
def request_compile(actor, meeting: Meeting, *, preview: bool = False, language: str | None = "pl") -> DocumentJob:
    """Queue the compile of the meeting's summary in `language` (pl, en, uk); the job runs after the caller commits.

    A preview may show draft positions and is marked PROJEKT; only a final compile can be published. While an
    equal compile is pending, asking again raises AlreadyDone with that job's id instead of queueing a second.
    """
    _require_coordinator(actor)
    language = document_language(language)
    if not preview and meeting.state == "planned":
        raise Refused(_("Spotkanie jeszcze się nie odbyło, więc jego podsumowania nie można opublikować. "
                        "Możesz przygotować podgląd (projekt)."))
    meeting = lock_for_update(Meeting, meeting.id)  # one pending compile: checked, then queued
    pending = db.session.scalar(
        db.select(DocumentJob).where(DocumentJob.meeting_id == meeting.id, DocumentJob.preview == preview,
                                     DocumentJob.language == language,
                                     DocumentJob.state.in_(("queued", "running")),
                                     DocumentJob.requested_at > utcnow() - PENDING_BLOCKS_FOR)
        .order_by(DocumentJob.id.desc()).limit(1))
    if pending is not None:  # the same compile, asked for again: that job is the answer
        raise AlreadyDone("document_job", pending.id)
    job = DocumentJob(kind="meeting_summary", meeting=meeting, meeting_id=meeting.id, preview=preview,
                      language=language, state="queued", attempts=0, requested_by_id=getattr(actor, "id", None),
                      requested_at=utcnow())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "meeting", meeting.id, "request_summary", job_id=job.id, preview=preview, language=language)
    from consult.documents.dispatch import enqueue

    after_commit(db.session, enqueue, job.id, current_app._get_current_object())
    return job


def publish_version(actor, version: DocumentVersion) -> DocumentVersion:
    """Make a compiled version the meeting's public summary. Earlier published versions stay public."""
    _require_coordinator(actor)
    if version.kind != "meeting_summary":
        raise Refused(_("Dokumenty konkursu są publikowane razem z ogłoszeniem konkursu i jego wynikami."))
    if version.preview:
        raise Refused(_("To jest podgląd (projekt) – może zawierać nieopublikowane stanowiska, więc nie można "
                        "go opublikować. Skompiluj wersję do publikacji."))
    if version.published:
        raise Refused(_("Wersja %(n)s jest już opublikowana.", n=version.number))
    meeting = version.meeting
    fire(MEETING, meeting, "publish_summary", actor, document_version_id=version.id, number=version.number,
         language=version.language, sha256=version.sha256)
    version.published_at = utcnow()
    version.published_by_id = getattr(actor, "id", None)
    version.published_by_label = str(getattr(actor, "name", None) or actor)[:200]
    from consult.notifications.jobs import notify_attendees_of_summary

    # the organisations present at the meeting learn of it, after the commit
    after_commit(db.session, notify_attendees_of_summary, version.id)
    return version


# What a version published by its own compile says published it.
AUTO_PUBLISHED_BY = "automatycznie, z ogłoszeniem konkursu lub jego wyników"

# The call's state in which each kind of call document may be compiled (and so published).
_CALL_DOCUMENT_STATES = {"call_announcement": ("announced", "closed", "evaluation", "results_published"),
                         "call_results": ("results_published",)}


def request_call_document(actor, call, kind: str, language: str | None = "pl") -> DocumentJob | None:
    """Queue the PDF of a call's announcement or results in `language`; it runs after the caller commits and
    its version is published as soon as it is compiled.

    None when the call is not (or no longer) in a state that makes the document public, or when a job of
    the same kind, call and language is already pending or done: a hook run twice asks for one PDF.
    """
    if kind not in CALL_KINDS:
        raise ValueError(f"not a call document: {kind}")
    language = document_language(language)
    if call.state not in _CALL_DOCUMENT_STATES[kind]:
        return None
    call = lock_for_update(type(call), call.id)  # one job per kind and language: checked, then queued
    existing = db.session.scalar(
        db.select(DocumentJob).where(DocumentJob.kind == kind, DocumentJob.call_id == call.id,
                                     DocumentJob.language == language,
                                     DocumentJob.state.in_(("queued", "running", "done")))
        .order_by(DocumentJob.id.desc()).limit(1))
    if existing is not None:
        return None
    job = DocumentJob(kind=kind, call_id=call.id, preview=False, language=language, state="queued", attempts=0,
                      requested_by_id=getattr(actor, "id", None), requested_at=utcnow())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "document_job", job.id, "request_document", call_id=call.id, kind=kind, language=language)
    from consult.documents.dispatch import enqueue

    after_commit(db.session, enqueue, job.id, current_app._get_current_object())
    return job


def translatable_kinds(call) -> list[str]:
    """The call's documents public in its state (announcement, results), which may so be translated."""
    return [kind for kind in CALL_KINDS if call.state in _CALL_DOCUMENT_STATES[kind]]


@once("call_translation")
def request_call_translation(actor, call, kind: str, language: str | None) -> DocumentJob:
    """Queue a translation (English, Ukrainian) of the call's announcement or results PDF, for those who run
    the call. The Polish PDF, the official one, is compiled by the call's own step; a translation is public
    as soon as it is compiled, as the Polish one is."""
    from consult.calls.access import can_run_call

    if not can_run_call(actor, call):
        raise Forbidden(_("Dokumenty konkursu tłumaczą ci, którzy go prowadzą."))
    language = document_language(language)
    if kind not in CALL_KINDS:
        raise Refused(_("Nieznany dokument konkursu."), field="kind")
    if call.state not in _CALL_DOCUMENT_STATES[kind]:
        raise Refused(_("Ten dokument konkursu nie został jeszcze opublikowany, więc nie można go przetłumaczyć."),
                      field="kind")
    job = request_call_document(actor, call, kind, language)
    if job is None:
        raise Refused(_("Ten dokument konkursu w tym języku już jest albo jest właśnie kompilowany."), field="language")
    return job


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
            same_subject = {"call": DocumentVersion.call_id == job.call_id,
                            "programme": DocumentVersion.programme_id == job.programme_id,
                            "implementation_report":
                                DocumentVersion.implementation_report_id == job.implementation_report_id,
                            "meeting": DocumentVersion.meeting_id == job.meeting_id}[job.subject_type]
            number = (db.session.scalar(
                db.select(func.max(DocumentVersion.number))
                .where(DocumentVersion.kind == job.kind, same_subject)) or 0) + 1
            version = DocumentVersion(
                kind=job.kind, meeting_id=job.meeting_id, call_id=job.call_id, programme_id=job.programme_id,
                implementation_report_id=job.implementation_report_id, job_id=job.id, number=number,
                preview=job.preview, language=job.language, storage_key=storage_key, sha256=sha256, size=size, pages=pages,
                source_digest=source_digest, created_at=now, created_by_id=job.requested_by_id)
            if job.kind in CALL_KINDS:  # public the moment the call's announcement or results are
                version.published_at, version.published_by_label = now, AUTO_PUBLISHED_BY
            db.session.add(version)
            db.session.flush()
            audit.record(None, *_audited_as(job), _COMPILED[job.kind], job_id=job.id, call_id=job.call_id,
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
    return ("document_job", job.id) if job.kind in CALL_KINDS else (job.subject_type, job.subject_id)


_COMPILED = {"meeting_summary": "compile_summary", "call_announcement": "compile_announcement",
             "call_results": "compile_results", "implementation_report": "compile_report",
             "programme_report": "compile_programme_report"}


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
        audit.record(None, *_audited_as(job), _COMPILED[job.kind] + "_failed", job_id=job_id,
                     call_id=job.call_id, reason=reason[:500])
    db.session.commit()
    return result.rowcount == 1
