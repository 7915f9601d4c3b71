"""A double click or a replayed form creates one thing.

Every form that makes a record carries a token made when the page was rendered; the same form sent again, or
four times at once, makes one record and every response leads to it. Posts without the token (an old page, a
direct call) still make their record, and natural keys hold too: an equal compile still pending is that job;
one decision and one score sheet per offer and member, even when first posts from different forms race.

"At once" is four threads, each with its own test client signed in as the same person: each request runs in
its own application context, so with its own session and database connection (SQLite: the file's write lock;
PostgreSQL: real concurrent transactions).
"""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest

from consult.calls.models import CommissionMember, ConflictDeclaration, Decision, Offer, ScoreSheet
from consult.core.models import AuditEvent, FormSubmission
from consult.core.operations import in_transaction, transaction
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from consult.postulates.models import Postulate
from tests.conftest import login
from tests.summary_support import wait_for_jobs
from tests.test_calls import FULL, _to_evaluation, announced_call, clock, people

__all__ = ["clock", "people"]  # fixtures used here

AGAIN = "Ten formularz został już wysłany"
TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([0-9a-f]{32})">')


def token_in(page: str) -> str:
    """The token of the (first) create form on a page."""
    found = TOKEN.findall(page)
    assert found, "the page has no create form with a token"
    return found[0]


def signed_in(app, user, n: int = 4) -> list:
    return [login(app.test_client(), user) for _ in range(n)]


def at_once(clients, path: str, data: dict, *, follow: bool = True) -> list:
    """Post `data` to `path` from each client at the same moment (a barrier releases the threads together)."""
    barrier = threading.Barrier(len(clients))

    def send(client):
        barrier.wait()
        return client.post(path, data=dict(data), follow_redirects=follow)

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(send, clients))


def count(model, *where) -> int:
    db.session.rollback()  # see what the other connections committed
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def texts(responses) -> list[str]:
    return [r.get_data(as_text=True) for r in responses]


# --- a postulate (an NGO, online) ---------------------------------------------------------------------


def test_a_postulate_sent_four_times_at_once_is_filed_once_and_every_page_shows_it(app, world):
    ngo = world.user("ngo_a")
    page = login(app.test_client(), ngo).get(f"/programy/{world.programme.id}/postulaty/nowy").get_data(as_text=True)
    data = {"content": "Więcej świetlic w Nowej Hucie", "submit": "1", "form_token": token_in(page)}
    before = count(Postulate)

    responses = at_once(signed_in(app, ngo), f"/programy/{world.programme.id}/postulaty/nowy", data)

    assert count(Postulate) == before + 1
    postulate = db.session.scalar(db.select(Postulate).where(Postulate.content == data["content"]))
    assert postulate.state == "submitted"
    assert [r.status_code for r in responses] == [200] * 4
    assert {r.request.path for r in responses} == {f"/postulaty/{postulate.id}/zlozony"}
    pages = texts(responses)
    assert all(postulate.reference in p for p in pages)
    assert sum(AGAIN in p for p in pages) == 3  # the one that filed it says so; the others that it was filed
    assert count(AuditEvent, AuditEvent.subject_type == "postulate", AuditEvent.subject_id == postulate.id,
                 AuditEvent.action == "submit") == 1


def test_a_postulate_form_sent_again_later_shows_the_saved_draft(app, world):
    client = login(app.test_client(), world.user("ngo_a"))
    path = f"/programy/{world.programme.id}/postulaty/nowy"
    data = {"content": "Szkic o parkach kieszonkowych", "draft": "1",
            "form_token": token_in(client.get(path).get_data(as_text=True))}
    first = client.post(path, data=data)
    draft = db.session.scalar(db.select(Postulate).where(Postulate.content == data["content"]))
    assert first.headers["Location"] == f"/postulaty/{draft.id}"

    again = client.post(path, data=data, follow_redirects=True)  # the page sent again from the history

    assert again.status_code == 200 and again.request.path == f"/postulaty/{draft.id}"
    assert "Ten formularz został już wysłany – oto zapisany postulat." in again.get_data(as_text=True)
    assert count(Postulate, Postulate.content == data["content"]) == 1


