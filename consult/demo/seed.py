"""Load the demo data once: the sector meeting of 17 June 2025, an open programme, grant calls in each stage
(consult/demo/calls.py) and demo accounts."""
from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

from consult.auth.models import User
from consult.auth.operations import create_user
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import clock_at, utcnow
from consult.demo.calls import Story, seed_calls
from consult.demo.places import seed_places
from consult.demo.smallgrants import seed_small_grants
from consult.extensions import db
from consult.meetings.interchange import import_meeting, parse
from consult.meetings.operations import MeetingDetails, create_meeting
from consult.organisations.models import Organisation, Unit
from consult.organisations.operations import create_organisation, organisation_named
from consult.postulates.operations import assign_postulate, create_postulate
from consult.programmes.models import Programme
from consult.programmes.operations import create_programme
from consult.summaries.documents import publish_version, request_compile

FIXTURE = Path(__file__).resolve().parent / "meeting-2025-06-17-wddkko.json"
REPORT_FIXTURE = Path(__file__).resolve().parent / "programme-report-2024-part1.json"
DEMO_PASSWORD = "demo-konsultacje"
UNIT_SOCIAL = "Wydział Polityki Społecznej, Równości i Zdrowia"
UNIT_DIALOGUE = "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego"

# The organisations the demo adds to those of the meeting (fictional: the calls' refusals and corrections are
# theirs, not a real organisation's).
ORGANISATIONS = [
    # name, legal form, KRS, NIP, REGON
    ("Stowarzyszenie Przykładowe Sąsiedztwo", "stowarzyszenie", "0000123456", "8567346215", "192598184"),
    ("Fundacja Przykładowa Rodzina", "fundacja", None, None, None),
    ("Stowarzyszenie Przykładowy Senior", "stowarzyszenie", None, None, None),
    ("Fundacja Przykładowa Kultura", "fundacja", None, None, None),
    # the operator of the Residents' Activity Place MAM (the seed of places of activity; consult/demo/places.py)
    ("Fundacja Biuro Inicjatyw Społecznych", "fundacja", None, None, None),
]

# Their public profiles in the register of organisations (/organizacje): district, spheres of public benefit,
# the organisation's own e-mail (fictional addresses under .example).
PROFILES = {
    "Stowarzyszenie Przykładowe Sąsiedztwo": ("XIII", ["13", "27"], "biuro@sasiedztwo.example"),
    "Fundacja Przykładowa Rodzina": ("XVIII", ["1a", "31"], "kontakt@rodzina.example"),
    "Stowarzyszenie Przykładowy Senior": ("IV", ["10", "6"], None),
    "Fundacja Przykładowa Kultura": ("I", ["16", "15"], "fundacja@kultura.example"),
    "Fundacja Biuro Inicjatyw Społecznych": ("VIII", ["13", "27"], None),
}

