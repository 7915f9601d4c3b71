"""The register of places of activity, their rooms, and requests to book a room (with their occurrences).

A place is run by an operator: an organisation of the register or a unit of the city (exactly one). Its kind is
a row (`place_kinds`) so that an administrator can add kinds; the kinds the city starts with have codes whose
labels are translated (KIND_LABELS), a kind added later is shown by its name.

A booking request asks for one room, once or repeatedly (weekly, monthly: `recurrence` with `until`); each time
it asks for is an occurrence (`room_bookings`), written when the request is sent, and marked `accepted` when the
operator accepts the request. Two accepted occurrences of one room never overlap: the acceptance checks it under
a row lock on the room, and on PostgreSQL an exclusion constraint (btree_gist, made by the migration) says it too.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, String, Text, event, func, text, true
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, to_warsaw, utcnow
from consult.extensions import db
from consult.organisations.models import Organisation, Unit
from consult.organisations.register_data import district_label

KIND_LABELS = {
    "cas": _l("Centrum Aktywności Seniora"),
    "parents_club": _l("Klub Rodziców"),
    "youth_workshop": _l("Pracownia Młodych"),
    "civic_centre": _l("Centrum Obywatelskie"),
    "multicultural_centre": _l("Centrum Wielokulturowe"),
    "pal": _l("Program Aktywności Lokalnej (PAL)"),
    "mam": _l("Miejsce Aktywności Mieszkańców (MAM)"),
}

REQUEST_STATES = ("sent", "changes_requested", "accepted", "refused", "withdrawn")
RECURRENCES = ("none", "weekly", "monthly")
REQUEST_STATE_LABELS = {
    "sent": _l("wysłany, czeka na decyzję"),
    "changes_requested": _l("do poprawienia"),
    "accepted": _l("przyjęty"),
    "refused": _l("odrzucony"),
    "withdrawn": _l("wycofany"),
}
RECURRENCE_LABELS = {"none": _l("jednorazowo"), "weekly": _l("co tydzień"), "monthly": _l("co miesiąc")}


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class PlaceKind(db.Model):
    __tablename__ = "place_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.code]) if self.code in KIND_LABELS else self.name

    def __str__(self) -> str:
        return self.label


class Place(db.Model):
    __tablename__ = "places"
    __table_args__ = (
        CheckConstraint("(organisation_id IS NULL) <> (unit_id IS NULL)", name="one_operator"),
        Index("ix_places_kind", "kind_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("place_kinds.id"))
    name: Mapped[str] = mapped_column(String(300), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))  # a place the city names without one (a network)
    district: Mapped[str | None] = mapped_column(String(5))  # a key of register_data.DISTRICTS
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    programme: Mapped[str | None] = mapped_column(String(200))  # the programme it serves: "PASIOS", "Młody Kraków"
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))  # the grant call that funds it
    opening_hours: Mapped[str | None] = mapped_column(Text)
    offer: Mapped[str | None] = mapped_column(Text)
    accessibility: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    kind: Mapped[PlaceKind] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    call = relationship("Call")
    rooms: Mapped[list["Room"]] = relationship(back_populates="place", order_by="Room.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def operator(self):
        return self.organisation or self.unit

    @property
    def district_label(self) -> str:
        return district_label(self.district)

    def __str__(self) -> str:
        return self.name


class Room(db.Model):
    __tablename__ = "rooms"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int | None]
    equipment: Mapped[str | None] = mapped_column(Text)  # what the room has: a projector, chairs, a kitchenette
    accessibility: Mapped[str | None] = mapped_column(Text)  # step-free entrance, hearing loop, toilet
    # Withdrawn from booking (kept, with its bookings, for the record and the calendars of the past): not offered
    # on the booking form. A room is withdrawn, never deleted, once it has bookings.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    place: Mapped[Place] = relationship(back_populates="rooms")

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.name


class BookingRequest(db.Model):
    """A resident's or an NGO's request for a room, with the facts MAM's regulations ask for (§ 4)."""

    __tablename__ = "booking_requests"
    __table_args__ = (
        CheckConstraint(_in("state", REQUEST_STATES), name="state_known"),
        CheckConstraint(_in("recurrence", RECURRENCES), name="recurrence_known"),
        CheckConstraint("recurrence = 'none' OR until IS NOT NULL", name="recurring_has_end"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("state <> 'refused' OR decision_note IS NOT NULL", name="refused_has_reason"),
        CheckConstraint("state <> 'changes_requested' OR decision_note IS NOT NULL", name="changes_have_note"),
        CheckConstraint("audience IS NULL OR audience >= 0", name="audience_nonnegative"),
        Index("ix_booking_requests_place_state", "place_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(String(200))  # the approximate topic: public once accepted
    description: Mapped[str | None] = mapped_column(Text)
    responsible_name: Mapped[str] = mapped_column(String(200))  # personal data: never public
    responsible_contact: Mapped[str] = mapped_column(String(254))
    equipment: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[int | None]
    accessible: Mapped[bool] = mapped_column(default=False)
    accessibility_note: Mapped[str | None] = mapped_column(Text)
    # the first occurrence; the others repeat its wall-clock time in Kraków
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recurrence: Mapped[str] = mapped_column(String(10), default="none")
    until: Mapped[datetime | None] = mapped_column(db.Date)
    state: Mapped[str] = mapped_column(String(20), default="sent")
    decision_note: Mapped[str | None] = mapped_column(Text)  # the reason of a refusal, what to change
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    place: Mapped[Place] = relationship()
    room: Mapped[Room] = relationship()
    requester = relationship("User")
    organisation: Mapped[Organisation | None] = relationship()
    occurrences: Mapped[list["RoomBooking"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RoomBooking.starts_at")

    __mapper_args__ = {"version_id_col": version}

    @property
    def state_label(self) -> str:
        return str(REQUEST_STATE_LABELS.get(self.state, self.state))

    @property
    def recurrence_label(self) -> str:
        return str(RECURRENCE_LABELS.get(self.recurrence, self.recurrence))

    @property
    def local_start(self):
        return to_warsaw(self.starts_at)

    @property
    def local_end(self):
        return to_warsaw(self.ends_at)


class RoomBooking(db.Model):
    """One time a request asks a room for; `accepted` once the operator accepted the request."""

    __tablename__ = "room_bookings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_room_bookings_room_time", "room_id", "starts_at"),
        # Two accepted times of one room never overlap (PostgreSQL; on SQLite the acceptance's check, made under
        # the database's write lock, is the only guard). The columns hold UTC without a zone (UTCDateTime), so the
        # range is a tsrange: a tstzrange of them would depend on the session's time zone, which an index cannot.
        ExcludeConstraint(("room_id", "="), (func.tsrange(text("starts_at"), text("ends_at"), "[)"), "&&"),
                          using="gist", where=text("accepted"), name="ex_room_bookings_no_overlap",
                          ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("booking_requests.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted: Mapped[bool] = mapped_column(default=False)

    request: Mapped[BookingRequest] = relationship(back_populates="occurrences")
    room: Mapped[Room] = relationship()

    @property
    def local_start(self):
        return to_warsaw(self.starts_at)

    @property
    def local_end(self):
        return to_warsaw(self.ends_at)


# The exclusion constraint compares room ids with = inside a GiST index: the btree_gist extension gives that.
event.listen(RoomBooking.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"))
