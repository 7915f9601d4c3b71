"""The section cache of the consolidated consultation report.

A section is one meeting's summary (published positions only) rendered as a tagged PDF without page
numbers. It is stored once per meeting and digest of its content (and of the layout that renders it), so a
compile renders again only the meetings whose content changed; `rendered_by_job_id` says which compile
rendered it (how many sections a compile had to render is a count of these rows).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db


class ReportSection(db.Model):
    __tablename__ = "report_sections"
    __table_args__ = (
        UniqueConstraint("meeting_id", "digest", name="uq_report_sections_meeting_digest"),
        CheckConstraint("size > 0 AND pages > 0", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(500))
    pages: Mapped[int]
    size: Mapped[int]
    render_ms: Mapped[int] = mapped_column(default=0)
    rendered_by_job_id: Mapped[int | None] = mapped_column(ForeignKey("document_jobs.id", ondelete="SET NULL"),
                                                           index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
