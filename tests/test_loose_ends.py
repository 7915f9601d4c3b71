"""Loose ends found in use (issue 11, item 6): each test shows one of them tied up.

- the public page of a meeting links its published summary PDFs;
- a meeting dated in the future cannot be marked as held;
- postulates imported from a meeting were filed on the meeting's date, not the import's;
- a draft never submitted stays the organisation's own when withdrawn;
- no doubled full stop after a Polish date ("3 grudnia 2026 r.") in a PDF's sentence.
"""
from __future__ import annotations

from datetime import UTC, date, timedelta

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import to_warsaw, utcnow
from consult.documents import storage
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from consult.meetings.models import Meeting
from tests.conftest import login
from tests.test_calls import clock, people

__all__ = ["clock", "people"]


def warsaw_today() -> date:
    return to_warsaw(utcnow()).date()


def held_meeting(world, *, days_ago: int = 2) -> Meeting:
    """The world's meeting (planned three days ahead) moved into the past and marked held, org A present."""
    from consult.meetings.operations import mark_meeting_held, record_attendance

    meeting = db.session.get(Meeting, world.meeting.id)
    with transaction():
        meeting.date = warsaw_today() - timedelta(days=days_ago)
        record_attendance(SYSTEM, meeting, organisations=[world.org_a], officials=[("Dyrektor", None)])
        mark_meeting_held(SYSTEM, meeting)
    return meeting


def published_summary(world, meeting: Meeting, *, number: int = 1, language: str = "pl") -> DocumentVersion:
    """A published version of the meeting's summary whose file is a stub (no render): what the pages link."""
    from consult.summaries.documents import publish_version

    key = f"test/meeting-{meeting.id}-v{number}.pdf"
    storage.write(key, b"%PDF-1.7 stub")
    with transaction():
        now = utcnow()
        job = DocumentJob(kind="meeting_summary", subject_id=meeting.id, state="done", attempts=1, language=language,
                          requested_at=now, started_at=now, finished_at=now)
        db.session.add(job)
        db.session.flush()
        version = DocumentVersion(kind="meeting_summary", subject_id=meeting.id, job_id=job.id, number=number,
                                  language=language, storage_key=key, sha256="0" * 64, size=13, pages=3,
                                  source_digest="0" * 64, created_at=now)
        db.session.add(version)
    with transaction():
        publish_version(world.user("coordinator"), version)
    return version


# --- the public page of a meeting ---------------------------------------------------------------------

def test_the_public_meeting_page_links_its_published_summaries(world, client):
    meeting = db.session.get(Meeting, world.meeting.id)
    page = client.get(f"/programy/spotkania/{meeting.id}").get_data(as_text=True)
    assert "Podsumowanie nie zostało jeszcze opublikowane." in page and ".pdf" not in page
    meeting = held_meeting(world)
    first = published_summary(world, meeting, number=1)
    second = published_summary(world, meeting, number=2, language="en")
    page = client.get(f"/programy/spotkania/{meeting.id}").get_data(as_text=True)
    assert "Podsumowanie nie zostało jeszcze opublikowane." not in page
    assert f'<a href="/podsumowania/{second.id}.pdf" hreflang="en">Podsumowanie, wersja 2 (PDF, 3 str., 1 kB)</a>' in page
    assert f'href="/podsumowania/{first.id}.pdf" hreflang="pl"' in page
    assert page.index(f"/podsumowania/{second.id}.pdf") < page.index(f"/podsumowania/{first.id}.pdf")  # current first
    download = client.get(f"/podsumowania/{first.id}.pdf")
    assert download.status_code == 200 and download.data == b"%PDF-1.7 stub"


# --- dates in PDFs --------------------------------------------------------------------------------------

def test_a_sentence_ending_with_a_date_has_one_full_stop_in_the_call_results_pdf(world, clock, people,
                                                                                summary_worker):
    from consult.calls import operations as call_ops
    from consult.summaries.document import polish_date
    from tests.summary_support import page_texts, pdf_bytes, squeeze, wait_for_jobs
    from tests.test_calls import _to_evaluation

    call, (offer_a, offer_b), _m = _to_evaluation(world, clock, people)
    coordinator = world.user("coordinator")
    with transaction():
        call_ops.record_decision(coordinator, offer_a, kind="grant", amount="5 500")
        call_ops.record_decision(coordinator, offer_b, kind="refusal", reason="Brak środków.")
        call_ops.publish_results(coordinator, call)
    wait_for_jobs()
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.about("call", call.id),
                                                                 DocumentVersion.kind == "call_results"))
    text = squeeze(" ".join(page_texts(pdf_bytes(version))))
    published_on = polish_date(db.session.get(type(call), call.id).results_published_at)
    assert published_on.endswith(" r.")
    assert squeeze(f"Wyniki ogłoszono {published_on} Środki przeznaczone") in text
    assert "r.." not in text


