"""The outbox of notifications: one row per message to one user about one thing.

A row is written `queued`; delivery (e-mail, issue 6) is not built yet, so nothing moves rows to `sent` or
`failed` this far: the user reads them at /powiadomienia. One notification of a kind about one related
object reaches a user once (a unique constraint), so a hook that runs twice writes nothing new.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db

NOTIFICATION_KINDS = ("call_results", "correction_requested")
NOTIFICATION_STATES = ("queued", "sent", "failed")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'sent', 'failed')", name="state_known"),
        CheckConstraint("kind IN ('call_results', 'correction_requested')", name="kind_known"),
        CheckConstraint("state <> 'failed' OR error IS NOT NULL", name="failed_has_error"),
        CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        UniqueConstraint("recipient_id", "kind", "related_type", "related_id", name="uq_notifications_once"),
        Index("ix_notifications_recipient", "recipient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # what it is about, for the audit and for finding it again: ("offer", id), ("correction_window", id)
    related_type: Mapped[str] = mapped_column(String(40))
    related_id: Mapped[int]
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # the page the message leads to, a path of this application (/oferty/12)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)

    recipient = relationship("User")
