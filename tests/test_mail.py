"""E-mail notifications, delivered through a real SMTP server on localhost (aiosmtpd, tests/mail_support.py):
who gets which e-mail when, in which language; reminders before deadlines once; a refused delivery retried with
backoff and then shown as failed in the coordinators' outbox, from where it is sent again.

Without REDIS_URL this process delivers after the commit and the tests drive the retries with `consult send-mail`
(what cron runs); with it (CI's second pass) the session's Celery worker delivers and retries on its own.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from consult.auth.models import User
from consult.calls import operations as call_ops
from consult.core.actors import SYSTEM
from consult.core.audit import trail
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.extensions import db
from consult.notifications.models import Notification
from tests.conftest import login
from tests.mail_support import MAX_ATTEMPTS, wait_for_deliveries
from tests.test_calls import clock, complete_offer, make_call

__all__ = ["clock"]
BASE = "https://konsultacje.example.org"


@pytest.fixture
def smtp(app, mail_server, monkeypatch):
    """The application sends to the session's SMTP server (the worker of CI's second pass does already)."""
    for key, value in mail_server.config().items():
        monkeypatch.setitem(app.config, key, value)
    mail_server.inbox.reset()
    yield mail_server
    mail_server.inbox.reset()


def settle(app, timeout: float = 30.0) -> None:
    """Until every e-mail is sent or failed: in process, run `consult send-mail` (cron's job) while retries are
    due; with REDIS_URL the worker retries on its own."""
    if app.config.get("REDIS_URL"):
        wait_for_deliveries(timeout)
        return
    runner = app.test_cli_runner()
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        if not db.session.scalar(db.select(db.func.count()).where(Notification.state == "queued")):
            return
        assert time.monotonic() < deadline, "e-mails still queued"
        result = runner.invoke(args=["send-mail"])
        assert result.exit_code == 0, result.output
        time.sleep(0.05)


def notes_to(user, kind: str | None = None) -> list[Notification]:
    db.session.rollback()
    query = db.select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query).all()


def test_an_assignment_is_mailed_to_the_units_staff_in_polish(app, world, smtp):
    postulate = world.p["b_submitted"]
    client = login(app.test_client(), world.user("coordinator"))
    response = client.post(f"/postulaty/{postulate.id}/przypisz", data={"unit": world.unit_y.id})
    assert response.status_code == 302
    settle(app)
    staff = world.user("unit_y")
    [message] = smtp.inbox.to(staff.email)
    reference = db.session.get(type(postulate), postulate.id).reference
    assert message["Subject"] == f"Postulat {reference} czeka na stanowisko Twojej komórki"
    assert message["To"] == f"{staff.name} <{staff.email}>" and "consult@example.org" in message["From"]
    assert message["Content-Language"] == "pl" and message["Auto-Submitted"] == "auto-generated"
    text = message.get_content()
    assert "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego, która ma zająć wobec niego stanowisko" in text
    assert "Złożony przez B" in text and "Zgłaszający: Fundacja Start Tango" in text
    assert f"{BASE}/postulaty/{postulate.id}/stanowisko" in text and f"{BASE}/powiadomienia" in text
    # nobody else is told: not unit X's staff, not the NGOs
    assert [m["To"] for m in smtp.inbox.messages] == [message["To"]]
    [note] = notes_to(staff, "postulate_assigned")
    assert (note.state, note.attempts, note.address, note.error) == ("sent", 1, staff.email, None)
    assert note.sent_at is not None and note.link == f"/postulaty/{postulate.id}/stanowisko"


def test_published_positions_are_mailed_to_the_submitting_organisation(app, world, smtp):
    postulate = world.p["a_answered_x"]
    client = login(app.test_client(), world.user("unit_x"))
    assert client.post(f"/postulaty/{postulate.id}/publikuj", data={}).status_code == 302
    settle(app)
    [message] = smtp.inbox.to(world.user("ngo_a").email)
    assert "Opublikowano stanowisko w sprawie postulatu RPW2027/" in message["Subject"]
    text = message.get_content()
    assert "A, ze stanowiskiem X" in text and "Przyjmujemy." in text
    assert "Stanowisko – Wydział Polityki Społecznej, Równości i Zdrowia (przyjęty):" in text
    assert f"{BASE}/postulaty/{postulate.id}" in text
    assert smtp.inbox.to(world.user("ngo_b").email) == []
    # published again (a hook that runs twice) tells nobody twice
    from consult.notifications.jobs import notify_submitters_of_positions

    notify_submitters_of_positions([postulate.id])
    settle(app)
    assert len(smtp.inbox.messages) == 1


def _published_summary(world):
    """The world's meeting, held, org A present, with a published summary version (a stub file, no render)."""
    from consult.documents.models import DocumentJob, DocumentVersion
    from consult.meetings.operations import mark_meeting_held, record_attendance
    from consult.summaries.documents import publish_version

    meeting = world.meeting
    with transaction():
        record_attendance(SYSTEM, meeting, organisations=[world.org_a], officials=[("Dyrektor", None)])
        meeting.date -= timedelta(days=7)  # the world plans it ahead: it has to have taken place
        mark_meeting_held(SYSTEM, meeting)
        now = utcnow()
        job = DocumentJob(kind="meeting_summary", subject_id=meeting.id, state="done", attempts=1,
                          requested_at=now, started_at=now, finished_at=now)
        db.session.add(job)
        db.session.flush()
        version = DocumentVersion(kind="meeting_summary", subject_id=meeting.id, job_id=job.id, number=1,
                                  storage_key="test/summary.pdf", sha256="0" * 64, size=10, pages=1,
                                  source_digest="0" * 64, created_at=now)
        db.session.add(version)
    with transaction():
        publish_version(world.user("coordinator"), version)
    return meeting, version


def test_a_published_summary_is_mailed_to_members_of_organisations_present(app, world, smtp):
    from consult.auth.operations import create_user

    with transaction():
        other = create_user(SYSTEM, email="ngo_a2@example.org", name="Druga Osoba A", password="haslo-testowe-123",
                            role="ngo", organisation=world.org_a, bootstrap=True)
    _meeting, version = _published_summary(world)
    settle(app)
    for user in (world.user("ngo_a"), other):
        [message] = smtp.inbox.to(user.email)
        assert message["Subject"].startswith("Opublikowano podsumowanie spotkania „Spotkanie branżowe” z ")
        text = message.get_content()
        assert "Twoja organizacja była na nim obecna" in text and "(wersja 1)" in text
        assert f"{BASE}/podsumowania/{version.id}.pdf" in text
    assert smtp.inbox.to(world.user("ngo_b").email) == []  # org B was not there
    assert {m["To"].addresses[0].addr_spec for m in smtp.inbox.messages} == {world.user("ngo_a").email, other.email}


def test_reminders_before_deadlines_are_sent_once(app, world, smtp, clock):
    # a consultation closing in two days; a call announced 25 days ago whose offers deadline is in two days, with
    # a draft offer of org A in it
    _closing, call, draft = _reminders_due(world, clock)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    # every NGO member about the consultation closing in two days (not the one closing in 25 days)
    assert "Przypomnienia o końcu konsultacji: 2" in first.output
    assert "Przypomnienia o terminie składania ofert: 1" in first.output
    settle(app)
    ngo_a, ngo_b = world.user("ngo_a").email, world.user("ngo_b").email
    subjects_a = sorted(m["Subject"] for m in smtp.inbox.to(ngo_a))
    assert [s for s in subjects_a if s.startswith("Konsultacje „Program Współpracy na rok 2028” kończą się")]
    [offer_mail] = [m for m in smtp.inbox.to(ngo_a) if "Termin składania ofert" in m["Subject"]]
    assert call.title in offer_mail["Subject"]
    assert f"{BASE}/oferty/{draft.id}/edycja" in offer_mail.get_content()
    [consultation_a] = [m for m in smtp.inbox.to(ngo_a) if m["Subject"].startswith("Konsultacje")]
    assert "niezłożone szkice postulatów (1)" in consultation_a.get_content()
    # org B has no draft offer in the call: only the consultation reminder, without a word about drafts
    [only_b] = smtp.inbox.to(ngo_b)
    assert only_b["Subject"].startswith("Konsultacje") and "szkice" not in only_b.get_content()
    assert all(not m for m in (smtp.inbox.to(world.user("unit_x").email), smtp.inbox.to("coordinator@example.org")))
    # run again (cron every hour): nothing new is written or sent
    second = runner.invoke(args=["send-reminders"])
    assert "Przypomnienia o końcu konsultacji: 0" in second.output and "ofert: 0" in second.output
    settle(app)
    assert len(smtp.inbox.messages) == 3


def test_a_refused_delivery_is_retried_then_failed_and_a_coordinator_sends_it_again(app, world, smtp):
    smtp.inbox.refuse = "550 5.1.1 Mailbox unavailable"
    postulate = world.p["b_submitted"]
    with transaction():
        from consult.postulates.operations import assign_postulate

        assign_postulate(SYSTEM, postulate, world.unit_y)
    settle(app)
    staff = world.user("unit_y")
    [note] = notes_to(staff, "postulate_assigned")
    assert note.state == "failed" and note.attempts == MAX_ATTEMPTS and note.sent_at is None
    assert "550 5.1.1 Mailbox unavailable" in note.error
    assert smtp.inbox.refused == [staff.email] * MAX_ATTEMPTS and smtp.inbox.messages == []
    # the coordinator's outbox shows it among the failed ones, with the reason
    client = login(app.test_client(), world.user("coordinator"))
    page = client.get("/koordynacja/poczta?state=failed").get_data(as_text=True)
    assert "Znaleziono: 1" in page and note.subject in page and "550 5.1.1 Mailbox unavailable" in page
    assert "nie udało się wysłać" in page
    detail = client.get(f"/koordynacja/poczta/{note.id}").get_data(as_text=True)
    assert "Wyślij ponownie" in detail and "Złożony przez B" in detail
    # the server accepts again; the coordinator sends it again (a POST, audited)
    smtp.inbox.refuse = None
    response = client.post(f"/koordynacja/poczta/{note.id}/ponow", follow_redirects=True)
    assert "ponownie przekazany do wysłania" in response.get_data(as_text=True)
    settle(app)
    [message] = smtp.inbox.to(staff.email)
    assert message["Subject"] == note.subject
    db.session.expire_all()
    note = db.session.get(Notification, note.id)
    assert note.state == "sent" and note.attempts == 1
    [event] = [e for e in trail("notification", note.id) if e.action == "retry_email"]
    assert event.actor_id == world.user("coordinator").id and (event.from_state, event.to_state) == ("failed", "queued")
    assert "550" in event.details["last_error"]
    # a sent e-mail is not sent again
    again = client.post(f"/koordynacja/poczta/{note.id}/ponow", follow_redirects=True).get_data(as_text=True)
    assert "Ponownie można wysłać tylko e-mail, którego nie udało się wysłać" in again
    settle(app)
    assert len(smtp.inbox.messages) == 1


def test_a_temporary_refusal_is_retried_until_the_server_accepts(app, world, smtp):
    smtp.inbox.refuse, smtp.inbox.refuse_times = "451 4.3.0 Try again later", 1  # the first attempt only
    from consult.postulates.operations import assign_postulate

    with transaction():
        assign_postulate(SYSTEM, world.p["b_submitted"], world.unit_y)
    staff = world.user("unit_y")
    settle(app)
    [note] = notes_to(staff, "postulate_assigned")
    assert (note.state, note.attempts) == ("sent", 2) and "451 4.3.0 Try again later" in note.error
    assert smtp.inbox.refused == [staff.email] and len(smtp.inbox.to(staff.email)) == 1


def test_an_unreachable_server_is_retried_with_backoff_and_then_failed(app, world, smtp, monkeypatch):
    """Connection refused: delivered here (not by a worker), to a port where nothing listens."""
    from consult.notifications.delivery import attempt, retry_delay
    from tests.mail_support import free_port

    user = world.user("unit_y")
    now = utcnow()
    note = Notification(recipient_id=user.id, kind="postulate_assigned", related_type="postulate", related_id=1,
                        subject="Temat", body="Treść.", link="/", created_at=now, locale="pl", address=user.email,
                        state="queued", attempts=0)  # no next_attempt_at: the session's worker leaves it alone
    db.session.add(note)
    db.session.commit()
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())
    assert retry_delay(app.config, 1) == pytest.approx(0.2) and retry_delay(app.config, 2) == pytest.approx(0.4)
    outcomes = [attempt(note.id, app) for _ in range(MAX_ATTEMPTS + 1)]
    assert [o.state for o in outcomes] == ["queued"] * (MAX_ATTEMPTS - 1) + ["failed", None]
    assert [o.retry_in for o in outcomes[:2]] == [pytest.approx(0.2), pytest.approx(0.4)]
    db.session.expire_all()
    note = db.session.get(Notification, note.id)
    assert note.state == "failed" and note.attempts == MAX_ATTEMPTS
    assert "Nie udało się połączyć z serwerem SMTP 127.0.0.1" in note.error and "refused" in note.error.lower()


