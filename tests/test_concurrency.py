"""Money and limits under concurrency: real transactions running at once, each on its own connection.

What is checked by reading and then writing, and so is serialised with consult.core.locks.lock_for_update:
a call's granted total against its funds (decisions, publishing results), one declaration per member and
offer, a postulate's number within its meeting, one position per unit on a postulate, and a report saved
while its reporting round closes.

Each test runs its transactions in threads, each thread in its own application context (so its own session
and database connection), as two gunicorn workers or two threads of `flask run` would. A barrier makes them
start together, and a second barrier placed right after the limit is read ("the grants so far") holds the
first transaction there until the second has read too, or until a short timeout when the second cannot get
so far because it waits for the first's lock. Without the lock, both read the same total and both write:
`test_without_the_lock_both_grants_pass` shows that this harness catches exactly that.

On PostgreSQL the lock is `SELECT ... FOR NO KEY UPDATE` on the call's row; on SQLite (a file database, as the
embedded default) it is the database's write lock, taken by the first statement of the transaction: the same
tests run on both.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from consult.auth.models import User
from consult.calls import operations as ops
from consult.calls.models import Call, CommissionMember, ConflictDeclaration, Decision, Offer
from consult.calls.operations import decision as deciding  # where a decision reads the funds granted so far
from consult.core.audit import trail
from consult.core.errors import Refused
from consult.core.operations import transaction
from consult.extensions import db
from tests.test_calls import _to_evaluation, clock, people

__all__ = ["clock", "people"]  # fixtures

ROUNDS = 20
HOLD = 0.4  # seconds the first transaction waits, after reading, for the second to read too


def _run_together(app, jobs: list) -> list:
    """Run each job (a function of no arguments, called in its own app context) in its own thread, all
    released at once; return what each returned, or the exception it raised."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        with app.app_context():
            try:
                start.wait(timeout=10)
                results[i] = job()
            except Exception as exc:
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a transaction never finished"
    return results


def _hold_after_reading(monkeypatch, name: str, module=deciding):
    """Make `<module>.<name>` (a read of a limit; the module of decisions unless told) wait, after reading, until the
    other transaction has read too or HOLD seconds passed: the interleaving that breaks a check-then-write made
    without a lock. Returns a function that re-arms the barrier for the next round."""
    state = {"barrier": threading.Barrier(2)}
    real = getattr(module, name)

    def held(*args, **kwargs):
        value = real(*args, **kwargs)
        try:
            state["barrier"].wait(timeout=HOLD)
        except threading.BrokenBarrierError:
            pass  # the other one is waiting for our lock (or already finished): go on
        return value

    monkeypatch.setattr(module, name, held)

    def rearm():
        state["barrier"] = threading.Barrier(2)

    return rearm


def _grant_job(coordinator_id: int, offer_id: int, amount: str):
    def job():
        coordinator = db.session.get(User, coordinator_id)
        offer = db.session.get(Offer, offer_id)
        try:
            with transaction():
                ops.record_decision(coordinator, offer, kind="grant", amount=amount)
        except Refused as exc:
            return exc
        return "granted"

    return job


def _two_offers_fitting_one_at_a_time(world, clock, people):
    """A call under evaluation with 10 000 zł of funds and two formally accepted offers of 6 000 zł each."""
    call, (offer_a, offer_b), _members = _to_evaluation(world, clock, people)
    call.funds = Decimal("10000.00")
    db.session.commit()
    ids = world.user("coordinator").id, call.id, offer_a.id, offer_b.id
    db.session.remove()  # the main thread holds no connection while the threads run
    return ids


def _granted(call_id: int) -> Decimal:
    db.session.rollback()
    amounts = db.session.scalars(
        db.select(Decision.amount).where(Decision.call_id == call_id, Decision.kind == "grant")
    ).all()
    return sum((Decimal(a) for a in amounts), Decimal("0.00"))


def test_two_grants_that_fit_only_one_at_a_time_never_both_pass(app, world, clock, people, monkeypatch):
    coordinator_id, call_id, offer_a, offer_b = _two_offers_fitting_one_at_a_time(world, clock, people)
    rearm = _hold_after_reading(monkeypatch, "_granted_in_call")
    for round_number in range(ROUNDS):
        rearm()
        results = _run_together(
            app, [_grant_job(coordinator_id, offer_a, "6000"), _grant_job(coordinator_id, offer_b, "6000")]
        )
        granted = [r for r in results if r == "granted"]
        refused = [r for r in results if isinstance(r, Refused)]
        assert len(granted) == 1 and len(refused) == 1, f"round {round_number}: {results!r}"
        # the one refused is told why, with what is left
        assert "przekroczyłaby środki konkursu (10 000,00 zł)" in refused[0].reason
        assert "zostało 4 000,00 zł" in refused[0].reason
        assert _granted(call_id) == Decimal("6000.00")
        db.session.execute(db.delete(Decision).where(Decision.call_id == call_id))
        db.session.commit()


