"""The places of activity the seeds name (../shared/seeds/places-of-activity-krakow.txt and
local-activity-programmes-pal.txt), registered through the operations, and a few requests for MAM's rooms.

What the seeds do not say is left empty (an address, opening hours) rather than made up, with two exceptions the
demo needs and says so: the Senior Activity Centre is the demo's fictional one, funded by the demo's CAS call (the
seed names none of the 46), and the youth workshops are operated by the unit that wrote the seed.
"""
from __future__ import annotations

from datetime import time, timedelta

from consult.auth.models import User
from consult.calls.models import Call
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.organisations.operations import organisation_named, unit_named
from consult.places.operations import (PlaceDetails, RequestDetails, accept_booking_request, create_place,
                                       ensure_standard_kinds, send_booking_request)
from consult.places.rules import earliest_event_day

SOCIAL = "Wydział Polityki Społecznej, Równości i Zdrowia"
MOPS = "Miejski Ośrodek Pomocy Społecznej"

MAM_OFFER = ("Centrum społecznościowe dla wszystkich, którzy chcą działać lokalnie i potrzebują do tego przestrzeni. "
             "Zajęcia inicjowane przez mieszkańców i dla mieszkańców, bezpłatne, podobnie jak udostępnianie "
             "przestrzeni: wymiana zasobów (rośliny, ubrania, kawiarenki naprawcze), spotkania podróżnicze, "
             "zajęcia manualne, wydarzenia cykliczne.")

# kind, name, address, district, operator ("o": organisation, "u": unit), programme, extra
PLACES = [
    ("mam", "MAM Na Kozłówce", "ul. Na Kozłówce 25", "XI", ("o", "Fundacja Biuro Inicjatyw Społecznych"),
     "Aktywni Obywatele – Fundusz Krajowy (Fundusze EOG)",
     {"offer": MAM_OFFER, "phone": "505 343 132", "website": "https://bis-krakow.pl/projekt/mam-krakow/",
      "opening_hours": "W godzinach dyżurów osoby opiekującej się miejscem.",
      "rooms": ["Sala 1", "Sala 2", "Sala 3", "Hall główny"]}),
    ("civic_centre", "Centrum Obywatelskie – ul. Reymonta 20", "ul. Reymonta 20 (Stadion Miejski im. Henryka Reymana)",
     "V", ("o", "Krakowskie Forum Organizacji Społecznych KraFOS"), None,
     {"website": "https://co.krakow.pl",
      "offer": "Seminaria, szkolenia, doradztwo, grupy robocze, coaching, mentoring, baza lokalowa, baza wiedzy, "
               "pośrednictwo wolontariatu, wizyty studyjne, wydarzenia – dla organizacji, grup nieformalnych i "
               "mieszkańców."}),
    ("civic_centre", "Centrum Obywatelskie Centrum C 10", "os. Centrum C 10", "XVIII",
     ("o", "Fundacja Instytut Polityk Publicznych"), None,
     {"website": "https://c10.krakow.pl",
      "offer": "Wsparcie infrastrukturalne i merytoryczne działalności społecznej i obywatelskiej w Nowej Hucie."}),
    ("multicultural_centre", "Centrum Wielokulturowe", "al. Daszyńskiego 22, 31-534 Kraków", "II",
     ("o", "Fundacja Internationaler Bund Polska"), None,
     {"phone": "+48 887 201 598",
      "offer": "Punkt Informacji dla Obcokrajowców (legalizacja pobytu, edukacja, zdrowie, praca, najem), "
               "integracja cudzoziemców z mieszkańcami Krakowa, szkolenia z komunikacji wielokulturowej, "
               "spotkania sieciujące organizacji, spacery miejskie, warsztaty kulinarne."}),
    ("parents_club", "Zielony Domek", None, None, ("o", "Fundacja Promyk"), None,
     {"offer": "Dla dorosłych z dziećmi do lat trzech i rodziców oczekujących na potomstwo – bezpłatnie, "
               "anonimowo, bez umawiania wizyty: wsparcie psychologiczne, wczesna socjalizacja dzieci, trening "
               "stopniowej separacji."}),
    ("youth_workshop", "Pracownia Młodych na Zachodniej", None, "VIII", ("u", SOCIAL), "Młody Kraków 2.0",
     {"offer": "Bezpłatna, moderowana przestrzeń dla młodych (13–26 lat): miejsce spotkań, nauki, relaksu, "
               "wymiany pasji i laboratorium obywatelskości."}),
    ("youth_workshop", "Pracownia Piastów 22", "os. Piastów 22", "XV", ("u", SOCIAL), "Młody Kraków 2.0",
     {"offer": "Bezpłatna, moderowana przestrzeń dla młodych (13–26 lat)."}),
    ("pal", "PAL Na Skarpie", "os. Na Skarpie 35", "XVIII", ("u", MOPS), "Program Aktywności Lokalnej",
     {"offer": "Zajęcia rękodzielnicze dla dzieci i młodzieży, relaksacyjne, pilates, robotyka, wyjścia do "
               "instytucji kultury; zespół muzyki romskiej „Kałe Jakha”; Klub Rodzica; turniej Huta Champions "
               "League."}),
    ("pal", "PAL Zesławice i Kantorowice", "ul. Morcinka 40", "XVII", ("u", MOPS), "Program Aktywności Lokalnej",
     {"offer": "Angielski dla początkujących i zaawansowanych, gimnastyka słowiańska dla kobiet, projekt socjalny "
               "„Rozruch”, warsztaty logopedyczne."}),
    ("pal", "PAL Mistrzejowice", "ul. Kuczkowskiego 3/2U", "XV", ("u", MOPS), "Program Aktywności Lokalnej",
     {"offer": "Warsztaty rękodzieła, siatkówka, kurs „Pozytywnej dyscypliny”, brydż, Qigong, programowanie w "
               "Javie."}),
    ("pal", "PAL Wróżenice", "ul. Wróżenicka 49", "XVIII", ("u", MOPS), "Program Aktywności Lokalnej",
     {"offer": "Warsztaty dla dzieci i dorosłych, wycieczki rodzinne."}),
    ("pal", "PAL os. Słoneczne 14 (rodziny zastępcze)", "os. Słoneczne 14", "XVIII", ("u", MOPS),
     "Program Aktywności Lokalnej",
     {"offer": "Dla rodzin zastępczych i rodzinnych domów dziecka: pomoc w nauce, konsultacje logopedyczne, "
               "dietetyczne i psychiatryczne, jazda konna, nauka pływania, zajęcia rozwijające talenty."}),
    ("cas", "Centrum Aktywności Seniora Przykładowy Senior", None, None,
     ("o", "Stowarzyszenie Przykładowy Senior"), "PASIOS",
     {"offer": "Zajęcia rekreacyjne, gimnastyczne, artystyczne, językowe, informatyczne, wykłady i warsztaty.",
      "call": "Centr"}),
]


