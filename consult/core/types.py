"""Column types and mixins shared by the models."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, TypeDecorator

WARSAW = ZoneInfo("Europe/Warsaw")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


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


def warsaw_to_utc(local: datetime) -> datetime:
    """A wall-clock time in Kraków (naive) as an aware UTC datetime."""
    return local.replace(tzinfo=WARSAW).astimezone(timezone.utc)
