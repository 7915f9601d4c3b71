"""Two acceptances of overlapping requests for one room, at the same moment, each on its own connection: one
passes, the other is refused, and the room holds one booking. With the lock on the room (the operation) and, on
PostgreSQL, the exclusion constraint, which is checked here on its own too: a write that skips the operation's
check is refused by the database."""
from __future__ import annotations

import threading
from datetime import time

import pytest

from consult.core.actors import SYSTEM
from consult.core.errors import Refused
from consult.core.operations import transaction
from consult.extensions import db
from consult.places import operations as ops
from consult.places.models import BookingRequest, RoomBooking
from tests.places_support import places_of
from tests.test_concurrency import _run_together

HOLD = 0.4


def _two_overlapping(world):
    p = places_of(world)
    with transaction():
        made = [ops.send_booking_request(world.user(who), p["a"], ops.RequestDetails(
            room=p["a"].rooms[2], day=p["day"], starts=time(start), ends=time(start + 2), title=f"Wydarzenie {who}",
            responsible_name="X", responsible_contact="x@example.org"))
            for who, start in (("resident", 17), ("ngo_b", 18))]
    return [r.id for r in made]


def test_two_acceptances_at_once_book_the_room_once(app, world, monkeypatch):
    ids = _two_overlapping(world)
    barrier = threading.Barrier(2)
    real = ops.collisions_with_accepted

    def held(*args, **kwargs):  # both read "no collision" before either writes, unless the lock serialises them
        found = real(*args, **kwargs)
        try:
            barrier.wait(timeout=HOLD)
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(ops, "collisions_with_accepted", held)

    def accept(request_id):
        def job():
            with transaction():
                return ops.accept_booking_request(SYSTEM, db.session.get(BookingRequest, request_id)).state
        return job

    results = _run_together(app, [accept(i) for i in ids])
    assert sorted(str(type(r).__name__) for r in results) == ["Refused", "str"], results
    db.session.expire_all()
    states = sorted(db.session.get(BookingRequest, i).state for i in ids)
    assert states == ["accepted", "sent"]
    room = places_of(world)["a"].rooms[2]
    assert db.session.scalar(db.select(db.func.count()).select_from(RoomBooking)
                             .where(RoomBooking.room_id == room.id, RoomBooking.accepted.is_(True))) == 1


def test_the_database_refuses_overlapping_accepted_times_on_postgresql(app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite relies on the operation")
    ids = _two_overlapping(world)
    with transaction():
        ops.accept_booking_request(SYSTEM, db.session.get(BookingRequest, ids[0]))
    with pytest.raises(Refused), transaction():  # skipping the operation's check: the constraint refuses
        for occurrence in db.session.get(BookingRequest, ids[1]).occurrences:
            occurrence.accepted = True
    assert db.session.get(BookingRequest, ids[1]).occurrences[0].accepted is False
