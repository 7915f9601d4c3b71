"""What the API may read: selects of published rows only, with what their JSON shows loaded at once.

Each list is a select in a stable order (the envelope counts and pages it); each detail is one row or
None. None of them looks at who asks: the API shows the public's view to everyone, signed in or not.
"""
from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload

from consult.calls.access import PUBLIC_CALL_STATES
from consult.calls.models import Call, Criterion
from consult.extensions import db
from consult.meetings.models import Meeting, MeetingAttendance
from consult.organisations.models import Unit
from consult.postulates.models import Position, Postulate
from consult.programme_text.models import with_parents
from consult.programmes.models import Programme

# A position is public once published, and only on a published postulate.
PUBLISHED_POSITIONS = selectinload(Postulate.positions.and_(Position.status == "published")).joinedload(Position.unit)


def units():
    return db.select(Unit).order_by(Unit.name, Unit.id)


def programmes():
    return db.select(Programme).order_by(Programme.year.desc(), Programme.id)


def programme(programme_id: int) -> Programme | None:
    return db.session.get(Programme, programme_id)


def meetings(*, programme_id=None, unit_id=None, state=None):
    query = db.select(Meeting).options(joinedload(Meeting.host_unit))
    if programme_id is not None:
        query = query.where(Meeting.programme_id == programme_id)
    if unit_id is not None:
        query = query.where(Meeting.host_unit_id == unit_id)
    if state is not None:
        query = query.where(Meeting.state == state)
    return query.order_by(Meeting.date, Meeting.starts, Meeting.id)


def meeting(meeting_id: int) -> Meeting | None:
    return db.session.scalar(
        db.select(Meeting)
        .options(joinedload(Meeting.host_unit), selectinload(Meeting.officials), selectinload(Meeting.persons),
                 selectinload(Meeting.attendance).joinedload(MeetingAttendance.organisation))
        .where(Meeting.id == meeting_id))


def _published_postulates():
    return (db.select(Postulate)
            .options(joinedload(Postulate.programme), joinedload(Postulate.organisation),
                     joinedload(Postulate.responsible_unit), PUBLISHED_POSITIONS,
                     with_parents(Postulate.provision))
            .where(Postulate.state == "published"))


def postulates(*, programme_id=None, meeting_id=None, unit_id=None, origin=None, category=None):
    query = _published_postulates()
    if programme_id is not None:
        query = query.where(Postulate.programme_id == programme_id)
    if meeting_id is not None:
        query = query.where(Postulate.meeting_id == meeting_id)
    if unit_id is not None:
        query = query.where(Postulate.responsible_unit_id == unit_id)
    if origin == "meeting":
        query = query.where(Postulate.meeting_id.is_not(None))
    elif origin == "online":
        query = query.where(Postulate.meeting_id.is_(None))
    if category is not None:
        query = query.where(Postulate.positions.any((Position.status == "published")
                                                    & (Position.category == category)))
    # Postulates of a meeting in the order of their numbers (Lp.), then those filed online
    return query.order_by(Postulate.programme_id, Postulate.meeting_id.is_(None), Postulate.meeting_id,
                          Postulate.number, Postulate.id)


def postulate(postulate_id: int) -> Postulate | None:
    return db.session.scalar(_published_postulates().where(Postulate.id == postulate_id))


def _published_positions():
    return (db.select(Position).join(Position.postulate)
            .options(joinedload(Position.unit))
            .where(Position.status == "published", Postulate.state == "published"))


def positions(*, programme_id=None, postulate_id=None, unit_id=None, category=None):
    query = _published_positions()
    if programme_id is not None:
        query = query.where(Postulate.programme_id == programme_id)
    if postulate_id is not None:
        query = query.where(Position.postulate_id == postulate_id)
    if unit_id is not None:
        query = query.where(Position.unit_id == unit_id)
    if category is not None:
        query = query.where(Position.category == category)
    return query.order_by(Position.id)


def position(position_id: int) -> Position | None:
    return db.session.scalar(_published_positions().where(Position.id == position_id))


def _public_calls():
    return (db.select(Call).options(joinedload(Call.programme), joinedload(Call.unit))
            .where(Call.state.in_(PUBLIC_CALL_STATES)))


def calls(*, programme_id=None, unit_id=None, state=None):
    query = _public_calls()
    if programme_id is not None:
        query = query.where(Call.programme_id == programme_id)
    if unit_id is not None:
        query = query.where(Call.unit_id == unit_id)
    if state is not None:
        query = query.where(Call.state == state)
    return query.order_by(Call.announced_at.desc(), Call.id.desc())


def call(call_id: int) -> Call | None:
    return db.session.scalar(
        _public_calls().options(selectinload(Call.criteria).selectinload(Criterion.children))
        .where(Call.id == call_id))


def places(*, kind_id: int | None = None, district: str | None = None, organisation_id: int | None = None,
           unit_id: int | None = None):
    """The register of places of activity (all of it is public), by name."""
    from consult.places.models import Place

    query = db.select(Place).options(joinedload(Place.kind), joinedload(Place.organisation), joinedload(Place.unit),
                                     selectinload(Place.rooms))
    if kind_id:
        query = query.where(Place.kind_id == kind_id)
    if district:
        query = query.where(Place.district == district)
    if organisation_id:
        query = query.where(Place.organisation_id == organisation_id)
    if unit_id:
        query = query.where(Place.unit_id == unit_id)
    return query.order_by(Place.name, Place.id)


def place(place_id: int):
    from consult.places.models import Place

    return db.session.scalar(places().where(Place.id == place_id))