def test_without_the_lock_both_grants_pass(app, world, clock, people, monkeypatch):
    """The harness has teeth: with the lock taken away (a plain read of the call), both transactions read the
    same total and both grants are written, 12 000 zł of a 10 000 zł call."""
    coordinator_id, call_id, offer_a, offer_b = _two_offers_fitting_one_at_a_time(world, clock, people)
    monkeypatch.setattr(deciding, "lock_for_update", lambda model, ident: db.session.get(model, ident))
    _hold_after_reading(monkeypatch, "_granted_in_call")
    results = _run_together(
        app, [_grant_job(coordinator_id, offer_a, "6000"), _grant_job(coordinator_id, offer_b, "6000")]
    )
    assert results == ["granted", "granted"]
    assert _granted(call_id) == Decimal("12000.00")


def test_publishing_results_refuses_grants_above_the_funds_naming_the_excess(world, clock, people):
    """However grants above the funds came about (here: a row written past the operations), publishing
    checks the total again, refuses naming the excess, and publishes nothing."""
    call, (offer_a, offer_b), _members = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    call.funds = Decimal("10000.00")
    db.session.commit()
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="6000")
    db.session.add(Decision(call_id=call.id, offer_id=offer_b.id, kind="grant", amount=Decimal("5500.00"),
                            decided_at=clock.now))
    db.session.commit()
    with pytest.raises(Refused) as exc, transaction():
        ops.publish_results(coordinator, call)
    assert "przekracza środki konkursu (10 000,00 zł) o 1 500,00 zł" in exc.value.reason
    assert "11 500,00 zł" in exc.value.reason
    db.session.expire_all()
    assert db.session.get(Call, call.id).state == "evaluation"
    assert not any(d.published for d in db.session.scalars(db.select(Decision)))
    # once the decisions fit, the same call publishes
    with transaction():
        ops.record_decision(coordinator, db.session.get(Offer, offer_b.id), kind="grant", amount="4000")
        ops.publish_results(coordinator, db.session.get(Call, call.id))
    assert db.session.get(Call, call.id).state == "results_published"


def test_publishing_while_a_grant_is_recorded_never_publishes_an_overspent_call(app, world, clock, people,
                                                                                monkeypatch):
    """A grant and the publication at once: either the grant lands first (then results include it, within the
    funds) or the publication does (then the grant is refused: the call is no longer under evaluation)."""
    coordinator_id, call_id, offer_a, offer_b = _two_offers_fitting_one_at_a_time(world, clock, people)
    coordinator = db.session.get(User, coordinator_id)
    with transaction():
        ops.record_decision(coordinator, db.session.get(Offer, offer_a), kind="grant", amount="6000")
        ops.record_decision(coordinator, db.session.get(Offer, offer_b), kind="refusal", reason="Niska ocena.")
    db.session.remove()

    def publish():
        with transaction():
            ops.publish_results(db.session.get(User, coordinator_id), db.session.get(Call, call_id))
        return "published"

    results = _run_together(app, [publish, _grant_job(coordinator_id, offer_b, "4000")])
    assert results[0] == "published"
    db.session.rollback()
    call = db.session.get(Call, call_id)
    assert call.state == "results_published"
    assert _granted(call_id) <= call.funds
    if results[1] == "granted":  # the grant came first: the results published include it
        assert db.session.get(Offer, offer_b).state == "granted"
    else:
        assert isinstance(results[1], Refused)
        assert db.session.get(Offer, offer_b).state == "not_granted"


def test_a_double_click_on_the_declaration_declares_once(app, world, clock, people, monkeypatch):
    """One declaration per member and offer: two at once give one declaration and one clear refusal, never a
    database error."""
    _call, (offer_a, _b), _members = _to_evaluation(world, clock, people)
    user_id, offer_id = world.user("unit_x").id, offer_a.id
    db.session.remove()

    def declare():
        try:
            with transaction():
                ops.declare_conflict(db.session.get(User, user_id), db.session.get(Offer, offer_id),
                                     has_conflict=False)
        except Refused as exc:
            return exc
        return "declared"

    for _round in range(5):
        results = _run_together(app, [declare, declare])
        assert sorted(map(str, results)) == ["Oświadczenie dotyczące tej oferty zostało już złożone.", "declared"]
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(ConflictDeclaration.id))) == 1
        db.session.execute(db.delete(ConflictDeclaration))
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count(CommissionMember.id))) == 3


