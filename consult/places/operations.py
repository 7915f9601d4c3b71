"""Every change to places of activity, their rooms and the requests to book them.

Who may do what:
- coordinators and administrators register places and kinds of places (a kind: administrators), and edit any
  place; an operator (a member of the operating organisation, the staff of the operating unit) edits its own
  places and their rooms, and decides on the requests for them;
- residents and NGO members ask for a room; the requester changes a request the operator sent back, and may
  withdraw it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role, is_member_of, is_staff_of
from consult.core.errors import Forbidden, Refused
from consult.core.input import is_email_address
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import check_version, fire
from consult.core.submissions import once
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.i18n import format_moment
from consult.organisations.models import Organisation, Unit
from consult.organisations.register_data import DISTRICTS
from consult.places import rules
from consult.places.models import KIND_LABELS, BookingRequest, Place, PlaceKind, Room, RoomBooking
from workflows import BOOKING_REQUEST

REQUESTER_ROLES = ("resident", "ngo")


# --- who ---------------------------------------------------------------------------------------------------

def is_operator(user, place: Place) -> bool:
    return is_member_of(user, place.organisation_id) or is_staff_of(user, place.unit_id)


def can_edit_place(user, place: Place) -> bool:
    return has_role(user, "coordinator", "admin") or is_operator(user, place)


def can_decide(user, place: Place) -> bool:
    return can_edit_place(user, place)


def can_see_request(user, request: BookingRequest) -> bool:
    return getattr(user, "id", None) == request.requester_id or can_decide(user, request.place)


def can_request(user) -> bool:
    return has_role(user, *REQUESTER_ROLES)


def needs_confirmation(user) -> bool:
    """A resident who signed up and has not followed the link sent to their address yet: they may look around,
    not ask for a room (the operator must be able to reach whoever asks)."""
    return getattr(user, "email_confirmed_at", True) is None


def active_rooms(place: Place) -> list[Room]:
    return [r for r in place.rooms if r.active]


# --- kinds and places --------------------------------------------------------------------------------------

def _words(value, *, field: str, label: str, limit: int, required: bool = False) -> str | None:
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise Refused(_("Wpisz: %(label)s.", label=label), field=field)
        return None
    if len(text) > limit:
        raise Refused(_("%(label)s: najwyżej %(n)s znaków.", label=label, n=limit), field=field)
    return text


def _text(value, *, field: str, label: str, limit: int = 5000) -> str | None:
    text = (value or "").strip().replace("\r\n", "\n")
    if len(text) > limit:
        raise Refused(_("%(label)s: najwyżej %(n)s znaków.", label=label, n=limit), field=field)
    return text or None


@once("place_kind")
def create_place_kind(actor, *, name: str, code: str | None = None) -> PlaceKind:
    if not has_role(actor, "admin"):
        raise Forbidden(_("Rodzaje miejsc dopisują administratorzy."))
    name = _words(name, field="name", label=_("nazwa rodzaju"), limit=200, required=True)
    if db.session.scalar(db.select(PlaceKind).where(db.func.lower(PlaceKind.name) == name.lower())):
        raise Refused(_("Rodzaj „%(name)s” już jest na liście.", name=name), field="name")
    if code is None:
        base = re.sub(r"[^a-z0-9]+", "_", name.lower().encode("ascii", "ignore").decode()).strip("_")[:30] or "kind"
        code, n = base, 1
        while db.session.scalar(db.select(PlaceKind).where(PlaceKind.code == code)):
            n += 1
            code = f"{base}_{n}"
    kind = PlaceKind(code=code, name=name)
    db.session.add(kind)
    db.session.flush()
    audit.record(actor, "place_kind", kind.id, "create", name=name, code=code)
    return kind


def ensure_standard_kinds(actor) -> list[PlaceKind]:
    """The kinds the city starts with (KIND_LABELS), made if missing."""
    kinds = []
    for code, label in KIND_LABELS.items():
        kind = db.session.scalar(db.select(PlaceKind).where(PlaceKind.code == code))
        if kind is None:
            from flask_babel import force_locale

            with force_locale("pl"):
                kind = create_place_kind(actor, name=str(label), code=code)
        kinds.append(kind)
    return kinds


@dataclass
class PlaceDetails:
    kind: PlaceKind | None
    name: str
    address: str | None = None
    district: str | None = None
    organisation: Organisation | None = None
    unit: Unit | None = None
    programme: str | None = None
    call: object | None = None
    opening_hours: str | None = None
    offer: str | None = None
    accessibility: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None


def _apply(place: Place, d: PlaceDetails, *, operator_too: bool) -> dict:
    if d.kind is None:
        raise Refused(_("Wybierz rodzaj miejsca."), field="kind")
    name = _words(d.name, field="name", label=_("nazwa miejsca"), limit=300, required=True)
    clash = db.session.scalar(db.select(Place).where(Place.name == name, Place.id != (place.id or 0)))
    if clash is not None:
        raise Refused(_("Miejsce „%(name)s” już jest w rejestrze.", name=name), field="name")
    address = _words(d.address, field="address", label=_("adres"), limit=300)
    if d.district and d.district not in DISTRICTS:
        raise Refused(_("Wybierz dzielnicę z listy."), field="district")
    if operator_too and (d.organisation is None) == (d.unit is None):
        raise Refused(_("Wskaż operatora: organizację albo komórkę miasta (jedno z dwojga)."), field="operator")
    email = (d.email or "").strip() or None
    if email and not is_email_address(email):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="email")
    website = _words(d.website, field="website", label=_("strona internetowa"), limit=300)
    if website and not re.match(r"https?://[^\s/]+\.[^\s]+$", website):
        raise Refused(_("Strona internetowa: wpisz adres zaczynający się od https://."), field="website")
    values = {
        "kind_id": d.kind.id, "name": name, "address": address, "district": d.district or None,
        "programme": _words(d.programme, field="programme", label=_("program"), limit=200),
        "call_id": getattr(d.call, "id", None),
        "opening_hours": _text(d.opening_hours, field="opening_hours", label=_("godziny otwarcia")),
        "offer": _text(d.offer, field="offer", label=_("oferta")),
        "accessibility": _text(d.accessibility, field="accessibility", label=_("dostępność")),
        "email": email, "phone": _words(d.phone, field="phone", label=_("telefon"), limit=40), "website": website,
    }
    if operator_too:
        if d.unit is not None and d.unit.id != place.unit_id:
            # A closed unit keeps running the places it ran (their history and edits stay), but takes no new one.
            from consult.organisations.operations import require_active_unit

            require_active_unit(d.unit, "operator")
        values["organisation_id"] = d.organisation.id if d.organisation else None
        values["unit_id"] = d.unit.id if d.unit else None
    changed = {k: v for k, v in values.items() if getattr(place, k) != v}
    for key, value in values.items():
        setattr(place, key, value)
    return changed


@once("place")
def create_place(actor, details: PlaceDetails, *, rooms: list[str] = ()) -> Place:
    if not has_role(actor, "coordinator", "admin"):
        raise Forbidden(_("Miejsca rejestrują koordynatorzy i administratorzy."))
    place = Place()
    _apply(place, details, operator_too=True)
    db.session.add(place)
    db.session.flush()
    audit.record(actor, "place", place.id, "create", name=place.name)
    for room in rooms:
        add_room(actor, place, name=room)
    return place


def edit_place(actor, place: Place, details: PlaceDetails, *, version: int | None = None) -> Place:
    if not can_edit_place(actor, place):
        raise Forbidden(_("Dane miejsca zmienia jego operator albo koordynator."))
    check_version(place, version)
    # The operator is chosen by the city (a call, an agreement): an operator does not hand its place over.
    operator_too = has_role(actor, "coordinator", "admin")
    changed = _apply(place, details, operator_too=operator_too)
    if changed:
        db.session.flush()
        audit.record(actor, "place", place.id, "edit", fields=sorted(changed))
    return place


def _capacity(capacity: int | None) -> int | None:
    if capacity is not None and not 1 <= capacity <= 10_000:
        raise Refused(_("Liczba miejsc: wpisz liczbę od 1 do 10 000."), field="capacity")
    return capacity


def add_room(actor, place: Place, *, name: str, capacity: int | None = None) -> Room:
    if not can_edit_place(actor, place):
        raise Forbidden(_("Sale dopisuje operator miejsca albo koordynator."))
    name = _words(name, field="room_name", label=_("nazwa sali"), limit=200, required=True)
    if any(r.name == name for r in place.rooms):
        raise Refused(_("Sala „%(name)s” już jest w tym miejscu.", name=name), field="room_name")
    room = Room(place=place, name=name, capacity=_capacity(capacity))
    db.session.add(room)
    db.session.flush()
    audit.record(actor, "place", place.id, "add_room", room=name, room_id=room.id)
    return room


def edit_room(actor, room: Room, *, name: str, capacity: int | None, equipment: str | None,
              accessibility: str | None, version: int | None = None) -> Room:
    """The operator (or a coordinator, an administrator) describes a room: its name, how many it seats, what it
    has and how accessible it is. Accepted bookings keep the room: they show its new name."""
    if not can_edit_place(actor, room.place):
        raise Forbidden(_("Salę opisuje operator miejsca albo koordynator."))
    check_version(room, version)
    name = _words(name, field="room_name", label=_("nazwa sali"), limit=200, required=True)
    if any(r.name == name and r.id != room.id for r in room.place.rooms):
        raise Refused(_("Sala „%(name)s” już jest w tym miejscu.", name=name), field="room_name")
    values = {"name": name, "capacity": _capacity(capacity),
              "equipment": _text(equipment, field="equipment", label=_("wyposażenie")),
              "accessibility": _text(accessibility, field="accessibility", label=_("dostępność"))}
    changed = sorted(k for k, v in values.items() if getattr(room, k) != v)
    for key, value in values.items():
        setattr(room, key, value)
    if changed:
        db.session.flush()
        audit.record(actor, "room", room.id, "edit", place_id=room.place_id, fields=changed)
    return room


def room_commitments(room: Room) -> tuple[list[RoomBooking], list[BookingRequest]]:
    """What stands in the way of withdrawing a room: its accepted times still to come, and the requests for it
    that wait for a decision or for the requester's changes."""
    now = utcnow()
    future = list(db.session.scalars(db.select(RoomBooking).join(BookingRequest).where(
        RoomBooking.room_id == room.id, RoomBooking.accepted.is_(True), BookingRequest.state == "accepted",
        RoomBooking.ends_at > now).order_by(RoomBooking.starts_at)))
    waiting = list(db.session.scalars(db.select(BookingRequest).where(
        BookingRequest.room_id == room.id, BookingRequest.state.in_(("sent", "changes_requested")))
        .order_by(BookingRequest.starts_at)))
    return future, waiting