def test_every_rendering_of_a_form_has_its_own_token_and_posts_without_one_work_as_before(app, world):
    client = login(app.test_client(), world.user("ngo_a"))
    path = f"/programy/{world.programme.id}/postulaty/nowy"
    assert token_in(client.get(path).get_data(as_text=True)) != token_in(client.get(path).get_data(as_text=True))

    for _ in range(2):  # a page rendered before forms had tokens: each post files a postulate, as it always did
        assert client.post(path, data={"content": "Bez tokenu", "submit": "1"}).status_code == 302
    # nor does a token that is not one of ours (tampered with) stop anything
    assert client.post(path, data={"content": "Bez tokenu", "submit": "1", "form_token": "x' OR 1=1"}).status_code == 302
    assert count(Postulate, Postulate.content == "Bez tokenu") == 3


def test_a_token_is_its_senders_and_its_forms_only(app, world):
    path = f"/programy/{world.programme.id}/postulaty/nowy"
    a = login(app.test_client(), world.user("ngo_a"))
    token = token_in(a.get(path).get_data(as_text=True))
    assert a.post(path, data={"content": "Postulat A", "submit": "1", "form_token": token}).status_code == 302
    # the same token in another organisation's post means nothing there: B files its own postulate
    b = login(app.test_client(), world.user("ngo_b"))
    assert b.post(path, data={"content": "Postulat B", "submit": "1", "form_token": token}).status_code == 302
    assert count(Postulate, Postulate.content == "Postulat B") == 1
    # and in another kind of form the token is free
    from consult.core.submissions import claim

    with transaction():
        assert claim(world.user("ngo_a"), "offer", f"{token}.{'0' * 64}") is not None
    assert count(FormSubmission) == 3


def test_a_form_changed_and_sent_again_from_the_history_does_what_it_now_asks(app, world, clock, people):
    """Back in the browser's history, the page still holds the token it was rendered with; sent again as it was
    it is the same sending, but changed (another text, another amount) it asks for something new."""
    client = login(app.test_client(), world.user("coordinator"))
    path = f"/koordynacja/spotkania/{world.meeting.id}/postulaty/nowy"
    token = token_in(client.get(path).get_data(as_text=True))
    form = {"submitter_kind": "official", "submitter_name": "Radny Miasta", "form_token": token}
    for content in ("Pierwszy z tej strony", "Pierwszy z tej strony", "Drugi z tej samej strony"):
        assert client.post(path, data={**form, "content": content}).status_code == 302
    assert count(Postulate, Postulate.content == "Pierwszy z tej strony") == 1
    assert count(Postulate, Postulate.content == "Drugi z tej samej strony") == 1

    _call, (offer, _other), _members = _to_evaluation(world, clock, people)
    decide, data = _decision_form(app, world, offer)
    client = login(app.test_client(), world.user("coordinator"))
    assert client.post(decide, data=data, follow_redirects=True).status_code == 200
    corrected = client.post(decide, data={**data, "amount": "4500"}, follow_redirects=True)
    assert AGAIN not in corrected.get_data(as_text=True)
    assert db.session.scalar(db.select(Decision.amount).where(Decision.offer_id == offer.id)) == 4500


# --- a postulate filed at a meeting (a coordinator) -------------------------------------------------------


def test_a_meeting_postulate_sent_four_times_at_once_is_entered_once_with_one_number(app, world):
    coordinator = world.user("coordinator")
    path = f"/koordynacja/spotkania/{world.meeting.id}/postulaty/nowy"
    page = login(app.test_client(), coordinator).get(path).get_data(as_text=True)
    data = {"submitter_kind": "organisation", "organisation": str(world.org_b.id),
            "content": "Dyżury prawnika w domach kultury", "another": "1", "form_token": token_in(page)}
    numbers = set(db.session.scalars(db.select(Postulate.number).where(Postulate.meeting_id == world.meeting.id)))

    responses = at_once(signed_in(app, coordinator), path, data)

    entered = db.session.scalars(db.select(Postulate).where(Postulate.meeting_id == world.meeting.id,
                                                            Postulate.number.notin_(numbers))).all()
    assert [p.content for p in entered] == [data["content"]]
    number = entered[0].number
    assert all(r.status_code == 200 and r.request.path == path for r in responses)  # "enter another" honoured
    pages = texts(responses)
    assert sum(f"Wprowadzono postulat nr {number}." in p for p in pages) == 1
    assert sum(f"{AGAIN} – postulat nr {number} jest już wprowadzony." in p for p in pages) == 3


