"""Read-side helpers of places: the register's page and its filters, a place's calendar, an operator's week."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.organisations.models import Organisation, Unit
from consult.places.models import BookingRequest, Place, PlaceKind, Room, RoomBooking


def kinds() -> list[PlaceKind]:
    return sorted(db.session.scalars(db.select(PlaceKind)), key=lambda k: k.label.casefold())


def operators() -> list[tuple[str, str]]:
    """The operators that run a place, as the filter's choices: ("o12", name) for an organisation, ("u3", name)
    for a unit."""
    orgs = db.session.scalars(db.select(Organisation).where(
        Organisation.id.in_(db.select(Place.organisation_id))).order_by(Organisation.name))
    units = db.session.scalars(db.select(Unit).where(Unit.id.in_(db.select(Place.unit_id))).order_by(Unit.name))
    return [(f"o{o.id}", o.name) for o in orgs] + [(f"u{u.id}", u.name) for u in units]


def places_query(*, search: str = "", kind_id: int | None = None, district: str = "", operator: str = ""):
    from consult.core.paging import like_any

    query = db.select(Place).options(selectinload(Place.kind), selectinload(Place.organisation),
                                     selectinload(Place.unit))
    if search:
        query = query.where(like_any(search, Place.name, Place.address, Place.programme, Place.offer))
    if kind_id:
        query = query.where(Place.kind_id == kind_id)
    if district:
        query = query.where(Place.district == district)
    if operator[:1] in ("o", "u") and operator[1:].isdigit() and len(operator) < 12:
        column = Place.organisation_id if operator[0] == "o" else Place.unit_id
        query = query.where(column == int(operator[1:]))
    return query.order_by(Place.name, Place.id)


def places_page(*, page: int = 1, size: int | None = None, **filters):
    from consult.core.paging import paginate

    return paginate(places_query(**filters), page, size)


def places_operated_by(user) -> list[Place]:
    """The places whose operator the user acts for (an organisation's member, a unit's staff)."""
    conditions = []
    if getattr(user, "role", None) == "ngo" and user.organisation_id:
        conditions.append(Place.organisation_id == user.organisation_id)
    if getattr(user, "role", None) == "unit" and user.unit_id:
        conditions.append(Place.unit_id == user.unit_id)
    if not conditions:
        return []
    return list(db.session.scalars(db.select(Place).where(or_(*conditions)).order_by(Place.name)))


def public_events(place: Place, start: datetime, end: datetime, room: Room | None = None) -> list[RoomBooking]:
    """The accepted times in the place (or one room) between `start` and `end`, in time order."""
    query = (db.select(RoomBooking).join(BookingRequest).join(Room, RoomBooking.room_id == Room.id)
             .where(Room.place_id == place.id, RoomBooking.accepted.is_(True), BookingRequest.state == "accepted",
                    RoomBooking.ends_at > start, RoomBooking.starts_at < end)
             .options(selectinload(RoomBooking.request), selectinload(RoomBooking.room))
             .order_by(RoomBooking.starts_at, RoomBooking.id))
    if room is not None:
        query = query.where(RoomBooking.room_id == room.id)
    return list(db.session.scalars(query))


def week_of(place: Place, monday: date) -> list[RoomBooking]:
    """Every time asked for or booked in the place in the week from `monday` (for its operator): waiting, to be
    changed and accepted requests."""
    from consult.places.rules import warsaw_day_bounds

    start, _ = warsaw_day_bounds(monday)
    _, end = warsaw_day_bounds(monday + timedelta(days=6))
    return list(db.session.scalars(
        db.select(RoomBooking).join(BookingRequest).join(Room, RoomBooking.room_id == Room.id)
        .where(Room.place_id == place.id, BookingRequest.state.in_(("sent", "changes_requested", "accepted")),
               RoomBooking.ends_at > start, RoomBooking.starts_at < end)
        .options(selectinload(RoomBooking.request), selectinload(RoomBooking.room))
        .order_by(RoomBooking.starts_at, RoomBooking.id)))


def requests_for(place: Place, states=("sent",)) -> list[BookingRequest]:
    return list(db.session.scalars(
        db.select(BookingRequest).where(BookingRequest.place_id == place.id, BookingRequest.state.in_(states))
        .options(selectinload(BookingRequest.room), selectinload(BookingRequest.occurrences))
        .order_by(BookingRequest.starts_at, BookingRequest.id)))


def requests_of(user) -> list[BookingRequest]:
    return list(db.session.scalars(
        db.select(BookingRequest).where(BookingRequest.requester_id == user.id)
        .options(selectinload(BookingRequest.place), selectinload(BookingRequest.room))
        .order_by(BookingRequest.starts_at.desc(), BookingRequest.id.desc())))
