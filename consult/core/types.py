"""Column types and mixins shared by the models."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, TypeDecorator

WARSAW = ZoneInfo("Europe/Warsaw")


# How far the clock is moved in this context (zero but within `clock_at`).
_CLOCK_SHIFT: ContextVar[timedelta] = ContextVar("consult_clock_shift", default=timedelta(0))


def utcnow() -> datetime:
    """The current instant (aware, UTC): what every rule about time, every timestamp column and every audit
    event reads. Within `clock_at` it reads as moved."""
    return datetime.now(UTC) + _CLOCK_SHIFT.get()


@contextmanager
def clock_at(instant: datetime) -> Iterator[None]:
    """Run the block as if the clock showed `instant` when it starts (it keeps ticking from there).

    For loading a history through the operations, as the demo does: a call announced weeks ago whose
    offers deadline has passed, with its timestamps and audit events of those days. The shift belongs to
    this context (thread, task) only: requests served meanwhile read the real clock.
    """
    if instant.tzinfo is None:
        raise ValueError("clock_at needs an aware instant")
    token = _CLOCK_SHIFT.set(instant - datetime.now(UTC))
    try:
        yield
    finally:
        _CLOCK_SHIFT.reset(token)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC on every backend (SQLite keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def to_warsaw(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(WARSAW)


def today_in_warsaw() -> date:
    """Today's date in Kraków (by consult's clock): what "filed on", "due on" and "in force on" are counted in."""
    return to_warsaw(utcnow()).date()


def warsaw_to_utc(local: datetime) -> datetime:
    """A wall-clock time in Kraków (naive) as an aware UTC datetime."""
    return local.replace(tzinfo=WARSAW).astimezone(timezone.utc)