def withdraw_room(actor, room: Room) -> Room:
    """Take a room off the booking form. Refused while people still count on it (an accepted time to come, a
    request waiting): the operator settles those first, with the requesters, rather than the system cancelling
    their events behind their backs. The room and its past bookings stay (calendars, the record)."""
    if not can_edit_place(actor, room.place):
        raise Forbidden(_("Salę wycofuje operator miejsca albo koordynator."))
    lock_for_update(Room, room.id)
    if not room.active:
        return room
    future, waiting = room_commitments(room)
    if future or waiting:
        names = [f"„{o.request.title}” {_slot((o.starts_at, o.ends_at))}" for o in future[:5]]
        names += [f"„{r.title}” ({r.state_label})" for r in waiting[:5]]
        raise Refused(_("Nie można wycofać sali „%(room)s”, dopóki są na nią przyjęte rezerwacje albo wnioski "
                        "czekające na decyzję: %(list)s. Odrzuć wnioski albo uzgodnij z wnioskodawcami odwołanie "
                        "rezerwacji (wnioskodawca może ją wycofać), a potem wycofaj salę.",
                        room=room.name, list="; ".join(names)))
    room.active = False
    db.session.flush()
    audit.record(actor, "room", room.id, "withdraw", place_id=room.place_id, room=room.name)
    return room


