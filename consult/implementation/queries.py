"""Read-side helpers of implementation reports: the whole tree in a few queries, progress of the round, the
units that have not reported yet, a unit's own activities."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.implementation.models import Activity, ActivityUnit, Area, Goal, ImplementationReport, Task
from consult.organisations.models import Unit


@dataclass(frozen=True)
class Progress:
    total: int
    reported: int

    @property
    def missing(self) -> int:
        return self.total - self.reported


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    total: int
    missing: int


def report_tree(report_id: int) -> ImplementationReport | None:
    """The report with its goals, tasks, areas, activities and their units loaded (one query per level)."""
    return db.session.scalar(
        db.select(ImplementationReport).where(ImplementationReport.id == report_id).options(
            selectinload(ImplementationReport.goals).selectinload(Goal.tasks).selectinload(Task.areas)
            .selectinload(Area.activities).selectinload(Activity.units).selectinload(ActivityUnit.unit)))


def progress(report_id: int) -> Progress:
    total, reported = db.session.execute(
        db.select(func.count(Activity.id), func.count(Activity.realised)).where(Activity.report_id == report_id)).one()
    return Progress(total=total or 0, reported=reported or 0)


def progress_by_report(report_ids: list[int]) -> dict[int, Progress]:
    rows = db.session.execute(
        db.select(Activity.report_id, func.count(Activity.id), func.count(Activity.realised))
        .where(Activity.report_id.in_(report_ids)).group_by(Activity.report_id)).all() if report_ids else []
    return {rid: Progress(total=t, reported=r) for rid, t, r in rows}


def units_progress(report_id: int) -> list[UnitProgress]:
    """Every responsible unit of the report with how many of its activities still lack a report."""
    rows = db.session.execute(
        db.select(ActivityUnit.unit_id, func.count(func.distinct(Activity.id)),
                  func.count(func.distinct(case((Activity.realised.is_(None), Activity.id)))))
        .join(Activity, Activity.id == ActivityUnit.activity_id)
        .where(Activity.report_id == report_id)
        .group_by(ActivityUnit.unit_id)).all()
    units = {u.id: u for u in db.session.scalars(db.select(Unit).where(Unit.id.in_([r[0] for r in rows])))}
    out = [UnitProgress(unit=units[uid], total=total, missing=missing) for uid, total, missing in rows]
    return sorted(out, key=lambda p: p.unit.name.casefold())


def units_not_reported(report_id: int) -> list[UnitProgress]:
    """The units that have not reported on all their activities yet (the coordinator's reminder list)."""
    return [p for p in units_progress(report_id) if p.missing]


def all_reports() -> list[ImplementationReport]:
    return db.session.scalars(db.select(ImplementationReport)
                              .order_by(ImplementationReport.report_year.desc(), ImplementationReport.id.desc())).all()


def reports_of_unit(unit_id: int) -> list[tuple[ImplementationReport, int, int]]:
    """The reports in which the unit answers for activities: (report, its activities, those still missing)."""
    rows = db.session.execute(
        db.select(Activity.report_id, func.count(func.distinct(Activity.id)),
                  func.count(func.distinct(case((Activity.realised.is_(None), Activity.id)))))
        .join(ActivityUnit, ActivityUnit.activity_id == Activity.id)
        .where(ActivityUnit.unit_id == unit_id).group_by(Activity.report_id)).all()
    reports = {r.id: r for r in db.session.scalars(
        db.select(ImplementationReport).where(ImplementationReport.id.in_([row[0] for row in rows])))}
    out = [(reports[rid], total, missing) for rid, total, missing in rows]
    return sorted(out, key=lambda x: (-x[0].report_year, x[0].id))


def unit_activities(report_id: int, unit_id: int) -> list[Activity]:
    """The unit's activities in the report, in the report's order, with their area, task and goal loaded."""
    activities = db.session.scalars(
        db.select(Activity)
        .join(ActivityUnit, ActivityUnit.activity_id == Activity.id)
        .join(Area, Area.id == Activity.area_id).join(Task, Task.id == Area.task_id).join(Goal, Goal.id == Task.goal_id)
        .where(Activity.report_id == report_id, ActivityUnit.unit_id == unit_id)
        .options(selectinload(Activity.units), selectinload(Activity.area).selectinload(Area.task)
                 .selectinload(Task.goal))
        .order_by(Goal.position, Task.position, Area.position, Activity.position)).unique().all()
    return list(activities)


def get_activity(activity_id: int) -> Activity | None:
    return db.session.scalar(
        db.select(Activity).where(Activity.id == activity_id).options(
            selectinload(Activity.units).selectinload(ActivityUnit.unit),
            selectinload(Activity.area).selectinload(Area.task).selectinload(Task.goal).selectinload(Goal.report)))
