"""A private person present at a meeting (neither an organisation nor an office holder) is on its attendance list:
the staff read the name, and who recorded the person's consent to publication and when; every public output (the
meeting's public page, the API, the summary's PDF) names the person "osoba prywatna" until the consent is recorded,
and the name once it is."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.core.operations import transaction
from consult.extensions import db
from consult.meetings.models import Meeting
from tests.conftest import login
from tests.summary_support import compile_now, page_texts, pdf_bytes, squeeze

pytestmark = pytest.mark.usefixtures("summary_worker")

PRIVATE, CONSENTING = "Bożydar Przybylak", "Wiesława Grzędzielska"


def _save(coordinator, meeting: Meeting, persons: list[tuple[str, bool]]):
    data = {"organisations": [], "version": str(meeting.version)}
    for i, (name, consent) in enumerate(persons):
        data[f"persons-{i}-name"] = name
        if consent:
            data[f"persons-{i}-consent"] = "y"
    return coordinator.post(f"/koordynacja/spotkania/{meeting.id}/obecnosc", data=data)


def _held(world) -> Meeting:
    from consult.meetings.operations import mark_meeting_held

    meeting = db.session.get(Meeting, world.meeting.id)
    meeting.date = meeting.date - timedelta(days=10)
    db.session.commit()
    with transaction():
        mark_meeting_held(world.user("coordinator"), meeting)
    return db.session.get(Meeting, meeting.id)


def _public_outputs(app, coordinator, meeting_id: int) -> dict[str, str]:
    anonymous = app.test_client()
    outputs = {url: anonymous.get(url).get_data(as_text=True)
               for url in (f"/programy/spotkania/{meeting_id}", f"/api/v1/meetings/{meeting_id}")}
    outputs["summary json"] = coordinator.get(f"/koordynacja/spotkania/{meeting_id}/podsumowanie.json").get_data(
        as_text=True)
    job = compile_now(meeting_id)
    assert job.state == "done", job.error
    outputs["summary pdf"] = squeeze(" ".join(page_texts(pdf_bytes(job.version))))
    return outputs


def test_a_private_attendee_is_named_publicly_only_with_recorded_consent(app, world):
    meeting = _held(world)
    coordinator = login(app.test_client(), world.user("coordinator"))
    form = coordinator.get(f"/koordynacja/spotkania/{meeting.id}/obecnosc").get_data(as_text=True)
    assert 'name="persons-0-name"' in form and 'name="persons-0-consent"' in form
    assert _save(coordinator, meeting, [(PRIVATE, False), (CONSENTING, True)]).status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    private, consenting = meeting.persons
    assert (private.name, private.name_consent, private.consent_recorded_at) == (PRIVATE, False, None)
    assert consenting.name_consent and consenting.consent_recorded_by_id == world.user("coordinator").id
    recorded_at = consenting.consent_recorded_at
    assert recorded_at is not None

    outputs = _public_outputs(app, coordinator, meeting.id)
    for where, text in outputs.items():
        assert "Przybylak" not in text, where
    for where in (f"/programy/spotkania/{meeting.id}", "summary pdf"):
        assert squeeze("osoba prywatna") in squeeze(outputs[where]), where
        assert squeeze(CONSENTING) in squeeze(outputs[where]), where  # who agreed is named
    api = app.test_client().get(f"/api/v1/meetings/{meeting.id}").get_json()
    assert api["persons"] == ["osoba prywatna", CONSENTING]

    # the staff read the name, and who recorded the consent
    page = coordinator.get(f"/koordynacja/spotkania/{meeting.id}").get_data(as_text=True)
    assert PRIVATE in page and CONSENTING in page and "bez zgody" in page
    assert "zgoda na publikację odnotowana" in page and world.user("coordinator").name in page
    from consult.core.models import AuditEvent

    event = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.subject_type == "meeting", AuditEvent.subject_id == meeting.id,
        AuditEvent.action == "record_attendance").order_by(AuditEvent.id.desc())).first()
    assert event.details["consent_recorded"] == [CONSENTING]

    # a later save keeps who recorded the consent and when; the consent given later is recorded then
    meeting = db.session.get(Meeting, meeting.id)
    assert _save(coordinator, meeting, [(PRIVATE, True), (CONSENTING, True)]).status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert [p.name_consent for p in meeting.persons] == [True, True]
    assert meeting.persons[1].consent_recorded_at == recorded_at
    assert meeting.persons[0].consent_recorded_at is not None
    api = app.test_client().get(f"/api/v1/meetings/{meeting.id}").get_json()
    assert api["persons"] == [PRIVATE, CONSENTING]
    assert PRIVATE in app.test_client().get(f"/programy/spotkania/{meeting.id}").get_data(as_text=True)
    job = compile_now(meeting.id)
    assert job.state == "done", job.error
    assert squeeze(PRIVATE) in squeeze(" ".join(page_texts(pdf_bytes(job.version))))


def test_consent_without_a_name_is_refused_and_changes_nothing(app, world):
    coordinator = login(app.test_client(), world.user("coordinator"))
    meeting = db.session.get(Meeting, world.meeting.id)
    assert _save(coordinator, meeting, [(PRIVATE, False)]).status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    response = _save(coordinator, meeting, [("", True), (CONSENTING, False)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in page
    assert "bez imienia i nazwiska" in page and 'href="#persons-0-name"' in page
    db.session.expire_all()
    assert [p.name for p in db.session.get(Meeting, meeting.id).persons] == [PRIVATE]