def test_without_smtp_nothing_is_sent_and_the_outbox_shows_what_would_be(app, world, mail_server):
    mail_server.inbox.reset()
    assert not app.config.get("SMTP_HOST")
    staff = world.user("unit_x")  # the world assigned "A, przypisany do X" to unit X
    [note] = notes_to(staff, "postulate_assigned")
    assert note.state == "unsent" and note.attempts == 0
    assert app.test_cli_runner().invoke(args=["send-mail"]).output.startswith("SMTP_HOST nie jest ustawiony")
    assert mail_server.inbox.messages == []
    client = login(app.test_client(), world.user("coordinator"))
    page = client.get("/koordynacja/poczta").get_data(as_text=True)
    assert "Serwer poczty (SMTP) nie jest skonfigurowany" in page and note.subject in page
    detail = client.get(f"/koordynacja/poczta/{note.id}").get_data(as_text=True)
    assert "A, przypisany do X" in detail and staff.email in detail and "Wyślij ponownie" not in detail
    # the recipient reads it among their notifications
    mine = login(app.test_client(), staff).get("/powiadomienia").get_data(as_text=True)
    assert note.subject in mine


def test_the_outbox_filters_by_state_searches_by_recipient_and_pages(app, world, monkeypatch):
    now = utcnow()
    users = [world.user(r) for r in ("ngo_a", "ngo_b", "unit_y")]
    for i, user in enumerate(users * 2):
        db.session.add(Notification(recipient_id=user.id, kind="correction_requested",
                                    related_type="correction_window", related_id=100 + i, subject=f"Wiadomość {i}",
                                    body="Treść.", created_at=now + timedelta(seconds=i), address=user.email,
                                    state="failed" if i % 2 else "sent", sent_at=None if i % 2 else now,
                                    error="550 nie" if i % 2 else None, attempts=1))
    db.session.commit()
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    client = login(app.test_client(), world.user("coordinator"))
    page = client.get("/koordynacja/poczta?state=failed&recipient=NGO_B").get_data(as_text=True)
    # ngo_b's are numbers 1 and 4; of them, failed: 1
    assert "Znaleziono: 1" in page and "Wiadomość 1<" in page and "Wiadomość 4" not in page
    page = client.get("/koordynacja/poczta?state=failed").get_data(as_text=True)
    assert "Znaleziono: 3" in page and "Strona 1 z 2" in page and "Wiadomość 5" in page and "Wiadomość 1<" not in page
    second = client.get("/koordynacja/poczta?state=failed&strona=2").get_data(as_text=True)
    assert "Wiadomość 1<" in second and "Wiadomość 5" not in second
    assert client.get("/koordynacja/poczta").status_code == 200
    assert login(app.test_client(), world.user("unit_x")).get("/koordynacja/poczta").status_code == 403


