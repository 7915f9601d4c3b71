"""Registering units, organisations and accounts through the web client."""
from __future__ import annotations

from consult.auth.models import User
from consult.extensions import db
from consult.organisations.models import Organisation, Unit
from tests.conftest import login


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_organisation_with_a_bad_nip_is_refused_beside_the_field(world, client):
    login(client, world.user("coordinator"))
    before = _count(Organisation)
    response = client.post("/rejestry/organizacje/nowa", data={
        "name": "Stowarzyszenie Zacięcie", "legal_form": "stowarzyszenie", "nip": "8567346216"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Błąd: " in page and "Wystąpił problem" in page
    message = "NIP 8567346216 ma błędną cyfrę kontrolną – sprawdź, czy nie ma literówki."
    assert page.count(message) == 2  # in the summary and beside the field
    assert 'href="#nip"' in page
    assert _count(Organisation) == before


def test_organisation_with_valid_numbers_is_registered_and_listed(world, client):
    world.org_a.nip = None  # the world's NGO A holds this NIP; free it for the new organisation
    db.session.commit()
    login(client, world.user("admin"))
    response = client.post("/rejestry/organizacje/nowa", data={
        "name": "Stowarzyszenie Zacięcie", "legal_form": "stowarzyszenie", "nip": "856-734-62-15",
        "regon": "192598184", "krs": "0000123456"})
    assert response.status_code == 302
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Stowarzyszenie Zacięcie"))
    assert (org.nip, org.regon, org.krs, org.legal_form) == ("8567346215", "192598184", "0000123456",
                                                             "stowarzyszenie")
    page = client.get("/rejestry/organizacje").get_data(as_text=True)
    assert "8567346215" in page and "192598184" in page and "0000123456" in page


def test_duplicate_nip_and_bad_regon_are_refused(world, client):
    login(client, world.user("coordinator"))
    page = client.post("/rejestry/organizacje/nowa", data={"name": "Nowa", "legal_form": "fundacja",
                                                           "nip": "8567346215"}).get_data(as_text=True)
    assert "Organizacja z tym numerem NIP już jest w rejestrze: Fundacja Zustricz." in page
    page = client.post("/rejestry/organizacje/nowa", data={"name": "Nowa", "legal_form": "fundacja",
                                                           "regon": "192598185"}).get_data(as_text=True)
    assert "REGON 192598185 ma błędną cyfrę kontrolną" in page
    assert db.session.scalar(db.select(Organisation).where(Organisation.name == "Nowa")) is None


def test_units_are_registered_with_a_code(world, client):
    login(client, world.user("coordinator"))
    response = client.post("/rejestry/komorki/nowa", data={"name": "Wydział Sportu", "code": "ws"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Unit).where(Unit.name == "Wydział Sportu")).code == "WS"
    page = client.post("/rejestry/komorki/nowa", data={"name": "Wydział Edukacji", "code": "WS"}).get_data(
        as_text=True)
    assert "Symbol WS ma już inna komórka." in page
    assert "Wydział Sportu" in client.get("/rejestry/komorki").get_data(as_text=True)


def test_admin_invites_an_ngo_member_who_sets_her_password(world, client):
    import re

    from consult.notifications.models import Notification

    login(client, world.user("admin"))
    response = client.post("/rejestry/konta/nowe", data={
        "email": "Olena@Example.org", "name": "Olena Kowalenko", "role": "ngo",
        "organisation": str(world.org_a.id), "unit": ""})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "olena@example.org"))
    assert user.role == "ngo" and user.organisation_id == world.org_a.id and user.unit_id is None
    assert user.invitation_pending and not user.has_password
    assert "olena@example.org" in client.get("/rejestry/konta").get_data(as_text=True)
    # the new member sets her password through the invitation's link, and can sign in
    note = db.session.scalar(db.select(Notification).where(Notification.recipient_id == user.id))
    link = re.search(r"/zaproszenie/\S+", note.body).group(0)
    other = client.application.test_client()
    assert other.post(link, data={"password": "bardzo-tajne-haslo", "confirm": "bardzo-tajne-haslo"}
                      ).status_code == 302
    login(client.application.test_client(), "olena@example.org", "bardzo-tajne-haslo")


def test_an_ngo_member_without_organisation_or_a_unit_member_without_unit_is_refused(world, client):
    login(client, world.user("admin"))
    page = client.post("/rejestry/konta/nowe", data={"email": "x@example.org", "name": "X", "role": "ngo",
                                                     "organisation": ""})
    assert "Członek organizacji musi mieć wskazaną organizację." in page.get_data(as_text=True)
    page = client.post("/rejestry/konta/nowe", data={"email": "x@example.org", "name": "X", "role": "unit",
                                                     "unit": ""})
    assert "Pracownik komórki musi mieć wskazaną komórkę." in page.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "x@example.org")) is None


def test_coordinator_may_not_see_or_create_accounts(world, client):
    login(client, world.user("coordinator"))
    assert client.get("/rejestry/konta").status_code == 403
    response = client.post("/rejestry/konta/nowe", data={
        "email": "intruz@example.org", "name": "Intruz", "role": "admin"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(User).where(User.email == "intruz@example.org")) is None
    assert "/rejestry/konta" not in client.get("/rejestry").get_data(as_text=True)
