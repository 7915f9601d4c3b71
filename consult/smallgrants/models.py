"""The limits of small grants as data: dated sets of rules, each rule with its value and legal basis.

A set holds from its `effective_from` day until the next set's; an offer is judged by the set in force on the day it
was filed. An amendment of the law is entered as a new set, never by editing an old one (no operation edits a set),
so that what an offer was judged by stays what it was.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db

RULE_CODES = ("max_grant", "max_days", "yearly_cap", "max_share")


class SmallGrantLimitSet(db.Model):
    __tablename__ = "small_grant_limit_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(unique=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    limits: Mapped[list["SmallGrantLimit"]] = relationship(back_populates="limit_set", cascade="all, delete-orphan",
                                                           order_by="SmallGrantLimit.position")

    def limit(self, rule: str) -> "SmallGrantLimit":
        return next(limit for limit in self.limits if limit.rule == rule)


class SmallGrantLimit(db.Model):
    __tablename__ = "small_grant_limits"
    __table_args__ = (
        UniqueConstraint("set_id", "rule", name="one_value_per_rule"),
        CheckConstraint("rule IN ('max_grant', 'max_days', 'yearly_cap', 'max_share')", name="rule_known"),
        CheckConstraint("value > 0", name="value_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("small_grant_limit_sets.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    legal_basis: Mapped[str] = mapped_column(String(200))

    limit_set: Mapped[SmallGrantLimitSet] = relationship(back_populates="limits")


class PlannedPublicTaskGrants(db.Model):
    """The grants planned in a budget year for public tasks carried out by NGOs: what the 20% share is of."""

    __tablename__ = "planned_public_task_grants"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
