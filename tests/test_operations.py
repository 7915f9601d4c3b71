"""Operations of the consultation: the rules hold whichever door (web, CLI, import) calls them."""
from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.core.actors import SYSTEM
from consult.core.audit import trail
from consult.core.errors import Forbidden, Refused, StaleEdit
from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.extensions import db
from consult.meetings.interchange import import_meeting, parse
from consult.meetings.models import Meeting
from consult.postulates.models import Position, Postulate
from consult.postulates.operations import (assign_postulate, create_postulate, forward_postulate, publish_positions,
                                           record_meeting_postulate, save_position, submit_postulate,
                                           update_postulate, withdraw_postulate)

FIXTURE = Path(__file__).resolve().parent.parent / "consult" / "demo" / "meeting-2025-06-17-wddkko.json"


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_ngo_files_and_submits_with_audit(world):
    member = world.user("ngo_a")
    with transaction():
        p = create_postulate(member, world.programme, content="  Więcej szkoleń  ", justification="", submit=True)
    assert p.state == "submitted" and p.content == "Więcej szkoleń" and p.justification is None
    assert p.organisation_id == world.org_a.id and p.submitted_at is not None
    events = [(e.action, e.from_state, e.to_state, e.actor_id) for e in trail("postulate", p.id)]
    assert events == [("create", None, "draft", member.id), ("submit", "draft", "submitted", member.id)]


def test_filing_after_the_consultation_closed_is_refused_and_writes_nothing(world):
    before = count(Postulate), count(AuditEvent)
    with pytest.raises(Refused) as exc:
        with transaction():
            create_postulate(world.user("ngo_a"), world.closed_programme, content="Za późno", submit=True)
    assert "zakończyły się" in exc.value.reason and "czasu warszawskiego" in exc.value.reason
    assert (count(Postulate), count(AuditEvent)) == before


def test_submitting_a_draft_after_close_is_refused(world):
    draft = world.p["a_draft"]
    world.programme.consultation_closes = world.programme.consultation_opens.replace(year=2020)
    world.programme.consultation_opens = world.programme.consultation_opens.replace(year=2019)
    db.session.commit()
    with pytest.raises(Refused, match="zakończyły się"):
        with transaction():
            submit_postulate(world.user("ngo_a"), draft)
    assert db.session.get(Postulate, draft.id).state == "draft"


def test_another_ngo_cannot_edit_submit_or_withdraw(world):
    other = world.user("ngo_b")
    for op in (lambda p: update_postulate(other, p, content="x", justification=None),
               lambda p: submit_postulate(other, p), lambda p: withdraw_postulate(other, p)):
        with pytest.raises(Forbidden):
            with transaction():
                op(world.p["a_draft"])
    assert db.session.get(Postulate, world.p["a_draft"].id).content == "Szkic organizacji A"


def test_edit_with_a_stale_form_is_refused(world):
    p = world.p["a_submitted"]
    loaded_version = p.version
    with transaction():
        update_postulate(world.user("ngo_a"), p, content="Pierwsza poprawka", justification=None,
                         expected_version=loaded_version)
    with pytest.raises(StaleEdit):
        with transaction():
            update_postulate(world.user("ngo_a"), p, content="Druga, z nieaktualnego formularza",
                             justification=None, expected_version=loaded_version)
    assert db.session.get(Postulate, p.id).content == "Pierwsza poprawka"


def test_ngo_cannot_edit_or_withdraw_once_answered(world):
    p = world.p["a_answered_x"]
    with pytest.raises(Refused):
        with transaction():
            withdraw_postulate(world.user("ngo_a"), p)
    with pytest.raises(Refused):
        with transaction():
            update_postulate(world.user("ngo_a"), p, content="Zmiana", justification=None)
    assert db.session.get(Postulate, p.id).state == "answered"