def restore_room(actor, room: Room) -> Room:
    if not can_edit_place(actor, room.place):
        raise Forbidden(_("Salę przywraca operator miejsca albo koordynator."))
    if not room.active:
        room.active = True
        db.session.flush()
        audit.record(actor, "room", room.id, "restore", place_id=room.place_id, room=room.name)
    return room


# --- booking requests -------------------------------------------------------------------------------------

@dataclass
class RequestDetails:
    room: Room | None
    day: date | None
    starts: object | None  # time
    ends: object | None  # time
    title: str
    responsible_name: str
    responsible_contact: str
    audience: int | None = None
    equipment: str | None = None
    description: str | None = None
    accessible: bool = False
    accessibility_note: str | None = None
    recurrence: str = "none"
    until: date | None = None


def planned_times(place: Place, d: RequestDetails, *, ignore_request_id: int | None = None):
    """Check the request's details and return (values for the request, its occurrences); Refused naming the
    field otherwise. Shared by sending, sending again, and the form's "show the dates" step."""
    from consult.core.forms import warsaw_moment

    if d.room is None or d.room.place_id != place.id or not d.room.active:
        raise Refused(_("Wybierz salę z listy."), field="room")
    if d.day is None:
        raise Refused(_("Podaj datę wydarzenia."), field="day")
    start, end = warsaw_moment(d.day, d.starts), warsaw_moment(d.day, d.ends)
    if start is None or end is None:
        raise Refused(_("Podaj godzinę rozpoczęcia i zakończenia."), field="starts")
    if end <= start:
        raise Refused(_("Godzina zakończenia musi być późniejsza niż godzina rozpoczęcia."), field="ends")
    today = to_warsaw(utcnow()).date()
    deadline = rules.last_day_to_ask(d.day)
    if today > deadline:
        raise Refused(_("Wydarzenia zgłasza się co najmniej 3 dni robocze wcześniej (soboty, niedziele i święta "
                        "nie są dniami roboczymi). Na %(day)s trzeba było wysłać wniosek do %(deadline)s; "
                        "najbliższy termin, o który możesz dziś poprosić, to %(earliest)s.",
                        day=_day(d.day), deadline=_day(deadline), earliest=_day(rules.earliest_event_day(today))),
                      field="day")
    if d.recurrence not in ("none", "weekly", "monthly"):
        raise Refused(_("Wybierz, czy wydarzenie jest jednorazowe, czy cykliczne."), field="recurrence")
    until = d.until if d.recurrence != "none" else None
    if d.recurrence != "none":
        if until is None:
            raise Refused(_("Podaj, do kiedy wydarzenie się powtarza."), field="until")
        if until <= d.day:
            raise Refused(_("Data ostatniego powtórzenia musi być późniejsza niż data pierwszego."), field="until")
    times = rules.occurrences(start, end, d.recurrence, until)
    if len(times) > rules.MAX_OCCURRENCES:
        raise Refused(_("Wniosek może objąć najwyżej %(n)s terminów; wybierz wcześniejszą datę końcową.",
                        n=rules.MAX_OCCURRENCES), field="until")
    collisions = collisions_with_accepted(d.room.id, times, ignore_request_id=ignore_request_id)
    if collisions:
        wanted = collisions[0]
        taken = accepted_times(d.room.id, wanted[0])
        free = rules.free_slots_near(wanted, taken)
        slots = "; ".join(_slot(s) for s in free) or _("brak wolnych terminów w najbliższych dniach")
        raise Refused(_("Sala „%(room)s” jest zajęta %(when)s. Wolne terminy w pobliżu: %(free)s.",
                        room=d.room.name, when=_slot(wanted), free=slots), field="starts")
    values = {
        "room_id": d.room.id,
        "title": _words(d.title, field="title", label=_("tematyka wydarzenia"), limit=200, required=True),
        "description": _text(d.description, field="description", label=_("opis")),
        "responsible_name": _words(d.responsible_name, field="responsible_name",
                                   label=_("imię i nazwisko osoby odpowiedzialnej"), limit=200, required=True),
        "responsible_contact": _words(d.responsible_contact, field="responsible_contact",
                                      label=_("kontakt do osoby odpowiedzialnej"), limit=254, required=True),
        "equipment": _text(d.equipment, field="equipment", label=_("potrzebny sprzęt")),
        "audience": d.audience,
        "accessible": bool(d.accessible),
        "accessibility_note": _text(d.accessibility_note, field="accessibility_note", label=_("dostępność")),
        "starts_at": start, "ends_at": end, "recurrence": d.recurrence, "until": until,
    }
    if d.audience is not None and not 0 <= d.audience <= 100_000:
        raise Refused(_("Liczba odbiorców: wpisz liczbę od 0 do 100 000."), field="audience")
    if d.room.capacity and d.audience and d.audience > d.room.capacity:
        raise Refused(_("Sala „%(room)s” mieści %(n)s osób.", room=d.room.name, n=d.room.capacity),
                      field="audience")
    return values, times