def test_the_consultation_reports_title_page_has_one_full_stop_after_its_date(app, summary_worker):
    from consult.summaries.document import polish_date
    from tests.summary_support import import_data, large_meeting_data, page_texts, squeeze
    from tests.test_consultation_report import _compile

    meeting = db.session.get(Meeting, import_data(large_meeting_data(2, date="2025-06-11")))
    _job, data = _compile(meeting.programme_id)
    first_page = squeeze(page_texts(data)[0])
    assert squeeze(f"Stan na {polish_date(warsaw_today())} Raport zawiera wyłącznie") in first_page
    assert "r.." not in first_page


def test_one_full_stop_keeps_other_text_and_markup_as_it_is(app):
    from markupsafe import Markup

    from consult.i18n import one_full_stop

    assert one_full_stop("Stan na 3 grudnia 2026 r.. Dalej.", "3 grudnia 2026 r.") == "Stan na 3 grudnia 2026 r. Dalej."
    assert one_full_stop("Станом на 3 грудня 2026 р..", "3 грудня 2026 р.") == "Станом на 3 грудня 2026 р."
    assert one_full_stop("As of December 3, 2026.", "December 3, 2026") == "As of December 3, 2026."
    # what someone typed is not the date: it stays as typed
    assert one_full_stop("Tytuł „rok 2025 r..” – 3 grudnia 2026 r..", "3 grudnia 2026 r.") == \
        "Tytuł „rok 2025 r..” – 3 grudnia 2026 r."
    marked = one_full_stop(Markup("&lt;b&gt; 1 maja 2027 r.."), "1 maja 2027 r.")
    assert isinstance(marked, Markup) and str(marked) == "&lt;b&gt; 1 maja 2027 r."


# --- a meeting is held on its day at the earliest ----------------------------------------------------------

def test_a_meeting_dated_in_the_future_cannot_be_marked_held(world, client):
    from consult.meetings.operations import mark_meeting_held

    meeting = db.session.get(Meeting, world.meeting.id)
    assert meeting.date > warsaw_today()  # the world plans it three days ahead
    login(client, world.user("coordinator"))
    url = f"/koordynacja/spotkania/{meeting.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Oznacz jako odbyte" not in page
    assert f"Spotkanie jest zaplanowane na {meeting.date:%d.%m.%Y}: można je oznaczyć jako odbyte od tego dnia." in page
    answer = client.post(f"{url}/odbyte", follow_redirects=True).get_data(as_text=True)
    assert f"Spotkanie jest zaplanowane na {meeting.date:%d.%m.%Y}" in answer
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).state == "planned"
    # the operation refuses it whoever calls it (an import, the CLI), and writes nothing
    import pytest

    from consult.core.audit import trail
    from consult.core.errors import Refused

    with pytest.raises(Refused), transaction():
        mark_meeting_held(world.user("coordinator"), db.session.get(Meeting, meeting.id))
    assert "mark_held" not in [e.action for e in trail("meeting", meeting.id)]
    # on its day it can
    with transaction():
        db.session.get(Meeting, meeting.id).date = warsaw_today()
    assert "Oznacz jako odbyte" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/odbyte").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).state == "held"


def test_the_meetings_day_is_krakows_day(world, monkeypatch):
    from datetime import datetime

    import pytest

    from consult.core.errors import Refused
    from consult.meetings import operations as meeting_ops

    meeting = db.session.get(Meeting, world.meeting.id)
    with transaction():
        meeting.date = date(2026, 6, 17)
    # 23:30 on 16 June in Kraków (21:30 UTC): the day has not come
    monkeypatch.setattr(meeting_ops, "utcnow", lambda: datetime(2026, 6, 16, 21, 30, tzinfo=UTC))
    with pytest.raises(Refused), transaction():
        meeting_ops.mark_meeting_held(world.user("coordinator"), meeting)
    # 0:30 on 17 June in Kraków, still the 16th in UTC: it has
    monkeypatch.setattr(meeting_ops, "utcnow", lambda: datetime(2026, 6, 16, 22, 30, tzinfo=UTC))
    with transaction():
        meeting_ops.mark_meeting_held(world.user("coordinator"), meeting)
    assert meeting.state == "held"


