"""A job that compiles a document, and each version of a document it produced.

A job row carries its own state (queued, running, done, failed) so that a page can show progress and a
worker that dies half-way can run it again: the version is created in the same transaction that marks
the job done, and a job that is done already does nothing when it runs again.

A document is of a kind and about one subject: a meeting summary is about a meeting (meeting_id), a
call's announcement and its results are about a call (call_id), a programme's consultation report about a
programme (programme_id). Exactly the subject column of its kind
is set (a CHECK constraint says so), so that both keep real foreign keys.

A job and its version are in a language (pl, en, uk; Polish by default and the official version): the job
renders under force_locale(language). Versions of every language share the numbers of their kind and subject.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.meetings.models import Meeting

JOB_STATES = ("queued", "running", "done", "failed")
DOCUMENT_KINDS = ("meeting_summary", "call_announcement", "call_results", "implementation_report", "programme_report")
CALL_KINDS = ("call_announcement", "call_results")
PROGRAMME_KINDS = ("programme_report",)
KIND_KNOWN = ("kind IN ('meeting_summary', 'call_announcement', 'call_results', 'implementation_report', "
              "'programme_report')")
# The subject column of the kind is set, the others are not.
ONE_SUBJECT = ("(kind = 'meeting_summary' AND meeting_id IS NOT NULL AND call_id IS NULL AND programme_id IS NULL) OR "
               "(kind IN ('call_announcement', 'call_results') AND call_id IS NOT NULL AND meeting_id IS NULL "
               "AND programme_id IS NULL) OR "
               "(kind = 'programme_report' AND programme_id IS NOT NULL AND meeting_id IS NULL AND call_id IS NULL) OR "
               "(kind = 'implementation_report' AND meeting_id IS NULL AND call_id IS NULL AND programme_id IS NULL)")
# An implementation report's subject column is set exactly for its kind.
REPORT_SUBJECT = "(implementation_report_id IS NOT NULL) = (kind = 'implementation_report')"
# The languages a document is compiled in: Polish is the default and the official version.
DOCUMENT_LANGUAGES = ("pl", "en", "uk")
LANGUAGE_KNOWN = "language IN ('pl', 'en', 'uk')"
# What a document of each kind is called in its file name.
FILE_STEMS = {"meeting_summary": "podsumowanie-spotkania", "call_announcement": "ogloszenie-konkursu",
              "call_results": "wyniki-konkursu", "implementation_report": "sprawozdanie-z-realizacji",
              "programme_report": "raport-z-konsultacji"}


class _Subject:
    """The subject of a job or a version, whatever its kind: ("meeting", id), ("call", id) or ("programme", id)."""

    kind: str
    meeting_id: int | None
    call_id: int | None
    programme_id: int | None

    implementation_report_id: int | None

    @property
    def subject_type(self) -> str:
        if self.kind == "implementation_report":
            return "implementation_report"
        if self.kind in PROGRAMME_KINDS:
            return "programme"
        return "call" if self.kind in CALL_KINDS else "meeting"

    @property
    def subject_id(self) -> int | None:
        if self.kind == "implementation_report":
            return self.implementation_report_id
        if self.kind in PROGRAMME_KINDS:
            return self.programme_id
        return self.call_id if self.kind in CALL_KINDS else self.meeting_id


class DocumentJob(_Subject, db.Model):
    __tablename__ = "document_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        CheckConstraint(KIND_KNOWN, name="kind_known"),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        CheckConstraint(REPORT_SUBJECT, name="report_subject"),
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
    kind: Mapped[str] = mapped_column(String(40), default="meeting_summary")
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

    meeting: Mapped[Meeting | None] = relationship()
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
        CheckConstraint(KIND_KNOWN, name="kind_known"),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        CheckConstraint(REPORT_SUBJECT, name="report_subject"),
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
    kind: Mapped[str] = mapped_column(String(40), default="meeting_summary")
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

    meeting: Mapped[Meeting | None] = relationship()
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
        return f"{FILE_STEMS[self.kind]}-{self.subject_id}-wersja-{self.number}{suffix}{language}.pdf"
