"""The demo's grant calls: one in each stage, loaded through the operations with the clock moved, on the pages a
newcomer opens; and the clock that moves (consult.core.types.clock_at)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from consult.auth.models import User
from consult.calls.models import Call, CommissionMember, Decision, Offer, ScoreSheet
from consult.core.audit import trail
from consult.core.models import AuditEvent
from consult.core.types import clock_at, to_warsaw, utcnow
from consult.demo.seed import DEMO_PASSWORD, demo_accounts, seed_demo
from consult.documents.models import DocumentJob
from consult.extensions import db
from tests.conftest import login

MEMBER = "komisja@demo.consult.local"


def _calls() -> dict[str, Call]:
    return {c.state: c for c in db.session.scalars(db.select(Call))}


def _titles(calls) -> list[str]:
    return [c.title for c in calls]


def test_clock_at_moves_utcnow_and_the_timestamps_for_its_block_only():
    then = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with clock_at(then):
        inside = utcnow()
        event = AuditEvent(actor_id=None, subject_type="call", subject_id=1, action="announce", details={})
        db.session.add(event)
        db.session.flush()
        assert utcnow() >= inside  # the moved clock keeps ticking
    assert then <= inside < then + timedelta(seconds=5)
    assert then <= event.occurred_at < then + timedelta(seconds=5)  # a column default reads the moved clock too
    assert utcnow() - datetime.now(UTC) < timedelta(seconds=1)
    with pytest.raises(RuntimeError), clock_at(then):
        raise RuntimeError("a failed step")
    assert utcnow() - datetime.now(UTC) < timedelta(seconds=1)  # put back after a failure as well
    with pytest.raises(ValueError), clock_at(datetime(2026, 3, 1, 9, 0)):  # a naive instant: no time zone
        pass
    db.session.rollback()


def test_the_demo_has_a_call_in_each_stage_with_its_history_in_the_past(client):
    before = utcnow()
    assert seed_demo() is True
    calls = _calls()
    assert set(calls) == {"announced", "evaluation", "results_published"}
    open_call, evaluated, decided = calls["announced"], calls["evaluation"], calls["results_published"]

    # Open for offers: the deadline is more than 21 days away, and an NGO has a draft it can finish.
    assert open_call.offers_deadline - before > timedelta(days=21)
    assert open_call.offers_closed_reason() is None
    assert [(o.state, o.organisation.name) for o in open_call.offers] == [("draft", "Fundacja Zustricz")]

    # In evaluation: checked formally (every criterion recorded, one offer corrected, one rejected), and a
    # commission of three of whom the demo's member has offers left to score.
    states = sorted(o.state for o in evaluated.offers)
    assert states == ["formally_accepted"] * 3 + ["formally_rejected"]
    for offer in evaluated.offers:
        assert {c.criterion_id for c in offer.formal_checks} == {c.id for c in evaluated.formal_criteria}
    rejected = next(o for o in evaluated.offers if o.state == "formally_rejected")
    assert rejected.formal_reason and any(not c.met and c.note for c in rejected.formal_checks)
    corrected = [o for o in evaluated.offers if o.corrections]
    assert len(corrected) == 1 and corrected[0].state == "formally_accepted"
    assert corrected[0].corrections[0].finished_at is not None
    events = [(e.action, e.from_state) for e in trail("offer", corrected[0].id)]
    assert ("edit", "correction") in events and ("finish_correction", "correction") in events
    members = db.session.scalars(db.select(CommissionMember).where(CommissionMember.call_id == evaluated.id)).all()
    assert len(members) == 3 and MEMBER in {m.user.email for m in members}
    sheets = db.session.scalars(db.select(ScoreSheet).join(Offer).where(Offer.call_id == evaluated.id)).all()
    assert sum(s.state == "submitted" for s in sheets) >= 3
    own = {s.offer_id: s.state for s in sheets if s.member.user.email == MEMBER}
    assert sorted(own.values()) == ["draft", "submitted"]  # and the third offer is not started

    # Results published: grants within the funds, one offer refused, the results PDF asked for (made in process).
    decisions = db.session.scalars(db.select(Decision).where(Decision.call_id == decided.id)).all()
    granted = sum((d.amount for d in decisions if d.kind == "grant"), Decimal(0))
    assert sorted(d.kind for d in decisions) == ["grant", "grant", "refusal"]
    assert all(d.published for d in decisions) and granted <= decided.funds
    assert sorted(o.state for o in decided.offers) == ["granted", "granted", "not_granted"]
    jobs = db.session.scalars(db.select(DocumentJob).where(DocumentJob.about("call", decided.id),
                                                           DocumentJob.kind == "call_results")).all()
    assert len(jobs) == 1
    if not client.application.config.get("REDIS_URL"):
        assert jobs[0].state == "done" and jobs[0].version.published_at is not None

    # The history happened on its days: the results weeks ago, the announcement before the 21 days, each step
    # audited by the person who would take it, and nothing in the future.
    assert decided.results_published_at < before - timedelta(days=30)
    assert (decided.offers_deadline - decided.announced_at) > timedelta(days=21)
    announce = next(e for e in trail("call", evaluated.id) if e.action == "announce")
    assert abs(announce.occurred_at - evaluated.announced_at) < timedelta(seconds=5)
    assert announce.actor.email == "wpsrz@demo.consult.local"
    closing = next(e for e in trail("call", evaluated.id) if e.action == "close_for_offers")
    assert closing.actor_id is None and closing.occurred_at > evaluated.offers_deadline
    publish = next(e for e in trail("call", decided.id) if e.action == "publish_results")
    assert publish.actor.email == "koordynator@demo.consult.local"
    assert db.session.scalar(db.select(db.func.max(AuditEvent.occurred_at))) <= utcnow()
    # The log reads in the order things happened (the accounts before the calls they acted in); a PDF's compile
    # is left out: with REDIS_URL a worker records it whenever it gets to the job.
    times = db.session.scalars(db.select(AuditEvent.occurred_at).where(AuditEvent.action.notlike("compile%"))
                               .order_by(AuditEvent.id)).all()
    assert times == sorted(times)
    member = db.session.scalar(db.select(User).where(User.email == MEMBER))
    assert member.created_at < decided.announced_at

    # Everyone sees the three on the public list, and the published results.
    page = client.get("/konkursy").get_data(as_text=True)
    for call in calls.values():
        assert call.title in page
    results = client.get(f"/konkursy/{decided.id}/wyniki").get_data(as_text=True)
    for offer in decided.offers:
        assert offer.title in results and offer.organisation.name in results
    # The coordinator runs all three; the social policy unit its own two.
    login(client, "koordynator@demo.consult.local", DEMO_PASSWORD)
    page = client.get("/koordynacja/konkursy").get_data(as_text=True)
    assert all(call.title in page for call in calls.values())
    client.post("/wyloguj")
    login(client, "wpsrz@demo.consult.local", DEMO_PASSWORD)
    page = client.get("/koordynacja/konkursy").get_data(as_text=True)
    assert evaluated.title in page and decided.title in page and open_call.title not in page


def test_the_commission_member_signs_in_and_scores_an_offer_left_to_score(client):
    assert seed_demo() is True
    assert MEMBER in [email for _role, email, _name, _what in demo_accounts()]
    evaluated = _calls()["evaluation"]
    login(client, MEMBER, DEMO_PASSWORD)
    seats = client.get("/komisja").get_data(as_text=True)
    assert evaluated.title in seats
    page = client.get(f"/komisja/konkursy/{evaluated.id}").get_data(as_text=True)
    accepted = [o for o in evaluated.offers if o.state == "formally_accepted"]
    for offer in accepted:
        assert offer.reference in page
    member = db.session.scalar(db.select(User).where(User.email == MEMBER))
    scored = set(db.session.scalars(db.select(ScoreSheet.offer_id).join(CommissionMember)
                                    .where(CommissionMember.user_id == member.id,
                                           CommissionMember.call_id == evaluated.id)))
    left = next(o for o in accepted if o.id not in scored)
    # Declare no conflict of interest, then score every criterion of the card and submit.
    assert client.post(f"/oferty/{left.id}/oswiadczenie", data={"has_conflict": "no"}).status_code == 302
    points = {f"points-{c.id}": str(c.max_points // 2) for c in evaluated.scored_criteria}
    response = client.post(f"/oferty/{left.id}/ocena", data={**points, "action": "submit",
                                                              "comment": "Oferta spójna."})
    # "Złóż ocenę" saves the points and leads to the confirmation page, which says it cannot be undone.
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/oferty/{left.id}/ocena/zlozenie")
    assert "nie można" in client.get(response.headers["Location"]).get_data(as_text=True).lower()
    assert client.post(response.headers["Location"], data={}).status_code == 302
    db.session.expire_all()
    sheet = db.session.scalar(db.select(ScoreSheet).where(ScoreSheet.offer_id == left.id,
                                                          ScoreSheet.member.has(user_id=member.id)))
    assert sheet.state == "submitted" and sheet.submitted_at > utcnow() - timedelta(minutes=5)
    # The member's scoring is today's, after the demo's history.
    assert to_warsaw(sheet.submitted_at).date() == to_warsaw(utcnow()).date()


def test_the_demo_loads_once(app):
    def counts():
        return [db.session.scalar(db.select(db.func.count()).select_from(model))
                for model in (User, Call, Offer, ScoreSheet, AuditEvent, DocumentJob)]

    assert seed_demo() is True
    loaded = counts()
    assert loaded[1:3] == [3, 8]
    assert seed_demo() is False
    assert counts() == loaded