def test_meeting_postulates_from_two_forms_at_once_get_consecutive_numbers(app, world):
    """Two coordinators entering postulates of one meeting at the same moment (two forms, two tokens): both
    are entered, with the next two numbers, and neither gets a database error."""
    coordinator = world.user("coordinator")
    path = f"/koordynacja/spotkania/{world.meeting.id}/postulaty/nowy"
    clients = signed_in(app, coordinator, 2)
    tokens = [token_in(c.get(path).get_data(as_text=True)) for c in clients]
    barrier = threading.Barrier(2)

    def send(i):
        barrier.wait()
        return clients[i].post(path, data={"submitter_kind": "official", "submitter_name": "Radny Miasta",
                                           "content": f"Postulat {i}", "form_token": tokens[i]})

    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(send, range(2)))

    assert [r.status_code for r in responses] == [302, 302]
    numbers = sorted(db.session.scalars(db.select(Postulate.number).where(Postulate.meeting_id == world.meeting.id,
                                                                         Postulate.content.like("Postulat _"))))
    assert len(numbers) == 2 and numbers[1] == numbers[0] + 1


# --- an offer (an NGO starts one in an announced call) --------------------------------------------------------


def test_an_offer_started_four_times_at_once_is_one_offer(app, world, clock):
    call = announced_call(world, clock)
    ngo = world.user("ngo_a")
    page = login(app.test_client(), ngo).get(f"/konkursy/{call.id}").get_data(as_text=True)

    responses = at_once(signed_in(app, ngo), f"/konkursy/{call.id}/oferty/nowa", {"form_token": token_in(page)})

    offers = db.session.scalars(db.select(Offer).where(Offer.call_id == call.id)).all()
    assert len(offers) == 1
    assert {r.request.path for r in responses} == {f"/oferty/{offers[0].id}/edycja"}
    assert all(r.status_code == 200 for r in responses)
    assert sum(AGAIN in p for p in texts(responses)) == 3


# --- a compile job (a meeting's summary PDF) -------------------------------------------------------------------


@pytest.mark.usefixtures("summary_worker")
def test_a_summary_compile_asked_four_times_at_once_is_one_job_and_one_pdf(app, world):
    coordinator = world.user("coordinator")
    page = login(app.test_client(), coordinator).get(
        f"/koordynacja/spotkania/{world.meeting.id}/podsumowanie").get_data(as_text=True)
    data = {"preview": "1", "language": "pl", "form_token": token_in(page)}

    responses = at_once(signed_in(app, coordinator),
                        f"/koordynacja/spotkania/{world.meeting.id}/podsumowanie/kompilacja", data, follow=False)
    wait_for_jobs()

    jobs = db.session.scalars(db.select(DocumentJob).where(DocumentJob.about("meeting", world.meeting.id))).all()
    assert len(jobs) == 1 and jobs[0].state == "done"
    assert count(DocumentVersion, DocumentVersion.about("meeting", world.meeting.id)) == 1
    assert [r.status_code for r in responses] == [302] * 4
    assert {r.headers["Location"] for r in responses} == {f"/koordynacja/podsumowania/zadania/{jobs[0].id}"}


# --- a decision on an offer (the coordinator) ---------------------------------------------------------------


def _decision_form(app, world, offer) -> tuple[str, dict]:
    page = login(app.test_client(), world.user("coordinator")).get(
        f"/koordynacja/konkursy/{offer.call_id}/rozstrzygniecia").get_data(as_text=True)
    form = page[page.index(f'action="/koordynacja/oferty/{offer.id}/rozstrzygniecie"'):]
    return f"/koordynacja/oferty/{offer.id}/rozstrzygniecie", {"kind": "grant", "amount": "5000",
                                                               "form_token": token_in(form)}


