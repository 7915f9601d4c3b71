"""The tables every domain shares: the audit log (one row for every state change, whoever made it and through
whichever door) and the create forms already sent (consult/core/submissions.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_subject", "subject_type", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User")


class FormSubmission(db.Model):
    """A create form that was sent and what it made: the token the form carried when it was rendered with a
    digest of what it carried, whose it was, and the record (`kind`, `record_id`). Written in the transaction that
    makes the record, so that the form sent again finds it (consult/core/submissions.py)."""

    __tablename__ = "form_submissions"
    __table_args__ = (UniqueConstraint("user_id", "kind", "token", "digest", name="uq_form_submissions_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    record_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
