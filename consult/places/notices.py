"""What the requester of a room is told: the operator's decision (accepted, changes asked for, refused) and, the
day before, a reminder of each accepted time; and what the operator is told: a booking its requester cancelled
(the people who act for the operator: the organisation's members, the unit's staff). Written in the requester's language through the outbox
(consult/notifications); each decision and each reminder reaches the requester once."""
from __future__ import annotations

from datetime import datetime, timedelta

from consult.core.models import AuditEvent
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.places.models import BookingRequest, RoomBooking

ACTIONS = {"booking_accepted": "accept", "booking_changes_requested": "ask_for_changes",
           "booking_refused": "refuse"}
STATES = {"booking_accepted": "accepted", "booking_changes_requested": "changes_requested",
          "booking_refused": "refused"}


def notify_decision(request_id: int, kind: str):
    """Tell the requester the decision `kind` on the request, if it still stands (a decision is an audit event:
    each one is told once, also the second request for changes of one request)."""
    from consult.notifications.operations import _write, _written
    from consult.notifications.rendering import absolute, path_for

    request = db.session.get(BookingRequest, request_id)
    if request is None or request.state != STATES[kind] or not request.requester.active:
        return []
    event_id = db.session.scalar(db.select(AuditEvent.id).where(
        AuditEvent.subject_type == "booking_request", AuditEvent.subject_id == request.id,
        AuditEvent.action == ACTIONS[kind]).order_by(AuditEvent.id.desc()).limit(1))
    link = path_for("places.booking_request", request_id=request.id)
    params = {"place": request.place.name, "room": request.room.name, "starts": request.starts_at.isoformat()}
    return _written([_write(request.requester, kind=kind, related_type="booking_decision",
                            related_id=event_id or request.id, link=link, params=params, request=request,
                            url=absolute(link))])


def operator_people(place) -> list:
    from consult.auth.models import User

    if place.organisation_id is not None:
        where = (User.role == "ngo") & (User.organisation_id == place.organisation_id)
    else:
        where = (User.role == "unit") & (User.unit_id == place.unit_id)
    return list(db.session.scalars(db.select(User).where(where, User.active).order_by(User.id)))


def notify_cancellation(request_id: int):
    """Tell the operator's people that an accepted booking was cancelled by its requester (once per person)."""
    from consult.notifications.operations import _write, _written
    from consult.notifications.rendering import absolute, path_for

    request = db.session.get(BookingRequest, request_id)
    if request is None or request.state != "withdrawn":
        return []
    event_id = db.session.scalar(db.select(AuditEvent.id).where(
        AuditEvent.subject_type == "booking_request", AuditEvent.subject_id == request.id,
        AuditEvent.action == "cancel").order_by(AuditEvent.id.desc()).limit(1))
    if event_id is None:
        return []
    link = path_for("places.week", place_id=request.place_id, od=to_warsaw(request.starts_at).date().isoformat())
    params = {"title": request.title, "place": request.place.name, "room": request.room.name,
              "starts": request.starts_at.isoformat()}
    return _written(_write(person, kind="booking_cancelled", related_type="booking_cancellation",
                           related_id=event_id, link=link, params=params, request=request, url=absolute(link))
                    for person in operator_people(request.place))


def send_booking_reminders(now: datetime | None = None):
    """Remind each requester of each accepted time that starts tomorrow (Kraków's tomorrow)."""
    from consult.notifications.operations import _write, _written
    from consult.notifications.rendering import absolute, path_for
    from consult.places.rules import warsaw_day_bounds

    now = now or utcnow()
    tomorrow = to_warsaw(now).date() + timedelta(days=1)
    start, end = warsaw_day_bounds(tomorrow)
    occurrences = db.session.scalars(db.select(RoomBooking).join(BookingRequest).where(
        RoomBooking.accepted.is_(True), BookingRequest.state == "accepted",
        RoomBooking.starts_at >= start, RoomBooking.starts_at < end).order_by(RoomBooking.starts_at)).all()
    written = []
    for occurrence in occurrences:
        request = occurrence.request
        if not request.requester.active:
            continue
        link = path_for("places.booking_request", request_id=request.id)
        params = {"title": request.title, "place": request.place.name, "room": occurrence.room.name,
                  "starts": occurrence.starts_at.isoformat()}
        written += _written([_write(request.requester, kind="booking_reminder", related_type="room_booking",
                                    related_id=occurrence.id, link=link, params=params, request=request,
                                    occurrence=occurrence, url=absolute(link))])
    return written
