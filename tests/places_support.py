"""A place run by NGO A (rooms, a waiting and an accepted request of the resident) and one run by unit Y, added to
the test world when a test asks for them."""
from __future__ import annotations

from datetime import date, time, timedelta

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db


def next_weekday(weekday: int, after_days: int = 14) -> date:
    """A day of the given weekday (0 Monday) at least `after_days` from today in Kraków: far enough for the rule
    of 3 working days whatever holidays fall between."""
    day = to_warsaw(utcnow()).date() + timedelta(days=after_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def places_of(w):
    if getattr(w, "places", None):
        return w.places
    from consult.places.models import PlaceKind
    from consult.places.operations import (PlaceDetails, RequestDetails, accept_booking_request, create_place,
                                           ensure_standard_kinds, send_booking_request)

    with transaction():
        ensure_standard_kinds(SYSTEM)
        mam = db.session.scalar(db.select(PlaceKind).where(PlaceKind.code == "mam"))
        pal = db.session.scalar(db.select(PlaceKind).where(PlaceKind.code == "pal"))
        a = create_place(SYSTEM, PlaceDetails(kind=mam, name="MAM Na Kozłówce", address="ul. Na Kozłówce 25",
                                              district="XI", organisation=w.org_a, offer="Wymiana roślin"),
                         rooms=["Sala 1", "Sala 2", "Sala 3", "Hall główny"])
        y = create_place(SYSTEM, PlaceDetails(kind=pal, name="PAL Na Skarpie", address="os. Na Skarpie 35",
                                              district="XVIII", unit=w.unit_y))
        resident = w.user("resident")
        day = next_weekday(2)

        def ask(title, start, end, **kw):
            return send_booking_request(resident, a, RequestDetails(
                room=a.rooms[0], day=kw.pop("day", day), starts=start, ends=end, title=title,
                responsible_name="Jan Mieszkaniec", responsible_contact="jan@example.org", **kw))

        waiting = ask("Kawiarenka naprawcza", time(17), time(19))
        accepted = ask("Las w słoiku", time(10), time(12))
        accept_booking_request(SYSTEM, accepted)
    w.places = {"a": a, "y": y, "waiting": waiting, "accepted": accepted, "day": day}
    return w.places