def test_a_held_meeting_cannot_be_moved_into_the_future(world):
    import pytest

    from consult.core.errors import Refused
    from consult.meetings.operations import MeetingDetails, update_meeting

    meeting = held_meeting(world)
    details = MeetingDetails(host_unit=meeting.host_unit, title=meeting.title, date=warsaw_today() + timedelta(days=1),
                             starts=meeting.starts, ends=meeting.ends, place=meeting.place)
    with pytest.raises(Refused) as refused, transaction():
        update_meeting(world.user("coordinator"), meeting, details)
    assert refused.value.field == "date"
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).date == warsaw_today() - timedelta(days=2)


def test_the_meeting_workflow_asks_whether_the_day_has_come():
    from types import SimpleNamespace

    from workflows import MEETING

    not_yet = SimpleNamespace(not_held_yet_reason=lambda: "jeszcze nie")
    today = SimpleNamespace(not_held_yet_reason=lambda: None)
    assert not MEETING.can("mark_held", "planned", {"coordinator"}, not_yet)
    assert MEETING.can("mark_held", "planned", {"coordinator"}, today)
    assert "mark_held" not in {t.name for t in MEETING.allowed("planned", {"coordinator"}, not_yet)}


# --- postulates filed at a meeting ------------------------------------------------------------------------

def test_postulates_imported_from_a_meeting_were_filed_on_the_meetings_date(app, client):
    from consult.postulates.models import Postulate
    from tests.summary_support import fixture_data, import_data

    meeting = db.session.get(Meeting, import_data(fixture_data()))
    assert meeting.date == date(2025, 6, 17)
    postulates = db.session.scalars(db.select(Postulate).where(Postulate.meeting_id == meeting.id)).all()
    assert postulates and {to_warsaw(p.submitted_at).date() for p in postulates} == {date(2025, 6, 17)}
    # at the meeting's start, Kraków's time
    assert {to_warsaw(p.submitted_at).time() for p in postulates} == {meeting.starts}
    published = next(p for p in postulates if p.state == "published")
    page = client.get(f"/postulaty/{published.id}").get_data(as_text=True)
    assert "<dt>Złożony</dt><dd>17.06.2025, na spotkaniu branżowym</dd>" in page


def test_a_postulate_entered_before_the_meeting_starts_is_filed_now(world):
    from consult.postulates.operations import record_meeting_postulate

    meeting = db.session.get(Meeting, world.meeting.id)  # three days ahead
    before = utcnow()
    with transaction():
        postulate = record_meeting_postulate(SYSTEM, meeting, content="Zgłoszony przed spotkaniem",
                                             organisation=world.org_a)
    assert before <= postulate.submitted_at <= utcnow()


# --- a withdrawn draft stays private ----------------------------------------------------------------------

