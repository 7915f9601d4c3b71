"""Signing up and membership as people use them: an account opened by its owner and confirmed by the link in the
e-mail (single use, two days), a new organisation that files nothing until the city verifies it, a KRS or NIP that
is never registered twice, requests to join decided by the organisation's administrators, drafts shared by the
organisation's members, and the organisation's choice of who may submit."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from consult.auth.models import User
from consult.auth.passwords import password_problem
from consult.core.models import AuditEvent
from consult.core.types import clock_at, utcnow
from consult.extensions import db
from consult.membership.models import JoinRequest
from consult.notifications.models import Notification
from consult.organisations.models import Organisation
from consult.postulates.models import Postulate
from tests.conftest import login

PASSWORD = "zielony-rower-nad-wisla"
PROFILE = {"legal_form": "stowarzyszenie", "address": "ul. Floriańska 1, 31-019 Kraków", "district": "I",
           "spheres": ["16", "32"], "email": "biuro@nowe.example.org", "phone": "12 345 67 89",
           "website": "nowe.example.org"}


def sign_up(client, email="anna.nowak@example.org", password=PASSWORD, name="Anna Nowak"):
    return client.post("/rejestracja", data={"name": name, "email": email, "password": password})


def confirmation_link(email: str) -> str:
    """The link of the newest confirmation e-mail to `email`, read from the outbox as its owner reads the mail."""
    db.session.expire_all()
    note = db.session.scalars(db.select(Notification).where(Notification.kind == "email_confirmation",
                                                            Notification.address == email)
                              .order_by(Notification.id.desc())).first()
    assert note is not None, f"no confirmation e-mail to {email}"
    return re.search(r"https?://\S+(/rejestracja/potwierdz/\S+)", note.body).group(1)


def newcomer(client, email="anna.nowak@example.org"):
    """A person signed up, confirmed and signed in: no organisation yet."""
    assert sign_up(client, email).status_code == 302
    assert client.get(confirmation_link(email)).status_code == 200
    login(client, email, PASSWORD)
    return db.session.scalar(db.select(User).where(User.email == email))


def actions(subject_type: str, subject_id: int) -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).where(
        AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id).order_by(AuditEvent.id)))


def test_a_person_signs_up_confirms_once_and_then_signs_in(app, world, client):
    response = sign_up(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/rejestracja/wyslano")
    user = db.session.scalar(db.select(User).where(User.email == "anna.nowak@example.org"))
    assert user.role == "ngo" and user.organisation_id is None and user.email_confirmed_at is None
    assert user.check_password(PASSWORD) and PASSWORD not in user.password_hash

    # Before confirming: the right password gets "confirm your address" and a button that sends the link again.
    page = client.post("/logowanie", data={"email": user.email, "password": PASSWORD}).get_data(as_text=True)
    assert "nie jest potwierdzony" in page and "Wyślij link jeszcze raz" in page
    assert client.get("/organizacja").status_code == 302  # not signed in
    # A wrong password says nothing about the account.
    page = client.post("/logowanie", data={"email": user.email, "password": "zle-haslo-123456"}).get_data(True)
    assert "nie jest potwierdzony" not in page and "Nieprawidłowy adres e-mail lub hasło." in page

    link = confirmation_link(user.email)
    page = client.get(link)
    assert page.status_code == 200 and "Adres e-mail potwierdzony" in page.get_data(as_text=True)
    again = client.get(link)  # a used link is refused
    assert again.status_code == 404 and "został już użyty" in again.get_data(as_text=True)

    response = client.post("/logowanie", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/organizacja")
    page = client.get("/organizacja").get_data(as_text=True)
    assert "Zarejestruj organizację" in page and "Dołącz do organizacji" in page
    assert actions("user", user.id) == ["sign_up", "confirm_email"]


def test_the_confirmation_e_mail_is_in_the_persons_language(app, world, client):
    client.set_cookie("lang", "en")
    client.post("/jezyk/en", data={})
    sign_up(client, "olena@example.org")
    note = db.session.scalar(db.select(Notification).where(Notification.address == "olena@example.org"))
    assert note.locale == "en" and "Confirm" in note.subject


def test_an_expired_link_is_refused_and_a_new_one_works(app, world, client):
    with clock_at(utcnow() - timedelta(hours=49)):
        sign_up(client)
    old = confirmation_link("anna.nowak@example.org")
    page = client.get(old)
    assert page.status_code == 410 and "Link wygasł" in page.get_data(as_text=True)

    response = client.post("/rejestracja/ponow", data={"email": "anna.nowak@example.org"})
    assert response.status_code == 302
    # Asking for an address with no account answers the same and sends nothing.
    assert client.post("/rejestracja/ponow", data={"email": "nikt@example.org"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.address == "nikt@example.org")) == 0
    new = confirmation_link("anna.nowak@example.org")
    assert new != old and client.get(new).status_code == 200
    assert client.get(old).status_code in (404, 410)


def test_signing_up_again_with_a_taken_address_tells_nothing(app, world, client):
    response = sign_up(client, email=world.user("ngo_a").email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/rejestracja/wyslano")
    assert db.session.scalar(db.select(db.func.count()).select_from(User)
                             .where(User.email == world.user("ngo_a").email)) == 1


@pytest.mark.parametrize("password, message", [
    ("krotkie-1", "co najmniej 12 znaków"),
    ("qwerty123456", "najczęściej używanych haseł"),
    ("password123456789", "najczęściej używanych haseł"),
    ("abcabcabcabc", "najczęściej używanych haseł"),
    ("anna.nowak-haslo", "adresu e-mail"),
])
def test_weak_passwords_are_refused_beside_the_field(app, world, client, password, message):
    response = sign_up(client, password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "<title>Błąd: " in page
    assert db.session.scalar(db.select(User).where(User.email == "anna.nowak@example.org")) is None


def test_password_problem_accepts_a_long_uncommon_password(app):
    with app.test_request_context():
        assert password_problem("zielony-rower-nad-wisla", email="anna@example.org") is None
        assert password_problem("x" * 11) is not None


def test_a_registered_organisation_files_nothing_until_the_city_verifies_it(app, world, client):
    user = newcomer(client)
    response = client.post("/organizacja/nowa", data={"name": "Stowarzyszenie Nowe", "krs": "0000123456",
                                                      "nip": "5260250995", **PROFILE})
    assert response.status_code == 302
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Stowarzyszenie Nowe"))
    assert org.status == "pending" and org.district == "I" and org.sphere_codes == ["16", "32"]
    assert org.website == "https://nowe.example.org"
    db.session.refresh(user)
    assert user.organisation_id == org.id and user.organisation_role == "administrator"
    assert "czeka na weryfikację" in client.get("/organizacja").get_data(as_text=True)

    # A draft may be written; submitting it is refused with a clear message.
    response = client.post(f"/programy/{world.programme.id}/postulaty/nowy",
                           data={"content": "Więcej ławek w parkach.", "action": "draft"})
    draft = db.session.scalar(db.select(Postulate).where(Postulate.organisation_id == org.id))
    assert draft is not None and draft.state == "draft"
    response = client.post(f"/postulaty/{draft.id}/zloz", follow_redirects=True)
    assert "czeka na weryfikację przez koordynatora" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.state == "draft"

    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.get("/rejestry/organizacje/do-weryfikacji").get_data(as_text=True)
    assert "Stowarzyszenie Nowe" in page and "anna.nowak@example.org" in page
    assert coordinator.post(f"/rejestry/organizacje/{org.id}/weryfikacja",
                            data={"decision": "verify"}).status_code == 302
    db.session.refresh(org)
    assert org.status == "verified" and org.verified_at is not None
    assert client.post(f"/postulaty/{draft.id}/zloz").status_code == 302
    db.session.refresh(draft)
    assert draft.state == "submitted"
    assert actions("organisation", org.id) == ["register", "verify"]
    told = db.session.scalar(db.select(Notification).where(Notification.kind == "organisation_decided"))
    assert told.recipient_id == user.id and "zweryfikowało" in told.body


def test_a_refused_organisation_is_told_why(app, world, client):
    newcomer(client)
    client.post("/organizacja/nowa", data={"name": "Fundacja Wątpliwa", "krs": "0000123456", "nip": "5260250995",
                                           **PROFILE})
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Fundacja Wątpliwa"))
    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.post(f"/rejestry/organizacje/{org.id}/weryfikacja", data={"decision": "refuse"},
                            follow_redirects=True).get_data(as_text=True)
    assert "Wpisz: powód odmowy." in page
    coordinator.post(f"/rejestry/organizacje/{org.id}/weryfikacja",
                     data={"decision": "refuse", "reason": "Brak w KRS."})
    db.session.refresh(org)
    assert org.status == "refused"
    told = db.session.scalar(db.select(Notification).where(Notification.kind == "organisation_decided"))
    assert "Brak w KRS." in told.body


@pytest.mark.parametrize("field, value", [("nip", "856-734-62-15"), ("krs", "0000099999")])
def test_a_krs_or_nip_already_registered_offers_to_join(app, world, client, field, value):
    if field == "krs":
        world.org_a.krs = "0000099999"
        db.session.commit()
    user = newcomer(client)
    data = {"name": "Fundacja Zustricz (kopia)", "krs": "0000123456", "nip": "5260250995", **PROFILE, field: value}
    page = client.post("/organizacja/nowa", data=data).get_data(as_text=True)
    assert "już jest w systemie: Fundacja Zustricz" in page
    assert "Poproś o dołączenie do: Fundacja Zustricz" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 2

    assert client.post(f"/organizacja/dolacz/{world.org_a.id}").status_code == 302
    request = db.session.scalar(db.select(JoinRequest))
    assert request.user_id == user.id and request.organisation_id == world.org_a.id and request.status == "pending"
    told = db.session.scalar(db.select(Notification).where(Notification.kind == "join_requested"))
    assert told.recipient_id == world.user("ngo_a").id and "Anna Nowak" in told.body


def test_join_requests_are_decided_by_the_organisations_administrators(app, world, client):
    user = newcomer(client)
    page = client.get("/organizacja/dolacz?q=8567346215").get_data(as_text=True)
    assert "Fundacja Zustricz" in page
    client.post(f"/organizacja/dolacz/{world.org_a.id}")
    request = db.session.scalar(db.select(JoinRequest))

    other_admin = login(app.test_client(), world.user("ngo_b"))
    assert other_admin.post(f"/organizacja/prosby/{request.id}", data={"decision": "approve"}).status_code == 403
    admin_a = login(app.test_client(), world.user("ngo_a"))
    assert "Anna Nowak" in admin_a.get("/organizacja").get_data(as_text=True)
    assert admin_a.post(f"/organizacja/prosby/{request.id}", data={"decision": "approve"}).status_code == 302
    db.session.refresh(user)
    db.session.refresh(request)
    assert user.organisation_id == world.org_a.id and user.organisation_role == "member"
    assert request.status == "approved" and request.decided_by_id == world.user("ngo_a").id
    told = db.session.scalar(db.select(Notification).where(Notification.kind == "join_decided"))
    assert told.recipient_id == user.id and "przyjęli" in told.body
    assert actions("join_request", request.id) == ["create", "approve"]
    # Deciding twice changes nothing.
    page = admin_a.post(f"/organizacja/prosby/{request.id}", data={"decision": "refuse"},
                        follow_redirects=True).get_data(as_text=True)
    assert "już zdecydowano" in page


def test_a_refused_requester_is_told_the_reason_and_may_ask_elsewhere(app, world, client):
    user = newcomer(client)
    client.post(f"/organizacja/dolacz/{world.org_a.id}")
    request = db.session.scalar(db.select(JoinRequest))
    admin_a = login(app.test_client(), world.user("ngo_a"))
    admin_a.post(f"/organizacja/prosby/{request.id}", data={"decision": "refuse", "reason": "Nie znamy Cię."})
    db.session.refresh(user)
    assert user.organisation_id is None
    told = db.session.scalar(db.select(Notification).where(Notification.kind == "join_decided"))
    assert "Nie znamy Cię." in told.body
    assert client.post(f"/organizacja/dolacz/{world.org_b.id}").status_code == 302
    assert "Poprosiłeś o dołączenie do organizacji Fundacja Start Tango" in client.get("/organizacja").get_data(True)
    # One request at a time, and no registering meanwhile.
    page = client.post(f"/organizacja/dolacz/{world.org_a.id}", follow_redirects=True).get_data(as_text=True)
    assert "Czekasz już na decyzję" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(JoinRequest)
                             .where(JoinRequest.status == "pending")) == 1


def test_members_share_the_organisations_drafts(app, world, client):
    member = login(client, world.user("ngo_a_member"))
    draft = world.p["a_draft"]  # written by NGO A's administrator
    assert "Szkic organizacji A" in member.get("/moje-postulaty").get_data(as_text=True)
    response = member.post(f"/postulaty/{draft.id}/edycja", data={"content": "Szkic poprawiony przez członka",
                                                                  "version": draft.version})
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.content == "Szkic poprawiony przez członka"
    assert member.get(f"/postulaty/{world.p['b_draft'].id}/edycja").status_code == 403


def test_the_organisation_chooses_who_may_submit(app, world, client):
    member = login(client, world.user("ngo_a_member"))
    admin_a = login(app.test_client(), world.user("ngo_a"))
    # A member may not choose.
    assert member.post("/organizacja/zasady", data={"submit_policy": "administrators"}).status_code == 403
    assert admin_a.post("/organizacja/zasady", data={"submit_policy": "administrators"}).status_code == 302
    db.session.refresh(world.org_a)
    assert world.org_a.submit_policy == "administrators"
    assert actions("organisation", world.org_a.id)[-1] == "set_submit_policy"

    draft = world.p["a_draft"]
    page = member.post(f"/postulaty/{draft.id}/zloz", follow_redirects=True).get_data(as_text=True)
    assert "składają tylko jej administratorzy" in page
    db.session.refresh(draft)
    assert draft.state == "draft"
    assert admin_a.post(f"/postulaty/{draft.id}/zloz").status_code == 302
    db.session.refresh(draft)
    assert draft.state == "submitted"


def test_an_offer_is_not_submitted_against_the_organisations_choice(app, world):
    from consult.calls import operations as call_ops
    from consult.core.errors import Refused
    from consult.core.operations import transaction
    from tests.access_cases.calls import _fill, call_of

    world.org_a.submit_policy = "administrators"
    db.session.commit()
    member = world.user("ngo_a_member")
    with transaction():
        offer = call_ops.create_offer(member, call_of(world, "announced"))
    with app.test_request_context(), pytest.raises(Refused, match="składają tylko jej administratorzy"):
        _fill(member, offer)
    db.session.rollback()
    world.org_a.status = "pending"
    world.org_a.submit_policy = "members"
    db.session.commit()
    with app.test_request_context(), pytest.raises(Refused, match="czeka na weryfikację"):
        _fill(world.user("ngo_a"), db.session.merge(offer))


def test_an_organisation_keeps_one_administrator_and_its_profile(app, world, client):
    admin_a = login(client, world.user("ngo_a"))
    me = world.user("ngo_a")
    page = admin_a.post(f"/organizacja/czlonkowie/{me.id}/rola", data={"role": "member"},
                        follow_redirects=True).get_data(as_text=True)
    assert "co najmniej jednego administratora" in page
    member = world.user("ngo_a_member")
    admin_a.post(f"/organizacja/czlonkowie/{member.id}/rola", data={"role": "administrator"})
    db.session.refresh(member)
    assert member.organisation_role == "administrator"

    page = admin_a.post("/organizacja/profil", data={**PROFILE, "spheres": []}).get_data(as_text=True)
    assert "co najmniej jedną sferę" in page
    assert admin_a.post("/organizacja/profil", data=PROFILE).status_code == 302
    db.session.refresh(world.org_a)
    assert world.org_a.address == PROFILE["address"] and world.org_a.sphere_codes == ["16", "32"]
    assert actions("organisation", world.org_a.id)[-1] == "edit_profile"


def test_the_city_is_told_of_a_new_organisation_in_each_readers_language(app, world, client):
    from consult.core.operations import transaction

    with transaction():
        db.session.get(User, world.user("coordinator").id).locale = "en"
        db.session.get(User, world.user("admin").id).locale = "uk"
    newcomer(client)
    client.post("/organizacja/nowa", data={"name": "Stowarzyszenie Nowe", "krs": "0000123456", "nip": "5260250995",
                                           **PROFILE})
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Stowarzyszenie Nowe"))
    notes = {n.recipient_id: n for n in db.session.scalars(
        db.select(Notification).where(Notification.kind == "organisation_registered"))}
    coordinator, admin = world.user("coordinator"), world.user("admin")
    assert set(notes) == {coordinator.id, admin.id}  # the city's people, nobody else
    for note in notes.values():
        assert note.link == "/rejestry/organizacje/do-weryfikacji" and note.related_id == org.id
        assert re.search(r"https?://\S+/rejestry/organizacje/do-weryfikacji", note.body)
        assert "Stowarzyszenie Nowe" in note.subject and "5260250995" in note.body and "Anna Nowak" in note.body
    assert notes[coordinator.id].locale == "en" and "to verify" in notes[coordinator.id].subject
    assert notes[admin.id].locale == "uk" and "верифікац" in notes[admin.id].subject

    # The coordinator follows the link and finds the organisation waiting for a decision.
    page = login(app.test_client(), coordinator).get(notes[coordinator.id].link).get_data(as_text=True)
    assert "Stowarzyszenie Nowe" in page and "anna.nowak@example.org" in page


def test_an_administrator_removes_a_member_who_keeps_the_account_and_is_told(app, world, client):
    from consult.core.operations import transaction
    from consult.postulates.operations import create_postulate

    member = world.user("ngo_a_member")
    with transaction():
        draft = create_postulate(db.session.get(User, member.id), world.programme, content="Szkic członka")
    other_admin = login(app.test_client(), world.user("ngo_b"))
    assert other_admin.post(f"/organizacja/czlonkowie/{member.id}/usun").status_code == 403
    as_member = login(app.test_client(), member)
    assert as_member.post(f"/organizacja/czlonkowie/{world.user('ngo_a').id}/usun").status_code == 403

    admin_a = login(client, world.user("ngo_a"))
    page = admin_a.get("/organizacja").get_data(as_text=True)
    assert f'href="/organizacja/czlonkowie/{member.id}/usun"' in page and "Usuń z organizacji: Ngo A Member" in page
    page = admin_a.get(f"/organizacja/czlonkowie/{member.id}/usun").get_data(as_text=True)
    assert "Usunąć z organizacji: Ngo A Member?" in page and "konto tej osoby zostaje" in page
    response = admin_a.post(f"/organizacja/czlonkowie/{member.id}/usun")
    assert response.status_code == 302 and response.headers["Location"].endswith("/organizacja")
    assert "Usunięto z organizacji: Ngo A Member" in admin_a.get("/organizacja").get_data(as_text=True)

    db.session.expire_all()
    removed = db.session.get(User, member.id)
    assert removed.active and removed.organisation_id is None and removed.organisation_role is None
    assert db.session.get(Postulate, draft.id).organisation_id == world.org_a.id  # the draft stays
    assert actions("user", member.id)[-1] == "remove_from_organisation"
    [told] = db.session.scalars(db.select(Notification).where(Notification.kind == "member_removed")).all()
    assert told.recipient_id == member.id and "Fundacja Zustricz" in told.subject and "działa dalej" in told.body

    # The person still signs in, sees the way to join or register, and no longer the organisation's drafts.
    page = as_member.get("/organizacja").get_data(as_text=True)
    assert "Zarejestruj organizację" in page and "Dołącz do organizacji" in page
    assert "Szkic członka" not in as_member.get("/moje-postulaty").get_data(as_text=True)
    assert "Szkic członka" in admin_a.get("/moje-postulaty").get_data(as_text=True)


def test_removing_never_leaves_an_organisation_without_an_administrator(app, world, client):
    me, member = world.user("ngo_a"), world.user("ngo_a_member")
    admin_a = login(client, me)
    page = admin_a.post(f"/organizacja/czlonkowie/{me.id}/usun").get_data(as_text=True)
    assert "<title>Błąd: " in page and "co najmniej jednego administratora" in page
    db.session.expire_all()
    assert db.session.get(User, me.id).organisation_id == world.org_a.id
    # With a second administrator named, the first may leave; the organisation keeps the other.
    admin_a.post(f"/organizacja/czlonkowie/{member.id}/rola", data={"role": "administrator"})
    assert admin_a.post(f"/organizacja/czlonkowie/{me.id}/usun").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, me.id).organisation_id is None
    assert db.session.get(User, member.id).organisation_role == "administrator"
