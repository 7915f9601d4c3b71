"""A whole call from draft to published results: drafted and announced, offers filed, closed for offers by
`consult close-calls`, formally checked, scored by the commission, decided, results published; the public
reads the announcement and the results with their PDFs and each applicant's members find their notice.

On CI's second pass (DATABASE_URL = PostgreSQL, REDIS_URL set) the PDFs are compiled by the real Celery
worker the session fixture of tests/summary_support.py starts; without REDIS_URL they are compiled in
process after the commit that asked for them.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.calls import operations as ops
from consult.calls.models import Call
from consult.core.operations import transaction
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from consult.notifications.models import Notification
from tests.conftest import login
from tests.summary_support import assert_in_order, page_texts, wait_for_jobs
from tests.test_calls import FULL, accept_formally, clock, make_call, people, score, submitted_offer

pytestmark = pytest.mark.usefixtures("summary_worker")
__all__ = ["clock", "people"]


def test_a_call_from_draft_to_published_results(world, clock, people, app, summary_worker):
    staff, coordinator = world.user("unit_x"), world.user("coordinator")
    public = app.test_client()

    # drafted: not public, no PDF
    call = make_call(world)
    assert public.get(f"/konkursy/{call.id}").status_code == 302  # a draft: sign in (and then 403)
    assert public.get(f"/konkursy/{call.id}/ogloszenie.pdf").status_code == 404

    # announced through the web by the unit that runs it
    runner_web = login(app.test_client(), staff)
    response = runner_web.post(f"/koordynacja/konkursy/{call.id}/ogloszenie", data={})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Call, call.id).state == "announced"
    wait_for_jobs()
    page = public.get(f"/konkursy/{call.id}").get_data(as_text=True)
    assert call.title in page and f"/konkursy/{call.id}/ogloszenie.pdf" in page
    pdf = public.get(f"/konkursy/{call.id}/ogloszenie.pdf")
    assert pdf.status_code == 200
    assert_in_order("\n".join(page_texts(pdf.data)), [call.title, "100 000,00 zł", "31 marca 2027 r., godz. 15:30"])

    # the commission, and offers of both NGOs
    with transaction():
        ops.appoint_member(coordinator, call, staff, kind="staff")
        ops.appoint_member(coordinator, call, people["staff_x2"], kind="staff")
        ops.appoint_member(coordinator, call, people["nominee_c"], kind="nominee")
    offer_a = submitted_offer(world.user("ngo_a"), call)
    offer_b = submitted_offer(world.user("ngo_b"), call)

    # closed for offers by the command a timer runs: not a second early
    cli = app.test_cli_runner()
    clock.now = call.offers_deadline - timedelta(seconds=1)
    assert cli.invoke(args=["close-calls"]).output.splitlines()[-1] == "Zamknięte konkursy: 0"
    clock.now = call.offers_deadline
    result = cli.invoke(args=["close-calls"])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "Zamknięte konkursy: 1", result.output
    db.session.expire_all()
    call = db.session.get(Call, call.id)
    assert call.state == "closed"

    # formal check, evaluation, decisions
    with transaction():
        accept_formally(staff, offer_a)
        accept_formally(staff, offer_b)
        ops.start_evaluation(staff, call)
    for member in (staff, people["staff_x2"], people["nominee_c"]):
        score(member, offer_a, FULL)
        score(member, offer_b, ["5", "5", "2", "1", "1", "2", "2", "2"])
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="6000")
        ops.record_decision(coordinator, offer_b, kind="refusal", reason="Niska ocena merytoryczna.")
    results_notices = db.select(db.func.count(Notification.id)).where(Notification.kind == "call_results")
    assert db.session.scalar(results_notices) == 0
    assert public.get(f"/konkursy/{call.id}/wyniki.pdf").status_code == 404

    # results published through the web by the coordinator
    coordinator_web = login(app.test_client(), coordinator)
    response = coordinator_web.post(f"/koordynacja/konkursy/{call.id}/czynnosc/wyniki", data={})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    wait_for_jobs()
    db.session.expire_all()
    assert db.session.get(Call, call.id).state == "results_published"
    jobs = db.session.scalars(db.select(DocumentJob).where(DocumentJob.about("call", call.id))
                              .order_by(DocumentJob.id)).all()
    assert [(j.kind, j.state) for j in jobs] == [("call_announcement", "done"), ("call_results", "done")]
    versions = db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("call", call.id))).all()
    assert sorted(v.kind for v in versions) == ["call_announcement", "call_results"]
    assert all(v.published for v in versions)

    results = public.get(f"/konkursy/{call.id}/wyniki").get_data(as_text=True)
    assert "Fundacja Zustricz" in results and f"/konkursy/{call.id}/wyniki.pdf" in results
    pdf = public.get(f"/konkursy/{call.id}/wyniki.pdf")
    assert pdf.status_code == 200
    text = "\n".join(page_texts(pdf.data))
    assert_in_order(text, ["Fundacja Zustricz", "Świetlica dla dzieci", offer_a.reference, "6 000,00 zł",
                           "Fundacja Start Tango", offer_b.reference])
    assert "Niska ocena" not in text

    # each member of each applicant organisation has one notice, and reads it
    notices = db.session.scalars(db.select(Notification).where(Notification.kind == "call_results")
                                 .order_by(Notification.id)).all()
    recipients = sorted(n.recipient_id for n in notices)
    assert recipients == sorted([world.user("ngo_a").id, people["nominee_a"].id, world.user("ngo_b").id])
    page = login(app.test_client(), world.user("ngo_a")).get("/powiadomienia").get_data(as_text=True)
    assert f"Twoja oferta {offer_a.reference} otrzymała dotację w kwocie 6 000,00 zł." in page
    assert offer_b.reference not in page
    page = login(app.test_client(), world.user("ngo_b")).get("/powiadomienia").get_data(as_text=True)
    assert f"Twoja oferta {offer_b.reference} nie otrzymała dotacji." in page and offer_a.reference not in page

    if summary_worker is not None:  # the PDFs were compiled by the worker, not here
        log = summary_worker.tail()
        assert "consult.compile_document" in log
