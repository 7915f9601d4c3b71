"""Read-side helpers of implementation reports: the whole tree in a few queries, progress of the round, the
units that have not reported yet, a unit's own activities."""
from __future__ import annotations

from dataclasses import dataclass, field

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
        .where(Activity.report_id == report_id, ActivityUnit.unit_id.is_not(None))  # partners are no units
        .group_by(ActivityUnit.unit_id)).all()
    units = {u.id: u for u in db.session.scalars(db.select(Unit).where(Unit.id.in_([r[0] for r in rows])))}
    out = [UnitProgress(unit=units[uid], total=total, missing=missing) for uid, total, missing in rows]
    return sorted(out, key=lambda p: p.unit.name.casefold())


def units_not_reported(report_id: int) -> list[UnitProgress]:
    """The units that have not reported on all their activities yet (the coordinator's reminder list)."""
    return [p for p in units_progress(report_id) if p.missing]




ROUND_STATES = ("open", "closed")
REALISATION_STATES = ("missing", "realised", "not_carried_out")  # as the realisation_state macro shows them


def _report_filters(query, *, search: str, state: str, year: int | None):
    from consult.core.paging import like_any

    if search:
        query = query.where(like_any(search, ImplementationReport.programme_title, ImplementationReport.title))
    if state in ROUND_STATES:
        query = query.where(ImplementationReport.state == state)
    if year:
        query = query.where(ImplementationReport.report_year == year)
    return query


def report_years() -> list[int]:
    """The years reported on, newest first: the choices of the lists' year filter."""
    return list(db.session.scalars(db.select(ImplementationReport.report_year).distinct()
                                   .order_by(ImplementationReport.report_year.desc())))


def reports_page(*, search: str = "", state: str = "", year: int | None = None, page: int = 1,
                 size: int | None = None):
    """A page of every report, newest year first, each as (report, its progress): two queries plus the count.
    `search` looks in the programme's title and the report's."""
    from consult.core.paging import paginate

    query = _report_filters(db.select(ImplementationReport), search=search, state=state, year=year)
    page_ = paginate(query.order_by(ImplementationReport.report_year.desc(), ImplementationReport.id.desc()),
                     page, size)
    progress = progress_by_report([r.id for r in page_.items])
    page_.items = [(r, progress.get(r.id)) for r in page_.items]
    return page_


def reports_of_unit_page(unit_id: int, *, search: str = "", state: str = "", year: int | None = None,
                         page: int = 1, size: int | None = None):
    """The reports in which the unit answers for activities, newest year first, a page of them as rows of
    (report, its activities, those still missing): one query plus the count."""
    from consult.core.paging import paginate

    counts = (db.select(Activity.report_id.label("report_id"),
                        func.count(func.distinct(Activity.id)).label("total"),
                        func.count(func.distinct(case((Activity.realised.is_(None), Activity.id)))).label("missing"))
              .join(ActivityUnit, ActivityUnit.activity_id == Activity.id)
              .where(ActivityUnit.unit_id == unit_id).group_by(Activity.report_id).subquery())
    query = (db.select(ImplementationReport, counts.c.total, counts.c.missing)
             .join(counts, counts.c.report_id == ImplementationReport.id))
    query = _report_filters(query, search=search, state=state, year=year)
    return paginate(query.order_by(ImplementationReport.report_year.desc(), ImplementationReport.id), page, size,
                    scalars=False)


def unit_activities_page(report_id: int, unit_id: int, *, search: str = "", state: str = "", page: int = 1,
                         size: int | None = None):
    """A page of the unit's activities in the report, in the report's order; `search` looks in the activity's name, what was
    planned and what was realised; `state` is one of REALISATION_STATES."""
    from consult.core.paging import like_any, paginate

    query = (db.select(Activity)
             .join(ActivityUnit, ActivityUnit.activity_id == Activity.id)
             .join(Area, Area.id == Activity.area_id).join(Task, Task.id == Area.task_id)
             .join(Goal, Goal.id == Task.goal_id)
             .where(Activity.report_id == report_id, ActivityUnit.unit_id == unit_id)
             .options(selectinload(Activity.units), selectinload(Activity.area).selectinload(Area.task)
                      .selectinload(Task.goal)))
    if search:
        query = query.where(like_any(search, Activity.name, Activity.planned, Activity.realised))
    query = _realisation_filter(query, state)
    return paginate(query.order_by(Goal.position, Task.position, Area.position, Activity.position, Activity.id),
                    page, size)