def seed_places(story) -> None:
    with transaction():
        kinds = {k.code: k for k in ensure_standard_kinds(SYSTEM)}
        for code, name, address, district, (who, operator), programme, extra in PLACES:
            extra = dict(extra)
            rooms = extra.pop("rooms", [])
            call_hint = extra.pop("call", None)
            call = db.session.scalar(db.select(Call).where(Call.title.contains(call_hint), Call.state != "draft")
                                     .order_by(Call.id).limit(1)) if call_hint else None
            create_place(SYSTEM, PlaceDetails(
                kind=kinds[code], name=name, address=address, district=district, programme=programme, call=call,
                organisation=organisation_named(SYSTEM, operator) if who == "o" else None,
                unit=unit_named(SYSTEM, operator) if who == "u" else None, **extra), rooms=rooms)
    _seed_requests(story)


def _seed_requests(story) -> None:
    """The resident's two requests for MAM's rooms, sent today: one accepted by the operator, one waiting."""
    from consult.places.models import Place

    resident = db.session.scalar(db.select(User).where(User.email == "mieszkanka@demo.consult.local"))
    operator = db.session.scalar(db.select(User).where(User.email == "bis@demo.consult.local"))
    mam = db.session.scalar(db.select(Place).where(Place.name == "MAM Na Kozłówce"))
    if resident is None or operator is None or mam is None:
        return
    first = earliest_event_day(to_warsaw(utcnow()).date()) + timedelta(days=3)
    with transaction():
        accepted = send_booking_request(resident, mam, RequestDetails(
            room=mam.rooms[3], day=first, starts=time(17), ends=time(19), title="Wymiana roślin doniczkowych",
            responsible_name="Zofia Mieszkanka", responsible_contact="mieszkanka@demo.consult.local", audience=25,
            accessible=True, accessibility_note="Wejście bez progów.", recurrence="monthly",
            until=first + timedelta(days=95)))
        accept_booking_request(operator, accepted)
        send_booking_request(resident, mam, RequestDetails(
            room=mam.rooms[0], day=first + timedelta(days=1), starts=time(18), ends=time(20),
            title="Kawiarenka naprawcza", responsible_name="Zofia Mieszkanka",
            responsible_contact="mieszkanka@demo.consult.local", audience=12, equipment="Stoły, przedłużacze",
            recurrence="weekly", until=first + timedelta(days=29)))
