"""Two small grants for one organisation decided at once cannot together pass its yearly limit (art. 19a ust. 2):
the decision locks the year's planned grants and the organisation before it reads what was granted. Real
transactions on their own connections (the harness of tests/test_concurrency.py), on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

from consult.auth.models import User
from consult.core.errors import Refused
from consult.core.operations import in_transaction, transaction
from consult.core.types import clock_at, today_in_warsaw
from consult.extensions import db
from consult.smallgrants import operations as ops
from consult.smallgrants.models import SmallGrantOffer
from tests.smallgrant_support import at, enter_law, file_offer
from tests.test_concurrency import HOLD, _run_together

ROUNDS = 5


def _hold_after_reading(monkeypatch):
    state = {"barrier": threading.Barrier(2)}
    real = ops._granted_in_year

    def held(*args, **kwargs):
        value = real(*args, **kwargs)
        try:
            state["barrier"].wait(timeout=HOLD)
        except threading.BrokenBarrierError:
            pass
        return value

    monkeypatch.setattr(ops, "_granted_in_year", held)

    def rearm():
        state["barrier"] = threading.Barrier(2)

    return rearm


def _grant_job(user_id: int, offer_id: int, amount: str):
    def job():
        user = db.session.get(User, user_id)
        offer = db.session.get(SmallGrantOffer, offer_id)
        try:
            with transaction():
                ops.decide_small_grant(user, offer, grant=True, amount=amount)
        except Refused as exc:
            return exc
        return "granted"

    return job


def _two_offers_fitting_one_at_a_time(world):
    """NGO A was granted 5 000 zł this year; two more offers of 9 000 zł each fit the 20 000 zł one at a time."""
    enter_law(world)
    unit = world.user("unit_x")
    with clock_at(at(today_in_warsaw() - timedelta(days=10))):
        offers = [file_offer(world, amount=a) for a in ("5000,00", "9000,00", "9000,00")]
        for offer in offers:
            in_transaction(ops.judge_purpose, unit, offer, purposeful=True)
    in_transaction(ops.decide_small_grant, unit, offers[0], grant=True, amount="5000,00")
    ids = unit.id, offers[1].id, offers[2].id
    db.session.remove()
    return ids


def _granted_total() -> Decimal:
    db.session.rollback()
    return Decimal(db.session.scalar(db.select(db.func.sum(SmallGrantOffer.granted_amount))) or 0)


def _undo(offer_ids) -> None:
    for offer_id in offer_ids:
        offer = db.session.get(SmallGrantOffer, offer_id)
        offer.state, offer.granted_amount, offer.decision_year, offer.decided_at = "open_for_comments", None, None, None
    db.session.commit()


def test_two_grants_that_fit_only_one_at_a_time_never_both_pass(app, world, monkeypatch):
    unit_id, offer_a, offer_b = _two_offers_fitting_one_at_a_time(world)
    rearm = _hold_after_reading(monkeypatch)
    for round_number in range(ROUNDS):
        rearm()
        results = _run_together(app, [_grant_job(unit_id, offer_a, "9000,00"), _grant_job(unit_id, offer_b, "9000,00")])
        granted = [r for r in results if r == "granted"]
        refused = [r for r in results if isinstance(r, Refused)]
        assert len(granted) == 1 and len(refused) == 1, f"round {round_number}: {results!r}"
        assert "art. 19a ust. 2" in refused[0].reason and "23 000,00 zł" in refused[0].reason
        assert _granted_total() == Decimal("14000.00")
        _undo((offer_a, offer_b))


def test_without_the_lock_both_grants_pass(app, world, monkeypatch):
    """The harness has teeth: without the locks both read 5 000 zł granted and both grants are written."""
    unit_id, offer_a, offer_b = _two_offers_fitting_one_at_a_time(world)
    monkeypatch.setattr(ops, "lock_for_update", lambda model, ident: db.session.get(model, ident))
    _hold_after_reading(monkeypatch)
    results = _run_together(app, [_grant_job(unit_id, offer_a, "9000,00"), _grant_job(unit_id, offer_b, "9000,00")])
    assert results == ["granted", "granted"]
    assert _granted_total() == Decimal("23000.00")
