"""Every change of a final report after the award (art. 18): starting it, saving the draft, submitting it (the NGO
of the offer), accepting it or asking for corrections with a note (the unit running the call, or a coordinator).

Each is permission-checked and audited; the NGO is told of a decision after the commit (notices.py), in its
members' language. A refused input changes nothing (the caller's transaction is rolled back).
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _

from consult.calls.access import can_run_call
from consult.calls.models import Offer, format_pln, money
from consult.calls.operations._common import parse_amount, text_value
from consult.core import audit
from consult.core.access import has_role, is_member_of
from consult.core.errors import Forbidden, Refused
from consult.core.jobs import after_commit
from consult.core.models import AuditEvent
from consult.core.operations import check_version, fire
from consult.core.types import utcnow
from consult.extensions import db
from consult.grant_reports.models import REPORT_DAYS, GrantReport, GrantReportCost, GrantReportResult
from workflows import GRANT_REPORT

log = logging.getLogger(__name__)
NOTE_LIMIT = 5000


def due_on(offer: Offer) -> date | None:
    """The final report is due 30 days after the task's end (a Kraków calendar day); None while the end is unknown."""
    return offer.task_ends + timedelta(days=REPORT_DAYS) if offer.task_ends else None


def reportable(offer: Offer) -> bool:
    """A granted offer with a published grant and a known end of the task."""
    decision = offer.decision
    return (offer.state == "granted" and decision is not None and decision.kind == "grant" and decision.published
            and offer.task_ends is not None)


def may_file(user, offer: Offer) -> bool:
    return has_role(user, "ngo") and is_member_of(user, offer.organisation_id)


def may_review(user, offer: Offer) -> bool:
    return can_run_call(user, offer.call)


def may_see(user, offer: Offer) -> bool:
    return may_file(user, offer) or may_review(user, offer)


def report_of(offer: Offer) -> GrantReport | None:
    return db.session.scalar(db.select(GrantReport).where(GrantReport.offer_id == offer.id,
                                                          GrantReport.kind == "final"))


def new_report(offer: Offer) -> GrantReport:
    """A draft of the offer's final report, not stored: what it is measured against, copied from the offer."""
    return GrantReport(offer_id=offer.id, offer=offer, kind="final", state="draft", due_on=due_on(offer),
                       grant_amount=money(offer.decision.amount), own_realised=money(0), other_realised=money(0),
                       notes="", version=1,
                       costs=[GrantReportCost(position=i, name=line.name, planned_total=line.total)
                              for i, line in enumerate(offer.cost_lines)],
                       results=[GrantReportResult(position=i, result=r.result, target_value=r.target_value,
                                                  achieved="") for i, r in enumerate(offer.results)])


def start_report(actor, offer: Offer) -> GrantReport:
    """The offer's final report: the existing one, or a new draft holding what it is measured against."""
    if not may_file(actor, offer):
        raise Forbidden(_("Sprawozdanie składa organizacja, która otrzymała dotację."))
    if not reportable(offer):
        raise Refused(_("Sprawozdanie składa się z oferty, która otrzymała dotację i ma datę zakończenia zadania."))
    report = report_of(offer)
    if report is not None:
        return report
    report = new_report(offer)
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "grant_report", report.id, "start_grant_report", to_state="draft", offer_id=offer.id,
                 due_on=report.due_on.isoformat())
    return report


def _require_filer(actor, report: GrantReport) -> None:
    if not may_file(actor, report.offer):
        raise Forbidden(_("Sprawozdanie składa organizacja, która otrzymała dotację."))
    if not report.is_open:
        raise Refused(_("To sprawozdanie jest złożone: można je zmienić dopiero, gdy komórka wezwie do poprawek."))