@dataclass(frozen=True)
class Section:
    """The activities of one area shown on a page of activities, under their goal and task: what the
    report's tree looks like, cut to one page. `activities` is what document.rows_of reads."""
    goal: Goal
    task: Task
    area: Area
    activities: list[Activity]

    @property
    def has_funds(self) -> bool:
        return self.area.has_funds


def report_activities_page(report_id: int, *, search: str = "", state: str = "", unit_id: int | None = None,
                           page: int = 1, size: int | None = None):
    """A page of the report's activities in the report's order (`sections_of` groups them as the report
    does): three queries plus the count. `search` looks in the name, the planned indicators and the realisation;
    `state` is one of REALISATION_STATES; `unit_id` keeps the activities of one responsible unit."""
    from consult.core.paging import like_any, paginate

    query = (db.select(Activity)
             .join(Area, Area.id == Activity.area_id).join(Task, Task.id == Area.task_id)
             .join(Goal, Goal.id == Task.goal_id)
             .where(Activity.report_id == report_id)
             .options(selectinload(Activity.units), selectinload(Activity.area).selectinload(Area.task)
                      .selectinload(Task.goal)))
    if search:
        query = query.where(like_any(search, Activity.name, Activity.planned, Activity.realised))
    if unit_id:
        query = query.where(db.exists().where(ActivityUnit.activity_id == Activity.id,
                                              ActivityUnit.unit_id == unit_id))
    query = _realisation_filter(query, state)
    return paginate(query.order_by(Goal.position, Task.position, Area.position, Activity.position, Activity.id),
                    page, size)


def activity_page_number(activity: Activity, size: int) -> int:
    """The page of the report's unfiltered list of activities that shows `activity` (where a coordinator
    returns after correcting it)."""
    from sqlalchemy import tuple_

    area, task, goal = activity.area, activity.area.task, activity.area.task.goal
    before = db.session.scalar(
        db.select(func.count(Activity.id))
        .join(Area, Area.id == Activity.area_id).join(Task, Task.id == Area.task_id).join(Goal, Goal.id == Task.goal_id)
        .where(Activity.report_id == activity.report_id,
               tuple_(Goal.position, Task.position, Area.position, Activity.position, Activity.id)
               < tuple_(goal.position, task.position, area.position, activity.position, activity.id))) or 0
    return before // size + 1


def sections_of(activities) -> list[Section]:
    """Activities in the report's order (their area, task and goal loaded), grouped by area."""
    sections: list[Section] = []
    for activity in activities:
        if not sections or sections[-1].area.id != activity.area_id:
            area = activity.area
            sections.append(Section(goal=area.task.goal, task=area.task, area=area, activities=[]))
        sections[-1].activities.append(activity)
    return sections


def _realisation_filter(query, state: str):
    if state == "missing":
        query = query.where(Activity.realised.is_(None))
    elif state == "realised":
        query = query.where(Activity.realised.is_not(None), Activity.not_carried_out.is_(False))
    elif state == "not_carried_out":
        query = query.where(Activity.realised.is_not(None), Activity.not_carried_out.is_(True))
    return query






def get_activity(activity_id: int) -> Activity | None:
    return db.session.scalar(
        db.select(Activity).where(Activity.id == activity_id).options(
            selectinload(Activity.units).selectinload(ActivityUnit.unit),
            selectinload(Activity.area).selectinload(Area.task).selectinload(Task.goal).selectinload(Goal.report)))


