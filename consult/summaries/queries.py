"""Read-side helpers for meeting summaries: a meeting's compile jobs and versions, a programme's published
summaries, the meetings the coordinator's lists show."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import selectinload

from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.queries import versions_page
from consult.extensions import db
from consult.meetings.models import Meeting


def versions_of(meeting_id: int) -> list[DocumentVersion]:
    return db.session.scalars(
        db.select(DocumentVersion).where(DocumentVersion.about("meeting", meeting_id))
        .options(selectinload(DocumentVersion.created_by), selectinload(DocumentVersion.job))
        .order_by(DocumentVersion.number.desc())).all()


def meeting_versions_page(meeting_id: int, **filters):
    """A page of `versions_of` the meeting's summary (versions_page's filters)."""
    return versions_page(
        db.select(DocumentVersion).where(DocumentVersion.about("meeting", meeting_id))
        .options(selectinload(DocumentVersion.created_by), selectinload(DocumentVersion.job)), **filters)


def jobs_of(meeting_id: int, limit: int = 20) -> list[DocumentJob]:
    return db.session.scalars(
        db.select(DocumentJob).where(DocumentJob.about("meeting", meeting_id))
        .options(selectinload(DocumentJob.requested_by), selectinload(DocumentJob.version))
        .order_by(DocumentJob.id.desc()).limit(limit)).all()


def current_published(meeting_id: int) -> DocumentVersion | None:
    return db.session.scalar(
        db.select(DocumentVersion)
        .where(DocumentVersion.about("meeting", meeting_id), DocumentVersion.published_at.is_not(None))
        .order_by(DocumentVersion.published_at.desc(), DocumentVersion.number.desc()).limit(1))


def published_versions_by_meeting(meeting_ids: list[int]) -> dict[int, list[DocumentVersion]]:
    """Published versions of each meeting, the current (last published) first."""
    out: dict[int, list[DocumentVersion]] = defaultdict(list)
    if not meeting_ids:
        return out
    rows = db.session.scalars(
        db.select(DocumentVersion)
        .where(DocumentVersion.about("meeting", meeting_ids), DocumentVersion.published_at.is_not(None))
        .order_by(DocumentVersion.subject_id, DocumentVersion.published_at.desc(), DocumentVersion.number.desc()))
    for v in rows:
        out[v.subject_id].append(v)
    return out


def meetings_of_programme(programme_id: int) -> list[Meeting]:
    return db.session.scalars(
        db.select(Meeting).where(Meeting.programme_id == programme_id)
        .options(selectinload(Meeting.host_unit))
        .order_by(Meeting.date, Meeting.starts, Meeting.id)).all()


def all_meetings() -> list[Meeting]:
    return db.session.scalars(
        db.select(Meeting).options(selectinload(Meeting.host_unit), selectinload(Meeting.programme))
        .order_by(Meeting.date.desc(), Meeting.starts.desc(), Meeting.id.desc())).all()


def meetings_page(*, search: str = "", programme_id: int | None = None, unit_id: int | None = None,
                  state: str = "", page: int = 1, size: int | None = None):
    """A page of every meeting, newest first (the coordinator's list of summaries); `search` looks in the
    title and the place."""
    from consult.core.paging import like_any, paginate

    query = db.select(Meeting).options(selectinload(Meeting.host_unit), selectinload(Meeting.programme))
    if search:
        query = query.where(like_any(search, Meeting.title, Meeting.place))
    if programme_id:
        query = query.where(Meeting.programme_id == programme_id)
    if unit_id:
        query = query.where(Meeting.host_unit_id == unit_id)
    if state:
        query = query.where(Meeting.state == state)
    return paginate(query.order_by(Meeting.date.desc(), Meeting.starts.desc(), Meeting.id.desc()), page, size)


def latest_job_by_meeting(meeting_ids: list[int]) -> dict[int, DocumentJob]:
    if not meeting_ids:
        return {}
    rows = db.session.scalars(
        db.select(DocumentJob).where(DocumentJob.about("meeting", meeting_ids)).order_by(DocumentJob.id))
    return {j.subject_id: j for j in rows}