def save_report(actor, report: GrantReport, data: dict, *, version: int | None = None) -> GrantReport:
    """Store what the form sent: per cost line the realised total and the part from the grant, per result what
    was achieved, own and other funds realised, notes. Empty is allowed in a draft (submit asks for all)."""
    _require_filer(actor, report)
    check_version(report, version)
    for cost in report.costs:
        field = f"cost-{cost.position}"
        total = parse_amount(data.get(f"{field}-total"), f"{field}-total",
                             _("koszt %(n)s: wykonanie ogółem", n=cost.position + 1))
        grant = parse_amount(data.get(f"{field}-grant"), f"{field}-grant",
                             _("koszt %(n)s: w tym z dotacji", n=cost.position + 1))
        if grant is not None and total is None:
            raise Refused(_("Koszt %(n)s: podaj też wykonanie ogółem.", n=cost.position + 1), field=f"{field}-total")
        if grant is not None and grant > total:
            raise Refused(_("Koszt %(n)s: część z dotacji (%(grant)s) nie może być większa niż koszt ogółem "
                            "(%(total)s).", n=cost.position + 1, grant=format_pln(grant), total=format_pln(total)), field=f"{field}-grant")
        cost.realised_total, cost.realised_grant = total, grant
    for result in report.results:
        field = f"result-{result.position}-achieved"
        result.achieved = text_value(data.get(field), field, _("rezultat %(n)s: osiągnięta wartość", n=result.position + 1),
                                limit=2000)
    report.own_realised = parse_amount(data.get("own_realised"), "own_realised", _("wkład własny")) or money(0)
    report.other_realised = parse_amount(data.get("other_realised"), "other_realised",
                                         _("środki z innych źródeł")) or money(0)
    report.notes = text_value(data.get("notes"), "notes", _("uwagi"), limit=NOTE_LIMIT)
    if report.realised_from_grant > report.grant_amount:
        raise Refused(_("Wydatki z dotacji (%(spent)s) przekraczają przyznaną dotację (%(grant)s).",
                        spent=format_pln(report.realised_from_grant), grant=format_pln(report.grant_amount)), field="main")
    db.session.flush()
    audit.record(actor, "grant_report", report.id, "save_grant_report", from_state=report.state,
                 to_state=report.state)
    return report


def report_missing(report: GrantReport) -> list[tuple[str, str]]:
    """What the report lacks to be submitted: (field, message)."""
    out = []
    for cost in report.costs:
        if cost.realised_total is None or cost.realised_grant is None:
            out.append((f"cost-{cost.position}-total",
                        _("Koszt %(n)s („%(name)s”): podaj wykonanie ogółem i część z dotacji.",
                          n=cost.position + 1, name=cost.name)))
    for result in report.results:
        if not result.achieved:
            out.append((f"result-{result.position}-achieved",
                        _("Rezultat %(n)s: wpisz, co osiągnięto.", n=result.position + 1)))
    return out


def submit_report(actor, report: GrantReport, data: dict | None = None, *, version: int | None = None) -> GrantReport:
    """Save what the form sent (when it sent anything) and submit the report, complete, to the unit."""
    if data is not None:
        save_report(actor, report, data, version=version)
    _require_filer(actor, report)
    missing = report_missing(report)
    if missing:
        field, message = missing[0]
        raise Refused(_("Sprawozdanie jest niepełne: %(what)s", what=message), field=field)
    report.submitted_at = utcnow()
    fire(GRANT_REPORT, report, "submit", actor, offer_id=report.offer_id,
         realised_from_grant=str(report.realised_from_grant), unspent=str(report.unspent))
    db.session.flush()
    from consult.receipts.documents import GRANT_REPORT_FILED, file_document

    file_document(actor, GRANT_REPORT_FILED, report.id)  # each filing (again after corrections) a version, a receipt
    return report


def _require_reviewer(actor, report: GrantReport) -> None:
    if not may_review(actor, report.offer):
        raise Forbidden(_("Sprawozdanie przyjmuje komórka prowadząca konkurs albo koordynator."))
    if report.state != "submitted":
        raise Refused(_("Ocenić można tylko złożone sprawozdanie."))


def accept_report(actor, report: GrantReport, *, version: int | None = None) -> GrantReport:
    _require_reviewer(actor, report)
    check_version(report, version)
    report.decided_at, report.decided_by_id = utcnow(), actor.id
    fire(GRANT_REPORT, report, "accept", actor, unspent=str(report.unspent))
    _tell("grant_report_accepted", report)
    return report


def request_corrections(actor, report: GrantReport, *, note, version: int | None = None) -> GrantReport:
    _require_reviewer(actor, report)
    check_version(report, version)
    note = text_value(note, "note", _("co poprawić"), required=True, limit=NOTE_LIMIT)
    report.correction_note, report.decided_at, report.decided_by_id = note, utcnow(), actor.id
    fire(GRANT_REPORT, report, "request_corrections", actor, note=note)
    _tell("grant_report_corrections", report)
    return report


def _tell(kind: str, report: GrantReport) -> None:
    """Tell the NGO of the decision just recorded, after the commit: once per decision (its audit event), so a
    second request for corrections of one report is told too."""
    from consult.grant_reports import jobs

    db.session.flush()
    event_id = db.session.scalar(db.select(AuditEvent.id).where(
        AuditEvent.subject_type == "grant_report", AuditEvent.subject_id == report.id)
        .order_by(AuditEvent.id.desc()).limit(1))
    after_commit(db.session, jobs.notify, kind, report.id, event_id, current_app._get_current_object())
