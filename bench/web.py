"""Benchmark of the web pages at city scale: the public register of postulates and a unit's queue, served by
gunicorn on PostgreSQL, under concurrent clients; and how long the register's downloads take.

    python bench/web.py [--clients 20] [--requests 400] [--workers 5] [--reseed] [--no-downloads]

It needs PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/consult_benchweb; the
database is created if missing and migrated with the project's migrations, so the indexes measured are the
migrations' own). Seeding puts in 10,000 postulates (about 5,000 of them with published positions), 500
organisations, 40 units and 130 meetings in two programmes, with texts as long as the fixture meeting's.
It writes them with bulk INSERTs in one transaction (a few seconds) instead of through the operations
(one audit event and several round trips per postulate: minutes), because what is measured here is reading;
the two accounts that sign in (a coordinator and the staff of the busiest unit) are made by the operation.
A database already holding that data is reused (--reseed empties and seeds it again).

gunicorn serves `wsgi:app` with --workers sync workers (default 5, gunicorn's 2 x cores + 1 for 2 cores) and
its default 30 s timeout. Each of --clients threads keeps its own connection-less session (sync workers do
not keep connections alive) and asks for URLs of the page in turn (filters and pages varied) until the page
has had --requests answers; p50, p95 and throughput are of those. Every answer must be 200. The CPU per page is
the gunicorn workers' own (user + system time from /proc/<pid>/stat before and after, divided by the answers), so
it does not depend on what else the machine runs as much as the latencies do; beside it, the same for the
PostgreSQL server processes of the bench's database.

Measured 2026-12-02 (quiet 2-core machine, load 1.1 at start; search now also covers the postulates' text):
  public register  p50 507 ms  p95 645 ms  38.6 pages/s     unit queue  p50 526 ms  p95 669 ms  37.4 pages/s
  downloads: public csv 1.0 s (5.5 MB), xlsx 3.1 s, ods 1.2 s; coordinator csv 1.9 s (8.6 MB), xlsx 4.9 s, ods 2.4 s
  With 20 clients on 2 cores the pages are CPU-bound: ~52 ms of CPU a page, the rest of the p50 is the queue
  (20 clients / 38.6 pages/s = 0.52 s).

Measured 2026-12-04, before and after the lightening of the list pages, one right after the other on the same data
(the machine shared with other engineers' tests: load average 9 to 8; 300 answers per page; CPU per page in ms):
                    workers' CPU    PostgreSQL   p50       p95       pages/s
  before (main)  public register   35.4        11.0    1461 ms   2525 ms   12.5
                 unit queue        39.7         7.3    1598 ms   2055 ms   12.4
  after          public register   20.7        10.4     772 ms    917 ms   26.4
                 unit queue        24.5         5.6     724 ms   1233 ms   25.6
  (another pair of runs, load 7 to 10: 36.8 -> 19.9 and 37.0 -> 24.0.) Downloads after: public csv 1.8 s,
  xlsx 3.5 s, ods 1.6 s; coordinator csv 2.9 s, xlsx 5.6 s, ods 4.0 s (unchanged code, a busier machine).
  In process (Flask's test client against the same database, time.process_time, load ~8): public register
  31 -> 17 ms, unit queue 28 -> 19 to 23 ms. Not yet the 15 ms aimed at: see what is left below.

What the profile showed (cProfile with time.process_time, /postulaty and /kolejka in process) and what was done:
  - loading the page's 50 postulates as ORM objects with their programme, organisation, unit, meeting and
    positions (every column, each timestamp converted, ~400 objects a page): ~7 ms -> the lists read the columns
    they show into small records (consult/postulates/queries.py: _listed, ListedPostulate), ~2.5 ms, the same
    three statements (count, rows, positions);
  - the filters' choices (130 meetings, 40 units) loaded as whole rows and written by WTForms option by option
    (a sorted, escaped attribute dict each), each meeting's date formatted by Babel: ~6 ms -> three narrow
    queries, options written as strings (consult/core/forms.py: ListSelect, same HTML), days formatted once per
    language (consult/i18n.py: _day_in, lru_cache), ~2 ms;
  - per row: url_for for each link and gettext for each repeated word -> built once per page
    (consult/web.py: url_pattern; the templates' l_* words with a placeholder);
  - the queue's due dates loaded as Assignment objects -> three columns; the signed-in user's unit and
    organisation (the header) loaded with the user instead of lazily.
  What is left (queue, ~19 ms in process): the template ~8.5 ms (base.html ~3 ms on every page: ~20 gettext,
  ~15 url_for, the language switcher, the commission-seat query; the filters' selects ~1.2 ms; 50 rows ~2.5 ms
  of Jinja escaping and attribute lookups), the queries ~5 ms (8 statements, ~0.5 ms of SQLAlchemy and psycopg
  each), due dates ~1 ms. Next steps: cache the filters' rendered choices (keyed by language and the meetings'
  versions), trim base.html's per-page work, and measure on a quiet machine (load inflates the CPU figures).
  The SQL per page stays constant: tests/test_query_counts.py counts the statements of both pages with 5 and
  with 50 postulates (6 for the public register, 8 for the queue at most).

Measured 2026-12-04 02:09 UTC, after trimming the per-page work of the templates, then main, one right after the
other (--no-downloads --requests 200, same data; the machine shared: load average 5.7 -> 8.4, then 8.3 -> 9.7;
CPU per page in ms):
                    workers' CPU    PostgreSQL   p50       p95       pages/s
  before (main)  public register   16.7         9.1     973 ms   1115 ms   20.2
                 unit queue        24.5         5.9    1231 ms   1721 ms   14.9
  after          public register   13.4         8.0     690 ms    833 ms   28.6
                 unit queue        20.6         5.5     894 ms   2132 ms   19.3
  In process (test client, 100 pages each, load ~6; noisy to +-2 ms): register 15 to 16 -> 12 to 14 ms, queue
  16 to 20 -> 14 to 17 ms. The public register is under the 15 ms aimed at; the queue is not yet.
  What was done (same HTML: the pages of main and of this change compared byte for byte, CSRF tokens aside):
  - the main menu (templates/_navigation.html: ~15 url_for, ~15 gettext, ~12 role checks) is rendered once per
    language, roles, commission seat, page and root and kept (consult/web.py: site_navigation); the seat is still
    asked of the database on each signed-in page, so the statements stay the same;
  - the filters' options are written once per choice list (value and label as shown, so per language and per
    version of the meetings' titles and dates) and kept; a page only marks the selected one (consult/core/widgets.py);
  - the templates' gettext and the `date` filter's language come straight from Flask-Babel's request state
    (consult/i18n.py: translations, current_locale) instead of three trips through `g` a call;
  - the queue writes each state's tag once per page, not a macro call per row.
  What is left in the queue (cProfile, shares of the page): the 50 rows ~27% (Jinja's escaping, ~900 Markup
  objects a page, filters and the due-date macro per assigned row), the statements ~20% (8; the user's own load
  ~7%), the rest Flask, the session and the header's CSRF token. Next steps: the due-date text computed with the
  due statuses instead of a macro per row, and the rows' repeated attributes read once.
Measured 2026-12-04 07:31 and 07:43 UTC, main and the unit queue's change alternating (main, change, main, change;
--no-downloads --requests 300, same data; load average 4.2 -> 5.9, then 4.9 -> 6.1; CPU per page in ms):
                    workers' CPU          PostgreSQL        p50 (ms)
                    main     change       main   change     main     change
  public register   13.7 13.8  13.3 12.7   8.1 7.6  9.2 7.9   227 337  339 349
                    13.5 12.1  10.9  9.5   7.6 7.6  7.8 6.9   333 207  302 175
  unit queue        15.6 17.2  11.6 13.4   4.4 4.6  4.0 4.4   216 377  258 336
                    16.2 14.2  11.3  8.9   4.5 3.8  3.9 3.5   348 199  269 142
  Both pages are under the 15 ms aimed at (at load 7.4 -> 9.0 the change measured queue 13.3, register 12.8).
  In process (test client, alternating, load 3 to 5): queue 10.5 to 13 -> 7 to 9 ms (a signed-in page that shows
  little, /konto, is 2.4).
  The profile of main's queue (cProfile, shares of the page): the rows' Jinja ~29% (~1,250 Markup objects and
  escapes a page), the filters' choices ~12% (130 meetings made into SelectChoice and compared with the written
  options on every page), the statements ~35% (8, with their rows: the due dates and the positions, which the
  queue does not show, in two of them). What was done (same HTML, checked byte for byte on 48 pages in three
  languages, blank lines aside; tests/test_query_counts.py: the queue now at most 6 statements):
  - the queue's rows are written in Python (consult/postulates/rows.py: queue_rows): ~2.5 -> ~0.4 ms;
  - the filters' choices are built once per language and version of their rows and shared, with their written
    options (consult/core/widgets.py: kept_choices; both pages): ~1.2 -> ~0.2 ms;
  - the queue reads its due dates in the rows' statement and no positions: two statements fewer.
  What is left in the queue (~7 ms in process): the template ~2.3 ms (rows 0.8, the header and menu 0.6,
  pagination 0.3, the filters 0.35), six statements ~2.3 ms (rows 0.85, the user with their unit 0.4, count 0.25,
  the choices 0.3, the seat), Flask, the session and sign-in ~2 ms. Next: load the commission seat with the user
  (a statement fewer on every signed-in page).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "consult" / "demo" / "meeting-2025-06-17-wddkko.json"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/consult_benchweb"
PASSWORD = "haslo-benchmarku-123"
POSTULATES, ORGANISATIONS, MEETINGS, UNITS = 10_000, 500, 130, 40


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def make_app(url: str, instance: str):
    os.environ["DATABASE_URL"] = url
    os.environ["CONSULT_INSTANCE"] = instance
    from consult import create_app

    return create_app({"SECRET_KEY": "bench-web"})


def seed(app, reseed: bool) -> dict:
    """Seed the database unless it holds the data already; return what the clients need (ids, accounts)."""
    import flask_migrate
    from sqlalchemy import func, insert, text

    from consult.auth.models import User
    from consult.auth.operations import create_user
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.meetings.models import Meeting
    from consult.organisations.models import Organisation, Unit
    from consult.postulates.models import POSITION_CATEGORIES, Position, Postulate
    from consult.programmes.models import Programme

    with app.app_context():
        if reseed:
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        flask_migrate.upgrade()
        have = db.session.scalar(db.select(func.count()).select_from(Postulate))
        if have != POSTULATES:
            if have:
                sys.exit(f"the database holds {have} postulates: run with --reseed to seed it again")
            started = time.perf_counter()
            fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))["postulates"]
            now = datetime.now(timezone.utc)
            db.session.execute(insert(Unit), [
                {"id": i, "name": f"Wydział nr {i} Urzędu Miasta", "code": f"W{i:02d}"}
                for i in range(1, UNITS + 1)])
            db.session.execute(insert(Organisation), [
                {"id": i, "name": f"Fundacja Pomocy Sąsiedzkiej nr {i}", "legal_form": "fundacja"}
                for i in range(1, ORGANISATIONS + 1)])
            db.session.execute(insert(Programme), [
                {"id": 1, "year": 2026, "title": "Program Współpracy na rok 2026",
                 "consultation_opens": now - timedelta(days=400),
                 "consultation_closes": now - timedelta(days=300)},
                {"id": 2, "year": 2027, "title": "Program Współpracy na rok 2027",
                 "consultation_opens": now - timedelta(days=30),
                 "consultation_closes": now + timedelta(days=30)}])
            db.session.execute(insert(Meeting), [
                {"id": i, "programme_id": 1 + i % 2, "host_unit_id": 1 + i % UNITS,
                 "title": f"Spotkanie branżowe nr {i}", "date": date(2026, 6, 1) + timedelta(days=i % 90),
                 "starts": clock(17, 0), "ends": clock(19, 0), "place": "Urząd Miasta", "scope": "",
                 "introduction": "", "state": "held", "created_at": now, "version": 1}
                for i in range(1, MEETINGS + 1)])
            postulates, positions, numbers = [], [], {}
            # Units are not equally busy: unit 1 gets about a tenth of everything assigned.
            for i in range(1, POSTULATES + 1):
                source = fixture[i % len(fixture)]
                roll = i % 100
                state = ("draft" if roll < 2 else "submitted" if roll < 10 else "withdrawn" if roll < 13
                         else "assigned" if roll < 33 else "answered" if roll < 50 else "published")
                unit = (None if state in ("draft", "submitted", "withdrawn")
                        else 1 if i % 10 == 0 else 2 + i % (UNITS - 1))
                meeting = 1 + i % MEETINGS if state != "draft" and i % 5 < 3 else None
                official = meeting is not None and i % 17 == 0
                if meeting is not None:
                    numbers[meeting] = numbers.get(meeting, 0) + 1
                postulates.append({
                    "id": i, "programme_id": 1 + (meeting or i) % 2, "meeting_id": meeting,
                    "number": numbers[meeting] if meeting else None,
                    "submitter_kind": "official" if official else "organisation",
                    "organisation_id": None if official else 1 + i % ORGANISATIONS,
                    "submitter_name": "Pełnomocnik Prezydenta ds. NGO" if official else None,
                    "content": source["content"], "justification": source.get("justification"),
                    "responsible_unit_id": unit, "state": state, "created_at": now,
                    "submitted_at": None if state == "draft" else now - timedelta(days=10), "version": 1})
                if state in ("answered", "published"):
                    position = (source.get("positions") or [{"text": "Postulat zostanie rozważony."}])[0]
                    positions.append({
                        "postulate_id": i, "unit_id": unit, "category": POSITION_CATEGORIES[i % 8],
                        "text": position["text"], "status": "published" if state == "published" else "draft",
                        "created_at": now, "updated_at": now,
                        "published_at": now - timedelta(days=i % 20) if state == "published" else None,
                        "version": 1})
                    if state == "published" and i % 10 == 3:  # another unit's position too
                        positions.append({**positions[-1], "unit_id": 1 + (unit + 5) % UNITS,
                                          "category": "explanation"})
            db.session.execute(insert(Postulate), postulates)
            db.session.execute(insert(Position), positions)
            for table in ("units", "organisations", "programmes", "meetings", "postulates", "positions"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))
            db.session.commit()
            with transaction():
                create_user(SYSTEM, email="koordynator@bench.example", name="Koordynator", password=PASSWORD,
                            role="coordinator", bootstrap=True)
                create_user(SYSTEM, email="komorka@bench.example", name="Pracownik komórki",
                            password=PASSWORD, role="unit", unit=db.session.get(Unit, 1), bootstrap=True)
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            seconds = time.perf_counter() - started
            print(f"seeded {POSTULATES} postulates, {len(positions)} positions, {ORGANISATIONS} "
                  f"organisations, {MEETINGS} meetings in {seconds:.1f} s (bulk INSERTs, one transaction)")
        assert db.session.scalar(db.select(func.count()).select_from(User)) >= 2
        return {"published": db.session.scalar(db.select(func.count()).where(Postulate.state == "published")),
                "filed": db.session.scalar(db.select(func.count()).where(Postulate.state != "draft")),
                "unit_1": db.session.scalar(db.select(func.count())
                                            .where(Postulate.responsible_unit_id == 1))}


def start_gunicorn(url: str, instance: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "CONSULT_INSTANCE": instance, "SECRET_KEY": "bench-web",
           "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    gunicorn = shutil.which("gunicorn") or "gunicorn"
    process = subprocess.Popen([gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                                "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env,
                               start_new_session=True)
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/postulaty", timeout=5).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.3)
    process.kill()
    sys.exit("gunicorn did not answer within 60 s")


def signed_in(base: str, email: str):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/logowanie", timeout=30).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    response = session.post(f"{base}/logowanie", data={"email": email, "password": PASSWORD,
                                                        "csrf_token": token.group(1) if token else ""},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, f"sign-in of {email} failed: {response.status_code}"
    return session.cookies.get_dict()


_TICK = os.sysconf("SC_CLK_TCK")


def workers_of(master: int) -> list[int]:
    """The gunicorn workers: the master's children (Linux /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes used so far (fields 14 and 15 of /proc/<pid>/stat, in clock ticks)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker gunicorn replaced: its CPU is lost, the bench says so
            print(f"  (worker {pid} gone)")
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _TICK


