"""Places of activity: the register and calendars are public; coordinators and admins register places (admins
kinds); an operator (here NGO A for the MAM, unit Y for the PAL) edits its own places and decides on requests;
residents and NGO members ask for rooms; a request is seen by its requester and the place's operator."""
from tests.access_cases import ALL, Case
from tests.places_support import places_of

REGISTRARS = frozenset({"coordinator", "admin"})
OPERATORS_A = frozenset({"ngo_a", "coordinator", "admin"})  # who acts for the MAM run by NGO A
REQUESTERS = frozenset({"resident", "ngo_a", "ngo_b"})
OPERATOR_ROLES = frozenset({"ngo_a", "ngo_b", "unit_x", "unit_y", "coordinator", "admin"})


def _a(w):
    return places_of(w)["a"]


def _booking(w):
    p = places_of(w)
    day = p["day"]
    return {"room": str(p["a"].rooms[1].id), "day-day": str(day.day), "day-month": str(day.month),
            "day-year": str(day.year), "starts": "18:00", "ends": "20:00", "recurrence": "none",
            "title": "Spotkanie sąsiedzkie", "responsible_name": "Ola", "responsible_contact": "ola@example.org"}


def _place_form(w):
    return {"kind": str(_a(w).kind_id), "name": "Klub Rodziców Zielony Domek", "address": "ul. Zielona 1",
            "district": "II", "operator": f"o{w.org_b.id}"}


CASES = [
    Case("places.index", lambda w: "/miejsca", ALL),
    Case("places.export", lambda w: "/miejsca/eksport.csv", ALL),
    Case("places.detail", lambda w: f"/miejsca/{_a(w).id}", ALL),
    Case("places.calendar", lambda w: f"/miejsca/{_a(w).id}/kalendarz", ALL),
    Case("places.place_feed", lambda w: f"/miejsca/{_a(w).id}/kalendarz.ics", ALL),
    Case("places.room_feed", lambda w: f"/miejsca/sale/{_a(w).rooms[0].id}/kalendarz.ics", ALL),
    Case("places.new_place", lambda w: "/miejsca/nowe", REGISTRARS),
    Case("places.new_place", lambda w: "/miejsca/nowe", REGISTRARS, method="POST", data=_place_form),
    Case("places.edit", lambda w: f"/miejsca/{_a(w).id}/edycja", OPERATORS_A),
    Case("places.edit", lambda w: f"/miejsca/{_a(w).id}/edycja", OPERATORS_A, method="POST",
         data=lambda w: {**_place_form(w), "name": "MAM Na Kozłówce 25"}),
    Case("places.edit", lambda w: f"/miejsca/{places_of(w)['y'].id}/edycja",
         frozenset({"unit_y", "coordinator", "admin"}), name="unit's place"),
    Case("places.rooms", lambda w: f"/miejsca/{_a(w).id}/sale", OPERATORS_A),
    Case("places.rooms", lambda w: f"/miejsca/{_a(w).id}/sale", OPERATORS_A, method="POST",
         data=lambda w: {"room_name": "Kuchnia", "capacity": "8"}),
    Case("places.edit_room", lambda w: f"/miejsca/sale/{_a(w).rooms[1].id}/edycja", OPERATORS_A),
    Case("places.edit_room", lambda w: f"/miejsca/sale/{_a(w).rooms[1].id}/edycja", OPERATORS_A, method="POST",
         data=lambda w: {"room_name": "Sala 2", "capacity": "25", "equipment": "rzutnik",
                         "accessibility": "wejście bez schodów"}),
    Case("places.withdraw_room", lambda w: f"/miejsca/sale/{_a(w).rooms[3].id}/wycofanie", OPERATORS_A,
         method="POST"),
    Case("places.restore_room", lambda w: f"/miejsca/sale/{_a(w).rooms[2].id}/przywrocenie", OPERATORS_A,
         method="POST"),
    Case("places.kinds", lambda w: "/miejsca/rodzaje", frozenset({"admin"})),
    Case("places.kinds", lambda w: "/miejsca/rodzaje", frozenset({"admin"}), method="POST",
         data=lambda w: {"name": "Dom sąsiedzki"}),
    Case("places.week", lambda w: f"/miejsca/{_a(w).id}/tydzien", OPERATORS_A),
    Case("places.operated", lambda w: "/miejsca/prowadzone", OPERATOR_ROLES),
    Case("places.book", lambda w: f"/miejsca/{_a(w).id}/rezerwacja", REQUESTERS),
    Case("places.book", lambda w: f"/miejsca/{_a(w).id}/rezerwacja", REQUESTERS, method="POST", data=_booking),
    Case("places.booking_request", lambda w: f"/miejsca/wnioski/{places_of(w)['waiting'].id}",
         frozenset({"resident", "ngo_a", "coordinator", "admin"})),
    Case("places.change_request", lambda w: f"/miejsca/wnioski/{places_of(w)['waiting'].id}/poprawa",
         frozenset({"resident"})),
    Case("places.change_request", lambda w: f"/miejsca/wnioski/{places_of(w)['waiting'].id}/poprawa",
         frozenset({"resident"}), method="POST", data=_booking),
    Case("places.accept", lambda w: f"/miejsca/wnioski/{places_of(w)['waiting'].id}/przyjecie", OPERATORS_A,
         method="POST"),
    Case("places.ask_for_changes", lambda w: f"/miejsca/wnioski/{places_of(w)['waiting'].id}/zmiany",
         OPERATORS_A, method="POST", data=lambda w: {"note": "Inna godzina, proszę."}),
    Case("places.refuse", lambda w: f"/miejsca/wnioski/{places_of(w)['waiting'].id}/odmowa", OPERATORS_A,
         method="POST", data=lambda w: {"note": "Sala w remoncie."}),
    Case("places.withdraw", lambda w: f"/miejsca/wnioski/{places_of(w)['waiting'].id}/wycofanie",
         frozenset({"resident"}), method="POST"),
    Case("places.my_requests", lambda w: "/miejsca/moje-wnioski", REQUESTERS),
    Case("places.resend_link", lambda w: f"/miejsca/{_a(w).id}/rezerwacja/ponow-link", REQUESTERS, method="POST"),
    Case("api.places", lambda w: f"/api/v1/places?organisation={w.org_a.id}", ALL),
    Case("api.place", lambda w: f"/api/v1/places/{_a(w).id}", ALL),
    Case("places.resident_account", lambda w: "/miejsca/konto-mieszkanca", ALL),
    Case("places.resident_account", lambda w: "/miejsca/konto-mieszkanca", ALL, method="POST",
         data=lambda w: {"name": "Anna Sąsiadka", "email": "anna.s@example.org", "password": "dlugie-haslo-1"}),
]