def _day(value: date) -> str:
    from consult.i18n import format_day

    return format_day(value)


def _slot(slot) -> str:
    start, end = to_warsaw(slot[0]), to_warsaw(slot[1])
    return f"{format_moment(slot[0])}–{end:%H:%M}" if start.date() == end.date() else \
        f"{format_moment(slot[0])} – {format_moment(slot[1])}"


def accepted_times(room_id: int, around: datetime) -> list[tuple[datetime, datetime]]:
    from datetime import timedelta

    rows = db.session.execute(db.select(RoomBooking.starts_at, RoomBooking.ends_at).where(
        RoomBooking.room_id == room_id, RoomBooking.accepted.is_(True),
        RoomBooking.ends_at > around - timedelta(days=1), RoomBooking.starts_at < around + timedelta(days=9)))
    return [(s, e) for s, e in rows]


def collisions_with_accepted(room_id: int, times, *, ignore_request_id: int | None = None):
    """The times of `times` that overlap an accepted booking of the room (one query)."""
    if not times:
        return []
    first, last = min(t[0] for t in times), max(t[1] for t in times)
    query = db.select(RoomBooking.starts_at, RoomBooking.ends_at).where(
        RoomBooking.room_id == room_id, RoomBooking.accepted.is_(True),
        RoomBooking.starts_at < last, RoomBooking.ends_at > first)
    if ignore_request_id:
        query = query.where(RoomBooking.request_id != ignore_request_id)
    taken = [(s, e) for s, e in db.session.execute(query)]
    return [t for t in times if any(rules.overlaps(t, x) for x in taken)]


