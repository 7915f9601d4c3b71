"""The report of a granted task (art. 18, the 2018 report templates): what was realised against what was
planned, and its journey draft -> submitted -> accepted | corrections_requested -> submitted again.

A report belongs to exactly one granted offer: a call's (`offer_id`) or a small grant's (`small_grant_offer_id`, the
simplified report of art. 19a), a CHECK holding that one of the two is set. It is the final report (number 0, due 30
days after the task's end) or a partial report (sprawozdanie częściowe, numbered 1, 2, ... for a period), which the
unit schedules where the agreement asks for one: the row is created then, as a draft, with its period and due date.

The report copies what it is measured against when it is started (the grant awarded, each cost line's planned total,
each expected result and its target value) into its own rows, so that it reads without the offer's tables; which
offer it reports on, and how, is consult/grant_reports/subjects.py.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.calls.models import ZERO, Offer, money
from consult.core import operations as _core_operations
from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.smallgrants.models import SmallGrantOffer

Money = Numeric(14, 2)
REPORT_STATES = ("draft", "submitted", "accepted", "corrections_requested")
STATE_LABELS = {"draft": _l("robocze"), "submitted": _l("złożone"), "accepted": _l("przyjęte"),
                "corrections_requested": _l("do poprawy")}
# the report is still the NGO's to file: before it is due a reminder, after it the unit's list marks it overdue
OPEN_STATES = ("draft", "corrections_requested")
REPORT_DAYS = 30  # the final report is due within 30 days of the task's end (art. 18 ust. 1)
KINDS = ("final", "partial")


class GrantReport(db.Model):
    __tablename__ = "grant_reports"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'submitted', 'accepted', 'corrections_requested')", name="state_known"),
        CheckConstraint("kind IN ('final', 'partial')", name="kind_known"),
        CheckConstraint("(offer_id IS NOT NULL AND small_grant_offer_id IS NULL) "
                        "OR (offer_id IS NULL AND small_grant_offer_id IS NOT NULL)", name="one_subject"),
        CheckConstraint("(kind = 'final' AND number = 0 AND period_from IS NULL AND period_to IS NULL) "
                        "OR (kind = 'partial' AND number > 0 AND period_from IS NOT NULL AND period_to IS NOT NULL "
                        "AND period_from <= period_to)", name="partial_has_period"),
        CheckConstraint("state = 'draft' OR submitted_at IS NOT NULL", name="submitted_has_time"),
        CheckConstraint("state <> 'corrections_requested' OR correction_note IS NOT NULL", name="corrections_have_note"),
        CheckConstraint("grant_amount >= 0 AND own_realised >= 0 AND other_realised >= 0", name="amounts_nonnegative"),
        UniqueConstraint("offer_id", "kind", "number", name="uq_grant_reports_offer_kind_number"),
        UniqueConstraint("small_grant_offer_id", "kind", "number", name="uq_grant_reports_small_grant_kind_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    small_grant_offer_id: Mapped[int | None] = mapped_column(ForeignKey("small_grant_offers.id", ondelete="CASCADE"),
                                                             index=True)
    kind: Mapped[str] = mapped_column(String(10), default="final")
    number: Mapped[int] = mapped_column(default=0)  # 0: the final report; 1, 2, ...: the partial reports in order
    period_from: Mapped[date | None]  # the period a partial report covers
    period_to: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(30), default="draft")
    due_on: Mapped[date] = mapped_column(index=True)
    grant_amount: Mapped[Decimal] = mapped_column(Money)  # the grant awarded, as the decision said
    own_realised: Mapped[Decimal] = mapped_column(Money, default=ZERO)  # own funds (financial, personal, material)
    other_realised: Mapped[Decimal] = mapped_column(Money, default=ZERO)  # other sources (fees, other donors)
    notes: Mapped[str] = mapped_column(Text, default="")
    correction_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    offer: Mapped[Offer | None] = relationship()
    small_grant_offer: Mapped[SmallGrantOffer | None] = relationship()
    costs: Mapped[list[GrantReportCost]] = relationship(back_populates="report", order_by="GrantReportCost.position",
                                                         cascade="all, delete-orphan")
    results: Mapped[list[GrantReportResult]] = relationship(
        back_populates="report", order_by="GrantReportResult.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def realised_from_grant(self) -> Decimal:
        return sum((money(c.realised_grant) for c in self.costs if c.realised_grant is not None), ZERO)

    @property
    def realised_total(self) -> Decimal:
        return sum((money(c.realised_total) for c in self.costs if c.realised_total is not None), ZERO)

    @property
    def planned_total(self) -> Decimal:
        return sum((money(c.planned_total) for c in self.costs), ZERO)

    @property
    def unspent(self) -> Decimal:
        """The grant to be returned: awarded minus spent from it, never below zero."""
        return max(money(self.grant_amount) - self.realised_from_grant, ZERO)

    def share_of(self, amount) -> Decimal | None:
        """`amount`'s share of the costs realised in total, in percent to two places, as the 2018 report's
        "udział" column gives it; None while no cost is realised."""
        total = self.realised_total
        if total <= 0:
            return None
        return (money(amount) * 100 / total).quantize(Decimal("0.01"))

    @property
    def shares(self) -> dict[str, Decimal | None]:
        """The share of each source of funds in the costs realised: the grant, own funds, other sources."""
        return {"grant": self.share_of(self.realised_from_grant), "own": self.share_of(self.own_realised),
                "other": self.share_of(self.other_realised)}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_partial(self) -> bool:
        return self.kind == "partial"

    @property
    def subject(self):
        """The granted offer reported on, as consult/grant_reports/subjects.py presents it."""
        from consult.grant_reports.subjects import subject_of

        return subject_of(self.offer if self.offer_id is not None else self.small_grant_offer)

    @property
    def url_args(self) -> dict:
        """What url_for needs for this report's pages (the subject's id, and the number of a partial report)."""
        args = dict(self.subject.url_args)
        if self.is_partial:
            args["number"] = self.number
        return args


class GrantReportCost(db.Model):
    """A budget line: planned (copied from the offer) against realised, in total and from the grant."""

    __tablename__ = "grant_report_costs"
    __table_args__ = (
        UniqueConstraint("report_id", "position", name="uq_grant_report_costs_position"),
        CheckConstraint("realised_total IS NULL OR realised_total >= 0", name="total_nonnegative"),
        CheckConstraint("realised_grant IS NULL OR (realised_grant >= 0 AND realised_total IS NOT NULL "
                        "AND realised_grant <= realised_total)", name="grant_within_total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(500))
    planned_total: Mapped[Decimal] = mapped_column(Money)
    realised_total: Mapped[Decimal | None] = mapped_column(Money)
    realised_grant: Mapped[Decimal | None] = mapped_column(Money)

    report: Mapped[GrantReport] = relationship(back_populates="costs")

    @property
    def difference(self) -> Decimal | None:
        return None if self.realised_total is None else money(self.realised_total) - money(self.planned_total)


class GrantReportResult(db.Model):
    """An expected result (copied from the offer) and what was achieved."""

    __tablename__ = "grant_report_results"
    __table_args__ = (UniqueConstraint("report_id", "position", name="uq_grant_report_results_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    result: Mapped[str] = mapped_column(Text)
    target_value: Mapped[str] = mapped_column(String(200))
    achieved: Mapped[str] = mapped_column(Text, default="")

    report: Mapped[GrantReport] = relationship(back_populates="results")


_core_operations.STATE_LABELS["grant_report"] = STATE_LABELS  # the audit log's words for a report's states
_core_operations.SUBJECT_LABELS["grant_report"] = _l("sprawozdanie z realizacji zadania (art. 18)")
_core_operations.ACTION_LABELS["grant_report"] = {
    "start_grant_report": _l("rozpoczęcie sprawozdania"), "save_grant_report": _l("zapisanie sprawozdania"),
    "submit": _l("złożenie sprawozdania"), "accept": _l("przyjęcie sprawozdania"),
    "request_corrections": _l("wezwanie do poprawienia sprawozdania"),
    "schedule_partial_report": _l("wyznaczenie sprawozdania częściowego")}
