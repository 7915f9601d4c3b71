"""The deadline rush: 1,000 submissions (offers in a call for offers and postulates in a consultation) from 50
clients in the last minutes before both deadlines, to gunicorn on PostgreSQL; nothing may be lost, nothing
doubled, no answer may be a server error.

    python bench/rush.py [--clients 50] [--submissions 1000] [--workers 5] [--double-every 10]

It needs PostgreSQL (RUSH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/consult_benchrush; created
if missing, emptied and migrated with the project's migrations at every run). The setting is made through the
operations, as people would make it: a coordinator opens a programme whose consultation closes in 15 minutes,
a unit's call for offers (announced 25 days ago through the clock, as art. 13 asks) takes offers for 15 minutes
more, and each of --clients organisations has a member who signs in. Half the submissions are offers: each
organisation prepared its offers beforehand (every section filled, through the operations; the unique marker of
a submission is in its offer's title) and files them now; the other half are postulates, written now, each with
its marker in its text.

Each client thread does what the browser does, with its own session (cookies): signs in (GET the form for the
CSRF token, POST), then for each submission GETs the form (the new postulate's form, the offer's "check your
answers" page) and POSTs it. Every --double-every-th submission is sent twice at the same moment from two
connections (a double click), which must still make one record. An answer is counted as filed when it
redirects to the confirmation page (the postulate's "złożony", the offer's "potwierdzenie"). The figures are of
the POSTs; the GETs are load, not measured.

At the end the database is asked (by query, not by the answers): 0 lost (every submission the server confirmed
is there, filed: the postulate with its marker, the offer submitted), 0 duplicated (no marker in two
postulates; no offer submitted twice in the audit trail), 0 answers 5xx. Any of them fails the run.

Measured 2026-12-04, 50 clients, 5 gunicorn sync workers, the 2-core machine shared with other engineers' test
runs (load average 7.1 at the start, 8.9 at the end):
  1,000 submissions (500 postulates, 500 offers) + 100 double clicks = 1,100 POSTs in 188.6 s:
  p50 4.3 s, p95 8.8 s, 5.3 submissions filed/s; lost 0, duplicated 0, 5xx 0, other answers 0.
  Again with the lighter list pages (load 5.9 at the start, 9.0 at the end): 1,100 POSTs in 139.4 s, p50 3.3 s,
  p95 6.1 s, 7.2 submissions filed/s; lost 0, duplicated 0, 5xx 0, other answers 0.
  The latency is the queue: 50 clients wait for 5 workers on 2 busy cores (each submission is a GET and a POST).
  Found and fixed on the way: the second sending of an offer's "Złóż ofertę" (a double click) answered the check
  page with an error about the state the first sending had just made; it now leads to the confirmation, as a
  postulate's does (tests/test_calls_offer_web.py). The template (migrations, 50 organisations, 500 offers through
  the operations) took 143 s to make; later runs copy it.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web import ensure_database, make_app, start_gunicorn
from consult.programmes.models import Programme

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/consult_benchrush"
PASSWORD = "haslo-benchmarku-123"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{32})"')


def fresh_database(url: str, clients: int, offers_per_client: int) -> None:
    """Make the bench's database a copy of its template (`<name>_template`): migrated and holding the setting.
    The template is made once (migrations, then the setting through the operations: a few minutes on a shared
    machine) and made again when it holds another number of clients or offers; each run copies it (seconds)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    template = f"{name}_template"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    template_url = url.rsplit("/", 1)[0] + "/" + template
    ensure_database(template_url)
    wanted = f"{clients} clients, {offers_per_client} offers each"
    with psycopg.connect(template_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_rush_setting (what text)")
        made = conn.execute("SELECT what FROM bench_rush_setting").fetchone()
    if made is None or made[0] != wanted:
        instance = tempfile.mkdtemp(prefix="bench-rush-template-")
        seed(make_app(template_url, instance), clients, offers_per_client)
        shutil.rmtree(instance, ignore_errors=True)
        with psycopg.connect(template_url, autocommit=True) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS bench_rush_setting (what text)")
            conn.execute("DELETE FROM bench_rush_setting")
            conn.execute("INSERT INTO bench_rush_setting VALUES (%s)", (wanted,))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN (%s, %s) "
                     "AND pid <> pg_backend_pid()", (name, template))
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def seed(app, clients: int, offers_per_client: int) -> None:
    """Migrate the empty database and make the setting through the operations: the programme, the call, the
    organisations, their members and their prepared offers."""
    import flask_migrate
    from sqlalchemy import text

    from consult.auth.operations import create_user
    from consult.calls import operations as ops
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.core.types import clock_at
    from consult.extensions import db
    from consult.organisations.models import Unit
    from consult.organisations.operations import create_organisation
    from consult.programmes.operations import create_programme

    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        flask_migrate.upgrade()
        started = time.perf_counter()
        now = datetime.now(UTC)
        with transaction():
            unit = Unit(name="Wydział Polityki Społecznej", code="WPS")
            db.session.add(unit)
            db.session.flush()
            coordinator = create_user(SYSTEM, email="koordynator@rush.example", name="Koordynator",
                                      password=PASSWORD, role="coordinator", bootstrap=True)
            staff = create_user(SYSTEM, email="komorka@rush.example", name="Pracownik komórki", password=PASSWORD,
                                role="unit", unit=unit, bootstrap=True)
            create_programme(coordinator, year=now.year + 1, title=f"Program Współpracy na rok {now.year + 1}",
                             consultation_opens=now - timedelta(days=20), consultation_closes=now + timedelta(days=1))
        programme = db.session.scalar(db.select(Programme))
        with clock_at(now - timedelta(days=25)), transaction():
            call = ops.create_call(
                coordinator, programme, unit, title="Prowadzenie placówek wsparcia dziennego",
                task_type="Wspieranie rodziny i systemu pieczy zastępczej", sphere="wspieranie rodziny",
                funds="10000000.00", award_rules="Dotacje do 80% kosztów zadania.",
                task_starts=date.today() + timedelta(days=60), task_ends=date.today() + timedelta(days=250),
                task_conditions="Zadanie realizowane na terenie Krakowa.",
                offers_deadline=now + timedelta(days=1), procedure="Komisja konkursowa ocenia oferty.",
                selection_date=date.today() + timedelta(days=40),
                previous_tasks=[{"year": now.year - 1, "task": "Placówki wsparcia dziennego", "amount": "250000,00"}])
            ops.announce_call(staff, call)
        for c in range(clients):
            with transaction():
                org = create_organisation(SYSTEM, name=f"Fundacja Pośpiechu nr {c}", legal_form="fundacja")
                member = create_user(SYSTEM, email=f"czlonek{c}@rush.example", name=f"Członek {c}",
                                     password=PASSWORD, role="ngo", organisation=org, bootstrap=True)
            for n in range(offers_per_client):
                _prepared_offer(member, call, f"rush-o-{c}-{n}")
        print(f"made the template: {clients} organisations with a member each and {clients * offers_per_client} "
              f"prepared offers in {time.perf_counter() - started:.1f} s")