def test_a_decision_sent_four_times_at_once_is_recorded_once(app, world, clock, people):
    _call, (offer, _other), _members = _to_evaluation(world, clock, people)
    path, data = _decision_form(app, world, offer)

    responses = at_once(signed_in(app, world.user("coordinator")), path, data)

    decisions = db.session.scalars(db.select(Decision).where(Decision.offer_id == offer.id)).all()
    assert [(d.kind, d.amount) for d in decisions] == [("grant", 5000)]
    assert all(r.status_code == 200 and "rozstrzygniecia" in r.request.path for r in responses)
    assert sum(AGAIN in p for p in texts(responses)) == 3
    assert count(AuditEvent, AuditEvent.action == "record_decision") == 1


def test_first_decisions_from_four_forms_at_once_make_one_decision_and_no_error(app, world, clock, people):
    """Four tabs (four tokens) deciding the same offer at the same moment: one decision (one an offer), each post
    saved in turn over it, and no page with a database error."""
    _call, (offer, _other), _members = _to_evaluation(world, clock, people)
    path = f"/koordynacja/oferty/{offer.id}/rozstrzygniecie"
    clients = signed_in(app, world.user("coordinator"))
    barrier = threading.Barrier(4)

    def send(i):
        barrier.wait()
        return clients[i].post(path, data={"kind": "grant", "amount": str(4000 + i)})

    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(send, range(4)))

    assert [r.status_code for r in responses] == [302] * 4, [re.findall(r'<a href="#[^"]*">([^<]*)</a>', t) for t in texts(responses)]
    decisions = db.session.scalars(db.select(Decision).where(Decision.offer_id == offer.id)).all()
    assert len(decisions) == 1 and decisions[0].amount in {4000, 4001, 4002, 4003}
    assert count(AuditEvent, AuditEvent.action == "record_decision") == 4


# --- a score sheet (a member of the commission) ---------------------------------------------------------------


def _declared(world, offer, member):
    from consult.calls import operations as ops

    with transaction():
        ops.declare_conflict(member, offer, has_conflict=False)


def _score_data(offer, **extra) -> dict:
    return {**{f"points-{c.id}": p for c, p in zip(offer.call.scored_criteria, FULL)}, **extra}


def test_a_score_sheet_sent_four_times_at_once_is_saved_once_and_each_goes_on_to_its_submission(
        app, world, clock, people):
    _call, (offer, _other), _members = _to_evaluation(world, clock, people)
    member = world.user("unit_x")
    _declared(world, offer, member)
    page = login(app.test_client(), member).get(f"/oferty/{offer.id}/ocena").get_data(as_text=True)
    data = _score_data(offer, action="submit", form_token=token_in(page))

    responses = at_once(signed_in(app, member), f"/oferty/{offer.id}/ocena", data)

    sheets = db.session.scalars(db.select(ScoreSheet).where(ScoreSheet.offer_id == offer.id)).all()
    assert [(s.state, s.total) for s in sheets] == [("draft", 45)]
    # every response is the confirmation page of the submission, as the first post's is
    assert all(r.status_code == 200 and r.request.path == f"/oferty/{offer.id}/ocena/zlozenie" for r in responses)
    assert count(AuditEvent, AuditEvent.subject_type == "score_sheet", AuditEvent.action == "save") == 1
    assert count(AuditEvent, AuditEvent.subject_type == "score_sheet", AuditEvent.action == "create") == 1


def test_first_saves_of_a_score_sheet_from_four_forms_at_once_make_one_sheet(app, world, clock, people):
    _call, (offer, _other), _members = _to_evaluation(world, clock, people)
    member = world.user("unit_x")
    _declared(world, offer, member)

    responses = at_once(signed_in(app, member), f"/oferty/{offer.id}/ocena", _score_data(offer, action="save"),
                        follow=False)

    assert [r.status_code for r in responses] == [302] * 4
    sheets = db.session.scalars(db.select(ScoreSheet).where(ScoreSheet.offer_id == offer.id)).all()
    assert [(s.state, s.total) for s in sheets] == [("draft", 45)]


