"""What people are told about reports after the award, through the outbox (consult/notifications), each in the
reader's language: the responsible unit's staff when a report is submitted (each submission once), the NGO of the
offer of the unit's decision (accepted, corrections asked for: each decision once), and the NGO's reminders of a
due date (once before it, within REMINDER_DAYS, and once when it has passed) while the report is not filed - the
final report of a call's offer or of a small grant, and every partial report the unit has scheduled."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from consult.calls.models import Decision, Offer
from consult.extensions import db
from consult.grant_reports.models import OPEN_STATES, REPORT_DAYS, GrantReport
from consult.grant_reports.subjects import SMALL_GRANT_GRANTED, Subject, subject_of
from consult.smallgrants.models import SmallGrantOffer

STATES = {"grant_report_accepted": "accepted", "grant_report_corrections": "corrections_requested",
          "grant_report_submitted": "submitted"}


def _params(subject: Subject, report: GrantReport | None = None, **more) -> dict:
    """Facts the in-app message is written from: the offer's reference, the call's title (none for a small grant),
    the number of a partial report."""
    params = {"offer": subject.reference, "call": subject.call.title if subject.call else None,
              "partial": report.number if report is not None and report.is_partial else None}
    params.update(more)
    return params


def notify_step(kind: str, report_id: int, event_id: int):
    from consult.notifications.operations import _members, _staff, _write, _written
    from consult.notifications.rendering import absolute, path_for

    report = db.session.get(GrantReport, report_id)
    if report is None or report.state != STATES[kind]:
        return []
    subject = report.subject
    link = path_for("grant_reports.report", **report.url_args)
    params = _params(subject, report, unspent=str(report.unspent))
    context = {"subject": subject, "report": report, "url": absolute(link)}
    if kind == "grant_report_submitted":
        recipients, related = _staff(subject.unit_id), "grant_report_submission"
    else:
        recipients, related = _members({subject.organisation_id}), "grant_report_decision"
    return _written(_write(user, kind=kind, related_type=related, related_id=event_id, link=link, params=params,
                           **context) for user in recipients)


def _open_final_reports(horizon: date) -> list[tuple[Subject, date]]:
    """Granted offers of calls (grant published) and small grants whose final report is due by `horizon` and not
    filed yet: (subject, due)."""
    latest_end = horizon - timedelta(days=REPORT_DAYS)
    offers = db.session.scalars(
        db.select(Offer).join(Decision, Decision.offer_id == Offer.id)
        .outerjoin(GrantReport, (GrantReport.offer_id == Offer.id) & (GrantReport.kind == "final"))
        .where(Offer.state == "granted", Decision.kind == "grant", Decision.published, Offer.task_ends.is_not(None),
               Offer.task_ends <= latest_end,
               (GrantReport.id.is_(None)) | GrantReport.state.in_(OPEN_STATES))
        .options(selectinload(Offer.call))
        .order_by(Offer.task_ends, Offer.id)).all()
    small = db.session.scalars(
        db.select(SmallGrantOffer)
        .outerjoin(GrantReport, (GrantReport.small_grant_offer_id == SmallGrantOffer.id)
                   & (GrantReport.kind == "final"))
        .where(SmallGrantOffer.state.in_(SMALL_GRANT_GRANTED), SmallGrantOffer.granted_amount.is_not(None),
               SmallGrantOffer.ends <= latest_end,
               (GrantReport.id.is_(None)) | GrantReport.state.in_(OPEN_STATES))
        .order_by(SmallGrantOffer.ends, SmallGrantOffer.id)).all()
    return [(subject_of(o), subject_of(o).task_ends + timedelta(days=REPORT_DAYS)) for o in [*offers, *small]]


def _open_partial_reports(horizon: date) -> list[GrantReport]:
    return list(db.session.scalars(
        db.select(GrantReport).where(GrantReport.kind == "partial", GrantReport.state.in_(OPEN_STATES),
                                     GrantReport.due_on <= horizon)
        .options(selectinload(GrantReport.offer).selectinload(Offer.call), selectinload(GrantReport.small_grant_offer))
        .order_by(GrantReport.due_on, GrantReport.id)))


def send_report_reminders(today: date, days: int):
    """One reminder per report and member before the due date (within `days`), one more once it has passed."""
    from consult.notifications.operations import _members, _write, _written
    from consult.notifications.rendering import absolute, path_for

    horizon = today + timedelta(days=days)
    due_reports: list[tuple[Subject, GrantReport | None, date, str, int]] = [
        # the final report of a call's offer is reminded of per offer, as before partial reports and small grants
        (subject, None, due, "small_grant_offer" if subject.is_small_grant else "offer", subject.id)
        for subject, due in _open_final_reports(horizon)]
    due_reports += [(report.subject, report, report.due_on, "grant_report", report.id)
                    for report in _open_partial_reports(horizon)]
    written = []
    for subject, report, due, related_type, related_id in due_reports:
        kind = "grant_report_overdue" if due < today else "grant_report_due"
        args = report.url_args if report is not None else subject.url_args
        link = path_for("grant_reports.edit", **args)
        params = _params(subject, report, due_on=due.isoformat())
        context = {"subject": subject, "report": report, "due_on": due, "url": absolute(link)}
        written += _written(_write(user, kind=kind, related_type=related_type, related_id=related_id, link=link,
                                   params=params, **context) for user in _members({subject.organisation_id}))
    return written
