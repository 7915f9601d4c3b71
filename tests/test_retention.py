"""Retention of personal data (issue 17, item 4): `consult retention` counts, per kind of record, what is past its
period and changes nothing; `--apply` anonymises it, one audited transaction per kind, and a second run finds
nothing. A record a day short of its period stays as it was. The administrator's form changes a period, and refuses
a negative or non-numeric one with a message, changing nothing."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from consult.auth.models import AccessAttempt, User
from consult.core.models import AuditEvent
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.meetings.models import Meeting, MeetingPerson
from consult.membership.models import JoinRequest
from consult.notifications.models import Notification
from consult.retention.kinds import ANONYMOUS, KINDS
from consult.retention.models import RetentionPeriod
from consult.retention.operations import cutoff
from consult.smallgrants.models import SmallGrantComment, SmallGrantOffer
from tests.conftest import login
from tests.places_support import places_of

DAY = timedelta(days=1)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _person(email, **values):
    user = User(email=email, name=email.split("@")[0].replace(".", " ").title(), role="ngo", password_hash="x",
                **values)
    db.session.add(user)
    return user


def _both_sides(world):
    """For each kind, one record a day past the end of its (default) period and one a day short of it."""
    now = utcnow()
    past, short = {}, {}
    for key, kind in KINDS.items():
        edge = cutoff(kind.months, now)
        past[key], short[key] = edge - DAY, edge + DAY
    rows = {}
    rows["unconfirmed_old"] = _person("stary.niepotwierdzony@example.org", created_at=past["unconfirmed_accounts"])
    rows["unconfirmed_new"] = _person("nowy.niepotwierdzony@example.org", created_at=short["unconfirmed_accounts"])
    long_ago = past["deactivated_accounts"] - 300 * DAY
    rows["deactivated_old"] = _person("stary.wylaczony@example.org", active=False, created_at=long_ago,
                                      email_confirmed_at=long_ago, last_login_at=past["deactivated_accounts"])
    rows["deactivated_new"] = _person("nowy.wylaczony@example.org", active=False, created_at=long_ago,
                                      email_confirmed_at=long_ago, last_login_at=short["deactivated_accounts"])
    db.session.flush()
    for name, decided in (("join_old", past["join_requests"]), ("join_new", short["join_requests"])):
        rows[name] = JoinRequest(user_id=rows["deactivated_old"].id, organisation_id=world.org_a.id,
                                 status="refused", created_at=decided - DAY, decided_at=decided, reason="Nie znamy.")
        db.session.add(rows[name])
    for name, at in (("attempt_old", past["access_attempts"]), ("attempt_new", short["access_attempts"])):
        rows[name] = AccessAttempt(kind="failed_sign_in", email="ktos@example.org", address="10.0.0.1",
                                   occurred_at=at)
        db.session.add(rows[name])
    recipient = world.user("ngo_a")
    for number, (name, at) in enumerate((("note_old", past["notifications"]), ("note_new", short["notifications"]))):
        rows[name] = Notification(recipient_id=recipient.id, kind="summary_published", related_type="meeting",
                                  related_id=900 + number, subject="Podsumowanie", body="Dzień dobry, Anno Nowak",
                                  address=recipient.email, created_at=at, state="sent", sent_at=at)
        db.session.add(rows[name])
    for number, (name, day) in enumerate((("person_old", past["meeting_persons"]),
                                          ("person_new", short["meeting_persons"]))):
        meeting = Meeting(programme_id=world.programme.id, host_unit_id=world.unit_x.id, title=f"Spotkanie {number}",
                          date=to_warsaw(day).date(), starts=time(10), ends=time(12), place="Sala Obrad",
                          state="held")
        meeting.persons = [MeetingPerson(position=0, name="Jan Kowalski", name_consent=True,
                                         consent_recorded_at=day)]
        db.session.add(meeting)
        db.session.flush()
        rows[name] = meeting.persons[0]
    for number, (name, day) in enumerate((("comment_old", past["small_grant_comments"]),
                                          ("comment_new", short["small_grant_comments"]))):
        last_day = to_warsaw(day).date()
        offer = SmallGrantOffer(organisation_id=world.org_a.id, unit_id=world.unit_x.id, state="not_granted",
                                title=f"Oferta {number}", description="Opis", place="Kraków",
                                starts=last_day + 30 * DAY, ends=last_day + 40 * DAY, expected_results="Rezultaty",
                                budget=[], amount=1000, total_cost=1000, judge_by=last_day - 7 * DAY,
                                published_on=last_day - 7 * DAY, comments_until=last_day, decision_reason="Nie.")
        offer.comments = [SmallGrantComment(author_name="Ewa Nowak", email="ewa.nowak@example.org",
                                            text="Dobry pomysł.", confirmed_at=day - 2 * DAY)]
        db.session.add(offer)
        db.session.flush()
        rows[name] = offer.comments[0]
    db.session.commit()
    places = places_of(world)
    for name, request, end in (("booking_old", places["waiting"], past["booking_requests"]),
                               ("booking_new", places["accepted"], short["booking_requests"])):
        request.starts_at, request.ends_at = end - timedelta(hours=2), end
        rows[name] = request
    db.session.commit()
    return {name: (type(row), row.id) for name, row in rows.items()}


def _get(rows, name):
    model, row_id = rows[name]
    return db.session.get(model, row_id)


def _snapshot(rows):
    db.session.expire_all()
    out = {}
    for name in rows:
        row = _get(rows, name)
        out[name] = None if row is None else {c.key: getattr(row, c.key) for c in row.__table__.columns}
    return out


def _anonymise_events():
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.subject_type == "retention_period",
                                                          AuditEvent.action == "anonymise")).all()


def test_listing_counts_what_is_past_its_period_and_changes_nothing(app, world, runner):
    rows = _both_sides(world)
    before = _snapshot(rows)
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    for key in KINDS:
        assert f"({key}, {KINDS[key].months} mies.): po okresie 1" in result.output, result.output
    assert "Nic nie zostało zmienione" in result.output
    assert _snapshot(rows) == before
    assert _anonymise_events() == []


def test_apply_anonymises_only_what_is_past_its_period_audited_and_a_second_run_finds_nothing(app, world, runner):
    rows = _both_sides(world)
    before = _snapshot(rows)
    result = runner.invoke(args=["retention", "--apply"])
    assert result.exit_code == 0, result.output
    for key in KINDS:
        assert f"({key}, {KINDS[key].months} mies.): zanonimizowano 1" in result.output, result.output
    db.session.expire_all()

    # a day short of the period: untouched
    after = _snapshot(rows)
    for name in rows:
        if name.endswith("_new"):
            assert after[name] == before[name], name

    for name in ("unconfirmed_old", "deactivated_old"):
        user = _get(rows, name)
        assert user.name == "osoba usunięta" and user.email.endswith("@usunieto.invalid") and not user.active
        assert before[name]["email"] not in user.email
    assert _get(rows, "join_old") is None
    assert _get(rows, "attempt_old") is None
    note = _get(rows, "note_old")
    assert note.body == "" and note.address is None and note.subject == "Podsumowanie"  # the message stays
    booking = _get(rows, "booking_old")
    assert (booking.responsible_name, booking.responsible_contact) == (ANONYMOUS, "")
    assert booking.title == "Kawiarenka naprawcza" and booking.state == before["booking_old"]["state"]

    # a private person on an attendance list past the period: the name goes, the place on the list stays, and no
    # public output can name them any more
    person = _get(rows, "person_old")
    assert (person.name, person.name_consent, person.position) == (ANONYMOUS, False, 0)
    assert person.public_name != "Jan Kowalski"
    assert _get(rows, "person_new").name == "Jan Kowalski"

    # the author of a comment on a small-grant offer past the period: the name and address go, the comment stays
    comment = _get(rows, "comment_old")
    assert (comment.author_name, comment.email, comment.text) == (ANONYMOUS, "", "Dobry pomysł.")
    assert comment.confirmed_at is not None
    assert _get(rows, "comment_new").email == "ewa.nowak@example.org"

    events = _anonymise_events()
    assert sorted(e.details["kind"] for e in events) == sorted(KINDS)
    assert all(e.details["count"] == 1 and e.actor_id is None for e in events)

    again = runner.invoke(args=["retention", "--apply"])
    assert again.exit_code == 0, again.output
    for key in KINDS:
        assert f"({key}, {KINDS[key].months} mies.): zanonimizowano 0" in again.output, again.output
    assert len(_anonymise_events()) == len(KINDS)
    assert "po okresie 0" in runner.invoke(args=["retention"]).output


def test_a_deactivation_restarts_the_period_of_an_account(app, world, runner):
    """An account last used long ago but deactivated recently keeps its data until the period after deactivating
    it ends."""
    from consult.core import audit

    long_ago = utcnow() - timedelta(days=3650)
    user = _person("wylaczony.wczoraj@example.org", active=False, created_at=long_ago, email_confirmed_at=long_ago,
                   last_login_at=long_ago)
    db.session.flush()
    audit.record(None, "user", user.id, "deactivate", from_state="active", to_state="inactive")
    db.session.commit()
    result = runner.invoke(args=["retention", "--apply"])
    assert "(deactivated_accounts, 24 mies.): zanonimizowano 0" in result.output
    assert db.session.get(User, user.id).email == "wylaczony.wczoraj@example.org"


def test_an_administrator_changes_a_period_and_it_counts_from_then_on(app, world, runner):
    rows = _both_sides(world)
    client = login(app.test_client(), world.user("admin"))
    page = client.get("/rejestry/retencja").get_data(as_text=True)
    assert "Rezerwacje sal w miejscach aktywności" in page and "art. 6 ust. 1 lit. b i e RODO" in page
    # the private persons on attendance lists are listed with their period and legal basis, and have a form
    assert "Osoby prywatne na listach obecności spotkań branżowych" in page and "od dnia spotkania" in page
    assert "lista obecności dokumentuje spotkanie branżowe" in page
    assert client.get("/rejestry/retencja/meeting_persons").status_code == 200
    assert client.get("/rejestry/retencja/booking_requests").status_code == 200
    # two years: the booking a year and a day ago is no longer past its period
    response = client.post("/rejestry/retencja/booking_requests",
                           data={"months": "24", "legal_basis": "Regulamin MAM, § 9."})
    assert response.status_code == 302
    period = db.session.scalar(db.select(RetentionPeriod).where(RetentionPeriod.kind == "booking_requests"))
    assert (period.months, period.legal_basis) == (24, "Regulamin MAM, § 9.")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.subject_type == "retention_period",
                                                          AuditEvent.action == "edit"))
    assert event.actor_id == world.user("admin").id and event.details["changed"]["months"] == [12, 24]
    assert "Regulamin MAM, § 9." in client.get("/rejestry/retencja").get_data(as_text=True)
    result = runner.invoke(args=["retention", "--apply"])
    assert "(booking_requests, 24 mies.): zanonimizowano 0" in result.output
    assert _get(rows, "booking_old").responsible_name == "Jan Mieszkaniec"


@pytest.mark.parametrize("months, message", [
    ("-3", "Okres przechowywania to liczba miesięcy od 1 do 1200."),
    ("0", "Okres przechowywania to liczba miesięcy od 1 do 1200."),
    ("dwanaście", "Okres przechowywania (miesiące): wpisz liczbę cyframi, np. 12."),
    ("", "Wpisz okres przechowywania w miesiącach, np. 12."),
])
def test_the_form_refuses_a_period_that_is_no_positive_number_and_changes_nothing(app, world, months, message):
    client = login(app.test_client(), world.user("admin"))
    before = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    response = client.post("/rejestry/retencja/access_attempts", data={"months": months, "legal_basis": "RODO"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and "<title>Błąd: " in page
    assert 'href="#months"' in page  # the error summary leads to the field
    assert db.session.scalar(db.select(RetentionPeriod)) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == before


def test_the_form_asks_for_a_legal_basis_and_unknown_kinds_are_not_found(app, world):
    client = login(app.test_client(), world.user("admin"))
    page = client.post("/rejestry/retencja/notifications", data={"months": "6", "legal_basis": "  "}
                       ).get_data(as_text=True)
    assert "Wpisz podstawę prawną przechowywania danych." in page
    assert db.session.scalar(db.select(RetentionPeriod)) is None
    assert client.get("/rejestry/retencja/postulates").status_code == 404
