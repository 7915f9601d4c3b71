"""A job that compiles a document, and each version of a document it produced.

A job row carries its own state (queued, running, done, failed) so that a page can show progress and a
worker that dies half-way can run it again: the version is created in the same transaction that marks
the job done, and a job that is done already does nothing when it runs again.

A document is of a kind and about one subject. Kinds are registered by their domains (consult.documents.registry),
each naming the type of its subject ("meeting", "call", "offer", ...): a row holds that type and the subject's id
(subject_type, subject_id), filled and checked against the kind before the row is written, so that a new domain
registers its kinds without a column or a constraint here. There is no foreign key to the subject, whose table
the service does not know; subjects that have documents are not deleted (they are closed, withdrawn or anonymised).

A job and its version are in a language (pl, en, uk; Polish by default and the official version): the job
renders under force_locale(language). Versions of every language share the numbers of their kind and subject.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.documents.registry import kind_of
from consult.extensions import db

JOB_STATES = ("queued", "running", "done", "failed")
KIND_NAMED = "kind <> ''"
SUBJECT_NAMED = "subject_type <> ''"
# The languages a document is compiled in: Polish is the default and the official version.
DOCUMENT_LANGUAGES = ("pl", "en", "uk")
LANGUAGE_KNOWN = "language IN ('pl', 'en', 'uk')"


class _Subject:
    """The kind of a job or a version, as registered, and the rows about one subject."""

    kind: str

    @property
    def document_kind(self):
        return kind_of(self.kind)

    @classmethod
    def about(cls, subject_type: str, subject_id):
        """The condition for rows about that subject (`subject_id` may be a list: rows about any of them)."""
        if isinstance(subject_id, (list, tuple, set, frozenset)):
            return (cls.subject_type == subject_type) & cls.subject_id.in_(list(subject_id))
        return (cls.subject_type == subject_type) & (cls.subject_id == subject_id)


def _check_subject(_mapper, _connection, target) -> None:
    """A row of a kind nobody registered, or about something else than its kind's subject, is not written.
    The subject's type is the kind's; a row given none gets it."""
    from consult.core.errors import Refused

    try:
        subject_type = kind_of(target.kind).subject_type
    except LookupError as exc:
        raise Refused(str(exc)) from None
    if target.subject_type is None:
        target.subject_type = subject_type
    if target.subject_type != subject_type or target.subject_id is None:
        raise Refused(f"a {target.kind} document is about a {subject_type} and nothing else")


class DocumentJob(_Subject, db.Model):
    __tablename__ = "document_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_known"),
        CheckConstraint(KIND_NAMED, name="kind_named"),
        CheckConstraint(SUBJECT_NAMED, name="subject_named"),
        CheckConstraint("state <> 'failed' OR error IS NOT NULL", name="failed_has_reason"),
        CheckConstraint("state NOT IN ('done', 'failed') OR finished_at IS NOT NULL", name="finished_has_time"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        CheckConstraint(LANGUAGE_KNOWN, name="language_known"),
        CheckConstraint("(progress_done IS NULL) = (progress_total IS NULL) AND "
                        "(progress_done IS NULL OR progress_done BETWEEN 0 AND progress_total)",
                        name="progress_within_total"),
        Index("ix_document_jobs_subject", "subject_type", "subject_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(40))  # the kind's (filled before the row is written)
    subject_id: Mapped[int]
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
        UniqueConstraint("kind", "subject_id", "number", name="uq_document_versions_number"),
        UniqueConstraint("job_id", name="uq_document_versions_job"),
        CheckConstraint(KIND_NAMED, name="kind_named"),
        CheckConstraint(SUBJECT_NAMED, name="subject_named"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(LANGUAGE_KNOWN, name="language_known"),
        CheckConstraint("size > 0 AND pages > 0", name="not_empty"),
        # A preview may show draft positions: it can never be made public.
        CheckConstraint("NOT preview OR published_at IS NULL", name="preview_not_published"),
        CheckConstraint("(published_at IS NULL) = (published_by_label IS NULL)", name="published_has_who"),
        Index("ix_document_versions_subject", "subject_type", "subject_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(40))  # the kind's (filled before the row is written)
    subject_id: Mapped[int]
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
