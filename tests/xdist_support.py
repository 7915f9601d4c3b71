"""The suite in parallel: pyproject's addopts run it with pytest-xdist (`-n auto`, at most MAX_WORKERS
processes), and each worker process gets what it would otherwise share with the others.

- the database: a SQLite file under the worker's own pytest temporary folder (pytest-xdist gives each worker
  its own), or, with DATABASE_URL on PostgreSQL, a database of its own named after the worker
  (consult_test -> consult_test_gw0, consult_test_gw1, made if missing);
- Redis: REDIS_URL's database number plus the worker's index (/0 -> /0 and /1), so that the worker's Celery
  worker process (tests/summary_support.py) takes only this worker's jobs and a purge of the queue touches
  no other's; the worker-fault tests' own Redis database likewise (/5 -> /5 and /6), which they flush;
- storage, the SMTP server's port and the live server's port follow: the storage lives in the temporary
  folder, the servers bind free ports.

Without xdist (`-n 0`, `-p no:xdist`) nothing changes: DATABASE_URL and the Redis databases are used as given.
Everything here is done by environment variables, set before `consult` or `worker` is imported, so that a CLI
or a worker process the tests start sees the same as the test process.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

MAX_WORKERS = 4  # the Redis databases: jobs /0-/3, worker faults /5-/8 (/9 is the benchmarks')
FAULTS_REDIS_URL = "redis://127.0.0.1:6379/5"  # the worker-fault tests' Redis (CONSULT_TEST_REDIS_URL)


def worker_name() -> str | None:
    """"gw0", "gw1", ... in a pytest-xdist worker process; None without xdist (and in its controller)."""
    return os.environ.get("PYTEST_XDIST_WORKER") or None


def auto_workers() -> int:
    """What `-n auto` means here: one worker a core, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def redis_database(url: str) -> int:
    return int(urlsplit(url).path.lstrip("/") or 0)


def with_redis_database(url: str, number: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


def with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def isolate_worker() -> None:
    """In an xdist worker: point DATABASE_URL, REDIS_URL and CONSULT_TEST_REDIS_URL at the worker's own."""
    name = worker_name()
    if name is None or os.environ.get("CONSULT_TEST_ISOLATED") == name:  # once a process
        return
    os.environ["CONSULT_TEST_ISOLATED"] = name
    index = int(name.removeprefix("gw"))
    if index >= MAX_WORKERS:
        raise RuntimeError(f"xdist worker {name}: at most {MAX_WORKERS} workers (-n), each takes Redis databases "
                           "of its own (tests/xdist_support.py)")
    database = os.environ.get("DATABASE_URL", "").strip()
    if database and not database.startswith("sqlite"):
        base = urlsplit(database).path.lstrip("/")
        os.environ["DATABASE_URL"] = with_database_name(database, f"{base}_{name}")
    faults = os.environ.get("CONSULT_TEST_REDIS_URL", FAULTS_REDIS_URL)
    faults_db = redis_database(faults) + index
    os.environ["CONSULT_TEST_REDIS_URL"] = with_redis_database(faults, faults_db)
    jobs = os.environ.get("REDIS_URL", "").strip()
    if jobs:
        jobs_db = redis_database(jobs) + index
        first, last = redis_database(faults), redis_database(faults) + MAX_WORKERS - 1
        if first <= jobs_db <= last:
            raise RuntimeError(f"REDIS_URL's database {jobs_db} for {name} is one the worker-fault tests flush "
                               f"({first}-{last}); use another REDIS_URL or CONSULT_TEST_REDIS_URL")
        os.environ["REDIS_URL"] = with_redis_database(jobs, jobs_db)


def ensure_database(url: str) -> None:
    """Make the PostgreSQL database of `url` (an SQLAlchemy or libpq URL) if it does not exist."""
    if not url.startswith(("postgresql", "postgres:")):
        return
    import psycopg
    from psycopg import errors, sql

    libpq = "postgresql://" + url.split("://", 1)[1]
    name = urlsplit(libpq).path.lstrip("/")
    with psycopg.connect(with_database_name(libpq, "postgres"), autocommit=True) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except errors.DuplicateDatabase:  # made at the same moment by another run
            pass
