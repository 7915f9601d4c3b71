"""Read-side helpers for sector meetings: the coordinator's meeting page and the public one."""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from consult.extensions import db
from consult.meetings.models import Meeting, MeetingAttendance
from consult.organisations.queries import organisations, units  # noqa: F401  (lists for the forms)
from consult.postulates.models import Position, Postulate


def meeting_with_lists(meeting_id: int) -> Meeting | None:
    """A meeting with its host unit, organisations present, officials and materials loaded at once."""
    return db.session.scalar(
        db.select(Meeting)
        .options(joinedload(Meeting.host_unit), joinedload(Meeting.programme),
                 selectinload(Meeting.attendance).joinedload(MeetingAttendance.organisation),
                 selectinload(Meeting.officials), selectinload(Meeting.materials), selectinload(Meeting.persons))
        .where(Meeting.id == meeting_id))


def _postulate_filters(query, *, search: str, unit_id: int | None, public: bool = False):
    from consult.core.paging import like_any
    from consult.organisations.models import Organisation
    from consult.postulates.models import public_content_sql, public_justification_sql, public_submitter_sql

    if search:  # a public list looks in the public text: a redacted word finds nothing there
        query = query.outerjoin(Organisation, Postulate.organisation_id == Organisation.id).where(
            like_any(search, public_content_sql() if public else Postulate.content,
                     public_justification_sql() if public else Postulate.justification,
                     Organisation.name, public_submitter_sql() if public else Postulate.submitter_name))
    if unit_id:
        query = query.where(Postulate.responsible_unit_id == unit_id)
    return query


def meeting_postulates_page(meeting: Meeting, *, search: str = "", state: str = "", unit_id: int | None = None,
                            page: int = 1, size: int | None = None):
    """A page of the postulates filed at the meeting, in the order of their numbers (Lp.); `search` looks in
    the content, the justification and the submitter, `unit_id` keeps those of one responsible unit."""
    from consult.core.paging import paginate

    query = (db.select(Postulate)
             .options(joinedload(Postulate.organisation), joinedload(Postulate.responsible_unit))
             .where(Postulate.meeting_id == meeting.id))
    query = _postulate_filters(query, search=search, unit_id=unit_id)
    if state:
        query = query.where(Postulate.state == state)
    return paginate(query.order_by(Postulate.number, Postulate.id), page, size)


def published_meeting_postulates_page(meeting: Meeting, *, search: str = "", unit_id: int | None = None,
                                      page: int = 1, size: int | None = None):
    """A page of the published postulates of a meeting by number, each with its published positions only."""
    from consult.core.paging import paginate

    query = (db.select(Postulate)
             .options(joinedload(Postulate.organisation),
                      selectinload(Postulate.positions.and_(Position.status == "published"))
                      .joinedload(Position.unit))
             .where(Postulate.meeting_id == meeting.id, Postulate.state == "published"))
    query = _postulate_filters(query, search=search, unit_id=unit_id, public=True)
    return paginate(query.order_by(Postulate.number, Postulate.id), page, size)


def next_number(meeting: Meeting) -> int:
    """The number (Lp.) the next postulate entered at the meeting gets when none is given."""
    return (db.session.scalar(
        db.select(func.max(Postulate.number)).where(Postulate.meeting_id == meeting.id)) or 0) + 1