# --- the other create forms, each sent twice ---------------------------------------------------------------------


def _sent_twice(client, form_path: str, post_path: str, data: dict, *, anchor: str | None = None):
    """Send the form on `form_path` twice with the same token; return both responses (the second followed)."""
    page = client.get(form_path).get_data(as_text=True)
    if anchor:
        page = page[page.index(anchor):]
    data = {**data, "form_token": token_in(page)}
    first = client.post(post_path, data=data)
    again = client.post(post_path, data=data, follow_redirects=True)
    return first, again


def test_a_commission_member_appointed_twice_is_appointed_once(app, world, clock, people):
    call = announced_call(world, clock)
    client = login(app.test_client(), world.user("coordinator"))
    path = f"/koordynacja/konkursy/{call.id}/komisja"
    first, again = _sent_twice(client, path, path, {"kind": "staff", "user": str(people["staff_x2"].id)})
    assert first.status_code == 302
    assert again.status_code == 200 and f"{AGAIN} – staff_x2 jest już członkiem komisji." in again.get_data(as_text=True)
    assert count(CommissionMember, CommissionMember.call_id == call.id) == 1


def test_a_declaration_sent_twice_is_made_once(app, world, clock, people):
    _call, (offer, _other), _members = _to_evaluation(world, clock, people)
    client = login(app.test_client(), world.user("unit_x"))
    first, again = _sent_twice(client, f"/oferty/{offer.id}/ocena", f"/oferty/{offer.id}/oswiadczenie",
                               {"has_conflict": "no"})
    assert first.status_code == 302
    assert again.status_code == 200 and again.request.path == f"/oferty/{offer.id}/ocena"
    assert "oświadczenie dotyczące oferty" in again.get_data(as_text=True)
    assert count(ConflictDeclaration, ConflictDeclaration.offer_id == offer.id) == 1


