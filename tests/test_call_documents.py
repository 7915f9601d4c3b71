"""The PDFs of a call: its announcement (every field of art. 13 ust. 2) and its results (applicant, task,
amount), compiled by a document job and published when compiled; their public download; `consult close-calls`.

On CI's second pass (REDIS_URL set) the session's real Celery worker compiles them (tests/summary_support.py).
"""
from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from consult.calls import operations as ops
from consult.calls.documents import current_call_document, request_call_document
from consult.calls.models import Call
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.runner import run_job
from consult.extensions import db
from tests.summary_support import (
    assert_in_order,
    page_texts,
    pdf_bytes,
    squeeze,
    wait_for_jobs,
)
from tests.test_calls import FULL, _to_evaluation, clock, deadline_at, make_call, people, score

pytestmark = pytest.mark.usefixtures("summary_worker")
__all__ = ["clock", "people"]

HOSTILE_TITLE = 'Świetlica <b>„Zażółć gęślą jaźń”</b> & <script>alert("x")</script>'


def documents(call_id: int, kind: str) -> list[DocumentVersion]:
    return db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("call", call_id),
                                                               DocumentVersion.kind == kind)).all()


def text_of(version: DocumentVersion) -> str:
    return "\n".join(page_texts(pdf_bytes(version)))