def database_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving the bench's database (the workers' connections)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]


def load(base: str, urls: list[str], *, clients: int, total: int, cookies: dict | None = None) -> dict:
    """`clients` threads ask for `urls` in turn until `total` answers came; latencies in seconds."""
    import requests

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client(offset: int) -> None:
        session = requests.Session()
        session.cookies.update(cookies or {})
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            url = urls[(n + offset) % len(urls)]
            start = time.perf_counter()
            response = session.get(base + url, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status_code != 200:
                    failures.append(f"{url}: {response.status_code}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if failures:
        sys.exit(f"{len(failures)} answers were not 200, e.g. {failures[:3]}")
    ordered = sorted(latencies)
    return {"p50": statistics.median(ordered) * 1000, "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
            "rps": len(ordered) / wall, "n": len(ordered)}


def timed_download(base: str, url: str, cookies: dict | None = None) -> tuple[float, int, int]:
    import requests

    start = time.perf_counter()
    response = requests.get(base + url, cookies=cookies or {}, timeout=120)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return elapsed, len(response.content), response.content.count(b"\n")


def measured(server: subprocess.Popen, url: str, base: str, urls: list[str], **kwargs) -> dict:
    """`load`, with the CPU the gunicorn workers (and the database's server processes) spent per page: read
    from /proc before and after, so the figure is the application's own work, whatever else the machine runs."""
    workers = workers_of(server.pid)
    backends = database_backends(url)
    before, before_db = cpu_seconds(workers), cpu_seconds(backends)
    result = load(base, urls, **kwargs)
    result["cpu"] = (cpu_seconds(workers) - before) / result["n"] * 1000
    result["db_cpu"] = (cpu_seconds(backends) - before_db) / result["n"] * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="answers measured per page")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=18731)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-downloads", action="store_true", help="measure the pages only")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    instance = tempfile.mkdtemp(prefix="bench-web-")
    counts = seed(make_app(url, instance), args.reseed)
    print(f"data: {counts['published']} published postulates, {counts['filed']} filed, "
          f"{counts['unit_1']} in unit 1's queue; machine load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores at start")
    server = start_gunicorn(url, instance, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        public_pages = ["/postulaty", "/postulaty?strona=2", "/postulaty?strona=40", "/postulaty?programme=2",
                        "/postulaty?programme=1&strona=10", "/postulaty?category=accepted",
                        "/postulaty?unit=7", "/postulaty?meeting=33", "/postulaty?text=cudzoziemc",
                        "/postulaty?programme=2&category=rejected&strona=3"]
        queue_pages = ["/kolejka", "/kolejka?state=assigned", "/kolejka?state=answered", "/kolejka?strona=5",
                       "/kolejka?programme=2", "/kolejka?state=published&strona=2", "/kolejka?meeting=40"]
        unit = signed_in(base, "komorka@bench.example")
        coordinator = signed_in(base, "koordynator@bench.example")
        for warm in public_pages + queue_pages:  # let every worker import and connect before measuring
            load(base, [warm], clients=args.workers, total=args.workers,
                 cookies=unit if warm.startswith("/kolejka") else None)
        print(f"{args.clients} concurrent clients, gunicorn {args.workers} sync workers, "
              f"{args.requests} answers per page")
        for label, urls, cookies in (("public register", public_pages, None),
                                     ("unit queue", queue_pages, unit)):
            r = measured(server, url, base, urls, clients=args.clients, total=args.requests, cookies=cookies)
            print(f"{label:<16} CPU {r['cpu']:5.1f} ms/page (PostgreSQL {r['db_cpu']:4.1f})   "
                  f"p50 {r['p50']:6.0f} ms   p95 {r['p95']:6.0f} ms   {r['rps']:6.1f} pages/s  ({r['n']} answers)")
        if not args.no_downloads:
            print("downloads, one at a time (time to the last byte):")
        for label, path, cookies in (() if args.no_downloads else (
                ("public, all published", "/postulaty/eksport", None),
                ("coordinator, all filed", "/rejestr/eksport", coordinator))):
            for fmt in ("csv", "xlsx", "ods"):
                seconds, size, _lines = timed_download(base, f"{path}.{fmt}", cookies)
                print(f"  {label:<24} {fmt:<5} {seconds:6.1f} s  {size / 1e6:6.1f} MB")
        print(f"machine load average {os.getloadavg()[0]:.1f} at the end (the machine is shared)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