@pytest.mark.parametrize("role, path, data, table, where, shown", [
    ("coordinator", "/koordynacja/programy/nowy",
     {"year": "2031", "title": "Program Współpracy na rok 2031",
      "opens_date-day": "1", "opens_date-month": "9", "opens_date-year": "2030", "opens_time": "00:00",
      "closes_date-day": "30", "closes_date-month": "9", "closes_date-year": "2030", "closes_time": "23:59"},
     "programmes", "year = 2031", "oto utworzony program"),
    ("coordinator", "/rejestry/komorki/nowa", {"name": "Wydział Sportu", "code": "SP"}, "units", "code = 'SP'",
     "komórka jest już w rejestrze"),
    ("coordinator", "/rejestry/organizacje/nowa", {"name": "Fundacja Nowa", "legal_form": "fundacja"},
     "organisations", "name = 'Fundacja Nowa'", "organizacja jest już w rejestrze"),
    ("admin", "/rejestry/konta/nowe", {"email": "olena@example.org", "name": "Olena Kowalenko", "role": "coordinator",
                                      "organisation": "", "unit": ""},
     "users", "email = 'olena@example.org'", "zaproszenie jest już wysłane"),
])
def test_programmes_and_register_entries_sent_twice_are_made_once(app, world, role, path, data, table, where, shown):
    client = login(app.test_client(), world.user(role))
    first, again = _sent_twice(client, path, path, data)
    assert first.status_code == 302, first.get_data(as_text=True)[:3000]
    assert again.status_code == 200 and f"{AGAIN} – {shown}" in again.get_data(as_text=True)
    db.session.rollback()
    assert db.session.execute(db.text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar() == 1


def test_a_retried_collision_sees_the_winners_row_and_another_integrity_error_stays_a_refusal(app, world):
    """in_transaction runs an operation again after a unique violation (then it sees the row that won); a
    violation of another kind is the refusal it always was."""
    from consult.core.errors import Collision, Refused
    from consult.organisations.models import Unit

    runs = []

    def add_unit_named(name):
        runs.append(name)
        existing = db.session.scalar(db.select(Unit).where(Unit.name == name))
        if existing is not None:
            return existing  # second run: the row that won
        if len(runs) == 1:  # first run: as if a concurrent request committed the same unit a moment before us
            with app.app_context():  # another session, another connection
                db.session.add(Unit(name=name, code="WX"))
                db.session.commit()
        unit = Unit(name=name, code="WY")
        db.session.add(unit)
        db.session.flush()
        return unit

    unit = in_transaction(add_unit_named, "Wydział Ścigany")
    assert runs == ["Wydział Ścigany", "Wydział Ścigany"] and unit.code == "WX"
    assert count(Unit, Unit.name == "Wydział Ścigany") == 1

    def orphan():
        db.session.add(FormSubmission(token="0" * 32, kind="x", user_id=10**9, record_id=None))
        db.session.flush()

    if db.engine.dialect.name == "sqlite":  # SQLite checks foreign keys only when told to
        return
    with pytest.raises(Refused) as refused:
        in_transaction(orphan)
    assert not isinstance(refused.value, Collision)


def test_a_call_drafted_twice_and_a_meeting_planned_twice_are_one_each(app, world):
    from consult.calls.models import Call
    from consult.meetings.models import Meeting
    from tests.test_calls_web import _form as call_form
    from tests.test_coordination_web import _meeting_form

    client = login(app.test_client(), world.user("coordinator"))
    first, again = _sent_twice(client, "/koordynacja/konkursy/nowy", "/koordynacja/konkursy/nowy",
                               call_form(world))
    call = db.session.scalar(db.select(Call).where(Call.title == "Konkurs z formularza"))
    assert first.headers["Location"] == f"/koordynacja/konkursy/{call.id}"
    assert again.request.path == f"/koordynacja/konkursy/{call.id}"
    assert f"{AGAIN} – oto zapisany projekt konkursu." in again.get_data(as_text=True)
    assert count(Call) == 1

    path = f"/koordynacja/programy/{world.programme.id}/spotkania/nowe"
    first, again = _sent_twice(client, path, path, _meeting_form(world))
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.title == "Spotkanie branżowe WDKKO"))
    assert again.request.path == f"/koordynacja/spotkania/{meeting.id}"
    assert f"{AGAIN} – oto zaplanowane spotkanie." in again.get_data(as_text=True)
    assert count(Meeting, Meeting.title == "Spotkanie branżowe WDKKO") == 1
    # the edit form of the meeting has no token: editing is not creating
    assert not TOKEN.search(client.get(f"/koordynacja/spotkania/{meeting.id}/edycja").get_data(as_text=True))


def test_an_evaluation_card_saved_four_times_at_once_is_saved_once(app, world):
    from consult.calls.models import Call
    from tests.access_cases.calls import call_of

    call = call_of(world, "draft")
    staff = world.user("unit_x")
    page = login(app.test_client(), staff).get(f"/koordynacja/konkursy/{call.id}/karta").get_data(as_text=True)
    data = {"action": "save", "criteria-0-title": "Jakość", "criteria-0-max_points": "10",
            "criteria-1-title": "Koszty", "criteria-1-max_points": "5", "form_token": token_in(page)}

    responses = at_once(signed_in(app, staff), f"/koordynacja/konkursy/{call.id}/karta", data)

    assert all(r.status_code == 200 and r.request.path == f"/koordynacja/konkursy/{call.id}" for r in responses)
    pages = texts(responses)
    assert sum("Zapisano kartę oceny" in p for p in pages) == 1
    assert sum(f"{AGAIN} – karta oceny jest zapisana." in p for p in pages) == 3
    db.session.expire_all()
    assert [(c.title, c.max_points) for c in db.session.get(Call, call.id).scored_criteria] == [("Jakość", 10),
                                                                                                ("Koszty", 5)]
    assert count(AuditEvent, AuditEvent.subject_type == "call", AuditEvent.subject_id == call.id,
                 AuditEvent.action == "edit_card") == 1


