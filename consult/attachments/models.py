"""An attached file: which record it belongs to, what it is (judged by its content), its size and sha256.

Each row belongs to exactly one parent (a postulate, a meeting, an offer, an implementation report, a grant report
after the award (art. 18) or a small-grant offer (art. 19a)), one column each so that the database keeps the foreign
keys; who sees and changes each parent's files is consult/attachments/parents.py. The bytes live under
CONSULT_STORAGE keyed by their sha256 (consult.attachments.store): two rows with the same content share one file.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db

MAX_SIZE = 10 * 1024 * 1024  # 10 MB a file
ANNEXES = ("statute", "partnership_agreement", "other")
PARENT_COLUMNS = ("postulate_id", "meeting_id", "offer_id", "report_id", "grant_report_id", "small_grant_offer_id")
EXTENSIONS = ("pdf", "odt", "docx", "xlsx", "ods", "jpg", "png")


def _one_parent() -> str:
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in PARENT_COLUMNS) + " = 1"


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(_one_parent(), name="one_parent"),
        CheckConstraint(f"size > 0 AND size <= {MAX_SIZE}", name="size_range"),
        CheckConstraint("annex IN ('statute', 'partnership_agreement', 'other')", name="annex_known"),
        CheckConstraint("extension IN ('pdf', 'odt', 'docx', 'xlsx', 'ods', 'jpg', 'png')", name="extension_known"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        # The same content twice on one record is a form sent twice, not a second annex.
        *(UniqueConstraint(column, "sha256", name=f"uq_attachments_{column}_sha256") for column in PARENT_COLUMNS),
        Index("ix_attachments_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    postulate_id: Mapped[int | None] = mapped_column(ForeignKey("postulates.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("implementation_reports.id", ondelete="CASCADE"))
    grant_report_id: Mapped[int | None] = mapped_column(ForeignKey("grant_reports.id", ondelete="CASCADE"))
    small_grant_offer_id: Mapped[int | None] = mapped_column(ForeignKey("small_grant_offers.id", ondelete="CASCADE"))
    annex: Mapped[str] = mapped_column(String(30), default="other")
    filename: Mapped[str] = mapped_column(String(255))  # as the uploader named it, shown and offered on download
    extension: Mapped[str] = mapped_column(String(10))  # what the content is (consult.attachments.sniffing)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def storage_key(self) -> str:
        from consult.attachments.store import key_of

        return key_of(self.sha256)


class CallAnnex(db.Model):
    """An annex a call asks every offer for: the statute, a joint offer's partnership agreement, or other annexes
    (the call's own words say which). A required one must be attached before the offer is submitted; one not
    required the applicant may attach."""

    __tablename__ = "call_annexes"
    __table_args__ = (
        UniqueConstraint("call_id", "annex", name="uq_call_annexes_call_annex"),
        CheckConstraint("annex IN ('statute', 'partnership_agreement', 'other')", name="annex_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    annex: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(500), default="")  # what the other annexes are
    required: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
