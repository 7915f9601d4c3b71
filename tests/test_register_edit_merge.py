"""Editing units and organisations, and merging duplicates: everything that referred to the duplicate moves to the
entry kept (counted before and after, and no foreign key of the schema is left pointing at the removed one), the
audit log records it, the registers then list one, and a merge is confirmed on a page saying what will move."""
from __future__ import annotations

from consult.core.types import utcnow

from consult.auth.models import User
from consult.calls.models import Offer, OfferPartner
from consult.core.actors import SYSTEM
from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.extensions import db
from consult.meetings.models import MeetingAttendance
from consult.meetings.operations import record_attendance
from consult.organisations.merging import counted, references_to
from consult.organisations.models import Organisation, Unit
from consult.organisations.operations import create_organisation, create_unit
from consult.postulates.models import Postulate
from consult.postulates.operations import create_postulate
from tests.access_cases.calls import _make_call
from tests.conftest import PASSWORD, login


def _count(model, *where) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def _no_reference_left(table: str, removed_id: int) -> None:
    left = {r.key: r.count for r in counted(table, removed_id) if r.count}
    assert not left, f"still pointing at the removed {table} {removed_id}: {left}"


# --- units ------------------------------------------------------------------------------------------------


def test_a_unit_is_edited_and_a_code_of_another_unit_is_refused(world, client):
    login(client, world.user("coordinator"))
    url = f"/rejestry/komorki/{world.unit_y.id}"
    page = client.post(url, data={"name": world.unit_y.name, "code": "wpsrz", "parent": "", "active": "y"}
                       ).get_data(as_text=True)
    assert "<title>Błąd: " in page
    assert page.count(f"Symbol WPSRZ ma już inna komórka: {world.unit_x.name}.") == 2
    assert db.session.get(Unit, world.unit_y.id).code == "WDKKO"
    response = client.post(url, data={"name": "Wydział Dialogu", "code": "wd-1", "parent": str(world.unit_x.id)})
    assert response.status_code == 302
    unit = db.session.get(Unit, world.unit_y.id)
    db.session.refresh(unit)
    assert (unit.name, unit.code, unit.parent_id, unit.active) == ("Wydział Dialogu", "WD-1", world.unit_x.id,
                                                                   False)
    listing = client.get("/rejestry/komorki").get_data(as_text=True)
    assert "WD-1" in listing and "nieaktywna" in listing
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.subject_type == "unit",
                                                          AuditEvent.action == "edit"))
    assert event.details["changed"]["code"] == ["WDKKO", "WD-1"]
    # X cannot become a sub-unit of its own sub-unit
    page = client.post(f"/rejestry/komorki/{world.unit_x.id}", data={
        "name": world.unit_x.name, "code": "WPSRZ", "parent": str(world.unit_y.id), "active": "y"}
                       ).get_data(as_text=True)
    assert "Komórka nie może podlegać sobie ani komórce, która podlega jej." in page


def test_an_inactive_unit_is_not_offered_for_new_work_but_keeps_its_history(world, client):
    with transaction():
        world.unit_y.active = False
    login(client, world.user("coordinator"))
    new_meeting = client.get(f"/koordynacja/programy/{world.programme.id}/spotkania/nowe").get_data(as_text=True)
    assert world.unit_x.name in new_meeting and world.unit_y.name not in new_meeting
    postulate = world.p["b_submitted"]
    form = client.get(f"/postulaty/{postulate.id}/przypisz").get_data(as_text=True)
    assert world.unit_x.name in form and f'value="{world.unit_y.id}"' not in form
    page = client.post(f"/postulaty/{postulate.id}/przypisz", data={"unit": str(world.unit_y.id)}
                       ).get_data(as_text=True)
    assert "jest nieaktywna: nie przyjmuje nowych spraw" in page
    assert db.session.get(Postulate, postulate.id).responsible_unit_id is None
    # its meeting stays, under its name
    assert world.unit_y.name in client.get(f"/programy/spotkania/{world.meeting.id}").get_data(as_text=True)


# --- organisations ----------------------------------------------------------------------------------------