def test_formal_criteria_saved_twice_are_saved_once(app, world):
    from tests.access_cases.calls import call_of

    call = call_of(world, "draft")
    client = login(app.test_client(), world.user("unit_x"))
    path = f"/koordynacja/konkursy/{call.id}/kryteria-formalne"
    before = count(AuditEvent, AuditEvent.subject_type == "call", AuditEvent.subject_id == call.id)
    first, again = _sent_twice(client, path, path, {"action": "save", "formal_criteria-0": "Oferta złożona w terminie"})
    assert first.status_code == 302
    assert f"{AGAIN} – kryteria formalne są zapisane." in again.get_data(as_text=True)
    assert count(AuditEvent, AuditEvent.subject_type == "call", AuditEvent.subject_id == call.id) == before + 1


def test_a_position_sent_twice_is_saved_once_and_not_refused_as_stale(app, world):
    from consult.postulates.models import Position

    postulate = world.p["a_assigned_x"]
    client = login(app.test_client(), world.user("unit_x"))
    path = f"/postulaty/{postulate.id}/stanowisko"
    first, again = _sent_twice(client, path, path, {"category": "accepted", "text": "Przyjmujemy.", "version": "0"})
    assert first.status_code == 302
    # without the token the second post would be a stale edit (409: "someone else changed it")
    assert again.status_code == 200 and again.request.path == f"/postulaty/{postulate.id}"
    assert f"{AGAIN} – projekt stanowiska jest zapisany." in again.get_data(as_text=True)
    assert count(Position, Position.postulate_id == postulate.id) == 1


def _imported_twice(client, path: str, body: bytes):
    token = token_in(client.get(path).get_data(as_text=True))

    def send(**kw):
        return client.post(path, data={"file": (BytesIO(body), "plik.json"), "form_token": token},
                           content_type="multipart/form-data", **kw)

    return send(), send(follow_redirects=True)


def test_a_meeting_summary_and_an_implementation_plan_imported_twice_are_imported_once(app, world):
    import json

    from consult.implementation.models import ImplementationReport
    from consult.meetings.models import Meeting
    from tests.implementation_support import small_data
    from tests.summary_support import fixture_data

    client = login(app.test_client(), world.user("coordinator"))
    data = fixture_data()
    data["programme"] = {"year": 2030, "title": "Program Współpracy na rok 2030"}
    first, again = _imported_twice(client, "/koordynacja/podsumowania/import",
                                   json.dumps(data, ensure_ascii=False).encode())
    assert first.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.title == data["meeting"]["title"]))
    assert again.request.path == f"/koordynacja/spotkania/{meeting.id}/podsumowanie"
    # not "this meeting is already in the system": the form was sent twice, so it shows what it imported
    assert f"{AGAIN} – oto zaimportowane spotkanie." in again.get_data(as_text=True)
    assert count(Meeting, Meeting.title == data["meeting"]["title"]) == 1

    first, again = _imported_twice(client, "/koordynacja/sprawozdania/nowe",
                                   json.dumps(small_data(), ensure_ascii=False).encode())
    assert first.status_code == 302
    report = db.session.scalar(db.select(ImplementationReport))
    assert again.request.path == f"/koordynacja/sprawozdania/{report.id}"
    assert f"{AGAIN} – oto otwarta runda sprawozdawcza." in again.get_data(as_text=True)

    # the next round asked for twice from the same form: one round
    page = client.get(f"/koordynacja/sprawozdania/{report.id}").get_data(as_text=True)
    form = page[page.index(f'action="/koordynacja/sprawozdania/{report.id}/kolejna-runda"'):]
    data = {"year": "2023", "form_token": token_in(form)}
    assert client.post(f"/koordynacja/sprawozdania/{report.id}/kolejna-runda", data=data).status_code == 302
    again = client.post(f"/koordynacja/sprawozdania/{report.id}/kolejna-runda", data=data, follow_redirects=True)
    new = db.session.scalar(db.select(ImplementationReport).where(ImplementationReport.report_year == 2023))
    assert again.request.path == f"/koordynacja/sprawozdania/{new.id}"
    assert f"{AGAIN} – oto otwarta runda sprawozdawcza." in again.get_data(as_text=True)
    assert count(ImplementationReport) == 2


