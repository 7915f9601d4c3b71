"""Every change of a report after the award (art. 18), for a call's offer and a small grant alike: the unit
scheduling a partial report (its period and due date), starting the final report, saving the draft, submitting it
(the NGO of the offer), accepting it or asking for corrections with a note (the responsible unit, or a coordinator).

Each is permission-checked and audited; after the commit the unit is told of a submitted report and the NGO of a
scheduled partial report and of a (notices.py), each in the reader's language. A refused input changes nothing (the caller's transaction is
rolled back).
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from consult.calls.models import format_pln, money
from consult.calls.operations._common import parse_amount, text_value
from consult.core import audit
from consult.core.errors import Forbidden, Refused
from consult.core.jobs import after_commit
from consult.core.models import AuditEvent
from consult.core.operations import check_version, fire
from consult.core.types import utcnow
from consult.extensions import db
from consult.grant_reports.models import REPORT_DAYS, GrantReport, GrantReportCost, GrantReportResult
from consult.grant_reports.subjects import Subject, subject_of
from consult.i18n import format_day
from workflows import GRANT_REPORT, SMALL_GRANT_OFFER

log = logging.getLogger(__name__)
NOTE_LIMIT = 5000


def _subject(offer) -> Subject:
    return offer if isinstance(offer, Subject) else subject_of(offer)


def due_on(offer) -> date | None:
    """The final report is due 30 days after the task's end (a Kraków calendar day); None while the end is unknown."""
    ends = _subject(offer).task_ends
    return ends + timedelta(days=REPORT_DAYS) if ends else None


def reportable(offer) -> bool:
    """A granted offer (a call's with a published grant, or a small grant) with a known end of the task."""
    return _subject(offer).reportable


def may_file(user, offer) -> bool:
    return _subject(offer).may_file(user)


def may_review(user, offer) -> bool:
    return _subject(offer).may_review(user)


def may_see(user, offer) -> bool:
    return _subject(offer).may_see(user)


def _of(subject: Subject):
    return getattr(GrantReport, subject.column) == subject.id


def report_of(offer, number: int = 0) -> GrantReport | None:
    """The offer's final report (number 0), or its partial report `number`; None when there is none."""
    subject = _subject(offer)
    return db.session.scalar(db.select(GrantReport).where(
        _of(subject), GrantReport.kind == ("partial" if number else "final"), GrantReport.number == number))


def partial_reports(offer) -> list[GrantReport]:
    """The partial reports the unit has scheduled for the offer, in order."""
    return list(db.session.scalars(db.select(GrantReport).where(_of(_subject(offer)), GrantReport.kind == "partial")
                                   .order_by(GrantReport.number)))


def _new(subject: Subject, **fields) -> GrantReport:
    """A report of the offer holding what it is measured against, copied from the offer: the grant, the budget's
    lines, the expected results."""
    target = {subject.column: subject.id,
              "small_grant_offer" if subject.is_small_grant else "offer": subject.offer}
    return GrantReport(**target, state="draft", grant_amount=subject.grant_amount, own_realised=money(0),
                       other_realised=money(0), notes="", version=1,
                       costs=[GrantReportCost(position=i, name=name, planned_total=total)
                              for i, (name, total) in enumerate(subject.cost_lines())],
                       results=[GrantReportResult(position=i, result=result, target_value=target_value, achieved="")
                                for i, (result, target_value) in enumerate(subject.results())],
                       **fields)


def new_report(offer) -> GrantReport:
    """A draft of the offer's final report, not stored."""
    subject = _subject(offer)
    return _new(subject, kind="final", number=0, due_on=due_on(subject))


def start_report(actor, offer) -> GrantReport:
    """The offer's final report: the existing one, or a new draft holding what it is measured against."""
    subject = _subject(offer)
    if not subject.may_file(actor):
        raise Forbidden(_("Sprawozdanie składa organizacja, która otrzymała dotację."))
    if not subject.reportable:
        raise Refused(_("Sprawozdanie składa się z oferty, która otrzymała dotację i ma datę zakończenia zadania."))
    report = report_of(subject)
    if report is not None:
        return report
    report = new_report(subject)
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "grant_report", report.id, "start_grant_report", to_state="draft",
                 **{subject.column: subject.id}, due_on=report.due_on.isoformat())
    return report


