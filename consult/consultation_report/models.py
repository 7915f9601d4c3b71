"""The section cache of the consolidated consultation report.

A section is either one meeting's summary (published positions only) or the published postulates filed online,
outside any meeting, for which one responsible unit is responsible; either is rendered as a tagged PDF without
page numbers. It is stored once per subject (the meeting, or the programme and the unit) and digest of its
content (and of the layout that renders it), so a compile renders again only the sections whose content
changed; `rendered_by_job_id` says which compile rendered it (how many sections a compile had to render is a
count of these rows).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db


def meeting_key(meeting_id: int) -> str:
    """The key of a meeting's section: what the plan, the Celery tasks and the cache name it by."""
    return f"meeting:{int(meeting_id)}"


def online_key(programme_id: int, unit_id: int) -> str:
    """The key of the section of a programme's postulates filed online that a unit is responsible for."""
    return f"online:{int(programme_id)}:{int(unit_id)}"


def parse_key(key) -> tuple[str, tuple[int, ...]]:
    """("meeting", (meeting_id,)) or ("online", (programme_id, unit_id)). A bare number is a meeting's id (how
    the tasks queued before online sections existed name a section)."""
    if isinstance(key, int) or str(key).isdigit():
        return "meeting", (int(key),)
    kind, *ids = str(key).split(":")
    if (kind, len(ids)) not in (("meeting", 1), ("online", 2)) or not all(i.isdigit() for i in ids):
        raise ValueError(f"not a report section: {key!r}")
    return kind, tuple(int(i) for i in ids)


class ReportSection(db.Model):
    __tablename__ = "report_sections"
    __table_args__ = (
        UniqueConstraint("meeting_id", "digest", name="uq_report_sections_meeting_digest"),
        UniqueConstraint("programme_id", "unit_id", "digest", name="uq_report_sections_online_digest"),
        CheckConstraint("size > 0 AND pages > 0", name="not_empty"),
        # A meeting's section, or a unit's section of postulates filed online: never both, never neither.
        CheckConstraint("(meeting_id IS NULL) <> (unit_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(500))
    pages: Mapped[int]
    size: Mapped[int]
    render_ms: Mapped[int] = mapped_column(default=0)
    rendered_by_job_id: Mapped[int | None] = mapped_column(ForeignKey("document_jobs.id", ondelete="SET NULL"),
                                                           index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def key(self) -> str:
        if self.meeting_id is not None:
            return meeting_key(self.meeting_id)
        return online_key(self.programme_id, self.unit_id)


class StaleReportSection(db.Model):
    """A section whose content changed since it was last rendered, waiting to be rendered again in the background
    (consult.consultation_report.warm). One row per section: the edits of a burst find the row there and schedule
    nothing more; the task that renders the section deletes the row first, so an edit made while it renders marks
    the section again."""
    __tablename__ = "report_stale_sections"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)  # meeting_key / online_key
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def statistics_key(programme_id: int) -> str:
    """What a render of the programme's front matter statistics is claimed under (SectionRender.key)."""
    return f"statistics:{int(programme_id)}"


class SectionRender(db.Model):
    """A part of the report being rendered right now, in one language: a section (its key) or the front matter's
    statistics (statistics_key). Written when the render starts and deleted when it ends
    (consult.consultation_report.inflight), so that a compile needing the part waits for that render instead of
    rendering its own copy. `worker` is "<host>:<pid>" of the process rendering: a claim of a process gone from
    this host, or older than REPORT_RENDER_WAIT seconds, is ignored (a render that died)."""
    __tablename__ = "report_section_renders"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    worker: Mapped[str] = mapped_column(String(200))


def insert_if_absent(model, dialect: str):
    """An INSERT into `model`'s table that skips a row whose primary key is there already, and RETURNING its first
    key column, so that the caller learns whether its row went in (psycopg reports no rowcount for ON CONFLICT DO
    NOTHING): how an edit marks a section stale once and a render claims a part once."""
    table = model.__table__
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    keys = [column.name for column in table.primary_key.columns]
    return insert(table).on_conflict_do_nothing(index_elements=keys).returning(table.c[keys[0]])
