"""Reports after the award for small grants and partial reports: a small grant's simplified report is the same
report as a call grant's (planned against realised per line of its simplified budget, its results, the grant to be
returned, corrections and acceptance, the due date, reminders, the unit's list); the unit schedules partial reports
where the agreement asks, filed and reviewed as the final one and listed overdue; the responsible unit is told of
each submitted report in its reader's language; a report belongs to exactly one granted offer (a CHECK)."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from consult.core.errors import Forbidden, Refused
from consult.core.operations import in_transaction, transaction
from consult.core.types import today_in_warsaw
from consult.extensions import db
from consult.grant_reports import operations as ops
from consult.grant_reports.models import GrantReport
from consult.grant_reports.notices import send_report_reminders
from consult.grant_reports.queries import rows_for
from consult.notifications.models import Notification
from tests.conftest import login
from tests.grant_report_support import granted_offer, report_form
from tests.smallgrant_support import journey_of

D = Decimal


def small_grant_report_form(report, **over) -> dict:
    """Every line realised as planned, half of it from the grant, 500 zł of own funds and the rest from other
    sources; every result achieved."""
    data = {"own_realised": "500", "notes": "", "action": "submit"}
    for cost in report.costs:
        data[f"cost-{cost.position}-total"] = str(cost.planned_total)
        data[f"cost-{cost.position}-grant"] = str((cost.planned_total / 2).quantize(D("0.01")))
    data.update(over)
    if "other_realised" not in over:  # what the grant and own funds leave of the costs
        data["other_realised"] = str(sum(D(data[f"cost-{c.position}-total"]) - D(data[f"cost-{c.position}-grant"])
                                         for c in report.costs) - D(data["own_realised"]))
    for result in report.results:
        data[f"result-{result.position}-achieved"] = "42 uczestników, 4 warsztaty"
    data.update(over)
    return data


def _notes(user, kind):
    return db.session.scalars(db.select(Notification).where(Notification.recipient_id == user.id,
                                                            Notification.kind == kind)
                              .order_by(Notification.id)).all()


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _post(client, url, data):
    page = client.get(url)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token.group(1) if token else ""})


@pytest.fixture
def small_grant(world):
    return journey_of(world)["granted"]


def test_a_small_grants_report_from_its_case_page_to_acceptance(app, world, small_grant):
    ngo, unit = world.user("ngo_a"), world.user("unit_x")
    offer = small_grant
    client = app.test_client()
    login(client, ngo)
    case = client.get(f"/male-granty/sprawy/{offer.id}").get_data(as_text=True)
    assert f"/male-granty/sprawy/{offer.id}/sprawozdanie" in case
    form_url = f"/male-granty/sprawy/{offer.id}/sprawozdanie/formularz"
    page = _text(client.get(form_url))
    # measured against the small grant's simplified budget and its results; due 30 days after the task
    assert "Honoraria prowadzących" in page and "Materiały" in page and "40 uczestników, 4 warsztaty" in page
    due = offer.ends + timedelta(days=30)
    assert ops.due_on(offer) == due
    # an incomplete report is refused, with a message, and nothing is stored
    refused = _post(client, form_url, {"action": "submit", "cost-0-total": "4000"})
    assert refused.status_code == 200 and "Sprawozdanie jest niepełne" in _text(refused)
    assert db.session.scalar(db.select(GrantReport).where(GrantReport.small_grant_offer_id == offer.id)) is None
    draft = ops.new_report(offer)
    done = _post(client, form_url, small_grant_report_form(draft))
    assert done.status_code == 302
    report = ops.report_of(offer)
    assert report.state == "submitted" and report.offer_id is None and report.small_grant_offer_id == offer.id
    assert [(c.name, c.planned_total, c.realised_grant) for c in report.costs] == [
        ("Honoraria prowadzących", D("4000.00"), D("2000.00")), ("Materiały", D("1000.00"), D("500.00"))]
    assert report.grant_amount == D("4000.00") and report.unspent == D("1500.00")
    db.session.refresh(offer)
    assert offer.state == "reported"  # the small grant's journey knows its report is in
    # the unit is told, reads it, sends it back; the NGO corrects it; the unit accepts it
    [notice] = _notes(unit, "grant_report_submitted")
    assert offer.reference in notice.subject and f"/male-granty/sprawy/{offer.id}/sprawozdanie" in notice.body
    unit_client = app.test_client()
    login(unit_client, unit)
    shown = _text(unit_client.get(f"/male-granty/sprawy/{offer.id}/sprawozdanie"))
    assert "mały grant (art. 19a)" in shown and "1 500,00 zł" in shown
    review_url = f"/male-granty/sprawy/{offer.id}/sprawozdanie/ocena"
    empty = unit_client.post(review_url, data={"action": "corrections", "note": "",
                                               "csrf_token": _csrf(unit_client, offer)})
    assert empty.status_code == 400 and "Błąd: " in _text(empty)  # what to correct must be said
    assert unit_client.post(review_url, data={"action": "corrections", "note": "Brak faktur.",
                                              "csrf_token": _csrf(unit_client, offer)}).status_code == 302
    db.session.refresh(report)
    assert report.state == "corrections_requested"
    [told] = _notes(ngo, "grant_report_corrections")
    assert "Brak faktur." in told.body
    again = _post(client, form_url, small_grant_report_form(report, **{"cost-1-grant": "1000.00"}))
    assert again.status_code == 302
    assert len(_notes(unit, "grant_report_submitted")) == 2  # each submission is told
    assert unit_client.post(review_url, data={"action": "accept",
                                              "csrf_token": _csrf(unit_client, offer)}).status_code == 302
    db.session.refresh(report)
    assert report.state == "accepted" and report.unspent == D("1000.00")
    [accepted] = _notes(ngo, "grant_report_accepted")
    assert "1 000,00 zł" in accepted.body
    # the unit's list has it, with its mode
    listed = _text(unit_client.get("/sprawozdania-z-dotacji"))
    assert offer.reference in listed and "mały grant (art. 19a)" in listed


def _csrf(client, offer) -> str:
    page = client.get(f"/male-granty/sprawy/{offer.id}/sprawozdanie").get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_a_small_grants_report_is_reminded_and_listed_overdue(world, small_grant):
    offer = small_grant
    due = offer.ends + timedelta(days=30)
    reminded = send_report_reminders(due - timedelta(days=2), 3)
    assert [n.kind for n in reminded] == ["grant_report_due"]
    assert send_report_reminders(due - timedelta(days=1), 3) == []  # once
    late = due + timedelta(days=1)
    assert [n.kind for n in send_report_reminders(late, 3)] == ["grant_report_overdue"]
    [row] = [r for r in rows_for(world.unit_x.id, late) if r.subject.is_small_grant]
    assert row.overdue and row.report is None and row.due_on == due
    assert [r for r in rows_for(world.unit_y.id, late) if r.subject.is_small_grant] == []


def test_partial_then_final_report_of_a_call_grant(app, world):
    offer = granted_offer(world)  # task 2030-01-01 .. 2030-06-30, final report due 2030-07-30
    ngo, unit = world.user("ngo_a"), world.user("unit_x")
    unit_client = app.test_client()
    login(unit_client, unit)
    page = unit_client.get(f"/oferty/{offer.id}/sprawozdanie")
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.get_data(as_text=True)).group(1)
    schedule = f"/oferty/{offer.id}/sprawozdania-czesciowe"

    def dates(start, end, due):
        return {"csrf_token": token, **{f"{name}-{part}": str(getattr(day, attr))
                                        for name, day in (("period_from", start), ("period_to", end), ("due_on", due))
                                        for part, attr in (("day", "day"), ("month", "month"), ("year", "year"))}}

    # a period outside the task, or due before it ends, is refused with a message and nothing is stored
    bad = unit_client.post(schedule, data=dates(date(2029, 12, 1), date(2030, 3, 31), date(2030, 4, 30)))
    assert bad.status_code == 400 and "mieścić w czasie realizacji zadania" in _text(bad)
    bad = unit_client.post(schedule, data=dates(date(2030, 1, 1), date(2030, 3, 31), date(2030, 3, 30)))
    assert bad.status_code == 400 and "nie może być wcześniejszy niż koniec okresu" in _text(bad)
    assert ops.partial_reports(offer) == []
    assert unit_client.post(schedule, data=dates(date(2030, 1, 1), date(2030, 3, 31),
                                                 date(2030, 4, 30))).status_code == 302
    [partial] = ops.partial_reports(offer)
    assert (partial.kind, partial.number, partial.due_on, partial.state) == ("partial", 1, date(2030, 4, 30), "draft")
    with pytest.raises(Forbidden), transaction():
        ops.schedule_partial_report(world.user("unit_y"), offer, period_from=date(2030, 4, 1),
                                    period_to=date(2030, 5, 31), due=date(2030, 6, 15))
    # the NGO files the partial report from its own page, the unit is told and accepts it
    client = app.test_client()
    login(client, ngo)
    assert "Sprawozdanie częściowe nr 1" in _text(client.get(f"/oferty/{offer.id}/sprawozdanie"))
    form_url = f"/oferty/{offer.id}/sprawozdanie-czesciowe/1/formularz"
    assert "01.01.2030" in _text(client.get(form_url)) or "1 stycznia 2030" in _text(client.get(form_url))
    assert _post(client, form_url, report_form(action="submit")).status_code == 302
    db.session.refresh(partial)
    assert partial.state == "submitted"
    [told] = _notes(unit, "grant_report_submitted")
    assert "częściowe nr 1" in told.body and "/sprawozdanie-czesciowe/1" in told.link
    # the task goes on: what is left of the grant is to be spent, not returned (on its page and in its PDF)
    page = _text(unit_client.get(f"/oferty/{offer.id}/sprawozdanie-czesciowe/1"))
    assert "Pozostało z dotacji do wykorzystania do końca zadania" in page and "499,49" in page
    assert "do zwrotu" not in page
    with transaction():
        ops.accept_report(unit, partial)
    assert [n.kind for n in _notes(ngo, "grant_report_accepted")] == ["grant_report_accepted"]
    # the final report is separate, still due 30 days after the task's end
    assert ops.report_of(offer) is None and ops.due_on(offer) == date(2030, 7, 30)
    with transaction():
        final = ops.start_report(ngo, offer)
        ops.submit_report(ngo, final, report_form())
    assert (final.kind, final.number) == ("final", 0) and ops.report_of(offer, 1).id == partial.id
    assert len(_notes(unit, "grant_report_submitted")) == 2


def test_overdue_partial_reports_are_reminded_and_listed(world):
    offer = granted_offer(world)
    unit, ngo = world.user("unit_x"), world.user("ngo_a")
    with transaction():
        first = ops.schedule_partial_report(unit, offer, period_from=date(2030, 1, 1), period_to=date(2030, 2, 28),
                                            due=date(2030, 3, 15))
        second = ops.schedule_partial_report(unit, offer, period_from=date(2030, 3, 1),
                                             period_to=date(2030, 4, 30), due=date(2030, 5, 15))
    assert (first.number, second.number) == (1, 2)
    today = date(2030, 5, 13)
    sent = send_report_reminders(today, 3)
    assert sorted((n.kind, n.related_id) for n in sent) == [("grant_report_due", second.id),
                                                           ("grant_report_overdue", first.id)]
    assert "częściowego nr 1" in sent[0].body or "częściowego nr 1" in sent[1].body
    assert send_report_reminders(today, 3) == []  # each once
    rows = [r for r in rows_for(world.unit_x.id, today) if r.subject.id == offer.id and not r.subject.is_small_grant]
    assert [(r.partial, r.overdue) for r in rows] == [(1, True), (2, False), (0, False)]
    with transaction():
        ops.submit_report(ngo, first, report_form())
    rows = [r for r in rows_for(world.unit_x.id, today) if r.subject.id == offer.id and not r.subject.is_small_grant]
    assert [(r.partial, r.overdue) for r in rows] == [(1, False), (2, False), (0, False)]  # filed: not overdue


def test_the_unit_is_told_in_its_readers_language(world):
    unit = world.user("unit_x")
    unit.locale = "uk"
    db.session.commit()
    offer = granted_offer(world)
    with transaction():
        report = ops.start_report(world.user("ngo_a"), offer)
        ops.submit_report(world.user("ngo_a"), report, report_form())
    [note] = _notes(unit, "grant_report_submitted")
    assert note.locale == "uk" and offer.reference in note.body and f"/oferty/{offer.id}/sprawozdanie" in note.body
    assert note.link == f"/oferty/{offer.id}/sprawozdanie"
    assert _notes(world.user("unit_y"), "grant_report_submitted") == []  # only the responsible unit


@pytest.mark.parametrize("both", [True, False])
def test_a_report_belongs_to_exactly_one_offer(world, small_grant, both):
    offer = granted_offer(world)
    row = {"offer_id": offer.id if both else None, "small_grant_offer_id": small_grant.id if both else None,
           "kind": "final", "number": 0, "state": "draft", "due_on": date(2030, 7, 30), "grant_amount": D("1.00"),
           "own_realised": D("0"), "other_realised": D("0"), "notes": "", "created_at": offer.submitted_at,
           "version": 1}
    with pytest.raises(IntegrityError):
        db.session.execute(GrantReport.__table__.insert().values(**row))
    db.session.rollback()


def test_a_partial_report_needs_its_period_and_a_final_one_has_none(world):
    offer = granted_offer(world)
    report = ops.new_report(offer)
    report.kind = "partial"
    report.number = 1
    db.session.add(report)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_refused_schedule_changes_nothing(world):
    offer = granted_offer(world)
    with pytest.raises(Refused):
        in_transaction(ops.schedule_partial_report, world.user("unit_x"), offer, period_from=None,
                       period_to=date(2030, 2, 1), due=date(2030, 3, 1))
    assert db.session.scalar(db.select(db.func.count(GrantReport.id))) == 0
    assert today_in_warsaw()  # the clock is untouched


def _small_grant_row(world, n: int):
    from consult.core.types import utcnow
    from consult.organisations.models import Organisation
    from consult.smallgrants.models import SmallGrantOffer

    org = Organisation(name=f"Stowarzyszenie {n}", legal_form="stowarzyszenie")
    db.session.add(org)
    db.session.flush()
    offer = SmallGrantOffer(organisation_id=org.id, unit_id=world.unit_x.id, state="granted", title=f"Zadanie {n}",
                            description="Opis", place="Kraków", starts=date(2030, 1, 1), ends=date(2030, 2, 1),
                            expected_results="20 osób", budget=[{"name": "Koszt", "total": "100.00",
                                                                 "from_grant": "100.00"}],
                            amount=D("100.00"), total_cost=D("100.00"), filed_at=utcnow(),
                            judge_by=date(2029, 12, 1), granted_amount=D("100.00"), decision_year=2029)
    db.session.add(offer)
    db.session.commit()
    return offer


def test_the_units_list_costs_the_same_queries_whatever_the_number_of_reports(app, world):
    from sqlalchemy import event

    unit, ngo = world.user("unit_x"), world.user("ngo_a")
    client = app.test_client()
    login(client, unit)

    def add(n):
        offer = granted_offer(world, title=f"Świetlica {n}")
        small = _small_grant_row(world, n)
        with transaction():
            ops.schedule_partial_report(unit, offer, period_from=date(2030, 1, 1), period_to=date(2030, 3, 31),
                                        due=date(2030, 4, 30))
            ops.submit_report(ngo, ops.start_report(ngo, offer), report_form())
        assert small.organisation_id != offer.organisation_id  # each small grant of its own organisation

    def count() -> tuple[int, str]:
        statements = []
        def listen(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            page = client.get("/sprawozdania-z-dotacji")
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert page.status_code == 200
        return len(statements), page.get_data(as_text=True)

    add(0)
    few, _page = count()
    for n in range(1, 5):
        add(n)
    many, page = count()
    assert page.count("częściowe nr 1") == 5 and page.count("Zadanie ") == 5
    assert many == few
