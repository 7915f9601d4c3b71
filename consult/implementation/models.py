"""A programme implementation report for one year: goals → tasks → areas → activities, and what was realised.

The report is also its reporting round (state open/closed). Its plan is held as the interchange format
holds it (consult.programme-report/1), every text as written, so that an export gives back the imported file.
Each activity names its responsible units as written in the report (`ActivityUnit.label`) and, for each,
the unit of the register it was matched to (`unit_id`): unit staff answer for the activities of their unit.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.implementation.funds import Amount, amounts_from_json
from consult.organisations.models import Unit

TASK_KINDS = ("basic", "complementary")
# Lazy: the pages, the PDF and the XLSX word them in their own language.
TASK_KIND_LABELS = {"basic": _l("Zadanie podstawowe"), "complementary": _l("Zadanie komplementarne")}


class ImplementationReport(db.Model):
    __tablename__ = "implementation_reports"
    __table_args__ = (
        UniqueConstraint("programme_title", "report_year", name="uq_implementation_reports_programme_year"),
        CheckConstraint("state IN ('open', 'closed')", name="state_known"),
        CheckConstraint("from_year <= to_year", name="years_order"),
        CheckConstraint("report_year BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_title: Mapped[str] = mapped_column(String(500))
    from_year: Mapped[int]
    to_year: Mapped[int]
    report_year: Mapped[int]
    title: Mapped[str] = mapped_column(String(1000))
    state: Mapped[str] = mapped_column(String(20), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    goals: Mapped[list[Goal]] = relationship(back_populates="report", order_by="Goal.position",
                                             cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.title


class Goal(db.Model):
    __tablename__ = "implementation_goals"
    __table_args__ = (UniqueConstraint("report_id", "position", name="uq_implementation_goals_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("implementation_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)

    report: Mapped[ImplementationReport] = relationship(back_populates="goals")
    tasks: Mapped[list[Task]] = relationship(back_populates="goal", order_by="Task.position",
                                             cascade="all, delete-orphan")


class Task(db.Model):
    __tablename__ = "implementation_tasks"
    __table_args__ = (
        UniqueConstraint("goal_id", "position", name="uq_implementation_tasks_position"),
        CheckConstraint("kind IN ('basic', 'complementary')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("implementation_goals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    strategy_link: Mapped[str | None] = mapped_column(String(500))

    goal: Mapped[Goal] = relationship(back_populates="tasks")
    areas: Mapped[list[Area]] = relationship(back_populates="task", order_by="Area.position",
                                             cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return str(TASK_KIND_LABELS[self.kind])


class Area(db.Model):
    """A sub-area of a task ("1) Pomoc dla rodziców ..."), or the task itself when it has none (code None).

    `has_funds`: its table has the column "Wysokość środków" (the report's basic tasks have it)."""

    __tablename__ = "implementation_areas"
    __table_args__ = (UniqueConstraint("task_id", "position", name="uq_implementation_areas_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("implementation_tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    # The public services, fields and programmes the area's activities are linked with, as listed; None when
    # the report lists none (an empty list is kept apart from it, so that an export gives back the file).
    linked_services: Mapped[list | None] = mapped_column(JSON)
    has_funds: Mapped[bool] = mapped_column(default=False)

    task: Mapped[Task] = relationship(back_populates="areas")
    activities: Mapped[list[Activity]] = relationship(back_populates="area", order_by="Activity.position",
                                                      cascade="all, delete-orphan")


class Activity(db.Model):
    """A planned activity and what was realised. `realised` is None until someone reports it."""

    __tablename__ = "implementation_activities"
    __table_args__ = (
        UniqueConstraint("area_id", "position", name="uq_implementation_activities_position"),
        CheckConstraint("realised IS NOT NULL OR (reported_at IS NULL AND NOT not_carried_out)",
                        name="unreported_is_blank"),
        Index("ix_implementation_activities_report", "report_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("implementation_areas.id", ondelete="CASCADE"), index=True)
    # The report, repeated from the area, so that a unit's list and the progress counts are one query.
    report_id: Mapped[int] = mapped_column(ForeignKey("implementation_reports.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    planned: Mapped[str] = mapped_column(Text, default="")
    realised: Mapped[str | None] = mapped_column(Text)
    not_carried_out: Mapped[bool] = mapped_column(default=False)
    funds: Mapped[str | None] = mapped_column(String(200))
    # The funds read as amounts (consult.implementation.funds): [{"grosze": int, "source": str}], what is summed per
    # task and goal; None when the cell is empty, or when text written before amounts existed could not be read
    # (the migration kept it as text only: funds_unread).
    funds_amounts: Mapped[list | None] = mapped_column(JSON)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_by_label: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)

    area: Mapped[Area] = relationship(back_populates="activities")
    units: Mapped[list[ActivityUnit]] = relationship(back_populates="activity", order_by="ActivityUnit.position",
                                                     cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def reported(self) -> bool:
        return self.realised is not None

    @property
    def amounts(self) -> list[Amount]:
        return amounts_from_json(self.funds_amounts) or []

    @property
    def funds_unread(self) -> bool:
        """Funds written as text that was never read as amounts (before amounts existed): shown, not summed."""
        return bool(self.funds and self.funds.strip()) and self.funds_amounts is None


class ActivityUnit(db.Model):
    """One responsible unit of an activity: its name as the report writes it, and the register's unit; or a partner
    of the activity that is no unit of the city ("organizacje pozarządowe"): its name, and no unit."""

    __tablename__ = "implementation_activity_units"
    __table_args__ = (
        UniqueConstraint("activity_id", "position", name="uq_implementation_activity_units_position"),
        Index("ix_implementation_activity_units_unit", "unit_id", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("implementation_activities.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(500))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    activity: Mapped[Activity] = relationship(back_populates="units")
    unit: Mapped[Unit | None] = relationship()
