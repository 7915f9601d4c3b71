"""Through the web: a coordinator imports a summary as JSON, compiles it, follows the job, publishes a
version; the public reads published summaries only; a failed compile leaves the published one public."""
from __future__ import annotations

import json
from io import BytesIO

import pytest

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.operations import claim_job, complete_job, fail_job
from consult.documents.runner import run_job
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.summaries import queries
from consult.summaries.documents import request_compile
from tests.conftest import login
from tests.summary_support import (
    fixture_data,
    import_data,
    page_texts,
    pdf_bytes,
    wait_for_jobs,
)

pytestmark = pytest.mark.usefixtures("summary_worker")


def _data():
    """The fixture under a programme year the test world does not have."""
    data = fixture_data()
    data["programme"] = {"year": 2030, "title": "Program Współpracy na rok 2030"}
    return data


def _upload(client, data):
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    return client.post("/koordynacja/podsumowania/import", data={"file": (BytesIO(raw), "spotkanie.json")},
                       content_type="multipart/form-data")


def _versions(meeting_id):
    db.session.expire_all()
    return db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("meeting", meeting_id))
                              .order_by(DocumentVersion.number)).all()


def test_coordinator_imports_compiles_publishes_and_the_public_reads_it(world, client, app):
    login(client, world.user("coordinator"))
    response = _upload(client, _data())
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.title == _data()["meeting"]["title"]))
    assert response.headers["Location"].endswith(f"/koordynacja/spotkania/{meeting.id}/podsumowanie")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "jeszcze nie opublikowano" in page
    exported = client.get(f"/koordynacja/spotkania/{meeting.id}/podsumowanie.json")
    assert exported.mimetype == "application/json" and json.loads(exported.data) == _data()

    response = client.post(f"/koordynacja/spotkania/{meeting.id}/podsumowanie/kompilacja", data={"preview": "0"})
    wait_for_jobs()
    assert response.status_code == 302 and "/koordynacja/podsumowania/zadania/" in response.headers["Location"]
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "gotowe" in job_page and "data-job-poll" not in job_page  # done: nothing left to follow
    assert job_page.count("<script") == 1  # only app.js: the CSP allows no inline script
    job = db.session.scalar(db.select(DocumentJob).where(DocumentJob.about("meeting", meeting.id)))
    state = client.get(f"/koordynacja/podsumowania/zadania/{job.id}/stan").get_json()
    [v1] = _versions(meeting.id)
    assert state == {"id": job.id, "kind": "meeting_summary", "state": "done", "label": "gotowe",
                     "message": "Dokument jest gotowy.", "error": None, "pending": False, "version": 1,
                     "download_url": f"/koordynacja/podsumowania/wersje/{v1.id}/pdf",
                     "download_label": "Pobierz PDF wersji 1", "progress": None}  # a summary has no steps to count
    assert (v1.number, v1.preview, v1.published) == (1, False, False)
    assert len(v1.sha256) == 64 and v1.size > 10000 and v1.pages >= 2 and v1.created_by_id == world.user(
        "coordinator").id
    private = client.get(f"/koordynacja/podsumowania/wersje/{v1.id}/pdf")
    assert private.status_code == 200 and private.mimetype == "application/pdf" and private.data[:5] == b"%PDF-"

    anon = app.test_client()
    programme_page = f"/programy/{meeting.programme_id}/podsumowania"
    assert "Podsumowanie nie zostało jeszcze opublikowane." in anon.get(programme_page).get_data(as_text=True)
    assert anon.get(f"/podsumowania/{v1.id}.pdf").status_code == 404

    assert client.post(f"/koordynacja/podsumowania/wersje/{v1.id}/publikacja").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).state == "summary_published"
    public = anon.get(programme_page).get_data(as_text=True)
    assert f"/podsumowania/{v1.id}.pdf" in public and "aktualna" in public
    assert world.user("coordinator").name not in public  # no personal data of users on public pages
    got = anon.get(f"/podsumowania/{v1.id}.pdf")
    assert got.status_code == 200 and got.data == pdf_bytes(v1)

    # A second version published later becomes the current one; the first stays downloadable.
    client.post(f"/koordynacja/spotkania/{meeting.id}/podsumowanie/kompilacja", data={"preview": "0"})
    wait_for_jobs()
    v1, v2 = _versions(meeting.id)
    assert client.post(f"/koordynacja/podsumowania/wersje/{v2.id}/publikacja").status_code == 302
    assert queries.current_published(meeting.id).id == v2.id
    public = anon.get(programme_page).get_data(as_text=True)
    assert public.index(f"/podsumowania/{v2.id}.pdf") < public.index(f"/podsumowania/{v1.id}.pdf")
    assert "wcześniejsza" in public
    assert anon.get(f"/podsumowania/{v1.id}.pdf").status_code == 200
    # Publishing the same version twice is refused.
    client.post(f"/koordynacja/podsumowania/wersje/{v2.id}/publikacja")
    assert "już opublikowana" in client.get(f"/koordynacja/spotkania/{meeting.id}/podsumowanie").get_data(
        as_text=True)


