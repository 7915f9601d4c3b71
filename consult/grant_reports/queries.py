"""Read side of reports after the award: the unit's list of the reports it awaits and reviews - the final report of
every granted offer of its calls and of every small grant addressed to it (or none yet), and every partial report
it has scheduled - overdue first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from consult.calls.models import Call, Decision, Offer
from consult.extensions import db
from consult.grant_reports.models import OPEN_STATES, REPORT_DAYS, GrantReport
from consult.grant_reports.subjects import SMALL_GRANT_GRANTED, Subject, subject_of
from consult.smallgrants.models import SmallGrantOffer


@dataclass
class Row:
    subject: Subject
    report: GrantReport | None
    due_on: date
    overdue: bool
    partial: int = 0  # the number of a partial report; 0 for the final report

    @property
    def url_args(self) -> dict:
        return {**self.subject.url_args, **({"number": self.partial} if self.partial else {})}


def rows_for(unit_id: int | None, today: date) -> list[Row]:
    """The reports of the granted offers of `unit_id` (None: every unit) - of its calls (grant published) and the
    small grants addressed to it, the end of the task known: overdue first (the longest overdue on top), then by
    due date. Four queries whatever the number of rows."""
    query = (db.select(Offer).join(Decision, Decision.offer_id == Offer.id).join(Call, Call.id == Offer.call_id)
             .where(Offer.state == "granted", Decision.kind == "grant", Decision.published,
                    Offer.task_ends.is_not(None))
             .options(selectinload(Offer.call), selectinload(Offer.organisation)))
    small_query = (db.select(SmallGrantOffer)
                   .where(SmallGrantOffer.state.in_(SMALL_GRANT_GRANTED), SmallGrantOffer.granted_amount.is_not(None))
                   .options(selectinload(SmallGrantOffer.organisation)))
    if unit_id is not None:
        query = query.where(Call.unit_id == unit_id)
        small_query = small_query.where(SmallGrantOffer.unit_id == unit_id)
    offers = db.session.scalars(query).all()
    small = db.session.scalars(small_query).all()
    reports = db.session.scalars(
        db.select(GrantReport).where(GrantReport.offer_id.in_([o.id for o in offers])
                                     | GrantReport.small_grant_offer_id.in_([o.id for o in small]))
        .options(selectinload(GrantReport.costs))).all() if offers or small else []
    finals = {(r.offer_id, r.small_grant_offer_id): r for r in reports if not r.is_partial}
    by_subject = {("offer", o.id): o for o in offers} | {("small", o.id): o for o in small}
    rows = []
    for offer in [*offers, *small]:
        subject = subject_of(offer)
        key = (None, offer.id) if subject.is_small_grant else (offer.id, None)
        report = finals.get(key)
        due = subject.task_ends + timedelta(days=REPORT_DAYS)
        rows.append(Row(subject, report, due, (report is None or report.state in OPEN_STATES) and due < today))
    for report in reports:
        if report.is_partial:
            offer = (by_subject[("offer", report.offer_id)] if report.offer_id is not None
                     else by_subject[("small", report.small_grant_offer_id)])
            rows.append(Row(subject_of(offer), report, report.due_on,
                            report.state in OPEN_STATES and report.due_on < today, report.number))
    return sorted(rows, key=lambda r: (not r.overdue, r.due_on, r.subject.is_small_grant, r.subject.id, r.partial))