@pytest.fixture
def no_worker(monkeypatch):
    """Jobs are queued but nobody runs them (they stay pending); the test ends them."""
    monkeypatch.setattr("consult.documents.dispatch.enqueue", lambda job_id, app: None)
    yield
    from consult.documents.operations import fail_job

    db.session.rollback()
    for job_id in db.session.scalars(db.select(DocumentJob.id).where(DocumentJob.state.in_(("queued", "running")))):
        fail_job(job_id, "test: nikt nie uruchomił zadania")


@pytest.mark.parametrize("compile_path, form_page, job_path", [
    ("/koordynacja/programy/{programme}/raport/kompilacja", "/koordynacja/programy/{programme}/raport",
     "/koordynacja/raporty/zadania/{job}"),
    ("/koordynacja/sprawozdania/{report}/kompilacja", "/koordynacja/sprawozdania/{report}",
     "/koordynacja/sprawozdania/zadania/{job}"),
])
def test_a_compile_asked_again_while_it_waits_is_that_job_and_a_replayed_form_shows_it_later(
        app, world, no_worker, compile_path, form_page, job_path):
    from consult.documents.operations import fail_job
    from tests.implementation_support import import_data, small_data

    ids = {"programme": world.programme.id, "report": import_data(small_data())}
    client = login(app.test_client(), world.user("coordinator"))
    page = client.get(form_page.format(**ids)).get_data(as_text=True)
    form = page[page.index(f'action="{compile_path.format(**ids)}"'):]
    data = {"language": "pl", "form_token": token_in(form)}
    first = client.post(compile_path.format(**ids), data=data)
    job_id = db.session.scalar(db.select(DocumentJob.id))
    assert first.headers["Location"] == job_path.format(job=job_id)
    # another form (no token, or another tab's) while the job waits: the same job
    other = client.post(compile_path.format(**ids), data={"language": "pl"}, follow_redirects=True)
    assert other.request.path == job_path.format(job=job_id)
    assert f"Ta kompilacja została już zlecona (zadanie nr {job_id}) – oto jej stan." in other.get_data(as_text=True)
    assert count(DocumentJob) == 1
    # once the job has ended, the first form sent again still shows that job; a new form compiles again
    fail_job(job_id, "test: nikt nie uruchomił zadania")
    assert client.post(compile_path.format(**ids), data=data).headers["Location"] == job_path.format(job=job_id)
    assert count(DocumentJob) == 1
    fresh = client.post(compile_path.format(**ids), data={"language": "pl"})
    assert fresh.headers["Location"] != job_path.format(job=job_id) and count(DocumentJob) == 2


def test_a_consultation_report_in_another_language_waits_for_the_one_compiling(app, world, no_worker):
    client = login(app.test_client(), world.user("coordinator"))
    path = f"/koordynacja/programy/{world.programme.id}/raport/kompilacja"
    assert client.post(path, data={"language": "pl"}).status_code == 302
    refused = client.post(path, data={"language": "en"}, follow_redirects=True)
    assert "jest już kompilowany" in refused.get_data(as_text=True) and count(DocumentJob) == 1


def test_a_translation_asked_twice_from_one_form_is_one_job(app, world, clock, no_worker):
    call = announced_call(world, clock)
    client = login(app.test_client(), world.user("unit_x"))
    path = f"/koordynacja/konkursy/{call.id}/dokumenty/tlumaczenie"
    page = client.get(f"/koordynacja/konkursy/{call.id}").get_data(as_text=True)
    data = {"kind": "call_announcement", "language": "uk",
            "form_token": token_in(page[page.index(f'action="{path}"'):])}
    assert client.post(path, data=data).status_code == 302
    again = client.post(path, data=data, follow_redirects=True)
    assert f"{AGAIN} – kompilacja tłumaczenia jest zlecona." in again.get_data(as_text=True)
    assert count(DocumentJob, DocumentJob.about("call", call.id), DocumentJob.language == "uk") == 1