def test_meeting_numbers_are_unique_and_follow_on(world):
    coordinator = world.user("coordinator")
    with transaction():
        second = record_meeting_postulate(coordinator, world.meeting, content="Drugi",
                                          organisation=world.org_a)
    assert second.number == 2 and second.state == "submitted"
    with pytest.raises(Refused, match="nr 2"):
        with transaction():
            record_meeting_postulate(coordinator, world.meeting, content="Zdublowany", number=2,
                                     submitter_name="Pełnomocnik")
    with pytest.raises(Refused, match="zgłaszającego"):
        with transaction():
            record_meeting_postulate(coordinator, world.meeting, content="Bez zgłaszającego")
    with pytest.raises(Forbidden):
        with transaction():
            record_meeting_postulate(world.user("unit_x"), world.meeting, content="x", organisation=world.org_a)


def test_database_refuses_a_duplicate_number_too(world):
    """The invariant holds even for a write that bypasses the operations."""
    clash = Postulate(programme_id=world.programme.id, meeting_id=world.meeting.id, number=1,
                      submitter_kind="official", submitter_name="x", content="x", state="draft")
    db.session.add(clash)
    with pytest.raises(Refused, match="spójność"):
        with transaction():
            pass


def test_unit_answers_only_what_is_assigned_to_it(world):
    p = world.p["a_assigned_x"]
    with pytest.raises(Forbidden):
        with transaction():
            save_position(world.user("unit_y"), p, category="accepted", text="Nie nasze")
    with transaction():
        pos = save_position(world.user("unit_x"), p, category="accepted", text="Przyjmujemy")
    assert p.state == "answered" and pos.status == "draft" and pos.unit_id == world.unit_x.id
    with pytest.raises(Refused, match="rodzaj"):
        with transaction():
            save_position(world.user("unit_x"), p, category="maybe", text="?")


def test_second_save_of_the_same_position_is_refused(world):
    p = world.p["a_answered_x"]
    position = p.position_of(world.unit_x.id)
    seen_by_both = position.version
    with transaction():
        save_position(world.user("unit_x"), p, category="accepted", text="Wersja pierwszej osoby",
                      expected_version=seen_by_both)
    with pytest.raises(StaleEdit):
        with transaction():
            save_position(world.user("unit_x"), p, category="rejected", text="Wersja drugiej osoby",
                          expected_version=seen_by_both)
    assert db.session.get(Position, position.id).text == "Wersja pierwszej osoby"


def test_a_race_between_two_sessions_is_caught_by_the_version_column(app, world):
    """Two transactions that both read version N: the database-level check refuses the later write."""
    position_id = world.p["a_answered_x"].position_of(world.unit_x.id).id
    from sqlalchemy.orm import Session

    with Session(db.engine) as second:
        theirs = second.get(Position, position_id)
        mine = db.session.get(Position, position_id)
        mine.text = "Moja wersja"
        db.session.commit()
        theirs.text = "Ich wersja"
        from sqlalchemy.orm.exc import StaleDataError
        with pytest.raises(StaleDataError):
            second.commit()
    db.session.expire_all()
    assert db.session.get(Position, position_id).text == "Moja wersja"


def test_bulk_publish_is_all_or_nothing(world):
    answered, assigned = world.p["a_answered_x"], world.p["a_assigned_x"]
    with pytest.raises(Refused, match="Nic nie zostało opublikowane"):
        with transaction():
            publish_positions(world.user("unit_x"), [answered, assigned])
    db.session.expire_all()
    assert db.session.get(Postulate, answered.id).state == "answered"
    with transaction():
        assert publish_positions(world.user("unit_x"), [answered]) == 1
    p = db.session.get(Postulate, answered.id)
    assert p.state == "published" and all(pos.status == "published" and pos.published_at for pos in p.positions)


def test_forwarding_moves_responsibility_and_keeps_positions(world):
    p = world.p["a_answered_x"]
    with pytest.raises(Forbidden):
        with transaction():
            forward_postulate(world.user("unit_x"), p, world.unit_y)
    with transaction():
        forward_postulate(world.user("coordinator"), p, world.unit_y, note="To sprawa dialogu")
    assert p.state == "assigned" and p.responsible_unit_id == world.unit_y.id
    with transaction():
        save_position(world.user("unit_y"), p, category="explanation", text="Wyjaśniamy")
    assert sorted(pos.unit.code for pos in p.positions) == ["WDKKO", "WPSRZ"]
    last = trail("postulate", p.id)[-2]
    assert last.action == "forward" and last.details["from_unit"] == world.unit_x.name
    assert last.details["note"] == "To sprawa dialogu"