ACCOUNTS = [
    # role, e-mail, name, organisation, unit, what the account shows in the demo
    ("admin", "admin@demo.consult.local", "Anna Administratorka", None, None,
     "konta, rejestry komórek i organizacji, dziennik zdarzeń"),
    ("coordinator", "koordynator@demo.consult.local", "Karol Koordynator", None, None,
     "programy, spotkania, postulaty; komisje konkursowe, rozstrzygnięcia i wyniki konkursów"),
    ("unit", "wpsrz@demo.consult.local", "Julia Pracownik (WPSRZ)", None, UNIT_SOCIAL,
     "stanowiska; prowadzi konkursy Kluby Rodziców i CAS (ocena formalna), zasiada w ich komisjach"),
    ("unit", "wdkko@demo.consult.local", "Marek Pracownik (WDKKO)", None, UNIT_DIALOGUE,
     "stanowiska; prowadzi konkurs otwarty na oferty, zasiada w komisji konkursu CAS"),
    ("ngo", "komisja@demo.consult.local", "Ewa ze Stowarzyszenia Przykładowe Sąsiedztwo",
     "Stowarzyszenie Przykładowe Sąsiedztwo", None,
     "członkini komisji konkursowej (wskazana przez organizacje): oferty do oceny w konkursie CAS"),
    ("ngo", "zustricz@demo.consult.local", "Olena z Fundacji Zustricz", "Fundacja Zustricz", None,
     "postulaty; szkic oferty w konkursie otwartym, dotacja w konkursie Kluby Rodziców; mały grant otwarty do uwag"),
    ("ngo", "starttango@demo.consult.local", "Piotr ze Start Tango", "Fundacja Start Tango", None,
     "postulaty; oferta oceniana w konkursie CAS, dotacja w konkursie Kluby Rodziców"),
    ("ngo", "kultura@demo.consult.local", "Maria z Fundacji Przykładowa Kultura", "Fundacja Przykładowa Kultura",
     None, "oferta poprawiona na wezwanie i przyjęta w konkursie CAS"),
    ("ngo", "senior@demo.consult.local", "Jan ze Stowarzyszenia Przykładowy Senior",
     "Stowarzyszenie Przykładowy Senior", None, "oferta oceniana w konkursie CAS"),
    ("ngo", "rodzina@demo.consult.local", "Agnieszka z Fundacji Przykładowa Rodzina", "Fundacja Przykładowa Rodzina",
     None, "oferta odrzucona formalnie (CAS) i oferta bez dotacji (Kluby Rodziców)"),
    ("ngo", "bis@demo.consult.local", "Tomasz z Fundacji Biuro Inicjatyw Społecznych",
     "Fundacja Biuro Inicjatyw Społecznych", None,
     "operator MAM Na Kozłówce: wnioski o sale do decyzji, tydzień rezerwacji, dane miejsca"),
    ("resident", "mieszkanka@demo.consult.local", "Zofia Mieszkanka", None, None,
     "konto mieszkańca: wnioski o sale w MAM (jeden przyjęty, jeden czeka na decyzję)"),
]


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(role, e-mail, name, what the account shows in the demo) of each demo account."""
    return [(role, email, name, what) for role, email, name, _o, _u, what in ACCOUNTS]


# How long before today the registers, the accounts and the fixture meeting were loaded: before the history of
# the demo's grant calls, which those accounts made (consult/demo/calls.py).
REGISTERED_DAYS_AGO = 120


def seed_demo() -> bool:
    """Load the demo data unless it is there already. Returns True when it was loaded now."""
    if db.session.scalar(db.select(User).where(User.email == ACCOUNTS[0][1])) is not None:
        return False
    story = Story(utcnow())
    with clock_at(story.at(REGISTERED_DAYS_AGO)):
        with transaction():
            meeting = import_meeting(SYSTEM, parse(FIXTURE.read_text(encoding="utf-8")))
            for name, legal_form, krs, nip, regon in ORGANISATIONS:
                org = create_organisation(SYSTEM, name=name, legal_form=legal_form, krs=krs, nip=nip, regon=regon)
                org.district, spheres, org.email = PROFILES[name]
                org.set_spheres(spheres)
            for role, email, name, org_name, unit_name, _what in ACCOUNTS:
                org = db.session.scalar(db.select(Organisation).where(Organisation.name == org_name)) \
                    if org_name else None
                unit = db.session.scalar(db.select(Unit).where(Unit.name == unit_name)) if unit_name else None
                create_user(SYSTEM, email=email, name=name, password=DEMO_PASSWORD, role=role, organisation=org,
                            unit=unit, bootstrap=True)
            programme = _create_next_programme(story.now)
        _publish_summary(meeting)
    seed_calls(story)
    with transaction():
        _seed_open_consultation(programme, story.now)
        _seed_implementation_report()
    seed_small_grants(story)
    seed_places(story)  # today, after everything else: the audit log reads in the order things happened
    return True


def _publish_summary(meeting) -> None:
    """Compile the fixture meeting's summary and publish it, so the public page has a PDF to show.

    On the embedded default the job runs in process when the request commits; with REDIS_URL it waits
    for a Celery worker, and the coordinator publishes it from the meeting's summary page.
    """
    with transaction():
        job = request_compile(SYSTEM, meeting, preview=False)
    db.session.refresh(job)
    if job.state == "done" and job.version is not None:
        with transaction():
            publish_version(SYSTEM, job.version)


def _create_next_programme(now) -> Programme:
    """Next year's programme, drafted before its consultation, which opened a week ago and is open now."""
    year = now.year + 1
    return create_programme(
        SYSTEM, year=year, title=f"Program Współpracy Gminy Miejskiej Kraków na rok {year} z organizacjami pozarządowymi",
        consultation_opens=now - timedelta(days=7), consultation_closes=now + timedelta(days=30))


def _seed_open_consultation(programme: Programme, now) -> None:
    """Next year's consultation, open now: a sector meeting to come, and an NGO's postulates (one assigned)."""
    year = programme.year
    social = db.session.scalar(db.select(Unit).where(Unit.name == UNIT_SOCIAL))
    dialogue = db.session.scalar(db.select(Unit).where(Unit.name == UNIT_DIALOGUE))
    create_meeting(SYSTEM, programme, MeetingDetails(
        host_unit=dialogue, title=f"Spotkanie branżowe – dialog obywatelski (RPW {year})",
        date=(now + timedelta(days=14)).date(), starts=time(17, 0), ends=time(19, 0),
        place="Klaster Innowacji Społeczno-Gospodarczych 20.22, sala nr 9",
        scope="Działalność wspomagająca rozwój wspólnot i społeczności lokalnych"))
    zustricz = organisation_named(SYSTEM, "Fundacja Zustricz")
    member = db.session.scalar(db.select(User).where(User.organisation_id == zustricz.id))
    create_postulate(member, programme, content="Więcej dyżurów doradców dla cudzoziemców w Centrach Obywatelskich.",
                             justification="Rośnie liczba mieszkańców z Ukrainy, którzy potrzebują pomocy w sprawach urzędowych.")
    filed = create_postulate(member, programme, submit=True,
                             content="Tłumaczenie ogłoszeń o otwartych konkursach ofert na język ukraiński i angielski.",
                             justification="Organizacje prowadzone przez cudzoziemców nie zawsze rozumieją ogłoszenia.")
    assign_postulate(SYSTEM, filed, social)


def _seed_implementation_report() -> None:
    """The 2024 report of the family support programme (the seed's goals I and II), its round open: the
    activities of task II.2 that the demo's social policy unit answers for wait for its report."""
    import json

    from consult.implementation.interchange import import_report
    from consult.implementation.interchange import parse as parse_report

    data = json.loads(REPORT_FIXTURE.read_text(encoding="utf-8"))
    for task in data["goals"][1]["tasks"][1:]:
        for area in task["areas"]:
            for activity in area["activities"]:
                if any(u.startswith("Wydział Polityki Społecznej") for u in activity["units"]):
                    activity["realised"] = ""
    import_report(SYSTEM, parse_report(json.dumps(data, ensure_ascii=False)))

