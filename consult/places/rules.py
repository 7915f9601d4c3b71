"""The rules of booking a room, as plain functions of dates and times (no database).

- Working days (MAM's regulations, § 5: requests come 3 working days before the event): Monday to Friday that are
  not Polish public holidays, as the maintained `holidays` library knows them (Easter Monday, 1 and 3 May, Corpus
  Christi, 11 November, 24 December from 2025...). The last day to ask for a day is that day stepped back over
  NOTICE_WORKING_DAYS working days: for Thursday it is Monday, for Saturday it is Wednesday.
- Occurrences of a recurring request: python-dateutil's rrule from the first occurrence's wall-clock time in
  Kraków, so that a weekly 18:00 stays 18:00 across the change to and from summer time.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from dateutil.rrule import MONTHLY, WEEKLY, rrule

from consult.core.types import WARSAW, to_warsaw, warsaw_to_utc

NOTICE_WORKING_DAYS = 3
MAX_OCCURRENCES = 60  # a year of weekly meetings and then some; more is a standing arrangement, not a booking
DAY_STARTS, DAY_ENDS = time(8, 0), time(22, 0)  # where free slots are looked for


@lru_cache(maxsize=32)
def _polish_holidays(year: int):
    return holidays.Poland(years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _polish_holidays(day.year)


def last_day_to_ask(event_day: date, working_days: int = NOTICE_WORKING_DAYS) -> date:
    """The last day on which a request for `event_day` may come."""
    day, counted = event_day, 0
    while counted < working_days:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def earliest_event_day(today: date, working_days: int = NOTICE_WORKING_DAYS) -> date:
    """The first day a request sent `today` may ask for."""
    day = today + timedelta(days=1)
    while last_day_to_ask(day, working_days) < today:
        day += timedelta(days=1)
    return day


def occurrences(first_start: datetime, first_end: datetime, recurrence: str,
                until: date | None) -> list[tuple[datetime, datetime]]:
    """Every (start, end) in UTC a request asks for: its first one, and the repeats up to `until` (inclusive)."""
    if recurrence == "none" or until is None:
        return [(first_start, first_end)]
    local_start = to_warsaw(first_start).replace(tzinfo=None)
    duration = first_end - first_start
    freq = WEEKLY if recurrence == "weekly" else MONTHLY
    starts = rrule(freq, dtstart=local_start, until=datetime.combine(until, time(23, 59)),
                   count=None)
    out = []
    for local in starts:
        if len(out) > MAX_OCCURRENCES:
            break
        start = warsaw_to_utc(local)
        out.append((start, start + duration))
    return out


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def free_slots_near(wanted: tuple[datetime, datetime], taken: list[tuple[datetime, datetime]],
                    limit: int = 3) -> list[tuple[datetime, datetime]]:
    """Free times of the same length near `wanted`: the same day an hour or more earlier or later (between
    DAY_STARTS and DAY_ENDS in Kraków), then the same hours on the following days; nearest first."""
    duration = wanted[1] - wanted[0]
    local = to_warsaw(wanted[0])
    candidates = []
    for hours in (1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6):
        start = wanted[0] + timedelta(hours=hours)
        day_local = to_warsaw(start)
        end_local = to_warsaw(start + duration)
        if day_local.date() != local.date() or day_local.time() < DAY_STARTS or \
                end_local.date() != local.date() or end_local.time() > DAY_ENDS:
            continue
        candidates.append((start, start + duration))
    for days in range(1, 8):
        start = warsaw_to_utc(datetime.combine(local.date() + timedelta(days=days), local.time()))
        candidates.append((start, start + duration))
    free = [slot for slot in candidates if not any(overlaps(slot, t) for t in taken)]
    return free[:limit]


def warsaw_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where a Kraków day starts and ends."""
    return (warsaw_to_utc(datetime.combine(day, time(0, 0))),
            warsaw_to_utc(datetime.combine(day + timedelta(days=1), time(0, 0))))


__all__ = ["WARSAW", "is_working_day", "last_day_to_ask", "earliest_event_day", "occurrences", "free_slots_near"]
