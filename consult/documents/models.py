"""A job that compiles a document, and each version of a document it produced.

A job row carries its own state (queued, running, done, failed) so that a page can show progress and a
worker that dies half-way can run it again: the version is created in the same transaction that marks
the job done, and a job that is done already does nothing when it runs again.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.meetings.models import Meeting

JOB_STATES = ("queued", "running", "done", "failed")
DOCUMENT_KINDS = ("meeting_summary",)


class DocumentJob(db.Model):
    __tablename__ = "document_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        CheckConstraint("kind IN ('meeting_summary')", name="kind_known"),
        CheckConstraint("state <> 'failed' OR error IS NOT NULL", name="failed_has_reason"),
        CheckConstraint("state NOT IN ('done', 'failed') OR finished_at IS NOT NULL", name="finished_has_time"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        Index("ix_document_jobs_meeting", "meeting_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), default="meeting_summary")
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    preview: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship()
    requested_by = relationship("User")
    version: Mapped[DocumentVersion | None] = relationship(back_populates="job", uselist=False)

    @property
    def pending(self) -> bool:
        return self.state in ("queued", "running")


class DocumentVersion(db.Model):
    """One compiled PDF: its number within the meeting, checksum, size, pages, and whether it is public."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("kind", "meeting_id", "number", name="uq_document_versions_number"),
        UniqueConstraint("job_id", name="uq_document_versions_job"),
        CheckConstraint("kind IN ('meeting_summary')", name="kind_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("size > 0 AND pages > 0", name="not_empty"),
        # A preview may show draft positions: it can never be made public.
        CheckConstraint("NOT preview OR published_at IS NULL", name="preview_not_published"),
        CheckConstraint("(published_at IS NULL) = (published_by_label IS NULL)", name="published_has_who"),
        Index("ix_document_versions_meeting", "meeting_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), default="meeting_summary")
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    job_id: Mapped[int] = mapped_column(ForeignKey("document_jobs.id"))
    number: Mapped[int]
    preview: Mapped[bool] = mapped_column(default=False)
    storage_key: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    pages: Mapped[int]
    # sha256 of the data the document was built from (the meeting as consult.meeting-summary/1 JSON)
    source_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_by_label: Mapped[str | None] = mapped_column(String(200))

    meeting: Mapped[Meeting] = relationship()
    job: Mapped[DocumentJob] = relationship(back_populates="version")
    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def filename(self) -> str:
        suffix = "-projekt" if self.preview else ""
        return f"podsumowanie-spotkania-{self.meeting_id}-wersja-{self.number}{suffix}.pdf"