def the_rush_is_on(app, clients: int) -> dict:
    """The consultation closes in 15 minutes and the call takes offers 15 minutes more: the template's deadlines
    are moved to now (an UPDATE, not an operation: the setting was made through them, what is measured is the
    filing). Returns what the clients need."""
    import flask_migrate

    from consult.auth.models import User
    from consult.calls.models import Call, Offer
    from consult.extensions import db

    with app.app_context():
        flask_migrate.upgrade()  # the template may be older than the code: the copy catches up
        now = datetime.now(UTC)
        programme = db.session.scalar(db.select(Programme))
        call = db.session.scalar(db.select(Call))
        programme.consultation_closes = now + timedelta(minutes=15)
        call.offers_deadline = now + timedelta(minutes=30)
        db.session.commit()
        offers = {re.search(r"\[(rush-o-[0-9-]+)\]", o.title).group(1): o.id
                  for o in db.session.scalars(db.select(Offer).where(Offer.call_id == call.id))}
        members = [f"czlonek{c}@rush.example" for c in range(clients)]
        assert db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email.in_(members))) \
            == clients
        print(f"consultation closes {programme.consultation_closes:%H:%M:%S} UTC, offers until "
              f"{call.offers_deadline:%H:%M:%S} UTC")
        return {"programme": programme.id, "call": call.id, "members": members, "offers": offers}