def test_upload_refuses_an_invalid_file_naming_the_field_and_writes_nothing(world, client):
    login(client, world.user("coordinator"))
    before = db.session.scalar(db.select(db.func.count(Meeting.id)))
    data = _data()
    data["meeting"]["date"] = "2025-02-30"
    data["postulates"][2]["positions"][0]["category"] = "maybe"
    response = _upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Błąd: " in page and "Wystąpił problem" in page
    assert "meeting.date" in page and "postulates[2].positions[0].category" in page
    assert 'href="#file"' in page
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == before

    page = _upload(client, b"{\"schema\": ").get_data(as_text=True)
    assert "Plik nie jest poprawnym JSON-em" in page

    page = client.post("/koordynacja/podsumowania/import", data={}).get_data(as_text=True)
    assert "Wybierz plik JSON z podsumowaniem spotkania." in page

    assert _upload(client, _data()).status_code == 302
    again = _upload(client, _data())
    assert again.status_code == 200 and "już jest w systemie" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == before + 1


def test_a_preview_cannot_be_published_and_a_planned_meeting_gets_only_previews(world, client):
    login(client, world.user("coordinator"))
    planned = world.meeting.id
    client.post(f"/koordynacja/spotkania/{planned}/podsumowanie/kompilacja", data={"preview": "0"})
    page = client.get(f"/koordynacja/spotkania/{planned}/podsumowanie").get_data(as_text=True)
    assert "Spotkanie jeszcze się nie odbyło" in page
    assert _versions(planned) == []
    client.post(f"/koordynacja/spotkania/{planned}/podsumowanie/kompilacja", data={"preview": "1"})
    wait_for_jobs()
    [preview] = _versions(planned)
    assert preview.preview
    client.post(f"/koordynacja/podsumowania/wersje/{preview.id}/publikacja")
    db.session.expire_all()
    assert not db.session.get(DocumentVersion, preview.id).published
    assert db.session.get(Meeting, planned).state == "planned"
    assert client.get(f"/podsumowania/{preview.id}.pdf").status_code == 404


