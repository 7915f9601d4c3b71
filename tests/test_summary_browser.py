"""In Chromium: the job page follows a compile by itself (app.js, no inline script under the CSP) and
shows the result when the job is over."""
from __future__ import annotations

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.documents.runner import run_job
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.summaries.documents import request_compile
from tests.browser_support import needs_chromium, sign_in

pytestmark = needs_chromium


def test_job_page_updates_itself_when_the_job_ends(world, app, browser, live_server, monkeypatch):
    monkeypatch.setattr("consult.documents.dispatch.enqueue", lambda job_id, app: None)  # a worker, later
    with transaction():
        job_id = request_compile(SYSTEM, db.session.get(Meeting, world.meeting.id), preview=True).id
    problems: list[str] = []
    context = browser.new_context(locale="pl-PL")
    try:
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        sign_in(page, live_server, world.user("coordinator"))
        page.goto(f"{live_server}/koordynacja/podsumowania/zadania/{job_id}")
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
        context.close()
    assert not [m for m in problems if "Content Security Policy" in m], problems
