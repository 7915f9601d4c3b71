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
                 selectinload(Meeting.officials), selectinload(Meeting.materials))
        .where(Meeting.id == meeting_id))


def meeting_postulates(meeting: Meeting) -> list[Postulate]:
    """Every postulate filed at the meeting, in the order of their numbers (Lp.)."""
    return db.session.scalars(
        db.select(Postulate)
        .options(joinedload(Postulate.organisation), joinedload(Postulate.responsible_unit))
        .where(Postulate.meeting_id == meeting.id).order_by(Postulate.number)).all()


def published_meeting_postulates(meeting: Meeting) -> list[Postulate]:
    """The published postulates of a meeting, each with its published positions only."""
    return db.session.scalars(
        db.select(Postulate)
        .options(joinedload(Postulate.organisation),
                 selectinload(Postulate.positions.and_(Position.status == "published"))
                 .joinedload(Position.unit))
        .where(Postulate.meeting_id == meeting.id, Postulate.state == "published")
        .order_by(Postulate.number)).all()


def next_number(meeting: Meeting) -> int:
    """The number (Lp.) the next postulate entered at the meeting gets when none is given."""
    return (db.session.scalar(
        db.select(func.max(Postulate.number)).where(Postulate.meeting_id == meeting.id)) or 0) + 1