def test_a_failed_compile_says_why_and_leaves_the_published_version_public(world, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # the broken renderer below is patched in this process
    login(client, world.user("coordinator"))
    meeting_id = import_data(_data())
    client.post(f"/koordynacja/spotkania/{meeting_id}/podsumowanie/kompilacja", data={"preview": "0"})
    [v1] = _versions(meeting_id)
    client.post(f"/koordynacja/podsumowania/wersje/{v1.id}/publikacja")

    def broken(*args, **kwargs):
        raise RuntimeError("brak czcionki z polskimi znakami")

    monkeypatch.setattr("consult.summaries.document.render_pdf", broken)
    response = client.post(f"/koordynacja/spotkania/{meeting_id}/podsumowanie/kompilacja", data={"preview": "0"})
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "nie powiodło się" in job_page and "brak czcionki z polskimi znakami" in job_page
    db.session.expire_all()
    job = db.session.scalars(db.select(DocumentJob).order_by(DocumentJob.id.desc())).first()
    assert job.state == "failed" and "RuntimeError" in job.error and job.finished_at is not None
    assert [v.number for v in _versions(meeting_id)] == [1]
    assert queries.current_published(meeting_id).id == v1.id
    assert client.get(f"/podsumowania/{v1.id}.pdf").status_code == 200
    assert db.session.get(Meeting, meeting_id).state == "summary_published"


def test_a_pending_job_page_follows_the_job_and_a_second_compile_is_that_job(world, client, monkeypatch):
    monkeypatch.setattr("consult.documents.dispatch.enqueue", lambda job_id, app: None)  # no worker runs it
    login(client, world.user("coordinator"))
    response = client.post(f"/koordynacja/spotkania/{world.meeting.id}/podsumowanie/kompilacja",
                           data={"preview": "1"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "w kolejce" in page and "data-job-poll=" in page and 'role="status"' in page
    # Asked again (another form, another tab) while it waits: the same compile, so its page, not a second job.
    again = client.post(f"/koordynacja/spotkania/{world.meeting.id}/podsumowanie/kompilacja", data={"preview": "1"})
    assert again.headers["Location"] == response.headers["Location"]
    follow = client.get(again.headers["Location"]).get_data(as_text=True)
    job_id = db.session.scalar(db.select(DocumentJob.id))
    assert f"Ta kompilacja została już zlecona (zadanie nr {job_id}) – oto jej stan." in follow
    assert db.session.scalar(db.select(db.func.count(DocumentJob.id))) == 1
    # The preview in English is another document: it is queued beside the Polish one.
    english = client.post(f"/koordynacja/spotkania/{world.meeting.id}/podsumowanie/kompilacja",
                          data={"preview": "1", "language": "en"})
    assert english.headers["Location"] != response.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(DocumentJob.id))) == 2
    # No worker will ever take these jobs: end them, so that the next test does not wait for them.
    for pending in db.session.scalars(db.select(DocumentJob.id)).all():
        fail_job(pending, "test: nikt nie uruchomił zadania")


def test_the_job_runs_twice_or_after_a_crash_and_makes_one_version(app, monkeypatch):
    monkeypatch.setattr("consult.documents.dispatch.enqueue", lambda job_id, app: None)
    meeting_id = import_data(fixture_data())
    with transaction():
        job_id = request_compile(SYSTEM, db.session.get(Meeting, meeting_id)).id
    # A worker claimed the job and died before finishing it: the job is left running.
    assert claim_job(job_id).state == "running"
    version_id = run_job(job_id, app)
    assert version_id is not None
    assert run_job(job_id, app) is None  # done already: nothing happens
    assert complete_job(job_id, storage_key="x", sha256="0" * 64, size=1, pages=1, source_digest="0") is None
    db.session.expire_all()
    job = db.session.get(DocumentJob, job_id)
    assert (job.state, job.attempts) == ("done", 2)
    [version] = _versions(meeting_id)
    assert version.id == version_id and version.job_id == job_id
    assert "17 czerwca 2025" in "".join(page_texts(pdf_bytes(version)))


@pytest.mark.parametrize("role", ["anon", "ngo_a", "unit_x"])
def test_public_summary_page_shows_no_drafts_of_anyone(world, app, role):
    client = app.test_client()
    if role != "anon":
        login(client, world.user(role))
    page = client.get(f"/programy/{world.programme.id}/podsumowania").get_data(as_text=True)
    assert world.meeting.title in page and "Podsumowanie nie zostało jeszcze opublikowane." in page


def test_a_version_compiled_before_the_data_changed_is_marked_out_of_date(world, client):
    from consult.organisations.operations import organisation_named
    from consult.postulates.operations import record_meeting_postulate

    login(client, world.user("coordinator"))
    meeting_id = import_data(_data())
    client.post(f"/koordynacja/spotkania/{meeting_id}/podsumowanie/kompilacja", data={"preview": "0"})
    wait_for_jobs()
    page = f"/koordynacja/spotkania/{meeting_id}/podsumowanie"
    assert "nieaktualna" not in client.get(page).get_data(as_text=True)
    with transaction():
        record_meeting_postulate(SYSTEM, db.session.get(Meeting, meeting_id), content="Dopisany później.",
                                 organisation=organisation_named(SYSTEM, "Fundacja Zustricz"))
    assert "dane spotkania zmieniły się po kompilacji" in client.get(page).get_data(as_text=True)
