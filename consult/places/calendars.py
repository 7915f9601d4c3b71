"""A place's events as calendars: a week grid (days and hours) for the pages, and an iCalendar feed (RFC 5545)
that calendar programs subscribe to. Public: the event's title, time, room and accessibility, never the people."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from consult.core.types import to_warsaw, utcnow

FIRST_HOUR, LAST_HOUR = 8, 20  # the rows a week grid always has; earlier or later ones when something is there


def week_grid(times, monday: date) -> dict:
    """A week as a table: a column for each day (Monday first), a row for each hour, and in each cell the times
    that start in that hour of that day. Always the rows 8:00–20:00, and any earlier or later hour in use."""
    from flask_babel import format_date

    from consult.i18n import format_day

    days = [monday + timedelta(days=n) for n in range(7)]
    cells: dict[tuple[date, int], list] = {}
    for occurrence in times:
        local = to_warsaw(occurrence.starts_at)
        if local.date() in days:
            cells.setdefault((local.date(), local.hour), []).append(occurrence)
    hours = sorted(set(range(FIRST_HOUR, LAST_HOUR + 1)) | {hour for _day, hour in cells})
    return {
        "days": [(day, f"{format_date(day, 'EEEE')} {format_day(day)}") for day in days],
        "rows": [(hour, [cells.get((day, hour), []) for day in days]) for hour in hours],
        "today": to_warsaw(utcnow()).date(),
        "empty": not cells,
        "first": days[0], "last": days[-1],
    }


def feed(place, room=None) -> bytes:
    """The iCalendar of the accepted events of the place (or one room) from 30 days ago to a year ahead."""
    from icalendar import Calendar, Event

    from consult.notifications.rendering import absolute, path_for
    from consult.places.queries import public_events

    now = utcnow()
    calendar = Calendar()
    calendar.add("prodid", "-//consult//miejsca aktywnosci//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"{place.name} – {room.name}" if room is not None else place.name
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    link = absolute(path_for("places.calendar", place_id=place.id))
    for occurrence in public_events(place, now - timedelta(days=30), now + timedelta(days=366), room):
        request = occurrence.request
        event = Event()
        event.add("uid", f"room-booking-{occurrence.id}@consult")
        event.add("dtstamp", request.decided_at or now)
        event.add("dtstart", to_warsaw(occurrence.starts_at))
        event.add("dtend", to_warsaw(occurrence.ends_at))
        event.add("summary", request.title)
        event.add("location", f"{place.name}, {occurrence.room.name}, {place.address}")
        access = _("dostępne dla osób z niepełnosprawnościami") if request.accessible else \
            _("dostępność nie została potwierdzona")
        description = access + (f"\n{request.accessibility_note}" if request.accessible and
                                request.accessibility_note else "")
        event.add("description", description)
        event.add("url", link)
        calendar.add_component(event)
    return calendar.to_ical()