@once("booking_request")
def send_booking_request(actor, place: Place, details: RequestDetails) -> BookingRequest:
    if not can_request(actor):
        raise Forbidden(_("O salę proszą mieszkańcy i organizacje, po zalogowaniu."))
    if needs_confirmation(actor):
        raise Refused(_("Najpierw potwierdź swój adres e-mail: otwórz link, który wysłaliśmy na %(email)s. "
                        "Dopiero potem możesz wysłać wniosek o salę.", email=actor.email))
    if not active_rooms(place):
        raise Refused(_("To miejsce nie udostępnia sal przez formularz."), field="room")
    values, times = planned_times(place, details)
    request = BookingRequest(place_id=place.id, requester_id=actor.id,
                             organisation_id=actor.organisation_id if has_role(actor, "ngo") else None,
                             state="sent", sent_at=utcnow(), **values)
    request.occurrences = [RoomBooking(room_id=values["room_id"], starts_at=s, ends_at=e) for s, e in times]
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "booking_request", request.id, "create", to_state="sent", place=place.name,
                 room=details.room.name, occurrences=len(times))
    return request


def resend_booking_request(actor, request: BookingRequest, details: RequestDetails, *,
                           version: int | None = None) -> BookingRequest:
    if getattr(actor, "id", None) != request.requester_id:
        raise Forbidden(_("Wniosek poprawia osoba, która go wysłała."))
    check_version(request, version)
    values, times = planned_times(request.place, details, ignore_request_id=request.id)
    fire(BOOKING_REQUEST, request, "resend", actor, occurrences=len(times))
    for key, value in values.items():
        setattr(request, key, value)
    request.sent_at = utcnow()
    request.occurrences = [RoomBooking(room_id=values["room_id"], starts_at=s, ends_at=e) for s, e in times]
    return request


