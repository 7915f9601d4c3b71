"""Read side of reports after the award: the granted offers of the calls a unit runs, with their final report
(or none yet), overdue first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from consult.calls.models import Call, Decision, Offer
from consult.extensions import db
from consult.grant_reports.models import OPEN_STATES, REPORT_DAYS, GrantReport


@dataclass
class Row:
    offer: Offer
    report: GrantReport | None
    due_on: date
    overdue: bool


def rows_for(unit_id: int | None, today: date) -> list[Row]:
    """Every granted offer (grant published, end of task known) of the calls of `unit_id` (None: every unit):
    overdue first (the longest overdue on top), then by due date."""
    query = (db.select(Offer).join(Decision, Decision.offer_id == Offer.id).join(Call, Call.id == Offer.call_id)
             .where(Offer.state == "granted", Decision.kind == "grant", Decision.published,
                    Offer.task_ends.is_not(None))
             .options(selectinload(Offer.call), selectinload(Offer.organisation)))
    if unit_id is not None:
        query = query.where(Call.unit_id == unit_id)
    offers = db.session.scalars(query).all()
    reports = {r.offer_id: r for r in db.session.scalars(
        db.select(GrantReport).where(GrantReport.offer_id.in_([o.id for o in offers]), GrantReport.kind == "final")
        .options(selectinload(GrantReport.costs)))} if offers else {}
    rows = []
    for offer in offers:
        report = reports.get(offer.id)
        due = offer.task_ends + timedelta(days=REPORT_DAYS)
        open_ = report is None or report.state in OPEN_STATES
        rows.append(Row(offer, report, due, open_ and due < today))
    return sorted(rows, key=lambda r: (not r.overdue, r.due_on, r.offer.id))
