"""What the NGO of a granted offer is told about its final report, in each member's language through the outbox
(consult/notifications): the unit's decision (accepted, corrections asked for: each decision once), and reminders
of the due date (once before it, within REMINDER_DAYS, and once when it has passed) while the report is not filed."""
from __future__ import annotations

from datetime import date, timedelta

from consult.calls.models import Decision, Offer
from consult.extensions import db
from consult.grant_reports.models import OPEN_STATES, REPORT_DAYS, GrantReport

STATES = {"grant_report_accepted": "accepted", "grant_report_corrections": "corrections_requested"}


def notify_decision(kind: str, report_id: int, event_id: int):
    from consult.notifications.operations import _members, _write, _written
    from consult.notifications.rendering import absolute, path_for

    report = db.session.get(GrantReport, report_id)
    if report is None or report.state != STATES[kind]:
        return []
    offer = report.offer
    link = path_for("grant_reports.report", offer_id=offer.id)
    params = {"offer": offer.reference, "call": offer.call.title, "unspent": str(report.unspent)}
    context = {"offer": offer, "report": report, "url": absolute(link)}
    return _written(_write(user, kind=kind, related_type="grant_report_decision", related_id=event_id, link=link,
                           params=params, **context) for user in _members({offer.organisation_id}))


def _open_offers(today: date, horizon: date):
    """Granted offers (grant published) whose final report is due by `horizon` and not filed yet: (offer, due)."""
    latest_end = horizon - timedelta(days=REPORT_DAYS)
    offers = db.session.scalars(
        db.select(Offer).join(Decision, Decision.offer_id == Offer.id)
        .outerjoin(GrantReport, (GrantReport.offer_id == Offer.id) & (GrantReport.kind == "final"))
        .where(Offer.state == "granted", Decision.kind == "grant", Decision.published, Offer.task_ends.is_not(None),
               Offer.task_ends <= latest_end,
               (GrantReport.id.is_(None)) | GrantReport.state.in_(OPEN_STATES))
        .order_by(Offer.task_ends, Offer.id)).all()
    return [(offer, offer.task_ends + timedelta(days=REPORT_DAYS)) for offer in offers]


def send_report_reminders(today: date, days: int):
    """One reminder per offer and member before the due date (within `days`), one more once it has passed."""
    from consult.notifications.operations import _members, _write, _written
    from consult.notifications.rendering import absolute, path_for

    written = []
    for offer, due in _open_offers(today, today + timedelta(days=days)):
        kind = "grant_report_overdue" if due < today else "grant_report_due"
        link = path_for("grant_reports.edit", offer_id=offer.id)
        params = {"offer": offer.reference, "call": offer.call.title, "due_on": due.isoformat()}
        context = {"offer": offer, "due_on": due, "url": absolute(link)}
        written += _written(_write(user, kind=kind, related_type="offer", related_id=offer.id, link=link,
                                   params=params, **context) for user in _members({offer.organisation_id}))
    return written
