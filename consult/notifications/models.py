"""The outbox of notifications: one row per message to one user about one thing, and its e-mail's delivery.

A user reads their notifications at /powiadomienia; each is also e-mailed to them (consult/notifications/
delivery.py). The row carries the delivery state of that e-mail:

- `queued`: waiting for delivery, first try or a retry after a refusal (`attempts`, `error` and
  `next_attempt_at` say how it went so far);
- `sent`: the SMTP server accepted it (`sent_at`);
- `failed`: refused `MAIL_MAX_ATTEMPTS` times; `error` says why, and a coordinator may send it again;
- `unsent`: written while no SMTP server was configured (the demo): kept in the outbox, never sent on its own.

Subject and body (the e-mail) are rendered when the row is written, in the recipient's language (`locale`), from
templates/mail/<kind>.txt; their links are absolute, on CONSULT_BASE_URL. The application does not show that text:
/powiadomienia writes a short message when it is shown, in the reader's language, from the kind and `params`
(consult/notifications/messages.py), with `link` (a path of the application) to the thing it is about. One notification of a kind about one related object reaches a user once (a unique
constraint), so a hook that runs twice writes nothing new.

A few e-mails go to a person without an account (ADDRESS_ONLY_KINDS: the link a commenter on a small-grant offer
confirms the address by): the row has no recipient, only `address` and `recipient_name`, is delivered, retried and
shown in the coordinators' outbox as every other, and is not shown on anyone's /powiadomienia.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db

NOTIFICATION_KINDS = ("call_results", "correction_requested", "postulate_assigned", "position_published",
                      "summary_published", "consultation_closing", "offers_deadline", "position_due",
                      "commitment_due", "email_confirmation", "join_requested", "join_decided", "organisation_decided",
                      "password_reset", "email_change", "email_changed", "invitation",
                      "booking_accepted", "booking_changes_requested", "booking_refused", "booking_reminder",
                      "postulate_carried", "booking_cancelled", "organisation_registered", "member_removed",
                      "small_grant_received", "small_grant_to_judge", "small_grant_judged", "small_grant_decided",
                      "grant_report_accepted", "grant_report_corrections", "grant_report_due", "grant_report_overdue",
                      "small_grant_comment_link", "small_grant_judge_due", "small_grant_judge_overdue",
                      "grant_report_submitted", "grant_report_scheduled", "filing_receipt")
# E-mails about the account itself that go to the address they were written for, not to the account's address at
# the time they are sent: the link confirming a new address goes to the new one, the notice of a change to the old.
FIXED_ADDRESS_KINDS = ("email_change", "email_changed")
# E-mails that carry a link giving access to an account: the outbox shows them without the link.
SECRET_KINDS = ("password_reset", "email_change", "invitation", "small_grant_comment_link")
# E-mails to a person without an account (a commenter confirming the address of a comment on a small-grant offer):
# the row has no recipient, only the address (and the name the person gave).
ADDRESS_ONLY_KINDS = ("small_grant_comment_link",)
# E-mails that carry the PDF they are about (related_type "document_version"): the receipt of a filing.
ATTACHING_KINDS = ("filing_receipt",)
NOTIFICATION_STATES = ("queued", "sent", "failed", "unsent")
KIND_KNOWN = "kind IN (" + ", ".join(f"'{k}'" for k in NOTIFICATION_KINDS) + ")"
STATE_KNOWN = "state IN (" + ", ".join(f"'{s}'" for s in NOTIFICATION_STATES) + ")"


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(STATE_KNOWN, name="state_known"),
        CheckConstraint(KIND_KNOWN, name="kind_known"),
        CheckConstraint("state <> 'failed' OR error IS NOT NULL", name="failed_has_error"),
        CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        CheckConstraint("recipient_id IS NOT NULL OR address IS NOT NULL", name="addressed"),
        UniqueConstraint("recipient_id", "kind", "related_type", "related_id", name="uq_notifications_once"),
        Index("ix_notifications_recipient", "recipient_id", "created_at"),
        Index("ix_notifications_state", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for an e-mail to a person without an account (ADDRESS_ONLY_KINDS): `address` and `recipient_name` say who
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    # what it is about, for the audit and for finding it again: ("offer", id), ("correction_window", id)
    related_type: Mapped[str] = mapped_column(String(40))
    related_id: Mapped[int]
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # the page the message leads to, a path of this application (/oferty/12)
    link: Mapped[str | None] = mapped_column(String(500))
    # what the in-app message is written from when shown, in the reader's language (messages.py): references,
    # titles, dates and instants as ISO text, amounts as decimal text; None in rows written before it was kept
    params: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the language subject and body were written in
    locale: Mapped[str] = mapped_column(String(10), default="pl", server_default="pl")
    # the address the e-mail goes (went) to: the recipient's when it was written, updated when it is sent
    address: Mapped[str | None] = mapped_column(String(254))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # set while one process is trying to deliver it, so that no other one tries at the same time
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the last delivery error (kept after a later success, as history)
    error: Mapped[str | None] = mapped_column(Text)

    recipient = relationship("User")

    @property
    def to_name(self) -> str:
        """Whom the e-mail is addressed to: the account's name, or the name a person without one gave."""
        return self.recipient.name if self.recipient is not None else (self.recipient_name or "")

    @property
    def to_address(self) -> str:
        return self.address or (self.recipient.email if self.recipient is not None else "")
