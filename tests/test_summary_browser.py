"""In Chromium: the job page follows a compile by itself (app.js, no inline script under the CSP) and
shows the result when the job is over."""
from __future__ import annotations

import shutil
import threading

import pytest

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.documents.operations import request_compile
from consult.documents.runner import run_job
from consult.extensions import db
from consult.meetings.models import Meeting
from tests.conftest import PASSWORD

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")


@pytest.fixture
def server(app):
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(timeout=5)


def test_job_page_updates_itself_when_the_job_ends(world, app, server, monkeypatch):
    monkeypatch.setattr("consult.documents.dispatch.enqueue", lambda job_id, app: None)  # a worker, later
    with transaction():
        job_id = request_compile(SYSTEM, db.session.get(Meeting, world.meeting.id), preview=True).id
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page(locale="pl-PL")  # headless Chromium asks for en-US otherwise
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(f"{server}/logowanie")
            page.fill("input[name=email]", world.user("coordinator").email)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{server}/koordynacja/podsumowania/zadania/{job_id}")
            region = f"#job-status-{job_id}"
            assert page.get_attribute(region, "aria-live") == "polite"
            assert page.inner_text(f"{region} .tag").strip() == "w kolejce"
            run_job(job_id, app)  # the worker does the job while the page is open
            page.wait_for_selector(f"{region} a:has-text('Pobierz PDF wersji 1')", timeout=15000)
            assert page.inner_text(f"{region} .tag").strip() == "gotowe"
            assert "Dokument jest gotowy." in page.inner_text(region)
            assert page.query_selector("[data-job-poll]") is None
            assert page.is_hidden(".job-status-refresh")  # nothing left to refresh
        finally:
            browser.close()
    assert not [m for m in problems if "Content Security Policy" in m], problems
