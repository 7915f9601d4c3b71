"""Faults survived, each with the real service (servers of the test's own: tests/service_support.py, never the
machine's shared PostgreSQL and Redis):

- Redis restarted in the middle of a job: the job completes, once, and the worker takes the next job;
- PostgreSQL gone: pages answer the site's 503 page (translated, with Retry-After), the API and /health a JSON 503,
  a worker's job waits and retries, and once the database is back the job completes and nothing was half-written;
- the storage full (a small tmpfs when the tests may mount one, else a write that fails with ENOSPC): the compile
  fails, the coordinator's job page says the storage is full, the published version stays;
- /health: database, Redis, storage and the workers' heartbeat, 200 when all are well and 503 when one is not.
"""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from flask import g, request_started

from consult import create_app
from consult.core.actors import SYSTEM
from consult.core.backup import restored_counts
from consult.core.operations import transaction
from consult.documents.models import DocumentJob
from consult.extensions import db
from consult.summaries import queries
from consult.summaries.documents import publish_version
from tests.conftest import PASSWORD, login
from tests.service_support import own_postgres, own_redis
from tests.summary_support import Worker, compile_now, fixture_data, import_data, large_meeting_data
from tests.test_worker_faults import VISIBILITY_TIMEOUT, _files_of, _job, _request, _versions, _wait

FAST_WORKER = {"CONSULT_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "CONSULT_CELERY_RESTORE_INTERVAL": "1",
               "CONSULT_HEARTBEAT_INTERVAL": "0.5"}


@pytest.fixture
def start_worker(tmp_path):
    started: list[Worker] = []

    def start(app, name: str, redis_url: str) -> Worker:
        worker = Worker(app, tmp_path, name, redis_url=redis_url, env=FAST_WORKER)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


RESTART_ROWS = 40  # a render of a second or more: Redis is restarted well inside it


# --- Redis ------------------------------------------------------------------------------------------------------

def test_redis_restarted_mid_job_the_job_completes_once(app, own_redis, start_worker, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)
    monkeypatch.setitem(app.config, "CONSULT_STORAGE", str(tmp_path / "storage"))
    meeting_id = import_data(large_meeting_data(RESTART_ROWS))
    job_id = _request(meeting_id)
    worker = start_worker(app, "redis-restart", own_redis.url)
    _wait(lambda: _job(job_id).state == "running", 90, "the worker to start the job", worker)
    own_redis.restart()  # the queue, the unacknowledged message and the results are gone with it
    assert _job(job_id).state == "running", "the render ended before Redis was restarted"

    _wait(lambda: _job(job_id).state == "done", 120, "the job to finish after the restart", worker)
    # A job sent after the restart is taken too: the worker found the new Redis by itself.
    other_id = _request(import_data(large_meeting_data(2, date="2025-06-19")))
    _wait(lambda: _job(other_id).state == "done", 90, "a job sent after the restart", worker)
    time.sleep(VISIBILITY_TIMEOUT)  # any copy delivered again would have run by now
    job = _job(job_id)
    [version] = _versions(meeting_id)
    assert (job.state, job.attempts, job.error) == ("done", 1, None)
    assert version.job_id == job_id and version.number == 1
    assert _files_of(meeting_id) == [Path(app.config["CONSULT_STORAGE"]) / version.storage_key]
    # ...and its heartbeat: /health finds the worker alive in the new Redis.
    health = _until(lambda: (r := app.test_client().get("/health")).status_code == 200 and r, 20,
                    "/health to see the worker again")
    assert health.json["checks"]["worker"]["workers"] == 1


# --- PostgreSQL -------------------------------------------------------------------------------------------------

def _fresh_request_globals(sender, **_extra):
    """As a server's own app context per request would: no signed-in user or language left from the last one."""
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


UNAVAILABLE = {"pl": "Serwis chwilowo niedostępny", "en": "Service temporarily unavailable",
               "uk": "Сервіс тимчасово недоступний"}
NOTHING_WRITTEN = {"pl": "nic nie zostało zapisane", "en": "nothing was saved", "uk": "нічого не збережено"}


