"""A place's events as calendars: grouped by day for the pages, and as an iCalendar feed (RFC 5545) that
calendar programs subscribe to. Public: the event's title, time, room and accessibility, never the people."""
from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta

from flask_babel import gettext as _

from consult.core.types import to_warsaw, utcnow


def by_day(times, monday: date | None = None, days: int = 0) -> "OrderedDict[date, list]":
    """The occurrences by their Kraków day; with `monday` and `days`, every day of the span, empty ones too."""
    out: OrderedDict[date, list] = OrderedDict()
    if monday is not None:
        for n in range(days):
            out[monday + timedelta(days=n)] = []
    for occurrence in times:
        out.setdefault(to_warsaw(occurrence.starts_at).date(), []).append(occurrence)
    return out


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