def accept_booking_request(actor, request: BookingRequest) -> BookingRequest:
    """Accept every time the request asks for, or nothing: under a lock on the room, so that two acceptances of
    overlapping requests made at the same moment cannot both pass the check (the second waits and then sees the
    first one's bookings)."""
    if not can_decide(actor, request.place):
        raise Forbidden(_("O wnioskach decyduje operator miejsca albo koordynator."))
    request_id = request.id
    lock_for_update(Room, request.room_id)
    request = db.session.get(BookingRequest, request_id)
    if request.state == "sent":
        times = [(o.starts_at, o.ends_at) for o in request.occurrences]
        taken = collisions_with_accepted(request.room_id, times, ignore_request_id=request.id)
        if taken:
            raise Refused(_("Nie można przyjąć wniosku: sala „%(room)s” jest już zajęta %(when)s.",
                            room=request.room.name, when=_slot(taken[0])))
    fire(BOOKING_REQUEST, request, "accept", actor)
    request.decided_at = utcnow()
    request.decision_note = None
    for occurrence in request.occurrences:
        occurrence.accepted = True
    db.session.flush()
    _tell_requester(request.id, "booking_accepted")
    return request


def ask_for_changes(actor, request: BookingRequest, *, note: str) -> BookingRequest:
    if not can_decide(actor, request.place):
        raise Forbidden(_("O wnioskach decyduje operator miejsca albo koordynator."))
    note = _text(note, field="note", label=_("co zmienić"), limit=2000)
    if not note:
        raise Refused(_("Napisz, co trzeba zmienić we wniosku."), field="note")
    fire(BOOKING_REQUEST, request, "ask_for_changes", actor, note=note)
    request.decision_note = note
    request.decided_at = utcnow()
    _tell_requester(request.id, "booking_changes_requested")
    return request


def refuse_booking_request(actor, request: BookingRequest, *, reason: str) -> BookingRequest:
    if not can_decide(actor, request.place):
        raise Forbidden(_("O wnioskach decyduje operator miejsca albo koordynator."))
    reason = _text(reason, field="note", label=_("powód"), limit=2000)
    if not reason:
        raise Refused(_("Podaj powód odmowy."), field="note")
    fire(BOOKING_REQUEST, request, "refuse", actor, reason=reason)
    request.decision_note = reason
    request.decided_at = utcnow()
    _tell_requester(request.id, "booking_refused")
    return request


def withdraw_booking_request(actor, request: BookingRequest) -> BookingRequest:
    """The requester withdraws a request, or cancels an accepted booking, before the event starts (its first
    time, for a recurring one): after that the operator has kept the room, and it is theirs to settle. The operator
    is told of a cancelled booking (a room freed), not of a request withdrawn before any decision."""
    if getattr(actor, "id", None) != request.requester_id:
        raise Forbidden(_("Wniosek wycofuje osoba, która go wysłała."))
    if request.state in ("sent", "changes_requested", "accepted") and request.starts_at <= utcnow():
        raise Refused(_("Wydarzenie zaczęło się %(when)s: po rozpoczęciu nie można już wycofać wniosku ani "
                        "odwołać rezerwacji. Skontaktuj się z operatorem miejsca.",
                        when=format_moment(request.starts_at)))
    was_accepted = request.state == "accepted"
    fire(BOOKING_REQUEST, request, "withdraw", actor, action="cancel" if was_accepted else "withdraw")
    for occurrence in request.occurrences:
        occurrence.accepted = False
    if was_accepted:
        from consult.places import jobs

        db.session.flush()
        after_commit(db.session, jobs.notify_operator, request.id, current_app._get_current_object())
    return request


def _tell_requester(request_id: int, kind: str) -> None:
    from consult.places import jobs

    after_commit(db.session, jobs.notify_requester, request_id, kind, current_app._get_current_object())