def test_postgresql_away_pages_say_503_and_the_worker_retries_until_it_is_back(app, own_postgres, own_redis,
                                                                              start_worker, tmp_path):
    outage = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": own_postgres.url, "SECRET_KEY": "test-secret",
                         "WTF_CSRF_ENABLED": False, "CONSULT_STORAGE": str(tmp_path / "storage"),
                         "REDIS_URL": own_redis.url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                         # the import marks the report's section stale; its background render must not run during
                         # the outage and change the counts compared below (as everywhere in the tests)
                         "REPORT_WARM_DELAY": 3600.0})
    request_started.connect(_fresh_request_globals, outage, weak=False)  # requests share the test's app context
    with outage.app_context():
        db.create_all()
        meeting_id = import_data(fixture_data())
        job_id = _request(meeting_id)  # in the queue; no worker yet
        before = restored_counts(own_postgres.url)
        client = outage.test_client()
        assert client.get("/postulaty").status_code == 200

        own_postgres.stop()
        for path, language in (("/", "en"), (f"/programy/spotkania/{meeting_id}", "uk"), ("/postulaty", "pl")):
            response = client.get(path, headers={"Accept-Language": language})
            page = response.get_data(as_text=True)
            assert response.status_code == 503, page[:300]
            assert response.headers["Retry-After"] == "30"
            assert f'<html lang="{language}">' in page and 'class="skip-link" href="#main"' in page
            assert f"<h1>{UNAVAILABLE[language]}</h1>" in page and NOTHING_WRITTEN[language] in page
            assert "Traceback" not in page and "OperationalError" not in page
        sent = client.post("/logowanie", data={"email": "ktos@example.org", "password": PASSWORD})
        assert sent.status_code == 503 and sent.headers["Retry-After"] == "30"
        api = client.get("/api/v1/programmes")
        assert (api.status_code, api.json["status"], api.headers["Retry-After"]) == (503, 503, "30")
        health = client.get("/health")
        assert health.status_code == 503 and health.json["checks"]["database"]["ok"] is False
        assert health.json["checks"]["redis"]["ok"] is True

        worker = start_worker(outage, "pg-away", own_redis.url)
        _until(lambda: "the database is unavailable" in worker.tail(), 60, "the worker to meet the outage")
        own_postgres.start()

        _wait(lambda: _job(job_id).state == "done", 90, "the job to complete once the database is back", worker)
        job = _job(job_id)
        assert (job.attempts, job.error) == (1, None)  # the claims that failed wrote nothing
        assert len(_versions(meeting_id)) == 1
        # Rows came only with the completed job (its version and the audit event of it); the post sent while the
        # database was away and the failed claims left none.
        expected = {**before, "document_versions": before["document_versions"] + 1,
                    "audit_events": before["audit_events"] + 1}
        assert restored_counts(own_postgres.url) == expected
        assert client.get("/postulaty").status_code == 200
        db.session.remove()
        db.engine.dispose()


# --- the storage full -------------------------------------------------------------------------------------------