def assert_accessible(data: bytes, title: str) -> None:
    reader = PdfReader(BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "pl"
    assert reader.metadata.title == title
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 portrait
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        assert "DejaVu" in str(font["/BaseFont"])


def test_announcing_publishes_the_announcement_pdf_with_every_field_in_order(world, clock):
    call = make_call(world, award_rules="Dotacje do 80% kosztów <i>zadania</i>.",
                     criteria_notes="Oferty z oceną poniżej 60% punktów odpadają.")
    with transaction():
        ops.update_call(world.user("unit_x"), call, title=HOSTILE_TITLE)
    assert documents(call.id, "call_announcement") == []
    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    wait_for_jobs()
    [version] = documents(call.id, "call_announcement")
    assert version.published and version.job.state == "done"
    assert version.filename == f"ogloszenie-konkursu-{call.id}-wersja-1.pdf"
    data = pdf_bytes(version)
    assert_accessible(data, f"Ogłoszenie otwartego konkursu ofert – {HOSTILE_TITLE}")
    text = text_of(version)
    criterion = call.top_criteria[0].title
    assert_in_order(text, [
        f"Ogłoszenie otwartego konkursu ofert: {HOSTILE_TITLE}",
        call.reference, "Program Współpracy na rok 2027", "1 marca 2027 r.",
        "Wydział Polityki Społecznej, Równości i Zdrowia",
        "1. Rodzaj zadania publicznego", "Wspieranie rodziny i systemu pieczy zastępczej",
        "Sfera pożytku publicznego:", "wspieranie rodziny",
        "2. Wysokość środków", "100 000,00 zł",
        "3. Zasady przyznawania dotacji", "Dotacje do 80% kosztów <i>zadania</i>.",
        "4. Terminy i warunki realizacji zadania", "od 1 maja 2027 r. do 31 grudnia 2027 r.",
        "Zadanie realizowane na terenie Krakowa.",
        "5. Termin składania ofert", "31 marca 2027 r., godz. 15:30 (czasu warszawskiego)",
        "6. Tryb i kryteria", "Komisja konkursowa ocenia oferty.", criterion, "Razem",
        "Oferty z oceną poniżej 60% punktów odpadają.", "Termin dokonania wyboru ofert:", "20 kwietnia 2027 r.",
        "7. Zadania tego samego rodzaju", "2026", "Placówki wsparcia dziennego", "250 000,00 zł",
    ])
    assert "&lt;" not in text and "&amp;" not in text  # escaped once, shown as the characters typed


def test_the_results_pdf_lists_applicant_task_and_amount_without_names_or_reasons(world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    score(world.user("unit_x"), offer_a, FULL)
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="5 500,50")
        ops.record_decision(coordinator, offer_b, kind="refusal", reason="Niska ocena merytoryczna zadania.")
    assert documents(call.id, "call_results") == []
    with transaction():
        ops.publish_results(coordinator, call)
    wait_for_jobs()
    [version] = documents(call.id, "call_results")
    assert version.published
    data = pdf_bytes(version)
    assert_accessible(data, f"Wyniki otwartego konkursu ofert – {call.title}")
    text = text_of(version)
    assert_in_order(text, [
        f"Wyniki otwartego konkursu ofert: {call.title}", call.reference, "5 500,50 zł",
        "Oferty, którym przyznano dotację", "Oferent", "Zadanie", "Kwota dotacji",
        "Fundacja Zustricz", "Świetlica dla dzieci", offer_a.reference, "5 500,50 zł",
        "Oferty, którym nie przyznano dotacji", "Fundacja Start Tango", "Świetlica dla dzieci", offer_b.reference,
    ])
    flat = squeeze(text)
    for private in ("Niska ocena", "Anna Nowak", "anna@example.org", "Ngo A", "Ngo B", "Unit X", "Coordinator"):
        assert squeeze(private) not in flat, private


def test_the_public_pdfs_are_404_until_published_and_the_pages_link_them(world, clock, people, client):
    draft = make_call(world)
    assert client.get(f"/konkursy/{draft.id}/ogloszenie.pdf").status_code == 404
    assert client.get(f"/konkursy/{draft.id}/wyniki.pdf").status_code == 404
    assert client.get("/konkursy/999999/ogloszenie.pdf").status_code == 404

    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    wait_for_jobs()
    response = client.get(f"/konkursy/{call.id}/ogloszenie.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == pdf_bytes(current_call_document(call.id, "call_announcement"))
    page = client.get(f"/konkursy/{call.id}").get_data(as_text=True)
    assert f'href="/konkursy/{call.id}/ogloszenie.pdf"' in page
    # decided but not published: no results PDF, not even a compiled one
    coordinator = world.user("coordinator")
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="5000")
        ops.record_decision(coordinator, offer_b, kind="grant", amount="1000")
    with transaction():
        assert request_call_document(SYSTEM, call, "call_results") is None
    assert client.get(f"/konkursy/{call.id}/wyniki.pdf").status_code == 404
    assert "wyniki.pdf" not in client.get(f"/konkursy/{call.id}/wyniki").get_data(as_text=True)
    with transaction():
        ops.publish_results(coordinator, call)
    wait_for_jobs()
    response = client.get(f"/konkursy/{call.id}/wyniki.pdf")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert f'href="/konkursy/{call.id}/wyniki.pdf"' in client.get(f"/konkursy/{call.id}/wyniki").get_data(as_text=True)


def test_a_call_document_is_asked_for_and_compiled_once(world, clock, app):
    call = make_call(world)
    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    wait_for_jobs()
    from consult.calls import jobs

    jobs.enqueue_announcement_document(call.id)  # the hook again, as a redelivered task would
    with transaction():
        assert request_call_document(SYSTEM, call, "call_announcement") is None
    wait_for_jobs()
    [job] = db.session.scalars(db.select(DocumentJob).where(DocumentJob.about("call", call.id))).all()
    assert run_job(job.id, app) is None  # done already: nothing happens
    assert len(documents(call.id, "call_announcement")) == 1


def test_the_summary_routes_know_nothing_of_a_calls_pdfs(world, clock, app):
    from consult.core.errors import Refused
    from consult.summaries.documents import publish_version
    from tests.conftest import login

    call = make_call(world)
    with transaction():
        ops.announce_call(world.user("unit_x"), call)
    wait_for_jobs()
    version = current_call_document(call.id, "call_announcement")
    coordinator = login(app.test_client(), world.user("coordinator"))
    for url in (f"/koordynacja/podsumowania/zadania/{version.job_id}",
                f"/koordynacja/podsumowania/zadania/{version.job_id}/stan",
                f"/koordynacja/podsumowania/wersje/{version.id}/pdf", f"/podsumowania/{version.id}.pdf"):
        assert coordinator.get(url).status_code == 404, url
    assert coordinator.post(f"/koordynacja/podsumowania/wersje/{version.id}/publikacja").status_code == 404
    with pytest.raises(Refused), transaction():
        publish_version(SYSTEM, version)


def test_a_call_document_and_a_meeting_summary_never_share_a_subject(world):
    from consult.core.operations import Refused

    call = make_call(world)
    with pytest.raises(Refused), transaction():  # a call's document about a meeting
        db.session.add(DocumentJob(kind="call_announcement", subject_type="meeting", subject_id=world.meeting.id))
    with pytest.raises(Refused), transaction():  # a meeting's summary about a call
        db.session.add(DocumentJob(kind="meeting_summary", subject_type="call", subject_id=call.id))
    with pytest.raises(Refused), transaction():  # about nothing
        db.session.add(DocumentJob(kind="call_announcement"))
    job = DocumentJob(kind="call_announcement", subject_id=call.id)  # the type is the kind's
    db.session.add(job)
    db.session.commit()
    assert (job.subject_type, job.subject_id) == ("call", call.id)
    # No worker was asked to run it: left queued, the next test's setup would wait for it (tests/conftest.py).
    db.session.delete(job)
    db.session.commit()


# --- consult close-calls ----------------------------------------------------------------------------------


def test_close_calls_closes_only_calls_whose_deadline_has_passed(world, clock, app):
    due = make_call(world, deadline=deadline_at(25, 12, 0))
    later = make_call(world, deadline=deadline_at(25, 12, 0, 1))
    for call in (due, later):
        with transaction():
            ops.announce_call(world.user("unit_x"), call)
    runner = app.test_cli_runner()

    clock.now = due.offers_deadline.replace(second=59, minute=59, hour=due.offers_deadline.hour - 1)
    result = runner.invoke(args=["close-calls"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "Zamknięte konkursy: 0"

    clock.now = due.offers_deadline  # the deadline instant: late; the other call's is 1 s in the future
    result = runner.invoke(args=["close-calls"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "Zamknięte konkursy: 1"
    assert due.reference in lines[0]
    db.session.expire_all()
    assert db.session.get(Call, due.id).state == "closed"
    assert db.session.get(Call, later.id).state == "announced"

    result = runner.invoke(args=["close-calls"])  # nothing left to do
    assert result.output.strip().splitlines()[-1] == "Zamknięte konkursy: 0"
