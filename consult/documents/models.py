"""A job that compiles a document, and each version of a document it produced.

A job row carries its own state (queued, running, done, failed) so that a page can show progress and a
worker that dies half-way can run it again: the version is created in the same transaction that marks
the job done, and a job that is done already does nothing when it runs again.

A document is of a kind and about one subject. Kinds are registered by their domains (consult.documents.registry),
each naming its subject column (a meeting summary's meeting_id, a call's announcement's call_id, ...): exactly one
subject column is set (a CHECK constraint says so), so that each keeps a real foreign key, and it is the one of the
row's kind (checked before the row is written).

A job and its version are in a language (pl, en, uk; Polish by default and the official version): the job
renders under force_locale(language). Versions of every language share the numbers of their kind and subject.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.documents.registry import SUBJECT_COLUMNS, kind_of
from consult.extensions import db

JOB_STATES = ("queued", "running", "done", "failed")
# A document is about exactly one subject: one of its subject columns is set, the others are not. Which one a kind
# uses is the kind's registration (consult.documents.registry), checked before a row is written.
ONE_SUBJECT = " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in SUBJECT_COLUMNS) + " = 1"
KIND_NAMED = "kind <> ''"
# The languages a document is compiled in: Polish is the default and the official version.
DOCUMENT_LANGUAGES = ("pl", "en", "uk")
LANGUAGE_KNOWN = "language IN ('pl', 'en', 'uk')"


class _Subject:
    """The subject of a job or a version, whatever its kind: the id in the subject column its kind registered."""

    kind: str

    @property
    def document_kind(self):
        return kind_of(self.kind)

    @property
    def subject_type(self) -> str:
        return self.document_kind.subject_type

    @property
    def subject_id(self) -> int | None:
        return getattr(self, self.document_kind.subject_column)


def _check_subject(_mapper, _connection, target) -> None:
    """A row of a kind nobody registered, or about something else than its kind's subject, is not written:
    the database only knows that exactly one subject column is set."""
    from consult.core.errors import Refused

    try:
        column = kind_of(target.kind).subject_column
    except LookupError as exc:
        raise Refused(str(exc)) from None
    if getattr(target, column) is None or any(getattr(target, other) is not None
                                              for other in SUBJECT_COLUMNS if other != column):
        raise Refused(f"a {target.kind} document is about its {column} and nothing else")


class DocumentJob(_Subject, db.Model):
    __tablename__ = "document_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        CheckConstraint(KIND_NAMED, name="kind_named"),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        CheckConstraint("state <> 'failed' OR error IS NOT NULL", name="failed_has_reason"),
        CheckConstraint("state NOT IN ('done', 'failed') OR finished_at IS NOT NULL", name="finished_has_time"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        CheckConstraint(LANGUAGE_KNOWN, name="language_known"),
        CheckConstraint("(progress_done IS NULL) = (progress_total IS NULL) AND "
                        "(progress_done IS NULL OR progress_done BETWEEN 0 AND progress_total)",
                        name="progress_within_total"),
        Index("ix_document_jobs_meeting", "meeting_id", "id"),
        Index("ix_document_jobs_call", "call_id", "id"),
        Index("ix_document_jobs_implementation_report", "implementation_report_id", "id"),
        Index("ix_document_jobs_programme", "programme_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    implementation_report_id: Mapped[int | None] = mapped_column(ForeignKey("implementation_reports.id"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    preview: Mapped[bool] = mapped_column(default=False)
    # what the document is rendered in (force_locale); version numbers are shared by all languages
    language: Mapped[str] = mapped_column(String(5), default="pl", server_default="pl")
    state: Mapped[str] = mapped_column(String(20), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Steps of a long job done so far and in all (a consultation report's sections to render), for its page.
    progress_done: Mapped[int | None]
    progress_total: Mapped[int | None]

    meeting = relationship("Meeting")
    requested_by = relationship("User")
    version: Mapped[DocumentVersion | None] = relationship(back_populates="job", uselist=False)

    @property
    def pending(self) -> bool:
        return self.state in ("queued", "running")


class DocumentVersion(_Subject, db.Model):
    """One compiled PDF: its number among the documents of its kind and subject, checksum, size, pages,
    and whether it is public."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("kind", "meeting_id", "number", name="uq_document_versions_number"),
        UniqueConstraint("kind", "call_id", "number", name="uq_document_versions_call_number"),
        UniqueConstraint("kind", "implementation_report_id", "number", name="uq_document_versions_report_number"),
        UniqueConstraint("kind", "programme_id", "number", name="uq_document_versions_programme_number"),
        UniqueConstraint("job_id", name="uq_document_versions_job"),
        CheckConstraint(KIND_NAMED, name="kind_named"),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(LANGUAGE_KNOWN, name="language_known"),
        CheckConstraint("size > 0 AND pages > 0", name="not_empty"),
        # A preview may show draft positions: it can never be made public.
        CheckConstraint("NOT preview OR published_at IS NULL", name="preview_not_published"),
        CheckConstraint("(published_at IS NULL) = (published_by_label IS NULL)", name="published_has_who"),
        Index("ix_document_versions_meeting", "meeting_id", "number"),
        Index("ix_document_versions_call", "call_id", "number"),
        Index("ix_document_versions_implementation_report", "implementation_report_id", "number"),
        Index("ix_document_versions_programme", "programme_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    implementation_report_id: Mapped[int | None] = mapped_column(ForeignKey("implementation_reports.id"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    job_id: Mapped[int] = mapped_column(ForeignKey("document_jobs.id"))
    number: Mapped[int]
    preview: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(5), default="pl", server_default="pl")
    storage_key: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    pages: Mapped[int]
    # sha256 of the data the document was built from (a meeting as consult.meeting-summary/1 JSON; a call's
    # announcement or published results as canonical JSON)
    source_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_by_label: Mapped[str | None] = mapped_column(String(200))

    meeting = relationship("Meeting")
    job: Mapped[DocumentJob] = relationship(back_populates="version")
    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def filename(self) -> str:
        suffix = "-projekt" if self.preview else ""
        language = "" if self.language == "pl" else f"-{self.language}"
        return f"{self.document_kind.file_stem}-{self.subject_id}-wersja-{self.number}{suffix}{language}.pdf"


for _model in (DocumentJob, DocumentVersion):
    event.listen(_model, "before_insert", _check_subject)
    event.listen(_model, "before_update", _check_subject)
