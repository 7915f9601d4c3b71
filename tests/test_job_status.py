"""Long jobs show live progress: the JSON status of a compile job, access-checked like the page that started
it, and the status region its page renders (the same words app.js writes into it while it polls).

The jobs are rows in each state, as the worker leaves them (consult/documents/operations.py), so no PDF is
rendered here; tests/test_summary_browser.py follows a real compile in Chromium.
"""
from __future__ import annotations

import pytest

from consult.calls import operations as ops
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.documents import storage
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from tests.conftest import login
from tests.test_calls import clock, make_call  # noqa: F401  (clock is a fixture)

REASON = "Brak danych spotkania: lista obecności jest pusta."


@pytest.fixture(autouse=True)
def _end_unsent_jobs():
    yield
    forget_unsent_jobs()


def forget_unsent_jobs():
    """The jobs these tests leave queued or running were never sent to a worker (enqueue is stubbed or the
    rows are made by hand): delete them, so that the next test does not wait for them (tests/conftest.py)."""
    db.session.rollback()
    db.session.execute(db.delete(DocumentJob).where(DocumentJob.state.in_(("queued", "running"))))
    db.session.commit()


def job_in(state: str, **subject) -> DocumentJob:
    """A compile job as the worker leaves it in `state`; a done one has its version (and file)."""
    now = utcnow()
    kind = subject.pop("kind", "meeting_summary")
    job = DocumentJob(kind=kind, state=state, attempts=0 if state == "queued" else 1, requested_at=now,
                      started_at=None if state == "queued" else now,
                      finished_at=now if state in ("done", "failed") else None,
                      error=REASON if state == "failed" else None, **subject)
    db.session.add(job)
    db.session.flush()
    if state == "done":
        key = f"test/job-{job.id}.pdf"
        storage.write(key, b"%PDF-1.7\n% test\n%%EOF\n")
        db.session.add(DocumentVersion(
            kind=kind, job_id=job.id, number=1, preview=False, storage_key=key, sha256="0" * 64, size=22,
            pages=1, source_digest="0" * 64, created_at=now, published_at=now if kind != "meeting_summary" else None,
            published_by_label="System" if kind != "meeting_summary" else None,
            **subject))
    db.session.commit()
    return job


def client_of(app, world, role):
    client = app.test_client()
    return login(client, world.user(role)) if role != "anon" else client


# --- a meeting summary's compile ------------------------------------------------------------------------------


@pytest.mark.parametrize("state, label, message, pending", [
    ("queued", "w kolejce", "Zadanie czeka w kolejce na wolnego wykonawcę.", True),
    ("running", "w toku", "Trwa kompilacja dokumentu.", True),
    ("failed", "nie powiodło się", f"Kompilacja nie powiodła się: {REASON}", False),
    ("done", "gotowe", "Dokument jest gotowy.", False),
])
def test_summary_job_status_in_each_state(world, app, state, label, message, pending):
    job = job_in(state, subject_id=world.meeting.id)
    coordinator = client_of(app, world, "coordinator")
    response = coordinator.get(f"/koordynacja/podsumowania/zadania/{job.id}/stan")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    status = response.get_json()
    assert (status["state"], status["label"], status["message"], status["pending"]) == (state, label, message, pending)
    assert status["error"] == (REASON if state == "failed" else None)
    if state == "done":
        assert status["download_url"] == f"/koordynacja/podsumowania/wersje/{job.version.id}/pdf"
        assert status["download_label"] == "Pobierz PDF wersji 1"
        assert coordinator.get(status["download_url"]).data.startswith(b"%PDF")
    else:
        assert status["download_url"] is None

    page = coordinator.get(f"/koordynacja/podsumowania/zadania/{job.id}").get_data(as_text=True)
    assert f'id="job-status-{job.id}" role="status" aria-live="polite" data-state="{state}"' in page
    assert message in page
    # while pending, app.js follows the job, and without JavaScript a link asks again
    assert ("data-job-poll=" in page) is pending
    assert (f'<a href="/koordynacja/podsumowania/zadania/{job.id}">Odśwież stan</a>' in page) is pending
    assert ("Pobierz PDF wersji 1</a>" in page) is (state == "done")


def test_only_coordinators_follow_a_summary_job(world, app):
    job = job_in("running", subject_id=world.meeting.id)
    url = f"/koordynacja/podsumowania/zadania/{job.id}/stan"
    for role in ("ngo_a", "unit_x", "admin"):
        assert client_of(app, world, role).get(url).status_code == 403, role
    assert client_of(app, world, "anon").get(url).status_code == 302  # to the login page
    assert client_of(app, world, "coordinator").get("/koordynacja/podsumowania/zadania/99999/stan").status_code == 404


# --- a call's PDFs, followed on the call's management page ---------------------------------------------------


@pytest.fixture
def call(world, clock, monkeypatch):  # noqa: F811
    monkeypatch.setattr("consult.documents.dispatch.enqueue", lambda job_id, app: None)  # no worker runs it
    made = make_call(world)
    with transaction():
        ops.announce_call(SYSTEM, made)  # asks for the announcement's PDF: a queued job
    return made


