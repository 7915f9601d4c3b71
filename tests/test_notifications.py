"""Notifications: written once per member of each applicant organisation when a call's results are published
(not before, not twice), to the offer's organisation when a correction is asked for; read at /powiadomienia
(their messages there: tests/test_notification_messages.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.calls import jobs
from consult.calls import operations as ops
from consult.core.operations import transaction
from consult.extensions import db
from consult.notifications.models import Notification
from consult.notifications.operations import notify_results
from tests.conftest import PASSWORD, login
from tests.test_calls import _to_evaluation, announced_call, clock, people, submitted_offer

__all__ = ["clock", "people"]


def notes(kind: str | None = None) -> list[Notification]:
    query = db.select(Notification).order_by(Notification.recipient_id, Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query).all()


@pytest.fixture
def second_member_a(world):
    from consult.auth.operations import create_user
    from consult.core.actors import SYSTEM

    with transaction():
        return create_user(SYSTEM, email="ngo_a2@example.org", name="Druga Osoba A", password=PASSWORD,
                           role="ngo", organisation=world.org_a, bootstrap=True)


def test_results_notify_each_member_once_and_not_before(world, clock, people, second_member_a):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    with transaction():
        ops.record_decision(coordinator, offer_a, kind="grant", amount="5 500")
        ops.record_decision(coordinator, offer_b, kind="refusal", reason="Brak środków.")
    with transaction():
        assert notify_results(call.id) == []  # decided, not published: nothing to tell
    assert notes("call_results") == []
    with transaction():
        ops.publish_results(coordinator, call)
    written = notes("call_results")
    # org A has two members (ngo_a and the second one) and nominee_a of the commission fixture; org B one
    members_a = {world.user("ngo_a").id, second_member_a.id, people["nominee_a"].id}
    assert {n.recipient_id for n in written} == members_a | {world.user("ngo_b").id}
    assert len(written) == len(members_a) + 1
    by_user = {n.recipient_id: n for n in written}
    note_a, note_b = by_user[world.user("ngo_a").id], by_user[world.user("ngo_b").id]
    # no SMTP server configured in these tests: written, kept in the outbox, not e-mailed
    assert note_a.state == "unsent" and note_a.related_type == "offer" and note_a.related_id == offer_a.id
    assert call.title in note_a.body and offer_a.reference in note_a.body and "Świetlica dla dzieci" in note_a.body
    assert "Przyznano dotację w kwocie 5 500,00 zł." in note_a.body
    assert f"/oferty/{offer_a.id}" in note_a.body and note_a.link == f"/oferty/{offer_a.id}"
    assert "Nie przyznano dotacji." in note_b.body and offer_b.reference in note_b.body
    assert offer_a.reference not in note_b.body
    # the hook again (a retried job): nothing new
    jobs.notify_applicants_of_results(call.id)
    with transaction():
        assert notify_results(call.id) == []
    assert len(notes("call_results")) == len(written)


def test_a_correction_request_notifies_the_offers_organisation(world, clock, second_member_a):
    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    submitted_offer(world.user("ngo_b"), call)
    clock.now = call.offers_deadline
    with transaction():
        ops.close_call_for_offers(world.user("unit_x"), call)
    with transaction():
        ops.request_correction(world.user("unit_x"), offer, deficiencies="Brak podpisu <b>zarządu</b>.",
                               deadline=clock.now + timedelta(days=7))
    written = notes("correction_requested")
    assert {n.recipient_id for n in written} == {world.user("ngo_a").id, second_member_a.id}
    body = written[0].body
    assert "Brak podpisu <b>zarządu</b>." in body and offer.reference in body and "czasu warszawskiego" in body
    assert written[0].link == f"/oferty/{offer.id}/edycja"
    jobs.notify_correction_requested(offer.id)  # twice: still one per member
    assert len(notes("correction_requested")) == 2


def test_the_notifications_page_shows_only_ones_own(world, clock, app):
    from consult.core.types import utcnow

    for role in ("ngo_a", "ngo_b"):
        db.session.add(Notification(recipient_id=world.user(role).id, kind="call_results", related_type="offer",
                                    related_id=1, subject=f"Temat dla {role} <i>x</i>",
                                    body=f"Pierwszy akapit {role}.\n\nDrugi akapit.", link="/oferty/1",
                                    created_at=utcnow(), state="queued"))
    db.session.commit()
    client = login(app.test_client(), world.user("ngo_a"))
    page = client.get("/powiadomienia").get_data(as_text=True)
    # rows without parameters (written before messages) show their subject, as a link; never the e-mail's body
    assert '<a href="/oferty/1">Temat dla ngo_a &lt;i&gt;x&lt;/i&gt;</a>' in page
    assert "Pierwszy akapit ngo_a." not in page
    assert "ngo_b" not in page
    assert '<a href="/powiadomienia" aria-current="page">Powiadomienia</a>' in page  # in every signed-in header
    client = login(app.test_client(), world.user("coordinator"))
    assert "Nie masz żadnych powiadomień." in client.get("/powiadomienia").get_data(as_text=True)
    assert app.test_client().get("/powiadomienia").status_code == 302
