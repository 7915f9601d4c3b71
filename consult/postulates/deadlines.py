"""Due dates of positions: by when a unit is to give its position on a postulate, what is overdue, which
positions came late. Read-side helpers and the date rules; the assignments themselves are made by
consult/postulates/operations.py.

The rules, in one place:

- Assigning or forwarding a postulate to a unit (a meeting's postulate too) starts an `Assignment` with a due
  date: today in Kraków plus the programme's `position_days` (14 unless the coordinator changed it on the
  programme's form), or another day the coordinator picks in the routing form. A coordinator may later set
  another due date for the same unit (that starts a new assignment, so its reminder goes again). Only
  coordinators route postulates (the workflow gives `forward` to no unit), so no unit can extend its own time.
- A due date is a Kraków calendar day: the position is due by the end of it. It may not be in the past nor
  more than a year ahead (`MAX_POSITION_DAYS`).
- Overdue: a postulate still waiting for the position of the unit it is assigned to (state `assigned`) whose
  current assignment's due date has passed.
- Late: a position first recorded (its `created_at`: the unit's draft, not the publication, which often waits
  for a batch publish by someone else) on a Kraków day after the due date of its unit's assignment in force at
  that moment. A position of a unit never asked for one (a further position a coordinator transcribes) and a
  postulate assigned before due dates existed have no due date: they count as not late.
- Reminder: `consult send-reminders` tells the staff of the unit once per assignment, when the end of its due
  date is at most CONSULT_REMINDER_DAYS away and the postulate still waits for their position. An assignment
  made with a due date already that close gets none: its own notice says the date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func
from sqlalchemy.orm import joinedload

from consult.core.errors import Refused
from consult.core.types import to_warsaw, utcnow, warsaw_to_utc
from consult.extensions import db
from consult.organisations.models import Unit
from consult.postulates.models import Assignment, Position, Postulate
from consult.programmes.models import MAX_POSITION_DAYS, Programme


def today(now: datetime | None = None) -> date:
    """The calendar day in Kraków."""
    return to_warsaw(now or utcnow()).date()


def default_due_on(programme: Programme, now: datetime | None = None) -> date:
    return today(now) + timedelta(days=programme.position_days)


def deadline_of(due_on: date) -> datetime:
    """The instant (UTC) a due date ends: midnight in Kraków after it."""
    return warsaw_to_utc(datetime.combine(due_on + timedelta(days=1), time(0, 0)))


def check_due_on(due_on: date, now: datetime | None = None) -> date:
    """Refuse a due date in the past or more than a year ahead; return it."""
    first = today(now)
    if due_on < first:
        raise Refused(_("Termin stanowiska nie może przypadać w przeszłości. Podaj dzisiejszą lub późniejszą "
                        "datę."), field="due_on")
    if due_on > first + timedelta(days=MAX_POSITION_DAYS):
        raise Refused(_("Termin stanowiska może przypadać najwyżej %(n)s dni od dziś.", n=MAX_POSITION_DAYS),
                      field="due_on")
    return due_on


def current_assignment(postulate_id: int) -> Assignment | None:
    return db.session.scalar(db.select(Assignment).where(Assignment.postulate_id == postulate_id,
                                                         Assignment.ended_at.is_(None)))


@dataclass(frozen=True)
class DueStatus:
    """What a page says about a postulate's due date."""

    due_on: date
    overdue: bool  # still waiting for the position, and the due date has passed
    days_over: int  # days since the due date, when overdue


def due_status(postulate: Postulate, assignment: Assignment | None, now: datetime | None = None) -> DueStatus | None:
    """The due date of the postulate's current assignment, if the postulate still has its unit's position to
    wait for or has it; None for a postulate with no due date (assigned before due dates existed, not routed)."""
    if assignment is None or assignment.unit_id != postulate.responsible_unit_id:
        return None
    return _due_status(postulate.state, assignment.due_on, now)


def due_statuses(rows, now: datetime | None = None) -> dict[int, DueStatus]:
    """`due_status` of each row of a unit's queue, which read its responsible unit's due date with it
    (queries.unit_queue: ListedPostulate.due_on)."""
    out = {}
    for row in rows:
        if row.due_on is not None and (status := _due_status(row.state, row.due_on, now)) is not None:
            out[row.id] = status
    return out


def _due_status(state: str, due_on: date, now: datetime | None) -> DueStatus | None:
    if state not in ("assigned", "answered"):
        return None
    first = today(now)
    overdue = state == "assigned" and due_on < first
    return DueStatus(due_on, overdue, (first - due_on).days if overdue else 0)


# --- the coordinators' list of what is overdue --------------------------------------------------------------

def _overdue(query, *, programme_id: int | None, now: datetime | None):
    query = (query.join(Assignment, and_(Assignment.postulate_id == Postulate.id, Assignment.ended_at.is_(None),
                                         Assignment.unit_id == Postulate.responsible_unit_id))
             .join(Unit, Unit.id == Assignment.unit_id)
             .where(Postulate.state == "assigned", Assignment.due_on < today(now)))
    if programme_id:
        query = query.where(Postulate.programme_id == programme_id)
    return query


