"""Recovering and changing access, sign-in throttling and staff accounts by invitation (issue 12, items 3-5), as a
person uses them: the e-mail in the outbox, its link, the pages, and what a second browser then sees."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from consult.auth.models import AccessAttempt, User
from consult.auth.passwords import password_problem
from consult.core.errors import Refused
from consult.core.models import AuditEvent
from consult.core.types import clock_at, utcnow
from consult.extensions import db
from consult.notifications.models import Notification
from tests.conftest import PASSWORD, login

NEW = "zielony-tramwaj-na-kazimierzu"


def mail(kind: str, address: str | None = None) -> Notification:
    """The latest e-mail of `kind` (to `address`) in the outbox."""
    db.session.rollback()  # see what the requests committed
    query = db.select(Notification).where(Notification.kind == kind).order_by(Notification.id.desc())
    if address:
        query = query.where(Notification.address == address)
    note = db.session.scalars(query).first()
    assert note is not None, f"no {kind} e-mail"
    return note


def link_in(note: Notification) -> str:
    """The path of the link an e-mail carries."""
    found = re.search(r"https?://\S+/(?:haslo/nowe|zaproszenie|konto/adres)/\S+", note.body)
    assert found, note.body
    return urlsplit(found.group(0)).path


def events(action: str) -> list[AuditEvent]:
    db.session.rollback()
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def signed_in(client) -> bool:
    return client.get("/konto").status_code == 200


def fresh(user) -> User:
    db.session.rollback()
    return db.session.get(User, user.id, populate_existing=True)


# --- passwords -------------------------------------------------------------------------------------------------------

def test_a_password_must_be_long_not_common_and_not_the_address(app):
    with app.test_request_context():
        assert "12" in password_problem("krótkie-11z")
        assert "najczęściej używanych" in password_problem("password1234")
        assert "najczęściej używanych" in password_problem("PASSWORD1234")  # in any case
        assert "adresu e-mail" in password_problem("anna.nowak@example.org", email="Anna.Nowak@example.org")
        assert password_problem("            ") is not None
        assert password_problem(NEW, email="anna@example.org") is None
        assert password_problem(PASSWORD) is None


def test_create_user_on_the_command_line_refuses_a_common_password_and_takes_a_good_one(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "admin@krakow.example", "--name", "Admin", "--role",
                                 "admin", "--password", "password1234"])
    assert result.exit_code == 1 and "najczęściej używanych" in result.output
    result = runner.invoke(args=["create-user", "--email", "admin@krakow.example", "--name", "Admin", "--role",
                                 "admin", "--password", NEW])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User).where(User.email == "admin@krakow.example")).check_password(NEW)


# --- a forgotten password ----------------------------------------------------------------------------------------------

def test_forgotten_password_by_a_link_that_works_once(app, world):
    user = world.user("ngo_a")
    elsewhere = login(app.test_client(), user)  # another browser, signed in before
    client = app.test_client()
    page = client.post("/haslo/nie-pamietam", data={"email": "NGO_A@example.org "}).get_data(as_text=True)
    assert "Sprawdź skrzynkę pocztową" in page and "ngo_a@example.org" in page
    note = mail("password_reset")
    assert note.recipient_id == user.id and note.address == user.email
    link = link_in(note)
    assert "Ustaw nowe hasło" in client.get(link).get_data(as_text=True)
    # the same password twice, or a common one, is refused on the page
    page = client.post(link, data={"password": NEW, "confirm": NEW + "x"}).get_data(as_text=True)
    assert "Oba wpisane hasła muszą być takie same." in page and "Wystąpił problem" in page
    page = client.post(link, data={"password": "password1234", "confirm": "password1234"}).get_data(as_text=True)
    assert "najczęściej używanych" in page
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and signed_in(client)
    assert not signed_in(elsewhere)  # every other session ended
    assert fresh(user).check_password(NEW) and not fresh(user).check_password(PASSWORD)
    # used once: the link works no more
    replay = app.test_client().get(link)
    assert replay.status_code == 404 and "Link nie działa" in replay.get_data(as_text=True)
    assert app.test_client().post(link, data={"password": "inne-haslo-do-konta", "confirm": "inne-haslo-do-konta"}
                                  ).status_code == 404
    assert fresh(user).check_password(NEW)
    assert [e.subject_id for e in events("request_password_reset")] == [user.id]
    assert [e.subject_id for e in events("reset_password")] == [user.id]


def test_an_unknown_address_gets_the_same_answer_and_no_email(app, world):
    client = app.test_client()
    known = client.post("/haslo/nie-pamietam", data={"email": "ngo_b@example.org"}).get_data(as_text=True)
    unknown = client.post("/haslo/nie-pamietam", data={"email": "nikt@example.org"}).get_data(as_text=True)
    assert known.replace("ngo_b@example.org", "X") == unknown.replace("nikt@example.org", "X")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.kind == "password_reset")) == 1
    # both requests counted and audited (the unknown one as an attempt, naming the address typed)
    assert sorted(e.subject_type for e in events("request_password_reset")) == ["access_attempt", "user"]
    assert db.session.scalar(db.select(db.func.count()).select_from(AccessAttempt)) == 2


def test_a_reset_link_expires_after_an_hour(app, world):
    app.test_client().post("/haslo/nie-pamietam", data={"email": "unit_x@example.org"})
    link = link_in(mail("password_reset"))
    with clock_at(utcnow() + timedelta(minutes=61)):
        response = app.test_client().get(link)
        assert response.status_code == 410 and "Link wygasł" in response.get_data(as_text=True)
        assert app.test_client().post(link, data={"password": NEW, "confirm": NEW}).status_code == 410
    assert fresh(world.user("unit_x")).check_password(PASSWORD)
    with clock_at(utcnow() + timedelta(minutes=59)):
        assert app.test_client().get(link).status_code == 200


def test_reset_emails_stop_after_three_an_hour(app, world):
    client = app.test_client()
    for _ in range(5):
        page = client.post("/haslo/nie-pamietam", data={"email": "ngo_b@example.org"}).get_data(as_text=True)
        assert "Sprawdź skrzynkę pocztową" in page
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.kind == "password_reset")) == 3


def test_the_outbox_does_not_show_the_link(app, world):
    app.test_client().post("/haslo/nie-pamietam", data={"email": "ngo_a@example.org"})
    note = mail("password_reset")
    token = link_in(note).rsplit("/", 1)[1]
    page = login(app.test_client(), world.user("coordinator")).get(f"/koordynacja/poczta/{note.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and token not in text and "jest tu ukryty" in text


# --- changing one's password and address; signing out -----------------------------------------------------------------

def test_a_new_password_ends_the_other_sessions(app, world):
    user = world.user("unit_y")
    here, there = login(app.test_client(), user), login(app.test_client(), user)
    page = here.post("/konto/haslo", data={"current": "nie-to-haslo-123", "new": NEW, "confirm": NEW})
    assert "Obecne hasło jest nieprawidłowe." in page.get_data(as_text=True)
    page = here.post("/konto/haslo", data={"current": PASSWORD, "new": "password1234", "confirm": "password1234"})
    assert "najczęściej używanych" in page.get_data(as_text=True)
    assert signed_in(there)
    response = here.post("/konto/haslo", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert signed_in(here)  # this browser stays signed in
    assert not signed_in(there)  # the other one is signed out
    assert fresh(user).check_password(NEW)
    assert [e.subject_id for e in events("change_password")] == [user.id]


def test_signing_out_makes_a_copied_session_cookie_useless(app, world):
    client = login(app.test_client(), world.user("coordinator"))
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert signed_in(thief)  # a copy of the cookie works while the session lasts
    client.post("/wyloguj")
    assert not signed_in(client)
    assert not signed_in(thief)
    # signing in again works, with a new session
    assert signed_in(login(app.test_client(), world.user("coordinator")))


def test_changing_the_address_is_confirmed_at_the_new_one_and_told_to_the_old(app, world):
    user = world.user("ngo_b")
    client = login(app.test_client(), user)
    page = client.post("/konto/adres", data={"email": "ngo_a@example.org", "password": PASSWORD})
    assert "Tego adresu używa już inne konto." in page.get_data(as_text=True)
    page = client.post("/konto/adres", data={"email": "nowy@example.org", "password": "nie-to-haslo-123"})
    assert "Hasło jest nieprawidłowe." in page.get_data(as_text=True)
    assert client.post("/konto/adres", data={"email": "Nowy@Example.org", "password": PASSWORD}).status_code == 302
    assert fresh(user).email == "ngo_b@example.org"  # not before the link is opened
    note = mail("email_change")
    assert note.address == "nowy@example.org" and note.recipient_id == user.id
    link = link_in(note)
    other = app.test_client()  # the link opened in another browser, signed out
    assert "nowy@example.org" in other.get(link).get_data(as_text=True)
    assert other.post(link).status_code == 302
    assert fresh(user).email == "nowy@example.org"
    told = mail("email_changed")
    assert told.address == "ngo_b@example.org" and "nowy@example.org" in told.body
    assert other.get(link).status_code == 404  # once
    assert [e.action for e in events("confirm_email_change")] == ["confirm_email_change"]
    assert events("request_email_change")[0].details["new_email"] == "nowy@example.org"
    assert signed_in(login(app.test_client(), "nowy@example.org"))


def test_the_confirmation_goes_to_the_new_address_over_smtp(app, world, mail_server, monkeypatch):
    """Delivered by a thread of its own (or the worker), after the page has answered."""
    import time

    for key, value in mail_server.config().items():
        monkeypatch.setitem(app.config, key, value)
    mail_server.inbox.reset()
    client = login(app.test_client(), world.user("ngo_a"))
    client.post("/konto/adres", data={"email": "nowa-skrzynka@example.org", "password": PASSWORD})
    deadline = time.monotonic() + 30
    while not mail_server.inbox.to("nowa-skrzynka@example.org") and time.monotonic() < deadline:
        time.sleep(0.05)
    (message,) = mail_server.inbox.to("nowa-skrzynka@example.org")
    assert "/konto/adres/" in message.get_content()
    assert mail_server.inbox.to("ngo_a@example.org") == []
    mail_server.inbox.reset()


# --- throttling ------------------------------------------------------------------------------------------------------

def test_thirty_quick_wrong_passwords_are_not_all_tried(app, world):
    user = world.user("ngo_a")
    client = app.test_client()
    statuses = [client.post("/logowanie", data={"email": user.email, "password": f"zgadywane-{n:04}"}).status_code
                for n in range(30)]
    assert statuses == [200] * 4 + [429] * 26
    db.session.rollback()
    # five were tried; the other 25 were refused before any password was checked
    assert db.session.scalar(db.select(db.func.count()).select_from(AccessAttempt)
                             .where(AccessAttempt.kind == "failed_sign_in")) == 5
    page = client.post("/logowanie", data={"email": user.email, "password": PASSWORD})
    text = page.get_data(as_text=True)
    assert page.status_code == 429 and "kolejną próbę można podjąć za 15 min" in text  # the right one waits too
    assert "<title>Błąd: " in text and "Wystąpił problem" in text
    (event,) = events("sign_in_throttled")
    assert (event.subject_type, event.subject_id, event.details["scope"]) == ("user", user.id, "account")
    # in the person's language
    english = app.test_client()
    english.post("/jezyk/en")
    assert "try again in 15 min" in english.post("/logowanie", data={"email": user.email, "password": PASSWORD}
                                                 ).get_data(as_text=True)
    with clock_at(utcnow() + timedelta(minutes=16)):
        assert app.test_client().post("/logowanie", data={"email": user.email, "password": PASSWORD}
                                      ).status_code == 302


def test_failures_from_one_address_make_every_account_wait(app, world):
    client = app.test_client()
    for n in range(20):  # twenty addresses, one wrong password each: no account reaches its own limit
        assert client.post("/logowanie", data={"email": f"ktos{n}@example.org", "password": "zle-haslo-123"}
                           ).status_code == (429 if n == 19 else 200)
    response = client.post("/logowanie", data={"email": "ngo_b@example.org", "password": PASSWORD})
    assert response.status_code == 429
    (event,) = events("sign_in_throttled")
    assert event.subject_type == "access_attempt" and event.details["scope"] == "address"


def test_a_successful_sign_in_forgives_earlier_failures_of_the_account(app, world):
    user = world.user("unit_x")
    client = app.test_client()
    for _ in range(4):
        client.post("/logowanie", data={"email": user.email, "password": "zle-haslo-123"})
    login(client, user)
    client.post("/wyloguj")
    for _ in range(4):
        assert client.post("/logowanie", data={"email": user.email, "password": "zle-haslo-123"}).status_code == 200


# --- invitations and administrators' accounts ---------------------------------------------------------------------------

def invite(admin_client, world, email="nowa.osoba@um.krakow.pl"):
    response = admin_client.post("/rejestry/konta/nowe", data={"email": email, "name": "Nowa Osoba", "role": "unit",
                                                                "unit": str(world.unit_x.id), "organisation": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.rollback()
    return db.session.scalar(db.select(User).where(User.email == email))


def test_an_invitation_is_accepted_once(app, world):
    admin = login(app.test_client(), world.user("admin"))
    user = invite(admin, world)
    assert user.invitation_pending and not user.has_password
    note = mail("invitation")
    assert note.recipient_id == user.id and "Admin" in note.body and "komórka merytoryczna" in note.body
    link = link_in(note)
    # no password yet: nothing signs the invitee in
    assert "Nieprawidłowy adres e-mail lub hasło." in app.test_client().post(
        "/logowanie", data={"email": user.email, "password": "cokolwiek-12345"}).get_data(as_text=True)
    # nor a reset link: the invitation is the way in
    app.test_client().post("/haslo/nie-pamietam", data={"email": user.email})
    db.session.rollback()
    assert not db.session.scalar(db.select(Notification).where(Notification.kind == "password_reset"))
    client = app.test_client()
    assert "Nowa Osoba" in client.get(link).get_data(as_text=True)
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert signed_in(client)
    user = fresh(user)
    assert not user.invitation_pending and user.check_password(NEW)
    assert app.test_client().get(link).status_code == 404
    page = admin.get(f"/rejestry/konta/{user.id}").get_data(as_text=True)
    assert "przyjęcie zaproszenia" in page and "aktywne" in page
    assert [e.action for e in events("accept_invitation")] == ["accept_invitation"]
    assert events("invite")[0].actor_id == world.user("admin").id


def test_an_invitation_expires_and_a_new_one_replaces_it(app, world):
    admin = login(app.test_client(), world.user("admin"))
    user = invite(admin, world)
    first = link_in(mail("invitation"))
    with clock_at(utcnow() + timedelta(days=7, minutes=1)):
        response = app.test_client().get(first)
        assert response.status_code == 410 and "Link wygasł" in response.get_data(as_text=True)
    assert "zaproszenie nieprzyjęte" in admin.get("/rejestry/konta").get_data(as_text=True)
    assert admin.post(f"/rejestry/konta/{user.id}/zaproszenie").status_code == 302
    second = link_in(mail("invitation"))
    assert second != first
    assert app.test_client().get(first).status_code == 404  # the older link works no more
    assert app.test_client().post(second, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert [e.action for e in events("resend_invitation")] == ["resend_invitation"]
    # accepted: nothing left to resend
    admin.post(f"/rejestry/konta/{user.id}/zaproszenie")
    assert len(events("resend_invitation")) == 1


def test_administrators_edit_deactivate_and_reactivate_accounts(app, world):
    admin = login(app.test_client(), world.user("admin"))
    user = world.user("unit_x")
    staff = login(app.test_client(), user)
    page = admin.get("/rejestry/konta").get_data(as_text=True)
    assert "nigdy" in page  # who never signed in (ngo_b here)
    assert "Ostatnie logowanie" in page
    response = admin.post(f"/rejestry/konta/{user.id}", data={"name": "Jan Kowalski", "role": "unit",
                                                             "unit": str(world.unit_y.id), "organisation": ""})
    assert response.status_code == 302
    assert (fresh(user).name, fresh(user).unit_id) == ("Jan Kowalski", world.unit_y.id)
    assert events("edit")[0].details["unit_id"] == [world.unit_x.id, world.unit_y.id]
    page = admin.post(f"/rejestry/konta/{user.id}", data={"name": "Jan Kowalski", "role": "unit", "unit": "",
                                                         "organisation": ""}).get_data(as_text=True)
    assert "Pracownik komórki musi mieć wskazaną komórkę." in page
    assert admin.post(f"/rejestry/konta/{user.id}/dezaktywacja").status_code == 302
    assert not signed_in(staff)  # the deactivated account's session ended
    assert app.test_client().post("/logowanie", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert admin.post(f"/rejestry/konta/{user.id}/aktywacja").status_code == 302
    assert signed_in(login(app.test_client(), user))
    assert [e.action for e in events("deactivate")] == ["deactivate"]
    assert [e.action for e in events("reactivate")] == ["reactivate"]
    # an administrator cannot lock themselves out
    own = world.user("admin")
    admin.post(f"/rejestry/konta/{own.id}/dezaktywacja")
    assert fresh(own).active
    page = admin.post(f"/rejestry/konta/{own.id}", data={"name": "Admin", "role": "coordinator", "unit": "",
                                                        "organisation": ""}).get_data(as_text=True)
    assert "Nie możesz zmienić roli własnego konta" in page and fresh(own).role == "admin"


@pytest.mark.parametrize("path", ["/konto", "/konto/haslo", "/konto/adres"])
def test_own_account_pages_are_in_the_readers_language(app, world, path):
    client = login(app.test_client(), world.user("ngo_a"))
    client.post("/jezyk/uk")
    page = client.get(path).get_data(as_text=True)
    assert 'lang="uk"' in page and "Zmień" not in page


def test_the_only_administrator_of_an_organisation_with_members_is_not_deactivated(app, world):
    """Deactivating the last active administrator of an organisation in which others remain would leave nobody to
    let people in or choose who submits: refused, naming the organisation; once a member administers it, it works.
    The only person of an organisation may be deactivated (nobody is left without an administrator)."""
    admin = login(app.test_client(), world.user("admin"))
    head, member = world.user("ngo_a"), world.user("ngo_a_member")
    page = admin.post(f"/rejestry/konta/{head.id}/dezaktywacja", follow_redirects=True).get_data(as_text=True)
    assert "to jedyny aktywny administrator organizacji Fundacja Zustricz" in page
    assert "Konto zostało dezaktywowane" not in page
    assert fresh(head).active and events("deactivate") == []

    # the way out the message names: the organisation's administrator makes a member an administrator
    own = login(app.test_client(), head)
    assert own.post(f"/organizacja/czlonkowie/{member.id}/rola", data={"role": "administrator"}).status_code == 302
    page = admin.post(f"/rejestry/konta/{head.id}/dezaktywacja", follow_redirects=True).get_data(as_text=True)
    assert "Konto zostało dezaktywowane" in page and not fresh(head).active
    # the member, now its only active person, may be deactivated too: nobody is left without an administrator
    page = admin.post(f"/rejestry/konta/{member.id}/dezaktywacja", follow_redirects=True).get_data(as_text=True)
    assert "Konto zostało dezaktywowane" in page and not fresh(member).active

    lone = world.user("ngo_b")  # the only person of Fundacja Start Tango
    assert admin.post(f"/rejestry/konta/{lone.id}/dezaktywacja").status_code == 302
    assert not fresh(lone).active


def test_two_administrators_of_an_organisation_deactivated_at_once_leave_one(app, world, monkeypatch):
    """Two city administrators deactivate the organisation's two administrators at the same moment: each check
    alone sees another administrator left, but the organisation's lock serialises them, so one is refused. (On SQLite
    the account's own lock already serialises every writer; on PostgreSQL only the organisation's lock does.)"""
    from consult.auth import operations
    from consult.core.operations import transaction
    from tests.test_concurrency import _hold_after_reading, _run_together

    head, second = world.user("ngo_a"), world.user("ngo_a_member")
    second.organisation_role = "administrator"
    third = User(email="trzecia@example.org", name="Trzecia Osoba", role="ngo", organisation_id=world.org_a.id,
                 organisation_role="member", email_confirmed_at=utcnow())
    third.set_password(PASSWORD)
    db.session.add(third)
    db.session.commit()
    ids = world.user("admin").id, head.id, second.id
    db.session.remove()
    # both read "another administrator remains" before either writes, unless the organisation's lock serialises them
    rearm = _hold_after_reading(monkeypatch, "sole_organisation_administrator", operations)

    def deactivate(user_id):
        def job():
            with transaction():
                operations.set_active(db.session.get(User, ids[0]), db.session.get(User, user_id), False)
            return "deactivated"
        return job

    for round_number in range(5):
        rearm()
        results = _run_together(app, [deactivate(ids[1]), deactivate(ids[2])])
        refused = [r for r in results if isinstance(r, Refused)]
        assert results.count("deactivated") == 1 and len(refused) == 1, f"round {round_number}: {results!r}"
        assert "Fundacja Zustricz" in refused[0].reason
        db.session.execute(db.update(User).where(User.id.in_(ids[1:])).values(active=True))
        db.session.commit()