@pytest.fixture
def small_storage(tmp_path, monkeypatch):
    """A storage that runs out of room: a tmpfs of 4 MB when this process may mount one (root), else a folder whose
    writes of documents fail with ENOSPC (errno 28) once `fill()` is called."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = os.geteuid() == 0 and shutil.which("mount") and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True).returncode == 0

    class Storage:
        path = folder
        real = bool(mounted)

        def fill(self):
            if self.real:
                with open(folder / "filler", "wb") as out:
                    try:
                        while True:
                            out.write(b"\0" * 65536)
                            out.flush()
                    except OSError as exc:
                        assert exc.errno == errno.ENOSPC
            else:
                from consult.documents import storage

                def no_room(_fd):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

                monkeypatch.setattr(storage.os, "fsync", no_room)

    yield Storage()
    if mounted:
        subprocess.run(["umount", str(folder)], check=False)


def test_storage_full_fails_the_compile_saying_so_and_the_published_version_stays(app, small_storage, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # compiled here; the worker tests above cover a worker
    monkeypatch.setitem(app.config, "CONSULT_STORAGE", str(small_storage.path))
    meeting_id = import_data(fixture_data())
    published = compile_now(meeting_id).version
    with transaction():
        publish_version(SYSTEM, published)
    small_storage.fill()

    from consult.auth.operations import create_user

    with transaction():
        create_user(SYSTEM, email="koordynacja@example.org", name="Koordynatorka", password=PASSWORD,
                    role="coordinator")
    coordinator = login(app.test_client(), "koordynacja@example.org")
    response = coordinator.post(f"/koordynacja/spotkania/{meeting_id}/podsumowanie/kompilacja", data={},
                                follow_redirects=True)
    page = response.get_data(as_text=True)
    job = db.session.scalar(db.select(DocumentJob).order_by(DocumentJob.id.desc()))
    assert job.state == "failed" and "Brak miejsca w magazynie dokumentów" in job.error
    assert "Kompilacja nie powiodła się" in page and "Brak miejsca w magazynie dokumentów" in page
    state = coordinator.get(f"/koordynacja/podsumowania/zadania/{job.id}/stan").json
    assert state["state"] == "failed" and "Brak miejsca" in state["error"]
    # Nothing half-written: no second version, no partial file; the published one is served as it was.
    assert [v.id for v in _versions(meeting_id)] == [published.id]
    assert queries.current_published(meeting_id).id == published.id
    assert not list(small_storage.path.rglob(".tmp-*"))
    pdf = app.test_client().get(f"/podsumowania/{published.id}.pdf")
    assert pdf.status_code == 200 and len(pdf.data) == published.size


# --- /health ----------------------------------------------------------------------------------------------------

def test_health_reports_database_redis_storage_and_the_workers_heartbeat(app, own_redis, start_worker, tmp_path,
                                                                         monkeypatch):
    client = app.test_client()
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # the embedded default: jobs in the web process
    response = client.get("/health")
    assert response.status_code == 200 and response.json["status"] == "ok"
    checks = response.json["checks"]
    assert checks["database"]["ok"] and checks["database"]["dialect"] == db.engine.dialect.name
    assert checks["storage"]["writable"] is True and checks["storage"]["free_bytes"] > 0
    assert checks["redis"] == {"ok": True, "configured": False} and checks["worker"]["configured"] is False
    monkeypatch.setenv("CONSULT_STORAGE_MIN_FREE_MB", str(10 ** 12))  # more than any disk has
    low = client.get("/health")
    assert low.status_code == 503 and low.json["checks"]["storage"]["ok"] is False
    monkeypatch.delenv("CONSULT_STORAGE_MIN_FREE_MB")

    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)
    monkeypatch.setenv("CONSULT_HEARTBEAT_MAX_AGE", "3")
    nobody = client.get("/health")
    assert nobody.status_code == 503 and nobody.json["checks"]["redis"]["ok"] is True
    assert nobody.json["checks"]["worker"] == {"ok": False, "configured": True, "workers": 0,
                                               "heartbeat_age_seconds": None, "max_age_seconds": 3.0}
    worker = start_worker(app, "heartbeat", own_redis.url)
    alive = _until(lambda: (r := client.get("/health")).status_code == 200 and r, 60, "the worker's heartbeat")
    assert alive.json["checks"]["worker"]["heartbeat_age_seconds"] <= 3
    worker.kill()  # dies without a word: its last heartbeat grows old
    dead = _until(lambda: (r := client.get("/health")).status_code == 503 and r, 20, "/health to see it stale")
    assert dead.json["checks"]["worker"]["heartbeat_age_seconds"] >= 3  # stale: past 3 s (shown rounded)
    own_redis.stop()
    gone = client.get("/health")
    assert gone.status_code == 503 and gone.json["checks"]["redis"] == {"ok": False, "configured": True,
                                                                        "error": "ConnectionError"}
    # Public, so it tells no secret: no address, user, password, path or key.
    for text in (response, low, nobody, alive, dead, gone):
        body = text.get_data(as_text=True)
        for secret in ("redis://", "postgres@", "sqlite:", app.config["SECRET_KEY"], str(tmp_path),
                       app.config["CONSULT_STORAGE"], "127.0.0.1"):
            assert secret not in body, secret
