"""A person's own data: the JSON download holds their account, what they did, filed and were told; erasure,
confirmed with their password, removes their name and e-mail from every page while what their organisation filed
stays, is audited, and leaves an account nobody can sign in to."""
from __future__ import annotations

import json

from consult.auth.models import User
from consult.core.models import AuditEvent
from consult.extensions import db
from consult.notifications.models import Notification
from consult.postulates.models import Postulate
from tests.conftest import PASSWORD, login


def test_the_download_holds_the_persons_account_actions_filings_and_messages(world, client):
    me = world.user("ngo_a")
    db.session.add(Notification(recipient_id=me.id, kind="position_published", related_type="postulate",
                                related_id=world.p["a_submitted"].id, subject="Stanowisko opublikowane",
                                body="Treść wiadomości do Ngo A", address=me.email))
    db.session.commit()
    login(client, me)
    page = client.get("/konto/dane").get_data(as_text=True)
    assert "Pobierz moje dane (JSON)" in page and me.email in page
    assert 'method="post" action="/konto/dane.json"' in page
    response = client.post("/konto/dane.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "ngo_a@example.org" and data["account"]["name"] == "Ngo A"
    assert data["account"]["organisation"]["name"] == "Fundacja Zustricz"
    contents = {p["content"] for p in data["postulates_filed"]}
    assert {"Szkic organizacji A", "Złożony przez A", "A, ze stanowiskiem X"} <= contents
    assert "Złożony przez B" not in contents
    assert any(e["action"] == "submit" and e["subject_type"] == "postulate" for e in data["audit_events_made"])
    assert [n["body"] for n in data["notifications"]] == ["Treść wiadomości do Ngo A"]
    # somebody else's download holds none of it
    other = client.application.test_client()
    login(other, world.user("ngo_b"))
    theirs = other.post("/konto/dane.json").get_data(as_text=True)
    assert "ngo_a@example.org" not in theirs and "Szkic organizacji A" not in theirs
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export_personal_data",
                                                         AuditEvent.subject_id == me.id)) is not None


def test_a_get_of_the_download_changes_nothing(world, client):
    """Fetching the address (a link followed, a prefetch) neither downloads nor writes the audit event."""
    me = world.user("ngo_a")
    login(client, me)
    assert client.get("/konto/dane.json").status_code == 405
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export_personal_data")) is None


def test_the_download_needs_the_forms_csrf_token(app, world, client):
    me = world.user("ngo_a")
    login(client, me)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/konto/dane.json").status_code == 400
        page = client.get("/konto/dane").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post("/konto/dane.json", data={"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200 and json.loads(response.get_data(as_text=True))["account"]["id"] == me.id
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "export_personal_data")) == 1


def test_erasure_needs_the_password_and_says_what_will_happen(world, client):
    me = world.user("ngo_a")
    login(client, me)
    page = client.get("/konto/usun").get_data(as_text=True)
    assert "Usunięcia konta nie można cofnąć." in page and "Postulaty i oferty Twojej organizacji zostaną" in page
    assert "Jesteś jedyną osobą, która może się zalogować w imieniu organizacji Fundacja Zustricz" in page
    page = client.post("/konto/usun", data={"password": "zle-haslo-123"}).get_data(as_text=True)
    assert "<title>Błąd: " in page and page.count("Hasło jest nieprawidłowe.") == 2
    assert db.session.get(User, me.id).name == "Ngo A"


