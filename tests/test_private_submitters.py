"""A postulate filed at a meeting by a private person (not an organisation, not an office holder): their name is
published only with their consent; without it the public page, the register and its search, the API, the export,
the meeting summary's JSON and PDF say "osoba prywatna", while the coordinator and the unit read the name."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.core.operations import transaction
from consult.extensions import db
from consult.postulates.models import Postulate
from tests.conftest import login
from tests.summary_support import compile_now, page_texts, pdf_bytes, squeeze

pytestmark = pytest.mark.usefixtures("summary_worker")

PRIVATE, CONSENTING = "Bożydar Przybylak", "Wiesława Grzędzielska"


def _enter(coordinator, meeting_id: int, name: str, content: str, *, consent: bool) -> Postulate:
    data = {"submitter_kind": "person", "person_name": name, "content": content}
    if consent:
        data["name_consent"] = "y"
    response = coordinator.post(f"/koordynacja/spotkania/{meeting_id}/postulaty/nowy", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(Postulate).where(Postulate.content == content))


def _publish(world, postulate: Postulate) -> None:
    from consult.core.actors import SYSTEM
    from consult.postulates.operations import assign_postulate, publish_positions, save_position

    with transaction():
        postulate = db.session.get(Postulate, postulate.id)
        assign_postulate(SYSTEM, postulate, world.unit_x)
        save_position(world.user("unit_x"), postulate, category="accepted", text="Przyjmujemy.")
        publish_positions(world.user("unit_x"), [postulate])


def test_a_private_persons_name_is_public_only_with_their_consent(app, world):
    from consult.meetings.models import Meeting
    from consult.meetings.operations import mark_meeting_held

    meeting = db.session.get(Meeting, world.meeting.id)
    meeting.date = meeting.date - timedelta(days=10)
    db.session.commit()
    with transaction():
        mark_meeting_held(world.user("coordinator"), meeting)
    coordinator = login(app.test_client(), world.user("coordinator"))
    private = _enter(coordinator, meeting.id, PRIVATE, "Ławki w parku przy ul. Lipowej.", consent=False)
    consenting = _enter(coordinator, meeting.id, CONSENTING, "Dłuższe godziny biblioteki.", consent=True)
    assert (private.submitter_private, private.name_consent) == (True, False)
    assert (consenting.submitter_private, consenting.name_consent) == (True, True)
    for postulate in (private, consenting):
        _publish(world, postulate)

    anonymous = app.test_client()
    outputs = {url: anonymous.get(url).get_data(as_text=True)
               for url in (f"/postulaty/{private.id}", f"/programy/spotkania/{meeting.id}", "/postulaty",
                           f"/api/v1/postulates/{private.id}", "/postulaty/eksport.csv")}
    outputs["summary json"] = coordinator.get(f"/koordynacja/spotkania/{meeting.id}/podsumowanie.json").get_data(
        as_text=True)
    job = compile_now(meeting.id)
    assert job.state == "done", job.error
    outputs["summary pdf"] = squeeze(" ".join(page_texts(pdf_bytes(job.version))))
    for where, text in outputs.items():
        assert "Przybylak" not in text, where
    for where in (f"/postulaty/{private.id}", f"/programy/spotkania/{meeting.id}", "/postulaty",
                  "/postulaty/eksport.csv", "summary pdf"):
        text = squeeze(outputs[where]) if where == "summary pdf" else outputs[where]
        assert squeeze("osoba prywatna") in squeeze(text), where
        if where != f"/postulaty/{private.id}":
            assert "Grzędzielska" in text, where  # who agreed is named
    assert anonymous.get(f"/api/v1/postulates/{private.id}").get_json()["submitter"]["name"] == "osoba prywatna"
    # the public search does not find the postulate by the name
    for url in ("/postulaty?text=Przybylak", f"/programy/spotkania/{meeting.id}?q=Przybylak"):
        assert private.reference not in anonymous.get(url).get_data(as_text=True), url

    # the coordinator and the unit that answered read the name, and whether the person agreed
    for key in ("coordinator", "unit_x"):
        page = login(app.test_client(), world.user(key)).get(f"/postulaty/{private.id}").get_data(as_text=True)
        assert PRIVATE in page and "bez zgody na publikację imienia i nazwiska" in page, key


def test_a_private_person_without_a_name_is_refused(app, world):
    coordinator = login(app.test_client(), world.user("coordinator"))
    before = db.session.scalar(db.select(db.func.count()).select_from(Postulate))
    response = coordinator.post(f"/koordynacja/spotkania/{world.meeting.id}/postulaty/nowy",
                                data={"submitter_kind": "person", "content": "Bez nazwiska"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in page
    assert "Wpisz imię i nazwisko osoby prywatnej, która zgłosiła postulat." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Postulate)) == before