def test_assigning_twice_is_refused(world):
    with pytest.raises(Refused):
        with transaction():
            assign_postulate(world.user("coordinator"), world.p["a_assigned_x"], world.unit_y)


def test_import_of_the_fixture_through_the_operations(app):
    with transaction():
        meeting = import_meeting(SYSTEM, parse(FIXTURE.read_text(encoding="utf-8")))
    postulates = db.session.scalars(select(Postulate).where(Postulate.meeting_id == meeting.id)
                                    .order_by(Postulate.number)).all()
    assert [p.number for p in postulates] == list(range(1, 15))
    assert all(p.state == "published" for p in postulates)
    by_number = {p.number: p for p in postulates}
    assert by_number[7].positions[0].unit.name == "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego"
    assert by_number[1].positions[0].category == "already_implemented"
    assert [o.name for o in meeting.organisations] == ["Fundacja Zustricz", "Fundacja Start Tango",
                                                       "Stowarzyszenie Zacięcie"]
    assert meeting.state == "held" and len(meeting.officials) == 2
    assert {e.action for e in trail("postulate", by_number[7].id)} >= {"create", "submit", "assign", "record_position",
                                                                        "publish"}


def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_written(app):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["meeting"]["date"] = "2025-02-31"
    data["postulates"][2]["positions"][0]["category"] = "maybe"
    before = count(Meeting), count(Postulate), count(AuditEvent)
    with pytest.raises(Refused) as exc:
        parse(json.dumps(data))
    assert "meeting.date" in exc.value.reason and "postulates[2].positions[0].category" in exc.value.reason
    assert (count(Meeting), count(Postulate), count(AuditEvent)) == before


def test_importing_the_same_meeting_twice_is_refused(app):
    text = FIXTURE.read_text(encoding="utf-8")
    with transaction():
        import_meeting(SYSTEM, parse(text))
    before = count(Meeting), count(Postulate), count(AuditEvent)
    with pytest.raises(Refused, match="już jest w systemie"):
        with transaction():
            import_meeting(SYSTEM, parse(text))
    assert (count(Meeting), count(Postulate), count(AuditEvent)) == before


def test_an_import_that_fails_half_way_writes_nothing(world):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["postulates"][5]["content"] = "x" * 20001  # over the schema's limit -> caught by validation
    with pytest.raises(Refused, match="postulates\\[5\\].content"):
        parse(json.dumps(data))
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["programme"]["title"] = "Inny tytuł"
    data["programme"]["year"] = world.programme.year  # clashes with the programme already there
    before = count(Meeting), count(Postulate)
    with pytest.raises(Refused, match="programme.title"):
        with transaction():
            import_meeting(SYSTEM, parse(json.dumps(data)))
    assert (count(Meeting), count(Postulate)) == before


def test_database_constraints_guard_state_dependent_columns(world):
    p = db.session.get(Postulate, world.p["a_submitted"].id)
    p.state = "assigned"  # without a responsible unit: the CHECK constraint refuses it
    with pytest.raises(Refused):
        with transaction():
            pass
    meeting = db.session.get(Meeting, world.meeting.id)
    meeting.ends = time(8, 0)
    with pytest.raises(Refused):
        with transaction():
            pass


def test_schema_problems_are_told_in_polish_naming_each_field(app):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    del data["meeting"]["place"]
    data["meeting"]["starts"] = "25:00"
    data["postulates"][0]["number"] = "1"
    data["postulates"][2]["content"] = ""
    data["surplus"] = True
    with pytest.raises(Refused) as exc:
        parse(json.dumps(data))
    reason = exc.value.reason
    assert "meeting.place: brak wymaganego pola" in reason
    assert "meeting.starts: „25:00” nie jest godziną w formacie GG:MM" in reason
    assert "postulates[0].number: powinno być: liczba całkowita" in reason
    assert "postulates[2].content: nie może być puste" in reason
    assert "surplus: nieznane pole" in reason
    assert "is a required property" not in reason and "is not of type" not in reason
    with pytest.raises(Refused, match="nie jest poprawnym JSON-em"):
        parse("{not json")