def test_call_document_status_follows_the_job_on_the_management_page(world, app, call):
    job = db.session.scalar(db.select(DocumentJob).where(DocumentJob.about("call", call.id)))
    assert job.state == "queued" and job.kind == "call_announcement"
    staff = client_of(app, world, "unit_x")
    url = f"/koordynacja/konkursy/{call.id}/dokumenty/zadania/{job.id}/stan"
    page = staff.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    assert "Dokumenty PDF konkursu" in page and f'data-job-poll="{url}"' in page and "w kolejce" in page
    assert staff.get(url).get_json()["state"] == "queued"

    job.state, job.started_at, job.attempts = "running", utcnow(), 1
    db.session.commit()
    assert staff.get(url).get_json()["message"] == "Trwa kompilacja dokumentu."

    job.state, job.finished_at, job.error = "failed", utcnow(), REASON
    db.session.commit()
    status = staff.get(url).get_json()
    assert (status["pending"], status["error"], status["download_url"]) == (False, REASON, None)
    page = staff.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    assert f"Kompilacja nie powiodła się: {REASON}" in page and "data-job-poll" not in page

    done = job_in("done", kind="call_results", subject_id=call.id)
    status = staff.get(f"/koordynacja/konkursy/{call.id}/dokumenty/zadania/{done.id}/stan").get_json()
    assert status["download_url"] == f"/konkursy/{call.id}/wyniki.pdf"
    assert status["download_label"] == "Pobierz wyniki konkursu w PDF"


def test_call_document_status_is_for_those_who_run_the_call(world, app, call):
    job = db.session.scalar(db.select(DocumentJob).where(DocumentJob.about("call", call.id)))
    url = f"/koordynacja/konkursy/{call.id}/dokumenty/zadania/{job.id}/stan"
    assert client_of(app, world, "coordinator").get(url).status_code == 200
    assert client_of(app, world, "unit_x").get(url).status_code == 200
    for role in ("unit_y", "ngo_a", "admin"):  # another unit's staff, an applicant, the admin
        assert client_of(app, world, role).get(url).status_code == 403, role
    assert client_of(app, world, "anon").get(url).status_code == 302
    # a job of another subject is not found through this call
    summary_job = job_in("queued", subject_id=world.meeting.id)
    coordinator = client_of(app, world, "coordinator")
    assert coordinator.get(f"/koordynacja/konkursy/{call.id}/dokumenty/zadania/{summary_job.id}/stan").status_code == 404
    other = make_call(world)
    assert coordinator.get(f"/koordynacja/konkursy/{other.id}/dokumenty/zadania/{job.id}/stan").status_code == 404


@pytest.mark.parametrize("locale, title, link", [
    ("en", "Call results (PDF)", "Download the call results as PDF"),
    ("uk", "Результати конкурсу (PDF)", "Завантажити результати конкурсу в PDF"),
])
def test_call_document_status_speaks_the_visitors_language(world, app, call, locale, title, link):
    done = job_in("done", kind="call_results", subject_id=call.id)
    staff = app.test_client()
    staff.post(f"/jezyk/{locale}", data={})
    login(staff, world.user("unit_x"))
    page = staff.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    assert title in page and link in page
    assert "Wyniki konkursu (PDF)" not in page and "Pobierz wyniki konkursu w PDF" not in page
    status = staff.get(f"/koordynacja/konkursy/{call.id}/dokumenty/zadania/{done.id}/stan").get_json()
    assert status["download_label"] == link


# --- a consultation report's compile: its sections counted while they render ---------------------------------


def test_a_report_job_shows_how_many_sections_are_ready(world, app):
    from consult.documents.operations import advance_progress, start_progress

    job = job_in("running", kind="programme_report", subject_id=world.programme.id)
    coordinator = client_of(app, world, "coordinator")
    url = f"/koordynacja/raporty/zadania/{job.id}/stan"
    assert coordinator.get(url).get_json()["message"] == "Trwa kompilacja dokumentu."  # before the plan is made

    start_progress(job.id, 3)
    advance_progress(job.id)
    advance_progress(job.id)
    status = coordinator.get(url).get_json()
    assert status["message"] == "Trwa kompilacja: gotowe części 2 z 3."
    assert status["progress"] == {"done": 2, "total": 3} and status["pending"] is True
    page = coordinator.get(f"/koordynacja/raporty/zadania/{job.id}").get_data(as_text=True)
    assert "Trwa kompilacja: gotowe części 2 z 3." in page and "data-job-poll=" in page

    # A section delivered twice (a worker killed before it acknowledged) does not count past the total.
    advance_progress(job.id)
    advance_progress(job.id)
    status = coordinator.get(url).get_json()
    assert status["progress"] == {"done": 3, "total": 3}
    assert status["message"] == "Wszystkie części są gotowe (3); trwa składanie dokumentu."

    english = client_of(app, world, "coordinator")
    english.get("/jezyk/en")
    assert english.get(url).get_json()["message"] == "All 3 parts are ready; the document is being assembled."