@dataclass(frozen=True)
class OverdueCount:
    unit_id: int
    unit: str
    count: int
    oldest: date  # the earliest due date among them


def overdue_counts(*, programme_id: int | None = None, now: datetime | None = None) -> list[OverdueCount]:
    """How many postulates each unit has overdue, units by name (one grouped query)."""
    rows = db.session.execute(_overdue(
        db.select(Unit.id, Unit.name, func.count(Postulate.id), func.min(Assignment.due_on)),
        programme_id=programme_id, now=now).group_by(Unit.id, Unit.name).order_by(Unit.name, Unit.id)).all()
    return [OverdueCount(unit_id, name, int(count), oldest) for unit_id, name, count, oldest in rows]


def overdue_page(*, programme_id: int | None = None, unit_id: int | None = None, page: int = 1,
                 size: int | None = None, now: datetime | None = None):
    """A page of the overdue postulates as (postulate, assignment) rows, grouped by unit (by name), the longest
    overdue first within a unit: two queries and the count, whatever the page shows."""
    from consult.core.paging import paginate

    query = _overdue(db.select(Postulate, Assignment), programme_id=programme_id, now=now)
    if unit_id:
        query = query.where(Assignment.unit_id == unit_id)
    query = query.options(joinedload(Postulate.programme), joinedload(Postulate.organisation),
                          joinedload(Postulate.meeting), joinedload(Assignment.unit))
    return paginate(query.order_by(Unit.name, Unit.id, Assignment.due_on, Postulate.id), page, size,
                    scalars=False)


def by_unit(rows) -> list[tuple[Unit, list]]:
    """The (postulate, assignment) rows of a page in groups of one unit each, in the page's order."""
    groups: list[tuple[Unit, list]] = []
    for postulate, assignment in rows:
        if not groups or groups[-1][0].id != assignment.unit_id:
            groups.append((assignment.unit, []))
        groups[-1][1].append((postulate, assignment))
    return groups


# --- late positions (the consultation report's statistics) --------------------------------------------------

def _in_force(assignments: list[Assignment], unit_id: int, at: datetime) -> Assignment | None:
    for a in assignments:
        if a.unit_id == unit_id and a.assigned_at <= at and (a.ended_at is None or at < a.ended_at):
            return a
    return None


def late_positions(programme_id: int, *, published_only: bool = True) -> dict:
    """Positions on the programme's filed postulates (at meetings and online) checked against their due dates:
    `{"late_positions": n, "late_by_unit": [{"label", "with_due_date", "late"}, ...]}`, the units (by name)
    whose positions had a due date. Published positions only unless told (the report shows no others)."""
    query = (db.select(Position.postulate_id, Position.unit_id, Position.created_at, Unit.name)
             .join(Postulate, Postulate.id == Position.postulate_id).join(Unit, Unit.id == Position.unit_id)
             .where(Postulate.programme_id == programme_id, Postulate.state.not_in(("draft", "withdrawn"))))
    if published_only:
        query = query.where(Position.status == "published")
    positions = db.session.execute(query).all()
    by_postulate: dict[int, list[Assignment]] = {}
    if positions:
        for a in db.session.scalars(
                db.select(Assignment).join(Postulate, Postulate.id == Assignment.postulate_id)
                .where(Postulate.programme_id == programme_id).order_by(Assignment.id)):
            by_postulate.setdefault(a.postulate_id, []).append(a)
    units: dict[str, list[int]] = {}
    for postulate_id, unit_id, created_at, unit_name in positions:
        assignment = _in_force(by_postulate.get(postulate_id, []), unit_id, created_at)
        if assignment is None:
            continue
        counts = units.setdefault(unit_name, [0, 0])
        counts[0] += 1
        counts[1] += today(created_at) > assignment.due_on
    return {"late_positions": sum(late for _due, late in units.values()),
            "late_by_unit": [{"label": name, "with_due_date": due, "late": late}
                             for name, (due, late) in sorted(units.items())]}


# --- reminders --------------------------------------------------------------------------------------------

def reminders_due(now: datetime, days: int) -> list[Assignment]:
    """The assignments whose unit is to be reminded now: in force, the postulate still waiting for the unit's
    position, the end of the due date within `days` (and not passed), and made before that window opened."""
    horizon = now + timedelta(days=days)
    candidates = db.session.scalars(
        db.select(Assignment).join(Postulate, Postulate.id == Assignment.postulate_id)
        .where(Assignment.ended_at.is_(None), Assignment.unit_id == Postulate.responsible_unit_id,
               Postulate.state == "assigned", Assignment.due_on >= today(now),
               Assignment.due_on < today(horizon))
        .options(joinedload(Assignment.postulate), joinedload(Assignment.unit))
        .order_by(Assignment.id)).all()
    out = []
    for a in candidates:
        ends = deadline_of(a.due_on)
        if now < ends <= horizon and a.assigned_at <= ends - timedelta(days=days):
            out.append(a)
    return out