def test_erasure_removes_the_name_everywhere_and_keeps_what_the_organisation_filed(world, client):
    me = world.user("ngo_a")
    me_id = me.id
    filed = db.session.scalar(db.select(db.func.count()).select_from(Postulate)
                              .where(Postulate.organisation_id == world.org_a.id))
    coordinator = client.application.test_client()
    login(coordinator, world.user("coordinator"))
    trail_url = f"/postulaty/{world.p['a_submitted'].id}"
    assert "Ngo A" in coordinator.get(trail_url).get_data(as_text=True)  # the trail names who submitted

    login(client, me)
    response = client.post("/konto/usun", data={"password": PASSWORD})
    assert response.status_code == 302
    assert "Twoje dane osobowe zostały usunięte" in client.get("/").get_data(as_text=True)
    assert client.get("/konto/dane").status_code == 302  # signed out

    user = db.session.get(User, me_id)
    db.session.refresh(user)
    assert user.name == "osoba usunięta" and not user.active
    assert user.email.endswith("@usunieto.invalid") and "ngo_a" not in user.email
    assert not user.check_password(PASSWORD)
    assert db.session.scalar(db.select(db.func.count()).select_from(Postulate)
                             .where(Postulate.organisation_id == world.org_a.id)) == filed
    assert client.post("/logowanie", data={"email": "ngo_a@example.org", "password": PASSWORD}).status_code == 200

    admin = client.application.test_client()
    login(admin, world.user("admin"))
    for page_client, url in ((coordinator, trail_url), (admin, "/rejestry/konta"),
                             (admin, "/rejestry/dziennik"), (admin, "/rejestry/dziennik?strona=2"),
                             (coordinator, "/rejestr"), (client, "/postulaty"),
                             (client, f"/organizacje/{world.org_a.id}")):
        response = page_client.get(url)
        text = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "Ngo A" not in text and "ngo_a@example.org" not in text, url
    assert "osoba usunięta" in coordinator.get(trail_url).get_data(as_text=True)
    for event in db.session.scalars(db.select(AuditEvent)):
        assert "ngo_a@example.org" not in json.dumps(event.details, ensure_ascii=False)
    erased = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "erase"))
    assert erased.subject_id == me_id and erased.actor_id == me_id


def test_the_last_administrator_cannot_erase_their_account(world, client):
    login(client, world.user("admin"))
    page = client.get("/konto/usun").get_data(as_text=True)
    assert "Jesteś jedynym aktywnym administratorem" in page
    page = client.post("/konto/usun", data={"password": PASSWORD}).get_data(as_text=True)
    assert "<title>Błąd: " in page
    assert db.session.get(User, world.user("admin").id).active


def test_the_only_administrator_of_an_organisation_with_members_names_another_first(world, client):
    me, member = world.user("ngo_a"), world.user("ngo_a_member")
    login(client, me)
    page = client.get("/konto/usun").get_data(as_text=True)
    assert "Jesteś jedynym administratorem organizacji Fundacja Zustricz" in page
    assert 'href="/organizacja#czlonkowie"' in page
    assert "Jesteś jedyną osobą, która może się zalogować" not in page
    page = client.post("/konto/usun", data={"password": PASSWORD}).get_data(as_text=True)
    assert "<title>Błąd: " in page and 'href="#members-first"' in page
    assert "Najpierw uczyń administratorem kogoś z jej członków" in page
    db.session.expire_all()
    assert db.session.get(User, me.id).active and db.session.get(User, me.id).name == "Ngo A"
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "erase")) is None

    # The way out the page names: the members list, where the member is made an administrator; then erasure works.
    members = client.get("/organizacja").get_data(as_text=True)
    assert 'id="czlonkowie"' in members and "Zrób administratorem: Ngo A Member" in members
    assert client.post(f"/organizacja/czlonkowie/{member.id}/rola", data={"role": "administrator"}).status_code == 302
    assert "Jesteś jedynym administratorem" not in client.get("/konto/usun").get_data(as_text=True)
    assert client.post("/konto/usun", data={"password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, me.id).active
    assert db.session.get(User, member.id).organisation_role == "administrator"


def test_the_download_lists_the_files_the_person_uploaded_without_their_bytes(app, world, client):
    import base64
    import hashlib
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(picture, "PNG")
    content = picture.getvalue()
    me = world.user("ngo_a")
    login(client, me)
    draft = world.p["a_draft"]
    response = client.post(f"/zalaczniki/postulat/{draft.id}", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(content), "mapa-dzielnicy.png")})
    assert response.status_code == 302
    data = json.loads(client.post("/konto/dane.json").get_data(as_text=True))
    [listed] = data["files_uploaded"]
    assert listed["filename"] == "mapa-dzielnicy.png" and listed["size"] == len(content)
    assert listed["sha256"] == hashlib.sha256(content).hexdigest() and listed["media_type"] == "image/png"
    assert listed["attached_to"] == {"kind": "postulate", "id": draft.id, "title": f"Postulat {draft.reference}"}
    raw = json.dumps(data)
    assert base64.b64encode(content).decode() not in raw and "content_base64" not in raw
    # another person's download lists none of it
    other = app.test_client()
    login(other, world.user("ngo_b"))
    assert json.loads(other.post("/konto/dane.json").get_data(as_text=True))["files_uploaded"] == []
