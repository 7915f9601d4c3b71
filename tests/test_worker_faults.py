"""Faults with a real Celery worker process and real Redis: a worker killed (SIGKILL) in the middle of a
render, started again, ends with the summary compiled once; a compile that fails is marked failed with
its reason and the published version stays public.

The worker shares the test's database (the session's SQLite file, or DATABASE_URL) and storage. Its
Redis visibility timeout is 3 s, so a message whose worker died is delivered again within seconds.
"""
from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.documents import storage
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.summaries import queries
from consult.summaries.documents import publish_version, request_compile
from tests.summary_support import Worker, compile_now, fixture_data, import_data, large_meeting_data
from tests.xdist_support import FAULTS_REDIS_URL

# Under pytest-xdist each worker process has a database of its own here (tests/xdist_support.py): the tests flush it.
REDIS_URL = os.environ.get("CONSULT_TEST_REDIS_URL", FAULTS_REDIS_URL)
VISIBILITY_TIMEOUT = 3
ROWS = 160  # enough rows that a render lasts a few seconds on this machine, so it can be killed midway


def _redis_problem() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


_PROBLEM = _redis_problem()
pytestmark = pytest.mark.skipif(_PROBLEM is not None,
                                reason=f"Redis is not reachable at {REDIS_URL} ({_PROBLEM}); these tests need "
                                       "a real broker and a real worker process")


@pytest.fixture
def broker(app, monkeypatch, tmp_path):
    """Jobs of this test go to Redis (a database of their own, emptied first); files to a storage of its own."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "CONSULT_STORAGE", str(tmp_path / "storage"))
    yield REDIS_URL
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def workers(app, tmp_path):
    started: list[Worker] = []

    def start(name: str, **kwargs) -> Worker:
        w = Worker(app, tmp_path, name, redis_url=REDIS_URL, env={
            "CONSULT_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "CONSULT_CELERY_RESTORE_INTERVAL": "1"},
            **kwargs)
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def _job(job_id: int) -> DocumentJob:
    db.session.rollback()  # end the read transaction: see what the worker committed
    return db.session.get(DocumentJob, job_id)


def _versions(meeting_id: int) -> list[DocumentVersion]:
    db.session.rollback()
    return db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("meeting", meeting_id))).all()


def _wait(predicate, timeout: float, what: str, worker: Worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.proc.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{worker.tail()}")
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}; worker log:\n{worker.tail()}")


def _request(meeting_id: int) -> int:
    with transaction():  # committed before the job is sent: the worker sees the rows
        return request_compile(SYSTEM, db.session.get(Meeting, meeting_id)).id


def _files_of(meeting_id: int) -> list[Path]:
    folder = storage.root() / "meeting-summaries" / str(meeting_id)
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def test_worker_killed_mid_render_then_restarted_compiles_once(app, broker, workers):
    meeting_id = import_data(large_meeting_data(ROWS))
    job_id = _request(meeting_id)
    first = workers("first")
    _wait(lambda: _job(job_id).state == "running", 90, "the first worker to start the job", first)
    time.sleep(1.0)  # well inside the render (several seconds for this meeting)
    assert _job(job_id).state == "running" and _versions(meeting_id) == [], "the render ended before the kill"
    first.kill()
    job = _job(job_id)
    assert (job.state, job.attempts) == ("running", 1)
    assert _versions(meeting_id) == [] and _files_of(meeting_id) == []

    second = workers("second")
    _wait(lambda: _job(job_id).state == "done", 120, "the restarted worker to finish the job", second)
    # Let any copy of the message Redis delivers again run too: it must find the job done and do nothing.
    time.sleep(VISIBILITY_TIMEOUT + 2)
    job = _job(job_id)
    [version] = _versions(meeting_id)
    assert (job.state, job.attempts, job.error) == ("done", 2, None)
    assert version.job_id == job_id and version.number == 1 and version.pages > 20
    assert _files_of(meeting_id) == [storage.path_of(version.storage_key)]
    assert hashlib.sha256(storage.path_of(version.storage_key).read_bytes()).hexdigest() == version.sha256
    assert "compile_document" in second.tail()


def test_pool_process_killed_mid_render_is_redelivered_and_compiles_once(app, broker, workers):
    meeting_id = import_data(large_meeting_data(ROWS, date="2025-06-25"))
    job_id = _request(meeting_id)
    worker = workers("pool")
    _wait(lambda: _job(job_id).state == "running", 90, "the worker to start the job", worker)
    time.sleep(1.0)
    [child] = worker.children()
    os.kill(child, signal.SIGKILL)  # the main process sees WorkerLostError and rejects the message back
    _wait(lambda: _job(job_id).state == "done", 120, "the job to run again in a new pool process", worker)
    time.sleep(VISIBILITY_TIMEOUT + 1)
    job = _job(job_id)
    assert (job.state, job.attempts) == ("done", 2)
    assert len(_versions(meeting_id)) == 1
    assert "WorkerLostError" in worker.whole_log() or "exited with" in worker.whole_log()


def test_failed_compile_is_marked_failed_with_its_reason_and_published_version_stays(app, broker, workers,
                                                                                     tmp_path, monkeypatch):
    meeting_id = import_data(fixture_data())
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # version 1 is compiled here and published
    v1 = compile_now(meeting_id).version
    with transaction():
        publish_version(SYSTEM, v1)
    monkeypatch.setitem(app.config, "REDIS_URL", broker)
    # The worker's storage is a file, not a folder: it renders, then cannot store the PDF.
    not_a_folder = tmp_path / "storage-is-a-file"
    not_a_folder.write_text("x")
    worker = workers("failing", storage_dir=str(not_a_folder))
    job_id = _request(meeting_id)
    _wait(lambda: _job(job_id).state == "failed", 90, "the job to fail", worker)
    job = _job(job_id)
    assert "NotADirectoryError" in job.error or "Not a directory" in job.error
    assert job.finished_at is not None
    assert [v.id for v in _versions(meeting_id)] == [v1.id]
    assert queries.current_published(meeting_id).id == v1.id
    assert db.session.get(Meeting, meeting_id).state == "summary_published"
    assert app.test_client().get(f"/podsumowania/{v1.id}.pdf").status_code == 200