def schedule_partial_report(actor, offer, *, period_from: date | None, period_to: date | None,
                            due: date | None) -> GrantReport:
    """Where the agreement asks for one, the unit sets a partial report: the period it covers and the day it is due.
    The report is created as the NGO's draft, numbered after the offer's earlier partial reports."""
    subject = _subject(offer)
    if not subject.may_review(actor):
        raise Forbidden(_("Sprawozdania częściowe wyznacza komórka merytoryczna albo koordynator."))
    if not subject.reportable:
        raise Refused(_("Sprawozdanie składa się z oferty, która otrzymała dotację i ma datę zakończenia zadania."))
    if period_from is None:
        raise Refused(_("Podaj początek okresu sprawozdawczego."), field="period_from")
    if period_to is None:
        raise Refused(_("Podaj koniec okresu sprawozdawczego."), field="period_to")
    if due is None:
        raise Refused(_("Podaj termin złożenia sprawozdania częściowego."), field="due_on")
    starts, ends = subject.task_starts, subject.task_ends
    if period_to < period_from:
        raise Refused(_("Koniec okresu sprawozdawczego nie może być wcześniejszy niż jego początek."),
                      field="period_to")
    if (starts is not None and period_from < starts) or period_to > ends:
        raise Refused(_("Okres sprawozdawczy musi się mieścić w czasie realizacji zadania (%(starts)s – %(ends)s).",
                        starts=format_day(starts) if starts else "…", ends=format_day(ends)), field="period_from")
    if due < period_to:
        raise Refused(_("Termin złożenia sprawozdania częściowego nie może być wcześniejszy niż koniec okresu, "
                        "który obejmuje (%(day)s).", day=format_day(period_to)), field="due_on")
    last = db.session.scalar(db.select(func.max(GrantReport.number)).where(_of(subject),
                                                                          GrantReport.kind == "partial")) or 0
    report = _new(subject, kind="partial", number=last + 1, due_on=due, period_from=period_from,
                  period_to=period_to)
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "grant_report", report.id, "schedule_partial_report", to_state="draft",
                 **{subject.column: subject.id}, number=report.number, period_from=period_from.isoformat(),
                 period_to=period_to.isoformat(), due_on=due.isoformat())
    _tell("grant_report_scheduled", report)
    return report


def _require_filer(actor, report: GrantReport) -> None:
    if not report.subject.may_file(actor):
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


def sources_mismatch(report: GrantReport) -> str | None:
    """Why the sources of funds do not make the costs realised in total, as the report's finances table adds them
    up (the grant, own funds, other sources; otherwise the shares it gives would not make 100%); None when they do."""
    sources = report.realised_from_grant + money(report.own_realised) + money(report.other_realised)
    if sources == report.realised_total:
        return None
    return _("Źródła finansowania – z dotacji %(grant)s, wkład własny %(own)s, inne źródła %(other)s, razem "
             "%(sources)s – nie sumują się do kosztów ogółem (%(total)s); różnica: %(difference)s.",
             grant=format_pln(report.realised_from_grant), own=format_pln(report.own_realised),
             other=format_pln(report.other_realised), sources=format_pln(sources),
             total=format_pln(report.realised_total), difference=format_pln(abs(report.realised_total - sources)))


def submit_report(actor, report: GrantReport, data: dict | None = None, *, version: int | None = None) -> GrantReport:
    """Save what the form sent (when it sent anything) and submit the report, complete, to the unit."""
    if data is not None:
        save_report(actor, report, data, version=version)
    _require_filer(actor, report)
    missing = report_missing(report)
    if missing:
        field, message = missing[0]
        raise Refused(_("Sprawozdanie jest niepełne: %(what)s", what=message), field=field)
    mismatch = sources_mismatch(report)
    if mismatch:
        raise Refused(mismatch, field="own_realised")
    report.submitted_at = utcnow()
    subject = report.subject
    fire(GRANT_REPORT, report, "submit", actor, **{subject.column: subject.id}, kind=report.kind,
         number=report.number, realised_from_grant=str(report.realised_from_grant), unspent=str(report.unspent))
    if subject.is_small_grant and not report.is_partial and subject.offer.state == "granted":
        # the small grant's journey ends with its report (the state the offer's own pages and limits know)
        fire(SMALL_GRANT_OFFER, subject.offer, "report", actor, spent=str(report.realised_from_grant))
    db.session.flush()
    _tell("grant_report_submitted", report)
    from consult.receipts.documents import GRANT_REPORT_FILED, file_document

    file_document(actor, GRANT_REPORT_FILED, report.id)  # each filing (again after corrections) a version, a receipt
    return report


def _require_reviewer(actor, report: GrantReport) -> None:
    if not report.subject.may_review(actor):
        raise Forbidden(_("Sprawozdanie przyjmuje komórka merytoryczna albo koordynator."))
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
    """Tell of the step just recorded, after the commit: the unit of a submitted report, the NGO of a scheduled
    partial report or of a decision;
    once per step (its audit event), so a report submitted again, or sent back twice, is told again."""
    from consult.grant_reports import jobs

    db.session.flush()
    event_id = db.session.scalar(db.select(AuditEvent.id).where(
        AuditEvent.subject_type == "grant_report", AuditEvent.subject_id == report.id)
        .order_by(AuditEvent.id.desc()).limit(1))
    after_commit(db.session, jobs.notify, kind, report.id, event_id, current_app._get_current_object())