# What the e-mails say in English and Ukrainian (consult/translations/*/messages.po): a missing translation shows
# the Polish msgid instead, and these fail.
ASSIGNED = {
    "en": {"subject": "Postulate {ref} is awaiting your unit’s position",
           "body": ["Postulate {ref} has been passed to the unit {unit}, which is to take a position on it.",
                    "Content of the postulate:", "Record the position: {base}/postulaty/{id}/stanowisko",
                    "This message was sent automatically by consult"]},
    "uk": {"subject": "Постулат {ref} очікує позиції вашого підрозділу",
           "body": ["Постулат {ref} передано підрозділу {unit}, який має висловити щодо нього позицію.",
                    "Зміст постулату:", "Записати позицію: {base}/postulaty/{id}/stanowisko",
                    "Це повідомлення автоматично надіслала система consult"]},
}
POLISH_WORDS = ("Postulat ", "Treść postulatu", "Zapisz stanowisko", "Program:", "Tę wiadomość", "Przypominamy",
                "Twoja organizacja", "Złóż postulat")


@pytest.mark.parametrize("locale", ["en", "uk"])
def test_a_unit_member_gets_the_assignment_in_their_language(app, world, smtp, locale):
    staff = world.user("unit_y")
    with transaction():
        db.session.get(User, staff.id).locale = locale
    from consult.postulates.operations import assign_postulate

    postulate = world.p["b_submitted"]
    with transaction():
        assign_postulate(SYSTEM, postulate, world.unit_y)
    settle(app)
    [message] = smtp.inbox.to(staff.email)
    assert message["Content-Language"] == locale
    reference = db.session.get(type(postulate), postulate.id).reference
    words = {"ref": reference, "unit": world.unit_y.name, "base": BASE, "id": postulate.id}
    assert message["Subject"] == ASSIGNED[locale]["subject"].format(**words)
    text = message.get_content()
    for line in ASSIGNED[locale]["body"]:
        assert line.format(**words) in text, line
    assert "Złożony przez B" in text  # the postulate's own words stay as written
    assert not [w for w in POLISH_WORDS if w in text], text


