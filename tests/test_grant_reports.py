"""The final report after the award (art. 18) of a granted offer: the NGO fills it against the offer's budget and
expected results, submits it (refused, changing nothing, while incomplete), the unit running the call accepts it or
asks for corrections; the grant to be returned is shown to the grosz; the due date, the unit's list (overdue first),
reminders (once) and the NGO's notices in its language."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from consult.core.errors import Forbidden, Refused
from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.extensions import db
from consult.grant_reports import operations as ops
from consult.grant_reports.models import GrantReport
from consult.notifications.models import Notification
from consult.notifications.operations import send_reminders
from tests.conftest import login
from tests.grant_report_support import granted_offer, report_form

D = Decimal


def _submitted(world, offer=None, **over):
    offer = offer or granted_offer(world)
    with transaction():
        report = ops.start_report(world.user("ngo_a"), offer)
        ops.submit_report(world.user("ngo_a"), report, report_form(**over))
    return report


def test_planned_against_realised_per_line_and_the_unspent_grant_to_the_grosz(world):
    report = _submitted(world)
    lines = [(c.name, c.planned_total, c.realised_total, c.realised_grant, c.difference) for c in report.costs]
    assert lines == [("Zajęcia", D("8000.00"), D("8000.00"), D("7500.50"), D("0.00")),
                     ("Księgowość", D("4000.02"), D("4000.02"), D("2000.01"), D("0.00"))]
    assert report.realised_from_grant == D("9500.51")
    assert report.unspent == D("499.49")  # 10 000,00 − 9 500,51
    assert report.own_realised == D("2000.00")
    # the share of each source in the 12 000,02 zł realised in total, as the 2018 report's "udział" column
    assert report.shares == {"grant": D("79.17"), "own": D("16.67"), "other": D("4.16")}


def test_the_unspent_grant_is_never_negative_and_spending_beyond_the_grant_is_refused(world):
    offer = granted_offer(world)
    with transaction():
        report = ops.start_report(world.user("ngo_a"), offer)
        ops.save_report(world.user("ngo_a"), report, report_form(**{"cost-0-grant": "8000", "cost-1-grant": "2000"}))
    assert report.unspent == D("0.00")
    with pytest.raises(Refused, match="przekraczają przyznaną dotację"), transaction():
        ops.save_report(world.user("ngo_a"), report, report_form(**{"cost-0-grant": "8000", "cost-1-grant": "2000.01"}))


def test_both_sides_see_the_grant_to_be_returned(app, world):
    report = _submitted(world)
    for role in ("ngo_a", "unit_x"):
        client = app.test_client()
        login(client, world.user(role))
        page = client.get(f"/oferty/{report.offer_id}/sprawozdanie").get_data(as_text=True)
        assert "Niewykorzystana dotacja do zwrotu" in page and "499,49" in page
        assert "79,17% kosztów ogółem" in page and "16,67% kosztów ogółem" in page


def test_submitting_an_incomplete_report_is_refused_with_a_message_and_changes_nothing(app, world):
    offer = granted_offer(world)
    client = app.test_client()
    login(client, world.user("ngo_a"))
    response = client.post(f"/oferty/{offer.id}/sprawozdanie/formularz",
                           data=report_form(**{"result-1-achieved": "", "action": "submit"}))
    page = response.get_data(as_text=True)
    assert "<title>Błąd: " in page
    assert "Rezultat 2: wpisz, co osiągnięto." in page and 'href="#result-1-achieved"' in page
    assert db.session.scalar(db.select(GrantReport)) is None  # not even the draft
    response = client.post(f"/oferty/{offer.id}/sprawozdanie/formularz", data=report_form(action="save"))
    assert response.status_code == 302
    report = db.session.scalar(db.select(GrantReport))
    assert report.state == "draft" and report.costs[0].realised_grant == D("7500.50")
    response = client.post(f"/oferty/{offer.id}/sprawozdanie/formularz",
                           data=report_form(**{"cost-0-grant": "9000", "cost-0-total": "8000", "action": "submit"}))
    assert "nie może być większa niż koszt ogółem" in response.get_data(as_text=True)
    db.session.expire_all()
    assert report.state == "draft" and report.costs[0].realised_grant == D("7500.50")


def test_a_report_whose_sources_of_funds_do_not_add_up_to_the_costs_is_refused_naming_the_difference(app, world):
    """The finances table of the 2018 report: the grant, own funds and other sources make the costs realised in
    total; a report where they do not (the shares would not make 100%) is refused, and the draft stays as it was."""
    offer = granted_offer(world)
    client = app.test_client()
    login(client, world.user("ngo_a"))
    assert client.post(f"/oferty/{offer.id}/sprawozdanie/formularz",
                       data=report_form(action="save")).status_code == 302
    response = client.post(f"/oferty/{offer.id}/sprawozdanie/formularz",
                           data=report_form(other_realised="0", action="submit"))
    page = " ".join(response.get_data(as_text=True).split())
    assert "<title>Błąd: " in page and 'href="#own_realised"' in page
    assert ("Źródła finansowania – z dotacji 9 500,51 zł, wkład własny 2 000,00 zł, inne źródła 0,00 zł, razem "
            "11 500,51 zł – nie sumują się do kosztów ogółem (12 000,02 zł); różnica: 499,51 zł.") in page
    db.session.expire_all()
    report = db.session.scalar(db.select(GrantReport))
    assert report.state == "draft" and report.other_realised == D("499.51")
    assert client.post(f"/oferty/{offer.id}/sprawozdanie/formularz",
                       data=report_form(action="submit")).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(GrantReport)).state == "submitted"


def test_the_corrections_loop_and_the_ngo_told_in_its_language(app, world):
    ngo = world.user("ngo_a")
    ngo.locale = "uk"
    db.session.commit()
    report = _submitted(world)
    unit = world.user("unit_x")
    with pytest.raises(Forbidden), transaction():
        ops.accept_report(world.user("unit_y"), report)
    with pytest.raises(Refused), transaction():
        ops.request_corrections(unit, report, note="  ")
    with transaction():
        ops.request_corrections(unit, report, note="Brak faktury za księgowość.")
    assert report.state == "corrections_requested"
    note = db.session.scalar(db.select(Notification).where(Notification.recipient_id == ngo.id,
                                                           Notification.kind == "grant_report_corrections"))
    assert note is not None and note.locale == "uk" and "Brak faktury za księgowość." in note.body
    assert note.subject.startswith("Виправте звіт про виконання пропозиції")
    with pytest.raises(Refused), transaction():
        ops.accept_report(unit, report)  # nothing to decide on until it is submitted again
    client = app.test_client()
    login(client, ngo)
    assert "Brak faktury za księgowość." in client.get(f"/oferty/{report.offer_id}/sprawozdanie/formularz").get_data(
        as_text=True)
    with transaction():
        ops.submit_report(ngo, report, report_form(**{"cost-1-grant": "2499.50", "other_realised": "0.02"}))
    with transaction():
        ops.accept_report(unit, report)
    assert report.state == "accepted" and report.unspent == D("0.00")
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.subject_type == "grant_report")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["start_grant_report", "save_grant_report", "submit", "request_corrections",
                       "save_grant_report", "submit", "accept"]
    kinds = db.session.scalars(db.select(Notification.kind).where(Notification.recipient_id == ngo.id,
                                                                  Notification.kind != "filing_receipt")
                               .order_by(Notification.id)).all()  # each filing's receipt: tests/test_receipts.py
    assert kinds == ["grant_report_corrections", "grant_report_accepted"]
    with pytest.raises(Refused), transaction():
        ops.save_report(ngo, report, report_form())  # accepted: no more changes


def test_only_the_ngo_of_the_offer_files_it(world):
    offer = granted_offer(world)
    for role in ("ngo_b", "unit_x", "coordinator"):
        with pytest.raises(Forbidden), transaction():
            ops.start_report(world.user(role), offer)


def test_due_date_is_30_days_after_the_task_and_the_unit_lists_overdue_first(app, world):
    late = granted_offer(world, ends=date(2030, 6, 30), title="Spóźnione")  # due 2030-07-30
    soon = granted_offer(world, ends=date(2030, 7, 20), title="Niedługo")  # due 2030-08-19
    done = granted_offer(world, ends=date(2030, 6, 1), title="Złożone")  # due 2030-07-01, submitted
    _submitted(world, done)
    assert ops.due_on(late) == date(2030, 7, 30) and ops.due_on(soon) == date(2030, 8, 19)
    from consult.grant_reports.queries import rows_for

    rows = rows_for(world.unit_x.id, date(2030, 7, 31))
    assert [(r.subject.title, r.overdue) for r in rows] == [("Spóźnione", True), ("Złożone", False),
                                                          ("Niedługo", False)]
    assert rows_for(world.unit_y.id, date(2030, 7, 31)) == []
    from consult.core.types import clock_at

    client = app.test_client()
    login(client, world.user("unit_x"))
    with clock_at(datetime(2030, 7, 31, 10, tzinfo=timezone.utc)):
        page = client.get("/sprawozdania-z-dotacji").get_data(as_text=True)
    assert page.index("tag-overdue") < page.index("Spóźnione") < page.index("Złożone") < page.index("Niedługo")
    assert page.count("tag-overdue") == 1


def test_reminders_before_the_due_date_and_once_overdue_each_sent_once(app, world):
    offer = granted_offer(world)  # due 2030-07-30
    ngo = world.user("ngo_a")

    def kinds():
        return db.session.scalars(db.select(Notification.kind).where(Notification.recipient_id == ngo.id,
                                                                     Notification.kind != "filing_receipt")
                                  .order_by(Notification.id)).all()  # receipts of filings: tests/test_receipts.py

    with transaction():
        send_reminders(datetime(2030, 7, 20, 8, tzinfo=timezone.utc))  # ten days before: too early
    assert kinds() == []
    for _ in range(2):
        with transaction():
            send_reminders(datetime(2030, 7, 28, 8, tzinfo=timezone.utc))
    assert kinds() == ["grant_report_due"]
    for _ in range(2):
        with transaction():
            send_reminders(datetime(2030, 8, 2, 8, tzinfo=timezone.utc))
    assert kinds() == ["grant_report_due", "grant_report_overdue"]
    _submitted(world, offer)
    other = granted_offer(world, title="Inna")
    _submitted(world, other)
    with transaction():
        send_reminders(datetime(2030, 7, 28, 8, tzinfo=timezone.utc))
    assert kinds() == ["grant_report_due", "grant_report_overdue"]  # a submitted report is not reminded of


def test_the_offer_page_leads_to_the_report(app, world):
    offer = granted_offer(world)
    client = app.test_client()
    login(client, world.user("ngo_a"))
    page = client.get(f"/oferty/{offer.id}").get_data(as_text=True)
    assert f"/oferty/{offer.id}/sprawozdanie" in page
    form = client.get(f"/oferty/{offer.id}/sprawozdanie/formularz").get_data(as_text=True)
    assert "Zajęcia (plan: 8000,00" in form.replace("\xa0", " ").replace(" zł", "").replace("8 000", "8000")


def test_the_workflow_as_data():
    from workflows import GRANT_REPORT, TransitionRefused

    assert GRANT_REPORT.check("submit", "corrections_requested", {"ngo"}, None).target == "submitted"
    assert GRANT_REPORT.check("request_corrections", "submitted", {"unit"}, None).target == "corrections_requested"
    for transition, state, roles in (("accept", "draft", {"unit"}), ("accept", "submitted", {"ngo"}),
                                     ("submit", "accepted", {"ngo"}), ("submit", "draft", {"unit"})):
        with pytest.raises(TransitionRefused):
            GRANT_REPORT.check(transition, state, roles, None)


def test_the_ngo_submits_from_the_form_and_the_unit_accepts_from_the_report_page(app, world):
    offer = granted_offer(world)
    ngo = app.test_client()
    login(ngo, world.user("ngo_a"))
    response = ngo.post(f"/oferty/{offer.id}/sprawozdanie/formularz", data=report_form(action="submit"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/oferty/{offer.id}/sprawozdanie")
    page = ngo.get(f"/oferty/{offer.id}/sprawozdanie").get_data(as_text=True)
    assert "złożone" in page and "Przyjmij sprawozdanie" not in page
    # a submitted report is not the NGO's to change: the form leads back to the report
    assert ngo.get(f"/oferty/{offer.id}/sprawozdanie/formularz").status_code == 302
    unit = app.test_client()
    login(unit, world.user("unit_x"))
    assert "Przyjmij sprawozdanie" in unit.get(f"/oferty/{offer.id}/sprawozdanie").get_data(as_text=True)
    response = unit.post(f"/oferty/{offer.id}/sprawozdanie/ocena", data={"action": "corrections", "note": " "})
    assert response.status_code == 400 and "Wpisz co poprawić." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(GrantReport.state)) == "submitted"
    response = unit.post(f"/oferty/{offer.id}/sprawozdanie/ocena", data={"action": "accept"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(GrantReport.state)) == "accepted"


def test_the_units_calls_page_leads_to_the_list_of_reports(app, world):
    client = app.test_client()
    login(client, world.user("unit_x"))
    assert "/sprawozdania-z-dotacji" in client.get("/koordynacja/konkursy").get_data(as_text=True)
