"""The meeting summary as a document kind, and the doors to it: compiling a summary (a preview or the final one)
and publishing a compiled version. Registered with the documents service when the app is made."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import fire
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.operations import (
    PENDING_BLOCKS_FOR,
    document_language,
    mark_published,
    pending_job,
    queue_job,
)
from consult.documents.registry import DocumentKind, register
from consult.extensions import db
from consult.meetings.models import Meeting
from workflows import MEETING


def _compile(job):
    from consult.summaries.document import compile_summary

    return compile_summary(job.subject_id, preview=job.preview)


MEETING_SUMMARY = register(DocumentKind(
    name="meeting_summary", subject_type="meeting", compile=_compile,
    folder="meeting-summaries", file_stem="podsumowanie-spotkania", compiled_action="compile_summary",
    title=_l("podsumowanie spotkania branżowego")))


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
    pending = pending_job(MEETING_SUMMARY.name, meeting.id, preview=preview, language=language,
                          since=utcnow() - PENDING_BLOCKS_FOR)
    if pending is not None:  # the same compile, asked for again: that job is the answer
        raise AlreadyDone("document_job", pending.id)
    job = queue_job(actor, MEETING_SUMMARY.name, meeting.id, preview=preview, language=language)
    audit.record(actor, "meeting", meeting.id, "request_summary", job_id=job.id, preview=preview, language=language)
    return job


def publish_version(actor, version: DocumentVersion) -> DocumentVersion:
    """Make a compiled version the meeting's public summary. Earlier published versions stay public."""
    _require_coordinator(actor)
    if version.kind != MEETING_SUMMARY.name:
        raise Refused(_("Dokumenty konkursu są publikowane razem z ogłoszeniem konkursu i jego wynikami."))
    if version.preview:
        raise Refused(_("To jest podgląd (projekt) – może zawierać nieopublikowane stanowiska, więc nie można "
                        "go opublikować. Skompiluj wersję do publikacji."))
    if version.published:
        raise Refused(_("Wersja %(n)s jest już opublikowana.", n=version.number))
    meeting = db.session.get(Meeting, version.subject_id)
    fire(MEETING, meeting, "publish_summary", actor, document_version_id=version.id, number=version.number,
         language=version.language, sha256=version.sha256)
    mark_published(actor, version)
    from consult.notifications.jobs import notify_attendees_of_summary

    # the organisations present at the meeting learn of it, after the commit
    after_commit(db.session, notify_attendees_of_summary, version.id)
    return version