# --- numbering and one-per rules outside the calls ------------------------------------------------------------


def test_postulates_entered_at_once_in_one_meeting_get_consecutive_numbers(app, world):
    """Two coordinators entering postulates of the same meeting at the same moment: each gets the next number
    (Lp.), none is refused, no number is used twice."""
    from consult.postulates.models import Postulate
    from consult.postulates.operations import record_meeting_postulate

    coordinator_id, meeting_id = world.user("coordinator").id, world.meeting.id
    db.session.remove()

    def enter(text):
        def job():
            from consult.meetings.models import Meeting

            with transaction():
                postulate = record_meeting_postulate(
                    db.session.get(User, coordinator_id), db.session.get(Meeting, meeting_id), content=text,
                    submitter_name="Radny Dzielnicy I")
                return postulate.number
        return job

    numbers = []
    for round_number in range(5):
        results = _run_together(app, [enter(f"Postulat {round_number}a"), enter(f"Postulat {round_number}b")])
        assert all(isinstance(r, int) for r in results), results
        numbers.extend(results)
    db.session.rollback()
    stored = sorted(db.session.scalars(db.select(Postulate.number).where(Postulate.meeting_id == meeting_id)))
    assert stored == list(range(1, 12))  # the world's postulate no. 1, then 2..11 without gaps or repeats
    assert sorted(numbers) == list(range(2, 12))


def test_two_first_positions_of_one_unit_make_one_position(app, world):
    """The same unit's two staff save the first position on a postulate at once, each from a form loaded
    before there was any (version 0): one position is written, the other save is refused as stale."""
    from consult.core.actors import SYSTEM
    from consult.core.errors import StaleEdit
    from consult.postulates.models import Position, Postulate
    from consult.postulates.operations import assign_postulate, create_postulate, save_position

    with transaction():
        postulates = [create_postulate(world.user("ngo_a"), world.programme, content=f"Postulat {i}", submit=True)
                      for i in range(5)]
        for postulate in postulates:
            assign_postulate(SYSTEM, postulate, world.unit_x)
    ids, staff_id = [p.id for p in postulates], world.user("unit_x").id
    db.session.remove()

    def save(postulate_id, text):
        def job():
            try:
                with transaction():
                    save_position(db.session.get(User, staff_id), db.session.get(Postulate, postulate_id),
                                  category="accepted", text=text, expected_version=0)
            except StaleEdit as exc:
                return exc
            return "saved"
        return job

    for postulate_id in ids:
        results = _run_together(app, [save(postulate_id, "Przyjmujemy."), save(postulate_id, "Uwzględniamy.")])
        assert sorted(map(type, results), key=str) == sorted([str, StaleEdit], key=str), results
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Position.id)).where(Position.postulate_id == postulate_id)) == 1
        assert db.session.get(Postulate, postulate_id).state == "answered"


def test_a_report_saved_while_the_round_closes_is_counted_or_refused(app, world):
    """A unit saves what it realised while the coordinator closes the round (despite missing reports): the
    report lands before the close or is refused; a closed round never gains a report afterwards."""
    from consult.implementation.models import Activity, ActivityUnit, ImplementationReport
    from consult.implementation.operations import close_round, record_realisation
    from tests.implementation_support import import_data, small_data

    report_id = import_data(small_data())
    activity_id = db.session.scalar(db.select(Activity.id).join(ActivityUnit)
                                    .where(ActivityUnit.unit_id == world.unit_x.id).order_by(Activity.id).limit(1))
    staff_id, coordinator_id = world.user("unit_x").id, world.user("coordinator").id
    db.session.remove()

    def report():
        try:
            with transaction():
                record_realisation(db.session.get(User, staff_id), db.session.get(Activity, activity_id),
                                   carried_out=True, realised="Zrealizowano.", funds="1000")
        except Refused as exc:
            return exc
        return "reported"

    def close():
        with transaction():
            close_round(db.session.get(User, coordinator_id), db.session.get(ImplementationReport, report_id),
                        despite_missing=True)
        return "closed"

    results = _run_together(app, [report, close])
    assert results[1] == "closed"
    db.session.rollback()
    events = ["this activity reported" if e.action == "record_realisation" and e.details.get("activity_id") ==
              activity_id else e.action for e in trail("implementation_report", report_id)]
    reported_at = db.session.get(Activity, activity_id).reported_at
    if results[0] == "reported":
        assert reported_at is not None and events.index("this activity reported") < events.index("close")
    else:
        assert isinstance(results[0], Refused) and reported_at is None
        assert "this activity reported" not in events