def _reminders_due(world, clock):
    """A programme whose consultation closes in two days, and a call whose offers deadline is in two days with
    a draft offer of org A in it: `consult send-reminders` has one reminder of each for ngo_a."""
    from consult.postulates.operations import create_postulate
    from consult.programmes.operations import create_programme

    now = utcnow()
    with transaction():
        closing = create_programme(SYSTEM, year=2028, title="Program Współpracy na rok 2028",
                                   consultation_opens=now - timedelta(days=20),
                                   consultation_closes=now + timedelta(days=2))
        create_postulate(world.user("ngo_a"), closing, content="Szkic do programu 2028")
    clock.now = now - timedelta(days=25)
    call = make_call(world, deadline=now + timedelta(days=2))
    with transaction():
        call_ops.announce_call(world.user("unit_x"), call)
    clock.now = now
    draft = complete_offer(world.user("ngo_a"), call)
    return closing, call, draft


REMINDERS = {
    "en": {"pattern": "d MMM yyyy, HH:mm",
           "closing": ("The consultation “{title}” ends on {when}",
                       "Reminder: the consultation on the programme “{title}” ends on {when} (Warsaw time)."),
           "offers": ("The deadline for offers in the call “{title}” is {when}",
                      "Your organisation has unsubmitted draft offers:")},
    "uk": {"pattern": "dd.MM.yyyy HH:mm",
           "closing": ("Консультації «{title}» завершуються {when}",
                       "Нагадуємо: консультації щодо програми «{title}» завершуються {when} (за варшавським часом)."),
           "offers": ("Термін подання пропозицій у конкурсі «{title}» спливає {when}",
                      "Ваша організація має неподані чернетки пропозицій:")},
}