@dataclass
class FundsTotal:
    """The funds of a task or goal: the sum of the amounts read (grosze), and how many cells with funds written
    as text could not be read (they are shown, not summed)."""

    grosze: int = 0
    unread: int = 0

    @property
    def zloty(self):
        from decimal import Decimal

        return Decimal(self.grosze) / 100

    def add(self, activity: Activity) -> None:
        self.grosze += sum(a.grosze for a in activity.amounts)
        self.unread += activity.funds_unread


@dataclass
class FundsTotals:
    tasks: dict[int, FundsTotal]
    goals: dict[int, FundsTotal]
    report: FundsTotal
    # the goals with funds in the report's order, each with its code and its tasks' (code, total) in order
    outline: list = field(default_factory=list)
    # the small grants (art. 19a) given for tasks of the report's year, by sphere of public benefit (the programme's
    # priority areas): funds the city gave beside the activities' funds, so shown apart, not added to them
    small_grants: list[SmallGrantsOfSphere] = field(default_factory=list)

    @property
    def small_grants_count(self) -> int:
        return sum(s.count for s in self.small_grants)

    @property
    def small_grants_sum(self):
        from decimal import Decimal

        return sum((s.amount for s in self.small_grants), Decimal("0.00"))


@dataclass(frozen=True)
class SmallGrantsOfSphere:
    sphere: str | None  # a code of SPHERES; None for offers filed before the sphere was asked
    count: int
    amount: object  # Decimal, the sum granted

    @property
    def label(self) -> str | None:
        from consult.organisations.register_data import sphere_label

        return sphere_label(self.sphere) if self.sphere else None


def small_grants_of_year(year: int) -> list[SmallGrantsOfSphere]:
    """The small grants given for tasks that start in `year`, per sphere (one grouped query)."""
    from consult.programme_report.queries import small_grants_by_sphere

    rows = small_grants_by_sphere(year)
    return [SmallGrantsOfSphere(code, count, amount) for code, count, amount in sorted(
        rows, key=lambda r: (r[0] is None, _sphere_order(r[0])))]


def _sphere_order(code: str | None):
    import re

    match = re.fullmatch(r"(\d+)([a-z]*)", code or "")
    return (int(match.group(1)), match.group(2)) if match else (10**6, code or "")


def funds_totals(report_id: int) -> FundsTotals:
    """The funds summed per task and per goal (only tasks with a funds column count), in one query; and the small
    grants of the report's year per sphere, in another."""
    rows = db.session.execute(
        db.select(Task.id, Goal.id, Activity, Goal.position, Goal.code, Task.position, Task.code)
        .join(Area, Area.task_id == Task.id).join(Goal, Goal.id == Task.goal_id)
        .join(Activity, Activity.area_id == Area.id)
        .where(Goal.report_id == report_id, Area.has_funds.is_(True))).all()
    year = db.session.scalar(db.select(ImplementationReport.report_year).where(ImplementationReport.id == report_id))
    totals = FundsTotals(tasks={}, goals={}, report=FundsTotal(),
                         small_grants=small_grants_of_year(year) if year is not None else [])
    goals, tasks = {}, {}
    for task_id, goal_id, activity, goal_position, goal_code, task_position, task_code in rows:
        totals.tasks.setdefault(task_id, FundsTotal()).add(activity)
        totals.goals.setdefault(goal_id, FundsTotal()).add(activity)
        totals.report.add(activity)
        goals[goal_id] = (goal_position, goal_code)
        tasks[task_id] = (goal_id, task_position, task_code)
    for goal_id, (_position, code) in sorted(goals.items(), key=lambda item: item[1][0]):
        in_goal = sorted((position, task_code, totals.tasks[task_id])
                         for task_id, (of_goal, position, task_code) in tasks.items() if of_goal == goal_id)
        totals.outline.append((code, totals.goals[goal_id], [(code_, total) for _p, code_, total in in_goal]))
    return totals
