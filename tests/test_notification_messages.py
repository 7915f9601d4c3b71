"""Notifications in the application are short messages in the reader's language, written when shown from the
notification's kind and parameters, each with a link that works; the e-mails' links are on CONSULT_BASE_URL, and
`consult demo` points it at the address it serves."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from consult.auth.models import User
from consult.calls import operations as call_ops
from consult.core.operations import transaction
from consult.extensions import db
from consult.notifications.messages import MESSAGES
from consult.notifications.models import NOTIFICATION_KINDS, Notification
from tests.conftest import login
from tests.test_calls import _to_evaluation, announced_call, clock, people, submitted_offer

__all__ = ["clock", "people"]


def notes_of(user, kind: str) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(db.select(Notification).where(Notification.recipient_id == user.id,
                                                            Notification.kind == kind)).all()


def set_locale(user, locale: str | None) -> None:
    with transaction():
        db.session.get(User, user.id).locale = locale


def items(page: str) -> list[tuple[str, str]]:
    """(link, message) of each notification listed on /powiadomienia."""
    return re.findall(r'<li class="notification">\s*<p><a href="([^"]+)">([^<]+)</a></p>', page)


def shown(app, user, locale: str = "pl") -> list[tuple[str, str]]:
    set_locale(user, locale)
    client = login(app.test_client(), user)
    page = client.get("/powiadomienia").get_data(as_text=True)
    for body_line in ("Treść postulatu:", "Szczegóły: http", "Tę wiadomość wysłał automatycznie", "http://"):
        assert body_line not in page  # no e-mail text on the page
    return items(page)


def follow(app, user, link: str):
    client = login(app.test_client(), user)
    return client.get(link.split("#")[0])


def check(app, user, kind: str, polish: str, english: str, link: str) -> None:
    """The user's notification of `kind` is listed with its message in Polish and, for a reader of English, in
    English (the same row: written once, shown in the reader's language), and its link opens (200)."""
    [note] = notes_of(user, kind)
    assert note.link == link
    assert (link, polish) in shown(app, user, "pl")
    assert (link, english) in shown(app, user, "en")
    assert follow(app, user, link).status_code == 200


def test_every_kind_of_notification_has_a_message():
    assert set(NOTIFICATION_KINDS) <= set(MESSAGES)


def test_postulate_and_position_notices_are_short_messages_with_working_links(app, world):
    from consult.postulates.operations import assign_postulate, publish_positions

    postulate, answered = world.p["b_submitted"], world.p["a_answered_x"]
    from consult.postulates import deadlines

    due = deadlines.today() + timedelta(days=40)
    with transaction():
        assign_postulate(world.user("coordinator"), postulate, world.unit_y, due_on=due)
        publish_positions(world.user("unit_x"), [answered])
    check(app, world.user("unit_y"), "postulate_assigned",
          f"Postulat {postulate.reference} czeka na stanowisko Twojej komórki ({world.unit_y.name}) do {due:%d.%m.%Y}.",
          f"Postulate {postulate.reference} awaits your unit’s position ({world.unit_y.name}) by "
          f"{due.day} {due:%b} {due.year}.",
          f"/postulaty/{postulate.id}/stanowisko")
    check(app, world.user("ngo_a"), "position_published",
          f"Opublikowano stanowisko w sprawie postulatu {answered.reference}.",
          f"A position on postulate {answered.reference} has been published.",
          f"/postulaty/{answered.id}")


def test_a_summary_notice_leads_to_the_meetings_published_pdfs(app, world):
    from tests.test_loose_ends import held_meeting, published_summary

    meeting = held_meeting(world)
    version = published_summary(world, meeting)
    when = meeting.date
    check(app, world.user("ngo_a"), "summary_published",
          f"Opublikowano podsumowanie spotkania „{meeting.title}” z {when:%d.%m.%Y} (wersja 1).",
          f"The summary of the meeting “{meeting.title}” of {when.day} {when:%b} {when.year} has been published "
          f"(version 1).",
          f"/programy/spotkania/{meeting.id}#podsumowanie")
    page = follow(app, world.user("ngo_a"), f"/programy/spotkania/{meeting.id}").get_data(as_text=True)
    assert 'id="podsumowanie"' in page and f'href="/podsumowania/{version.id}.pdf"' in page


def test_call_notices_are_short_messages_with_working_links(app, world, clock, people):
    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    with transaction():
        call_ops.record_decision(coordinator, offer_a, kind="grant", amount="5 500,50")
        call_ops.record_decision(coordinator, offer_b, kind="refusal", reason="Brak środków.")
        call_ops.publish_results(coordinator, call)
    check(app, world.user("ngo_a"), "call_results",
          f"Wyniki konkursu „{call.title}”: Twoja oferta {offer_a.reference} otrzymała dotację w kwocie 5 500,50 zł.",
          f"Results of the call “{call.title}”: your offer {offer_a.reference} was awarded a grant of PLN 5,500.50.",
          f"/oferty/{offer_a.id}")
    check(app, world.user("ngo_b"), "call_results",
          f"Wyniki konkursu „{call.title}”: Twoja oferta {offer_b.reference} nie otrzymała dotacji.",
          f"Results of the call “{call.title}”: your offer {offer_b.reference} was not awarded a grant.",
          f"/oferty/{offer_b.id}")


def test_a_correction_notice_names_the_deadline_in_the_readers_language(app, world, clock):
    from consult.i18n import format_moment

    call = announced_call(world, clock)
    offer = submitted_offer(world.user("ngo_a"), call)
    clock.now = call.offers_deadline
    with transaction():
        call_ops.close_call_for_offers(world.user("unit_x"), call)
    deadline = clock.now + timedelta(days=7)
    with transaction():
        call_ops.request_correction(world.user("unit_x"), offer, deficiencies="Brak podpisu.", deadline=deadline)
    from flask_babel import force_locale

    with force_locale("en"):
        english_when = format_moment(deadline)
    check(app, world.user("ngo_a"), "correction_requested",
          f"Popraw ofertę {offer.reference} w konkursie „{call.title}” do {deadline.astimezone(_warsaw()):%d.%m.%Y %H:%M}.",
          f"Correct offer {offer.reference} in the call “{call.title}” by {english_when}.",
          f"/oferty/{offer.id}/edycja")


def test_reminders_are_short_messages_with_working_links(app, world, clock):
    from consult.notifications.operations import send_reminders
    from tests.test_mail import _reminders_due

    closing, call, _draft = _reminders_due(world, clock)
    with transaction():
        send_reminders()
    when = closing.consultation_closes.astimezone(_warsaw())
    check(app, world.user("ngo_a"), "consultation_closing",
          f"Konsultacje programu „{closing.title}” kończą się {when:%d.%m.%Y %H:%M}. "
          "Twoja organizacja ma niezłożone szkice postulatów: 1.",
          f"The consultation on the programme “{closing.title}” ends on {when.day} {when:%b} {when.year}, "
          f"{when:%H:%M}. Your organisation has unsubmitted draft postulates: 1.",
          f"/programy/{closing.id}/postulaty/nowy")
    deadline = call.offers_deadline.astimezone(_warsaw())
    check(app, world.user("ngo_a"), "offers_deadline",
          f"Termin składania ofert w konkursie „{call.title}” mija {deadline:%d.%m.%Y %H:%M}, a Twoja organizacja "
          "ma niezłożone oferty robocze.",
          f"The deadline for offers in the call “{call.title}” is {deadline.day} {deadline:%b} {deadline.year}, "
          f"{deadline:%H:%M}, and your organisation has unsubmitted draft offers.",
          "/moje-oferty")


def test_a_reminder_of_a_positions_due_date_is_a_short_message_with_a_working_link(app, world, monkeypatch):
    from consult.core.types import utcnow
    from consult.notifications.operations import send_reminders
    from consult.postulates import deadlines

    postulate = world.p["a_assigned_x"]  # assigned by the world now: due in 14 days
    due = deadlines.today() + timedelta(days=14)
    monkeypatch.setattr("consult.notifications.operations.utcnow", lambda: utcnow() + timedelta(days=12))
    with transaction():
        send_reminders()
    check(app, world.user("unit_x"), "position_due",
          f"Termin stanowiska komórki {world.unit_x.name} w sprawie postulatu {postulate.reference} mija "
          f"{due:%d.%m.%Y}.",
          f"The deadline for the position of {world.unit_x.name} on postulate {postulate.reference} is "
          f"{due.day} {due:%b} {due.year}.",
          f"/postulaty/{postulate.id}/stanowisko")


def test_a_notification_written_before_messages_shows_its_subject(app, world):
    from consult.core.types import utcnow

    with transaction():
        db.session.add(Notification(recipient_id=world.user("ngo_a").id, kind="call_results", related_type="offer",
                                    related_id=1, subject="Temat <i>dawnego</i> powiadomienia", body="Treść e-maila.",
                                    link="/oferty/1", created_at=utcnow(), state="unsent"))
    page = login(app.test_client(), world.user("ngo_a")).get("/powiadomienia").get_data(as_text=True)
    assert '<a href="/oferty/1">Temat &lt;i&gt;dawnego&lt;/i&gt; powiadomienia</a>' in page
    assert "Treść e-maila." not in page


# --- links in e-mails -------------------------------------------------------------------------------------

def test_links_in_emails_are_on_consult_base_url(app, world, monkeypatch):
    from consult.config import load_config
    from consult.notifications.rendering import email_text
    from consult.postulates.operations import assign_postulate

    monkeypatch.setenv("CONSULT_BASE_URL", "https://konsultacje.krakow.example/ ")
    assert load_config()["CONSULT_BASE_URL"] == "https://konsultacje.krakow.example"
    monkeypatch.setitem(app.config, "CONSULT_BASE_URL", "https://konsultacje.krakow.example")
    postulate = world.p["b_submitted"]
    with transaction():
        assign_postulate(world.user("coordinator"), postulate, world.unit_y)
    [note] = notes_of(world.user("unit_y"), "postulate_assigned")
    text = email_text(note)
    links = re.findall(r"https?://\S+", text)
    assert links == [f"https://konsultacje.krakow.example/postulaty/{postulate.id}/stanowisko",
                     "https://konsultacje.krakow.example/kolejka",
                     "https://konsultacje.krakow.example/powiadomienia"]


@pytest.mark.parametrize(("host", "expected"), [("127.0.0.1", "http://127.0.0.1:5055"),
                                                ("0.0.0.0", "http://127.0.0.1:5055"),
                                                ("::", "http://[::1]:5055"),
                                                ("konsultacje.local", "http://konsultacje.local:5055")])
def test_the_demo_serves_at_the_address_its_links_use(host, expected):
    from consult.cli import served_at

    assert served_at(host, 5055) == expected


def _warsaw():
    from consult.core.types import WARSAW

    return WARSAW