def _assert_reminders_in(smtp, world, locale, closing, call, draft):
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    words = REMINDERS[locale]

    def when(instant):
        return format_datetime(instant, words["pattern"], tzinfo=ZoneInfo("Europe/Warsaw"), locale=locale)

    mails = smtp.inbox.to(world.user("ngo_a").email)
    assert {m["Content-Language"] for m in mails} == {locale}
    subject, first_line = (w.format(title=closing.title, when=when(closing.consultation_closes))
                           for w in words["closing"])
    [consultation] = [m for m in mails if m["Subject"] == subject]
    assert first_line in consultation.get_content()
    subject, line = (w.format(title=call.title, when=when(call.offers_deadline)) for w in words["offers"])
    [offers] = [m for m in mails if m["Subject"] == subject]
    assert line in offers.get_content() and f"{BASE}/oferty/{draft.id}/edycja" in offers.get_content()
    for message in (consultation, offers):
        assert not [w for w in POLISH_WORDS if w in message.get_content()], message.get_content()
    # ngo_b did not choose a language: Polish
    [only_b] = smtp.inbox.to(world.user("ngo_b").email)
    assert only_b["Content-Language"] == "pl" and only_b["Subject"].startswith("Konsultacje „Program")


@pytest.mark.parametrize("locale", ["en", "uk"])
def test_reminders_arrive_in_the_recipients_language(app, world, smtp, clock, locale):
    with transaction():
        db.session.get(User, world.user("ngo_a").id).locale = locale
    closing, call, draft = _reminders_due(world, clock)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    settle(app)
    _assert_reminders_in(smtp, world, locale, closing, call, draft)