def _prepared_offer(user, call, marker: str):
    """A draft offer with every section filled (as tests/test_calls.py's complete_offer), its title carrying the
    submission's marker."""
    from consult.calls import operations as ops
    from consult.core.operations import transaction

    with transaction():
        offer = ops.create_offer(user, call)
        ops.save_offer_section(user, offer, "basic", {"task_type": call.task_type})
        ops.save_offer_section(user, offer, "applicants", {
            "contact_name": "Anna Nowak", "contact_email": "anna@example.org", "address": "ul. Długa 1, Kraków",
            "partners": []})
        ops.save_offer_section(user, offer, "task", {
            "title": f"Świetlica dla dzieci [{marker}]", "task_starts": call.task_starts.isoformat(),
            "task_ends": call.task_ends.isoformat(), "description": "Zajęcia popołudniowe.", "place": "Kraków",
            "schedule": [{"name": "Zajęcia", "starts": call.task_starts.isoformat(),
                          "ends": call.task_ends.isoformat()}],
            "results": [{"result": "Dzieci objęte opieką", "target_value": "30", "monitoring": "lista obecności"}]})
        ops.save_offer_section(user, offer, "resources", {"staff": "Dwóch pedagogów."})
        ops.save_offer_section(user, offer, "costs", {
            "cost_lines": [{"category": "activity", "name": "Warsztaty", "unit": "godzina", "unit_cost": "150,00",
                            "quantity": "40"}],
            "grant_requested": "4000", "own_financial": "1 000,00", "own_personal": "500", "own_material": "0",
            "participant_fees": "500"})
        ops.save_offer_section(user, offer, "declarations", {k: True for k in ops.DECLARATIONS})
    return offer