def test_an_organisation_profile_is_edited_with_checks(world, client):
    login(client, world.user("admin"))
    url = f"/rejestry/organizacje/{world.org_b.id}"
    base = {"name": "Fundacja Start Tango", "legal_form": "fundacja", "status": "verified"}
    for field, value, message in (
            ("nip", "8567346215", "Organizacja z tym numerem NIP już jest w rejestrze: Fundacja Zustricz."),
            ("regon", "192598185", "REGON 192598185 ma błędną cyfrę kontrolną"),
            ("email", "biuro(at)tango", "Wpisz adres e-mail w postaci nazwa@domena.pl."),
            ("website", "javascript:alert(1)", "Wpisz adres strony zaczynający się od https:// lub http://."),
            ("district", "XIX", "Wybierz dzielnicę z listy."),
            ("spheres", "99", "Wybierz sfery pożytku publicznego z listy.")):
        page = client.post(url, data={**base, field: value}).get_data(as_text=True)
        assert message in page and "<title>Błąd: " in page, field
    response = client.post(url, data={**base, "krs": "0000123456", "address": "ul. Krótka 2",
                                      "district": "XIII", "spheres": ["16", "1a"], "email": "Biuro@Tango.example",
                                      "phone": "12 345 67 89", "website": "https://tango.example"})
    assert response.status_code == 302
    org = db.session.get(Organisation, world.org_b.id)
    db.session.refresh(org)
    assert (org.krs, org.district, org.email, org.sphere_codes) == ("0000123456", "XIII", "biuro@tango.example",
                                                                    ["16", "1a"])
    public = client.get(f"/organizacje/{org.id}").get_data(as_text=True)
    assert "ul. Krótka 2" in public and "XIII Podgórze" in public and "https://tango.example" in public
    assert client.post(url, data={**base, "status": "pending"}).status_code == 302
    assert client.get(f"/organizacje/{org.id}").status_code == 404  # no longer verified: not public


def _duplicate_with_everything(world):
    """A duplicate of Fundacja Zustricz that filed postulates and offers, attended the meeting (as did the
    original: one attendance must stay), has a member and is a partner in B's offer."""
    with transaction():
        dup = create_organisation(SYSTEM, name="Fundacja Zustricz (duplikat)", legal_form="fundacja",
                                  regon="192598184")
        dup.address, dup.district = "ul. Długa 1", "II"
        dup.set_spheres(["5a", "16"])
        world.org_a.set_spheres(["16"])
        member = User(email="olena@example.org", name="Olena Duplikat", role="ngo", organisation_id=dup.id,
                      organisation_role="member", email_confirmed_at=utcnow())
        member.set_password(PASSWORD)
        db.session.add(member)
        db.session.flush()
        create_postulate(member, world.programme, content="Postulat duplikatu", submit=True)
        create_postulate(member, world.programme, content="Szkic duplikatu")
        call = _make_call(world, "merge")
        db.session.add(Offer(call_id=call.id, organisation_id=dup.id, state="draft", title="Oferta duplikatu"))
        joint = Offer(call_id=call.id, organisation_id=world.org_b.id, state="draft", title="Oferta wspólna")
        db.session.add(joint)
        db.session.flush()
        db.session.add(OfferPartner(offer_id=joint.id, position=1, organisation_id=dup.id, name=dup.name))
        record_attendance(world.user("coordinator"), world.meeting, organisations=[world.org_a, dup], officials=[])
    return dup


def test_merging_organisations_moves_everything_and_the_register_lists_one(world, client):
    dup = _duplicate_with_everything(world)
    kept, dup_id = world.org_a, dup.id
    before = {r.key: r.count for r in counted("organisations", dup_id) if r.count}
    assert before["postulates.organisation_id"] == 2 and before["offers.organisation_id"] == 1
    assert before["offer_partners.organisation_id"] == 1 and before["users.organisation_id"] == 1
    assert before["meeting_attendance.organisation_id"] == 1 and before["organisation_spheres.organisation_id"] == 2
    kept_postulates = _count(Postulate, Postulate.organisation_id == kept.id)

    login(client, world.user("admin"))
    url = f"/rejestry/organizacje/{dup_id}/polacz"
    assert "Wybierz wpis, który zostaje" in client.get(url).get_data(as_text=True)
    confirm = client.get(f"{url}?kept={kept.id}").get_data(as_text=True)
    assert "Połączenia nie można cofnąć." in confirm
    assert "postulaty: 2" in confirm and "oferty: 1" in confirm and "konta osób: 1" in confirm
    assert "obecności na spotkaniach: 1" in confirm
    assert _count(Organisation, Organisation.id == dup_id) == 1  # the confirmation page changed nothing

    response = client.post(url, data={"kept": str(kept.id)})
    assert response.status_code == 302
    assert _count(Organisation, Organisation.id == dup_id) == 0
    _no_reference_left("organisations", dup_id)
    assert _count(Postulate, Postulate.organisation_id == kept.id) == kept_postulates + 2
    assert _count(Offer, Offer.organisation_id == kept.id) == 1
    assert _count(OfferPartner, OfferPartner.organisation_id == kept.id) == 1
    assert _count(MeetingAttendance, MeetingAttendance.meeting_id == world.meeting.id) == 1  # one, not two
    org = db.session.get(Organisation, kept.id)
    db.session.refresh(org)
    assert org.sphere_codes == ["16", "5a"] and org.regon == "192598184" and org.address == "ul. Długa 1"
    member = db.session.scalar(db.select(User).where(User.email == "olena@example.org"))
    assert member.organisation_id == kept.id
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.subject_type == "organisation",
                                                          AuditEvent.subject_id == kept.id,
                                                          AuditEvent.action == "merge"))
    assert event.details["merged_id"] == dup_id and event.details["moved"]["postulates.organisation_id"] == 2
    assert event.actor_id == world.user("admin").id
    listing = client.get("/rejestry/organizacje?q=zustricz").get_data(as_text=True)
    assert "Połączono: „Fundacja Zustricz (duplikat)” usunięto" in listing  # the message after the merge
    listing = client.get("/rejestry/organizacje?q=zustricz").get_data(as_text=True)
    assert "Wyniki 1–1 z 1" in listing and "(duplikat)" not in listing
    assert "(duplikat)" not in client.get("/organizacje?q=zustricz").get_data(as_text=True)
    # the merged member now files for the kept organisation
    login(client.application.test_client(), "olena@example.org")


