"""Small grants (art. 19a), what the journey's first version left open: the commenter's confirmation link goes
through the outbox like every e-mail (shown to coordinators without the link, retried when refused), and the unit's
term for judging purposefulness is enforced (reminded before it, overdue after it, told to the coordinators once,
a late judgement recorded as late)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.core.audit import trail
from consult.core.operations import in_transaction
from consult.core.types import clock_at, today_in_warsaw
from consult.extensions import db
from consult.notifications.models import Notification
from consult.notifications.operations import send_reminders
from consult.smallgrants.models import SmallGrantOffer
from consult.smallgrants.operations import add_comment, judge_purpose
from tests.conftest import login
from tests.smallgrant_support import at, enter_law, file_offer, journey_of
from tests.test_mail import settle, smtp

__all__ = ["smtp"]


@pytest.fixture
def law(world):
    enter_law(world)
    return world


def _link_notes(address: str) -> list[Notification]:
    db.session.rollback()
    return db.session.scalars(db.select(Notification).where(Notification.kind == "small_grant_comment_link",
                                                            Notification.address == address)).all()


# --- the confirmation link through the outbox -------------------------------------------------------------------

def test_the_confirmation_link_is_in_the_outbox_without_its_link_and_the_link_works_once(law, client):
    j = journey_of(law)  # no SMTP server in these tests: e-mails are kept in the outbox, unsent
    token = j["waiting_token"]
    [note] = _link_notes("ola@example.org")
    assert note.recipient_id is None and note.recipient_name == "Ola" and note.state == "unsent"
    assert token in note.body and note.subject == f"Potwierdź uwagę do oferty {j['open'].reference}"

    login(client, law.user("coordinator"))
    outbox = client.get("/koordynacja/poczta").get_data(as_text=True)
    assert "ola@example.org" in outbox and "Ola" in outbox
    found = client.get("/koordynacja/poczta", query_string={"recipient": "Ola"}).get_data(as_text=True)
    assert "ola@example.org" in found
    page = client.get(f"/koordynacja/poczta/{note.id}").get_data(as_text=True)
    assert "Potwierdź uwagę do oferty" in page and "ola@example.org" in page
    assert token not in page  # the link is the commenter's alone, as an account's links are
    assert "Wszystkie Twoje powiadomienia" not in page  # no account: no notifications page to point to

    client.post("/wyloguj")
    assert client.post(f"/male-granty/uwagi/potwierdzenie/{token}").status_code == 302
    assert client.post(f"/male-granty/uwagi/potwierdzenie/{token}").status_code == 404


def test_a_refused_confirmation_email_is_retried_and_its_link_then_works(app, law, smtp):
    j = journey_of(law)
    settle(app)  # the journey's own e-mails first
    smtp.inbox.reset()
    smtp.inbox.refuse, smtp.inbox.refuse_times = "451 4.3.0 Try again later", 1  # the first attempt only
    _comment, token = in_transaction(add_comment, db.session.get(SmallGrantOffer, j["open"].id), name="Adam Nowak",
                                    email="adam@example.org", text="Proszę o więcej warsztatów.")
    settle(app)
    [note] = _link_notes("adam@example.org")
    assert note.state == "sent" and note.attempts == 2 and "451" in note.error
    assert smtp.inbox.refused == ["adam@example.org"]
    [message] = smtp.inbox.to("adam@example.org")
    assert message["To"] == "Adam Nowak <adam@example.org>"
    assert message["Subject"] == f"Potwierdź uwagę do oferty {j['open'].reference}"
    text = message.get_content()
    url = f"https://konsultacje.example.org/male-granty/uwagi/potwierdzenie/{token}"
    assert url in text and "Wszystkie Twoje powiadomienia" not in text

    client = app.test_client()
    assert client.post(url.removeprefix("https://konsultacje.example.org")).status_code == 302
    assert client.post(url.removeprefix("https://konsultacje.example.org")).status_code == 404
    page = client.get(f"/male-granty/oferty/{j['open'].id}").get_data(as_text=True)
    assert "Proszę o więcej warsztatów." in page

    # shown as failed, a coordinator sends it again from the outbox: to the address the commenter gave
    note.state, note.error = "failed", "550 5.1.1 Mailbox unavailable"
    db.session.commit()
    coordinator = login(app.test_client(), law.user("coordinator"))
    assert coordinator.post(f"/koordynacja/poczta/{note.id}/ponow").status_code == 302
    settle(app)
    [again] = _link_notes("adam@example.org")
    assert again.state == "sent" and len(smtp.inbox.to("adam@example.org")) == 2


# --- the unit's term for judging purposefulness -----------------------------------------------------------------

def _filed_days_ago(law, days: int, title: str) -> SmallGrantOffer:
    with clock_at(at(today_in_warsaw() - timedelta(days=days))):
        return file_offer(law, title=title)


def _sent(kind: str) -> list[tuple[int, int]]:
    return sorted(db.session.execute(db.select(Notification.recipient_id, Notification.related_id)
                                     .where(Notification.kind == kind)).all())


def test_the_unit_is_reminded_before_its_term_and_the_coordinators_told_once_the_day_after(law):
    today = today_in_warsaw()
    # judge_by is 7 days after filing: today + 4 (not yet), today + 3 (reminded), today (the last day), yesterday
    not_yet = _filed_days_ago(law, 3, "Za wcześnie na przypomnienie")
    soon = _filed_days_ago(law, 4, "Trzy dni do terminu")
    last_day = _filed_days_ago(law, 7, "Ostatni dzień")
    overdue = _filed_days_ago(law, 8, "Dzień po terminie")
    assert (not_yet.judge_by, soon.judge_by, last_day.judge_by, overdue.judge_by) == (
        today + timedelta(days=4), today + timedelta(days=3), today, today - timedelta(days=1))
    assert not last_day.judge_overdue(today) and overdue.judge_overdue(today)

    in_transaction(send_reminders, at(today))
    staff, coordinator = law.user("unit_x"), law.user("coordinator")
    assert _sent("small_grant_judge_due") == sorted([(staff.id, soon.id), (staff.id, last_day.id)])
    assert _sent("small_grant_judge_overdue") == [(coordinator.id, overdue.id)]
    [note] = db.session.scalars(db.select(Notification).where(Notification.kind == "small_grant_judge_overdue")).all()
    assert overdue.reference in note.subject and law.unit_x.name in note.body

    in_transaction(send_reminders, at(today))  # run again: nobody is told twice
    assert len(_sent("small_grant_judge_due")) == 2 and len(_sent("small_grant_judge_overdue")) == 1
    # the next day the last-day offer is overdue too: the coordinators are told of it, once
    in_transaction(send_reminders, at(today + timedelta(days=1)))
    assert _sent("small_grant_judge_overdue") == sorted([(coordinator.id, overdue.id),
                                                         (coordinator.id, last_day.id)])


def test_the_queue_lists_an_overdue_offer_for_the_unit_and_the_coordinators(law, client):
    last_day = _filed_days_ago(law, 7, "Ostatni dzień")
    overdue = _filed_days_ago(law, 8, "Dzień po terminie")
    for role in ("unit_x", "coordinator"):
        login(client, law.user(role))
        page = client.get("/male-granty/kolejka").get_data(as_text=True)
        assert "Oferty czekające na ocenę celowości po terminie: 1." in page
        row_of = {o.title: page[page.index(o.title):].split("</tr>")[0] for o in (last_day, overdue)}
        assert "Po terminie" in row_of["Dzień po terminie"] and "Po terminie" not in row_of["Ostatni dzień"]
        client.post("/wyloguj")
    login(client, law.user("coordinator"))  # the coordination page points to them
    assert "po terminie oceny celowości: 1" in client.get("/koordynacja").get_data(as_text=True)
    client.post("/wyloguj")
    login(client, law.user("unit_y"))  # another unit does not see them
    assert "Dzień po terminie" not in client.get("/male-granty/kolejka").get_data(as_text=True)


def test_a_late_judgement_is_made_and_recorded_as_late(law, client):
    last_day = _filed_days_ago(law, 7, "Ostatni dzień")
    overdue = _filed_days_ago(law, 8, "Dzień po terminie")
    unit = law.user("unit_x")
    in_transaction(judge_purpose, unit, last_day, purposeful=True)
    in_transaction(judge_purpose, unit, overdue, purposeful=False, reason="Zadanie nie odpowiada potrzebom.")
    assert not last_day.judged_late and overdue.judged_late and overdue.state == "purpose_refused"
    [on_time] = [e for e in trail("small_grant_offer", last_day.id) if e.action == "find_purposeful"]
    [late] = [e for e in trail("small_grant_offer", overdue.id) if e.action == "refuse_purpose"]
    assert "days_late" not in on_time.details
    assert late.details["days_late"] == 1 and late.details["judge_by"] == overdue.judge_by.isoformat()
    login(client, unit)
    page = client.get(f"/male-granty/sprawy/{overdue.id}").get_data(as_text=True)
    assert "Celowość oceniono po terminie" in page
    assert "oceniono po terminie" not in client.get(f"/male-granty/sprawy/{last_day.id}").get_data(as_text=True)