def _csrf(page: str) -> str:
    match = CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Tally:
    """What the clients saw, under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.filed: dict[str, set[str]] = {"postulate": set(), "offer": set()}  # markers the server confirmed
        self.server_errors: list[str] = []
        self.refused: list[str] = []

    def answer(self, kind: str, marker: str, response, elapsed: float, confirmation: str) -> None:
        with self.lock:
            self.latencies.append(elapsed)
            if response.status_code >= 500:
                self.server_errors.append(f"{marker}: {response.status_code}")
            elif response.status_code in (302, 303) and confirmation in response.headers.get("Location", ""):
                self.filed[kind].add(marker)
            else:
                self.refused.append(f"{marker}: {response.status_code} {response.headers.get('Location', '')}")


def client(base: str, email: str, index: int, work: list[tuple[str, str, int]], tally: Tally, programme: int,
           double_every: int, ready: threading.Barrier) -> None:
    import requests

    session = requests.Session()
    page = session.get(f"{base}/logowanie", timeout=60).text
    signed = session.post(f"{base}/logowanie", data={"email": email, "password": PASSWORD, "csrf_token": _csrf(page)},
                          allow_redirects=False, timeout=60)
    if signed.status_code != 302:
        ready.abort()
        raise AssertionError(f"sign-in of {email}: {signed.status_code}")
    ready.wait()  # every client signed in: the rush starts
    for number, (kind, marker, offer_id) in enumerate(work):
        if kind == "postulate":
            form_url = f"{base}/programy/{programme}/postulaty/nowy"
            page = session.get(form_url, timeout=120).text
            token = FORM_TOKEN.search(page)
            data = {"csrf_token": _csrf(page), "form_token": token.group(1) if token else "",
                    "content": f"Postulat złożony w ostatniej chwili przed terminem [{marker}]. Prosimy o "
                               "zwiększenie środków na świetlice środowiskowe w dzielnicach.",
                    "justification": "Rosnące potrzeby rodzin.", "submit": "1"}
            post_url, confirmation = form_url, "/zlozony"
        else:
            page = session.get(f"{base}/oferty/{offer_id}/sprawdzenie", timeout=120).text
            data = {"csrf_token": _csrf(page)}
            post_url, confirmation = f"{base}/oferty/{offer_id}/zlozenie", "/potwierdzenie"
        twice = double_every and (index + number) % double_every == 0
        if twice:  # a double click: the same form from a second connection at the same moment
            twin = requests.Session()
            twin.cookies.update(session.cookies)
            thread = threading.Thread(target=_post, args=(twin, post_url, data, kind, marker, tally, confirmation))
            thread.start()
        _post(session, post_url, data, kind, marker, tally, confirmation)
        if twice:
            thread.join()


def _post(session, url: str, data: dict, kind: str, marker: str, tally: Tally, confirmation: str) -> None:
    started = time.perf_counter()
    response = session.post(url, data=data, allow_redirects=False, timeout=120)
    tally.answer(kind, marker, response, time.perf_counter() - started, confirmation)


def verify(app, setting: dict, tally: Tally) -> dict:
    """Ask the database what was filed: lost are confirmed submissions missing there, duplicated are markers
    in two postulates or offers submitted twice."""
    from sqlalchemy import func

    from consult.calls.models import Offer
    from consult.core.models import AuditEvent
    from consult.extensions import db
    from consult.postulates.models import Postulate

    with app.app_context():
        markers: dict[str, int] = {}
        for content, state in db.session.execute(db.select(Postulate.content, Postulate.state)
                                                 .where(Postulate.content.like("%[rush-p-%"))):
            marker = re.search(r"\[(rush-p-[0-9-]+)\]", content).group(1)
            markers[marker] = markers.get(marker, 0) + (state == "submitted")
        submitted = set(db.session.scalars(db.select(Offer.id).where(Offer.call_id == setting["call"],
                                                                     Offer.state == "submitted")))
        submit_events = dict(db.session.execute(
            db.select(AuditEvent.subject_id, func.count()).where(AuditEvent.subject_type == "offer",
                                                                 AuditEvent.action == "submit")
            .group_by(AuditEvent.subject_id)).all())
    offers = setting["offers"]
    lost = ([m for m in tally.filed["postulate"] if markers.get(m, 0) == 0]
            + [m for m in tally.filed["offer"] if offers[m] not in submitted])
    duplicated = ([m for m, n in markers.items() if n > 1]
                  + [m for m, i in offers.items() if submit_events.get(i, 0) > 1])
    return {"lost": lost, "duplicated": duplicated, "postulates_in_db": sum(1 for n in markers.values() if n),
            "offers_in_db": len(submitted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--submissions", type=int, default=1000, help="half offers, half postulates")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--double-every", type=int, default=10, help="every n-th submission is sent twice at once")
    parser.add_argument("--port", type=int, default=18741)
    args = parser.parse_args()
    per_client = args.submissions // args.clients
    url = os.environ.get("RUSH_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    fresh_database(url, args.clients, per_client // 2)
    instance = tempfile.mkdtemp(prefix="bench-rush-")
    app = make_app(url, instance)
    setting = the_rush_is_on(app, args.clients)
    work: list[list[tuple[str, str, int]]] = []
    for c in range(args.clients):
        mine = []
        for n in range(per_client - per_client // 2):
            mine.append(("postulate", f"rush-p-{c}-{n}", 0))
        for n in range(per_client // 2):
            marker = f"rush-o-{c}-{n}"
            mine.append(("offer", marker, setting["offers"][marker]))
        mine[::2], mine[1::2] = mine[:len(mine[::2])], mine[len(mine[::2]):]  # postulates and offers in turn
        work.append(mine)
    print(f"{args.clients} clients, {per_client} submissions each ({sum(len(w) for w in work)} in all), "
          f"gunicorn {args.workers} sync workers; machine load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores at start")
    server = start_gunicorn(url, instance, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    tally = Tally()
    ready = threading.Barrier(args.clients + 1, timeout=300)
    try:
        threads = [threading.Thread(target=client, args=(base, setting["members"][c], c, work[c], tally,
                                                         setting["programme"], args.double_every, ready))
                   for c in range(args.clients)]
        for t in threads:
            t.start()
        ready.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    result = verify(app, setting, tally)
    shutil.rmtree(instance, ignore_errors=True)
    ordered = sorted(tally.latencies)
    filed = len(tally.filed["postulate"]) + len(tally.filed["offer"])
    print(f"{len(ordered)} POSTs in {wall:.1f} s: p50 {statistics.median(ordered) * 1000:.0f} ms, "
          f"p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f} ms, {filed / wall:.1f} submissions filed/s")
    print(f"confirmed by the server: {len(tally.filed['postulate'])} postulates, {len(tally.filed['offer'])} offers; "
          f"in the database: {result['postulates_in_db']} postulates, {result['offers_in_db']} offers submitted")
    print(f"lost {len(result['lost'])}, duplicated {len(result['duplicated'])}, 5xx {len(tally.server_errors)}, "
          f"other answers {len(tally.refused)}; machine load average {os.getloadavg()[0]:.1f} at the end")
    problems = []
    for label, items in (("lost", result["lost"]), ("duplicated", result["duplicated"]),
                         ("5xx", tally.server_errors), ("not filed", tally.refused)):
        if items:
            problems.append(f"{label}: {len(items)}, e.g. {sorted(items)[:5]}")
    if problems:
        sys.exit("FAILED – " + "; ".join(problems))


if __name__ == "__main__":
    main()
