"""A unit that closed (units.active false) is not offered for new work: routing a postulate to it, a coordinator
recording a position for it, a new account or an invitation into it, a new meeting, commitment or place run by it
(refused by the operations too, not only left out of the forms); a form editing a record that names it still shows
it, and the lists that filter history still name it."""
from __future__ import annotations

import re

from consult.auth.models import User
from consult.extensions import db
from consult.postulates.models import Position
from tests.conftest import login


def offered(page: str, value, select: str | None = None) -> bool:
    """Whether the page offers `value` (in the select named `select`, when given)."""
    if select is not None:
        found = re.search(rf'<select[^>]*name="{select}"[^>]*>(.*?)</select>', page, re.DOTALL)
        page = found.group(1) if found else ""
    return re.search(rf'<option[^>]*value="{value}"', page) is not None


def close(unit) -> None:
    unit.active = False
    db.session.commit()


def test_a_closed_unit_takes_no_postulate_and_no_position_from_the_coordinator(app, world, client):
    close(world.unit_y)
    coordinator = login(client, world.user("coordinator"))
    postulate = world.p["a_assigned_x"]
    for url in (f"/postulaty/{world.p['b_submitted'].id}/przypisz", f"/postulaty/{postulate.id}/przekaz",
                f"/postulaty/{postulate.id}/stanowisko"):
        page = coordinator.get(url).get_data(as_text=True)
        assert offered(page, world.unit_x.id) and not offered(page, world.unit_y.id), url
    page = coordinator.post(f"/postulaty/{postulate.id}/stanowisko", data={
        "unit": str(world.unit_y.id), "category": "accepted", "text": "Tak.", "version": "0",
        "version_unit": str(world.unit_y.id)}).get_data(as_text=True)
    assert "<title>Błąd: " in page and "Wybierz komórkę z listy." in page
    assert db.session.scalar(db.select(Position).where(Position.unit_id == world.unit_y.id)) is None
    # The postulate's own unit is offered even once it closed: its position can still be recorded.
    close(world.unit_x)
    page = coordinator.get(f"/postulaty/{postulate.id}/stanowisko").get_data(as_text=True)
    assert offered(page, world.unit_x.id) and not offered(page, world.unit_y.id)


def test_a_closed_unit_gets_no_new_account_but_its_staff_keep_theirs(app, world, client):
    close(world.unit_y)
    admin = login(client, world.user("admin"))
    page = admin.get("/rejestry/konta/nowe").get_data(as_text=True)
    assert offered(page, world.unit_x.id, "unit") and not offered(page, world.unit_y.id, "unit")
    page = admin.post("/rejestry/konta/nowe", data={"email": "nowa@example.org", "name": "Nowa Osoba",
                                                    "role": "unit", "organisation": "",
                                                    "unit": str(world.unit_y.id)}).get_data(as_text=True)
    assert "<title>Błąd: " in page
    assert db.session.scalar(db.select(User).where(User.email == "nowa@example.org")) is None
    # The account of a person of the closed unit still shows where they worked; another account cannot move in.
    staff = world.user("unit_y")
    page = admin.get(f"/rejestry/konta/{staff.id}").get_data(as_text=True)
    assert offered(page, world.unit_y.id, "unit")
    page = admin.get(f"/rejestry/konta/{world.user('unit_x').id}").get_data(as_text=True)
    assert offered(page, world.unit_x.id, "unit") and not offered(page, world.unit_y.id, "unit")


def test_a_closed_unit_hosts_no_new_meeting_commitment_or_place_and_stays_in_the_history(app, world, client):
    from consult.commitments.operations import add_commitment
    from consult.core.errors import Refused
    from consult.core.operations import transaction
    from consult.core.types import today_in_warsaw

    close(world.unit_y)
    coordinator = login(client, world.user("coordinator"))
    page = coordinator.get(f"/koordynacja/programy/{world.programme.id}/spotkania/nowe").get_data(as_text=True)
    assert offered(page, world.unit_x.id) and not offered(page, world.unit_y.id)
    # The meeting it hosted keeps it in its edit form.
    page = coordinator.get(f"/koordynacja/spotkania/{world.meeting.id}/edycja").get_data(as_text=True)
    assert offered(page, world.unit_y.id)

    position = world.p["a_answered_x"].position_of(world.unit_x.id)
    page = coordinator.get(f"/postulaty/{world.p['a_answered_x'].id}/stanowiska/{position.id}/zobowiazania/nowe"
                           ).get_data(as_text=True)
    assert offered(page, world.unit_x.id) and not offered(page, world.unit_y.id)
    try:
        with transaction():
            add_commitment(world.user("coordinator"), position, what="Zrobimy.", unit_id=world.unit_y.id,
                           due_on=today_in_warsaw())
        raise AssertionError("a closed unit took a commitment")
    except Refused as exc:
        assert "nieaktywna" in exc.reason

    page = coordinator.get("/miejsca/nowe").get_data(as_text=True)
    assert offered(page, f"u{world.unit_x.id}") and not offered(page, f"u{world.unit_y.id}")

    # History: the coordinator's register still filters by it.
    assert offered(coordinator.get("/rejestr").get_data(as_text=True), world.unit_y.id, "unit")


def test_a_closed_unit_is_refused_by_the_place_operations_themselves(app, world, client):
    """The place form offers no closed unit; the operations refuse one too (an import, the CLI or an old form
    would otherwise hand a place to it). A place the unit ran before it closed stays editable."""
    from consult.core.errors import Refused
    from consult.core.operations import in_transaction
    from consult.places.models import Place
    from consult.places.operations import PlaceDetails, create_place, edit_place
    from tests.places_support import places_of

    places = places_of(world)
    close(world.unit_y)
    coordinator = world.user("coordinator")
    kind = places["a"].kind

    def refused(operation, *args) -> str:
        try:
            in_transaction(operation, coordinator, *args)
        except Refused as exc:
            assert exc.field == "operator"
            return exc.reason
        raise AssertionError("a closed unit was given a place")

    reason = refused(create_place, PlaceDetails(kind=kind, name="Nowe Centrum", unit=world.unit_y))
    assert "Komórka „Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego” jest nieaktywna" in reason
    assert db.session.scalar(db.select(Place).where(Place.name == "Nowe Centrum")) is None

    moved = places["a"]
    reason = refused(edit_place, moved, PlaceDetails(kind=kind, name=moved.name, unit=world.unit_y))
    assert "jest nieaktywna" in reason
    db.session.expire_all()
    assert (moved.organisation_id, moved.unit_id) == (world.org_a.id, None)

    # The place the closed unit already runs is still edited, its operator kept.
    kept = places["y"]
    in_transaction(edit_place, coordinator, kept, PlaceDetails(kind=kept.kind, name=kept.name, unit=world.unit_y,
                                                                 opening_hours="pn–pt 9–17"))
    db.session.expire_all()
    assert (kept.unit_id, kept.opening_hours) == (world.unit_y.id, "pn–pt 9–17")