def test_a_draft_withdrawn_without_being_submitted_stays_the_organisations_own(world, app):
    from consult.postulates.models import Postulate

    draft = world.p["a_draft"]
    member = login(app.test_client(), world.user("ngo_a"))
    assert member.post(f"/postulaty/{draft.id}/wycofaj", data={"reason": "Jednak nie."}).status_code == 302
    db.session.expire_all()
    draft = db.session.get(Postulate, draft.id)
    assert draft.state == "withdrawn" and draft.submitted_at is None  # never filed
    # its organisation still sees it, as withdrawn
    assert member.get(f"/postulaty/{draft.id}").status_code == 200
    assert "Szkic organizacji A" in member.get("/moje-postulaty").get_data(as_text=True)
    # nobody else opens it or finds it in a register
    for role in ("coordinator", "admin", "unit_x", "ngo_b"):
        other = login(app.test_client(), world.user(role))
        assert other.get(f"/postulaty/{draft.id}").status_code == 403, role
    coordinator = login(app.test_client(), world.user("coordinator"))
    for url in ("/rejestr", "/rejestr?state=withdrawn", "/rejestr/eksport.csv?state=withdrawn"):
        answer = coordinator.get(url)
        assert answer.status_code == 200 and "Szkic organizacji A" not in answer.get_data(as_text=True), url
    # a postulate withdrawn after it was submitted was filed: coordinators keep seeing it
    filed = world.p["a_submitted"]
    assert member.post(f"/postulaty/{filed.id}/wycofaj", data={"reason": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Postulate, filed.id).submitted_at is not None
    assert coordinator.get(f"/postulaty/{filed.id}").status_code == 200
    assert "Złożony przez A" in coordinator.get("/rejestr?state=withdrawn").get_data(as_text=True)


# --- an implementation report's units ---------------------------------------------------------------------

PARTNER_LABELS = ("organizacje pozarządowe", "Organizacje Pozarządowe", "organizacja pozarządowa",
                  "partnerzy zewnętrzni", "placówki oświatowe", "Instytucje Kultury", "Miejskie Jednostki Organizacyjne")


def test_importing_a_report_registers_no_partner_as_a_unit_and_one_unit_for_each_way_of_naming_it(app, world):
    from consult.implementation.models import ActivityUnit
    from consult.implementation.queries import units_progress
    from consult.organisations.models import Unit
    from tests.implementation_support import fixture_data, import_data

    units_before = db.session.scalar(db.select(db.func.count(Unit.id)))
    report_id = import_data(fixture_data())
    links = db.session.execute(db.select(ActivityUnit.label, ActivityUnit.unit_id)).all()
    unit_of = {}
    for label, unit_id in links:
        unit_of.setdefault(label, set()).add(unit_id)
    names = [n.casefold() for n in db.session.scalars(db.select(Unit.name))]
    # partners are kept as written, matched to no unit, and nothing is registered for them
    for label in PARTNER_LABELS:
        assert unit_of[label] == {None}, label
        assert label.casefold() not in names, label
    assert not any("pozarządow" in n or n.startswith("partner") for n in names)
    # one unit, however a row writes its name
    for one, other in (("Wydział Profilaktyki Straży Miejskiej Miasta Krakowa",
                        "Wydział Profilaktyki Straży Miejskiej Miasta Kraków"),
                       ("Wydział Polityki Społecznej Równości i Zdrowia UMK",
                        "Wydział Polityki Społecznej Równości i Zdrowia"),
                       ("Ośrodek Kultury im. C. K. Norwida – dział GHS", "Ośrodek Kultury im. C. K. Norwida, dział GHS")):
        assert unit_of[one] == unit_of[other] and None not in unit_of[one], one
    assert len([n for n in names if n.startswith("wydział profilaktyki straży miejskiej")]) == 1
    # the world's "Wydział Polityki Społecznej, Równości i Zdrowia" is the report's, with or without "UMK"
    assert unit_of["Wydział Polityki Społecznej Równości i Zdrowia UMK"] == {world.unit_x.id}
    # the codes of the register stay unique
    codes = list(db.session.scalars(db.select(Unit.code)))
    assert len(codes) == len(set(codes)) and db.session.scalar(db.select(db.func.count(Unit.id))) > units_before
    # the coordinator's view of the report lists units only, and the report's page works
    assert all(p.unit is not None for p in units_progress(report_id))
    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.get(f"/koordynacja/sprawozdania/{report_id}")
    assert page.status_code == 200 and "Organizacje Pozarządowe" in page.get_data(as_text=True)


def test_unit_names_are_matched_across_suffixes_and_forms_of_krakow(world):
    from consult.core.actors import SYSTEM
    from consult.implementation.interchange import UnitMatcher, is_partner
    from consult.organisations.models import Unit
    from consult.organisations.operations import create_unit

    with transaction():
        museum = create_unit(SYSTEM, name="Muzeum Historyczne Miasta Krakowa", code="MHK")
        match = UnitMatcher(SYSTEM)
        assert match("Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego Urzędu Miasta Krakowa") == world.unit_y
        assert match("Wydział Dialogu Konsultacji i Kontaktu Obywatelskiego UMK") == world.unit_y
        assert match("wydział dialogu, konsultacji i kontaktu obywatelskiego") == world.unit_y
        # "Miasta Krakowa" that is part of a name is not a suffix to drop; its forms are one
        assert match("Muzeum Historyczne Miasta Kraków") == museum
        assert match("Muzeum Historyczne") != museum
        assert match("NGO") is None and match("Partnerzy") is None and match("„organizacje pozarządowe”") is None
        # a hyphen inside a name is part of it
        nowa_huta = match("Ośrodek Kultury Kraków-Nowa Huta")
        assert nowa_huta is not None and match("ośrodek kultury kraków-nowa huta") == nowa_huta
        assert match("Ośrodek Kultury Nowa Huta") != nowa_huta
    assert not is_partner("Rada Dzielnicy III") and is_partner("organizacji pozarządowych")
    assert db.session.scalar(db.select(db.func.count(Unit.id)).where(Unit.name.ilike("%partner%"))) == 0


def test_unit_codes_are_unique_in_the_database(world):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from consult.organisations.models import Unit

    db.session.add(Unit(name="Inna komórka o tym samym symbolu", code=world.unit_x.code))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