def test_merging_units_moves_postulates_positions_meetings_and_staff(world, client):
    with transaction():
        dup = create_unit(SYSTEM, name="Wydział Polityki Społecznej (stary wpis)", code="WPS-OLD")
        child = create_unit(SYSTEM, name="Referat Seniorów", code="RS")
        child.parent_id = dup.id
        world.unit_y.parent_id = dup.id
        world.meeting.host_unit_id = dup.id
        world.p["b_submitted"].responsible_unit_id = dup.id
        staff = User(email="stary@example.org", name="Pracownik Starego", role="unit", unit_id=dup.id)
        staff.set_password(PASSWORD)
        db.session.add(staff)
    dup_id = dup.id
    login(client, world.user("admin"))
    confirm = client.get(f"/rejestry/komorki/{dup_id}/polacz?kept={world.unit_x.id}").get_data(as_text=True)
    assert "komórki podległe: 2" in confirm and "spotkania (gospodarz): 1" in confirm
    assert client.post(f"/rejestry/komorki/{dup_id}/polacz", data={"kept": str(world.unit_x.id)}).status_code == 302
    _no_reference_left("units", dup_id)
    db.session.expire_all()
    assert db.session.get(Unit, child.id).parent_id == world.unit_x.id
    assert world.meeting.host_unit_id == world.unit_x.id
    assert db.session.get(Postulate, world.p["b_submitted"].id).responsible_unit_id == world.unit_x.id
    assert db.session.scalar(db.select(User).where(User.email == "stary@example.org")).unit_id == world.unit_x.id
    client.get("/rejestry/komorki")  # the message after the merge names it
    assert "stary wpis" not in client.get("/rejestry/komorki").get_data(as_text=True)


def test_units_that_both_answered_one_postulate_are_not_merged_silently(world, client):
    from consult.postulates.models import Position

    with transaction():  # X and Y both have a position on B's published postulate
        db.session.add(Position(postulate_id=world.p["b_published_x"].id, unit_id=world.unit_y.id,
                                category="explanation", text="Wyjaśniamy."))
    login(client, world.user("admin"))
    page = client.post(f"/rejestry/komorki/{world.unit_y.id}/polacz", data={"kept": str(world.unit_x.id)}
                       ).get_data(as_text=True)
    assert "Nie można połączyć: oba wpisy mają stanowiska dotyczące tych samych spraw (1)." in page
    assert _count(Unit, Unit.id == world.unit_y.id) == 1


def test_only_administrators_merge_and_a_coordinator_cannot(world, client):
    login(client, world.user("coordinator"))
    assert client.post(f"/rejestry/organizacje/{world.org_b.id}/polacz",
                       data={"kept": str(world.org_a.id)}).status_code == 403
    assert _count(Organisation, Organisation.id == world.org_b.id) == 1


def test_every_foreign_key_to_the_registers_is_known_to_the_merge():
    keys = {r.key for r in references_to("organisations")} | {r.key for r in references_to("units")}
    for key in ("postulates.organisation_id", "offers.organisation_id", "offer_partners.organisation_id",
                "meeting_attendance.organisation_id", "users.organisation_id", "organisation_spheres.organisation_id",
                "commission_members.nominating_organisation_id", "postulates.responsible_unit_id",
                "positions.unit_id", "postulate_assignments.unit_id", "meetings.host_unit_id", "calls.unit_id",
                "users.unit_id", "units.parent_id", "report_sections.unit_id",
                "implementation_activity_units.unit_id"):
        assert key in keys, key


def test_merging_a_unit_into_one_below_it_makes_no_loop(world):
    from consult.organisations.operations import merge_units

    with transaction():  # Y (kept) sits under a section that sits under the duplicate
        dup = create_unit(SYSTEM, name="Wydział Stary", code="WST")
        section = create_unit(SYSTEM, name="Referat Pośredni", code="RP")
        section.parent_id, world.unit_y.parent_id = dup.id, section.id
    with transaction():
        merge_units(world.user("admin"), db.session.get(Unit, dup.id), db.session.get(Unit, world.unit_y.id))
    db.session.expire_all()
    assert db.session.get(Unit, section.id).parent_id == world.unit_y.id
    assert db.session.get(Unit, world.unit_y.id).parent_id is None