@pytest.fixture
def worker_tasks(app, monkeypatch):
    """worker/tasks.py with this app as the one its tasks use (a worker makes its own from the environment).
    Called as plain functions, Celery tasks run here and now, without a broker."""
    from worker import tasks

    monkeypatch.setattr(tasks, "_flask_app", app)
    return tasks


def test_the_periodic_reminders_task_sends_what_the_command_does(app, world, smtp, clock, worker_tasks):
    with transaction():
        db.session.get(User, world.user("ngo_a").id).locale = "en"
    closing, call, draft = _reminders_due(world, clock)
    assert worker_tasks.send_reminders() == 3  # two consultation reminders (ngo_a, ngo_b), one offers one
    settle(app)
    _assert_reminders_in(smtp, world, "en", closing, call, draft)
    assert worker_tasks.send_reminders() == 0  # the next hour's run: nothing new
    settle(app)
    assert len(smtp.inbox.messages) == 3


def test_the_periodic_mail_task_sends_what_was_left_due(app, world, smtp, worker_tasks):
    """An e-mail a broker that was down left queued and due (next_attempt_at passed) is sent by the task."""
    user = world.user("unit_y")
    note = Notification(recipient_id=user.id, kind="postulate_assigned", related_type="postulate", related_id=1,
                        subject="Postulate waiting", body="Left behind.", link="/", created_at=utcnow(),
                        locale="en", address=user.email, state="queued", attempts=0,
                        next_attempt_at=utcnow() - timedelta(seconds=5))
    db.session.add(note)
    db.session.commit()
    assert worker_tasks.send_due_mail() == {"sent": 1, "queued": 0, "failed": 0}
    [message] = smtp.inbox.to(user.email)
    assert message["Subject"] == "Postulate waiting" and message["Content-Language"] == "en"
    assert "Left behind." in message.get_content() and "This message was sent automatically" in message.get_content()
    db.session.expire_all()
    assert db.session.get(Notification, note.id).state == "sent"
    assert worker_tasks.send_due_mail() == {"sent": 0, "queued": 0, "failed": 0}  # sent once
    assert len(smtp.inbox.messages) == 1


def test_an_email_to_a_deactivated_account_fails_at_once(app, world, smtp):
    from consult.notifications.delivery import attempt

    user = world.user("unit_y")
    with transaction():
        db.session.get(User, user.id).active = False
    note = Notification(recipient_id=user.id, kind="postulate_assigned", related_type="postulate", related_id=1,
                        subject="Temat", body="Treść.", created_at=utcnow(), locale="pl", address=user.email,
                        state="queued", attempts=0)
    db.session.add(note)
    db.session.commit()
    assert attempt(note.id, app).state == "failed"
    db.session.expire_all()
    note = db.session.get(Notification, note.id)
    assert (note.state, note.attempts) == ("failed", 1) and "nieaktywne" in note.error
    assert smtp.inbox.messages == [] and smtp.inbox.refused == []
