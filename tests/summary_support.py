"""Helpers of the meeting summary tests: the fixture meeting, PDF text extraction, a compile in process."""
from __future__ import annotations

import copy
import json
import os
import re
import signal
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

FIXTURE = Path(__file__).resolve().parent.parent / "consult" / "demo" / "meeting-2025-06-17-wddkko.json"
UNIT_SOCIAL = "Wydział Polityki Społecznej, Równości i Zdrowia"
UNIT_DIALOGUE = "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego"


def fixture_data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def large_meeting_data(n: int, *, date: str = "2025-06-18") -> dict:
    """A meeting of `n` postulates with texts as long as the fixture's (its rows repeated)."""
    data = fixture_data()
    data["meeting"]["date"] = date
    base = data["postulates"]
    data["postulates"] = []
    for i in range(n):
        item = copy.deepcopy(base[i % len(base)])
        item["number"] = i + 1
        data["postulates"].append(item)
    return data


def import_data(data: dict):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.meetings.interchange import import_meeting, parse

    with transaction():
        meeting = import_meeting(SYSTEM, parse(json.dumps(data, ensure_ascii=False)))
    return meeting.id


def compile_now(meeting_id: int, *, preview: bool = False):
    """Ask for a compile as a coordinator would and wait for it: without REDIS_URL it runs in process at
    commit; with it (CI's second pass) the session's Celery worker runs it."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.documents.models import DocumentJob
    from consult.extensions import db
    from consult.meetings.models import Meeting
    from consult.summaries.documents import request_compile

    with transaction():
        job_id = request_compile(SYSTEM, db.session.get(Meeting, meeting_id), preview=preview).id
    wait_for_jobs()
    return db.session.get(DocumentJob, job_id)


def wait_for_jobs(timeout: float = 120) -> None:
    """Until no document job is queued or running (at once when jobs run in process)."""
    from consult.documents.models import DocumentJob
    from consult.extensions import db

    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # a fresh look at what the worker committed
        pending = db.session.scalar(db.select(db.func.count(DocumentJob.id))
                                    .where(DocumentJob.state.in_(("queued", "running"))))
        if not pending:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{pending} document job(s) still pending after {timeout} s")
        time.sleep(0.1)


def pdf_bytes(version) -> bytes:
    from consult.documents import storage

    return storage.path_of(version.storage_key).read_bytes()


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages]


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks and the gaps pypdf puts at kerning do not matter."""
    return re.sub(r"\s+", "", text)


def assert_in_order(haystack: str, needles: list[str]) -> None:
    """Each needle occurs in `haystack` (both squeezed) after the previous one."""
    text = squeeze(haystack)
    at = 0
    for needle in needles:
        found = text.find(squeeze(needle), at)
        assert found >= 0, f"not found after offset {at} (or out of order): {needle[:80]!r}"
        at = found + len(squeeze(needle))


class Worker:
    """`celery -A worker.celery_app worker` in its own process group, as an operator starts it, on the
    test's database and storage."""

    def __init__(self, app, log_dir: Path, name: str, *, redis_url: str, storage_dir: str | None = None,
                 env: dict | None = None):
        from consult.config import PROJECT_ROOT

        full_env = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                    "CONSULT_STORAGE": storage_dir or app.config["CONSULT_STORAGE"], **(env or {})}
        self.log_path = log_dir / f"worker-{name}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "--pool=prefork",
             "--concurrency=1", "--loglevel=info", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{name}-{os.getpid()}@%h"],
            cwd=PROJECT_ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool), as when a machine dies."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()

    def tail(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def whole_log(self) -> str:
        """All the worker has logged (a line looked for may be followed by more than the tail holds)."""
        self.log.flush()
        return self.log_path.read_text(errors="replace")


def wait_for_heartbeat(redis_url: str, worker: Worker, timeout: float = 60) -> None:
    """Until the worker has written its first heartbeat (consult/core/health.py), i.e. it is ready for jobs."""
    import redis

    from consult.core.health import HEARTBEAT_PREFIX

    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while not any(client.scan_iter(f"{HEARTBEAT_PREFIX}*")):
        if worker.proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the worker wrote no heartbeat within {timeout} s:\n{worker.tail()}")
        time.sleep(0.1)


def purge_queue(redis_url: str) -> None:
    """Drop messages of earlier runs from the jobs queue (they name job ids of dropped tables)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete("consult", "unacked", "unacked_index")


@pytest.fixture(scope="session")
def summary_worker(app, tmp_path_factory, request):
    """With REDIS_URL (CI's second pass) one real Celery worker runs the summary tests' jobs and delivers the
    e-mails of the mail tests (to the session's SMTP server, tests/mail_support.py); without it the jobs run in
    process and there is no worker."""
    url = app.config.get("REDIS_URL")
    if not url:
        yield None
        return
    if _session_workers:  # a module that imports this fixture defines it again: a second worker on the same queue
        raise RuntimeError("a second session worker was asked for: use the fixture from tests/conftest.py, do not "
                           "import summary_worker into a test module (that defines it once more)")
    purge_queue(url)
    mail_server = request.getfixturevalue("mail_server")
    worker = Worker(app, tmp_path_factory.mktemp("summary-worker"), "summaries", redis_url=url,
                    env=mail_server.env())
    _session_workers.append(worker)
    wait_for_heartbeat(url, worker)  # ready: /health (tests/test_access.py walks it too) sees a live worker
    yield worker
    worker.stop()
    _session_workers.remove(worker)


# The session's worker, while it runs: there is one, or the jobs of a test go to whichever worker takes them first
# and a test reading its worker's log does not find them there.
_session_workers: list = []
