"""The limits of small grants as data: dated sets of rules, each rule with its value and legal basis.

A set holds from its `effective_from` day until the next set's; an offer is judged by the set in force on the day it
was filed. An amendment of the law is entered as a new set, never by editing an old one (no operation edits a set),
so that what an offer was judged by stays what it was.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
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

    limits: Mapped[list[SmallGrantLimit]] = relationship(back_populates="limit_set", cascade="all, delete-orphan",
                                                           order_by="SmallGrantLimit.position")

    def limit(self, rule: str) -> SmallGrantLimit:
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


# --- the journey of a small-grant offer (art. 19a) ------------------------------------------------------------

OFFER_STATES = ("filed", "purpose_refused", "open_for_comments", "granted", "not_granted", "reported")


class SmallGrantOffer(db.Model):
    """An offer in the simplified form (the 2018 templates regulation) filed outside any call, and its journey:
    the unit's judgement of purposefulness, 7 days of public comments, the decision, the simplified report."""

    __tablename__ = "small_grant_offers"
    __table_args__ = (
        CheckConstraint("state IN ('filed', 'purpose_refused', 'open_for_comments', 'granted', 'not_granted', "
                        "'reported')", name="state_known"),
        CheckConstraint("ends >= starts", name="ends_after_starts"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("state NOT IN ('granted', 'reported') OR granted_amount IS NOT NULL", name="granted_amount"),
        CheckConstraint("state <> 'open_for_comments' OR comments_until IS NOT NULL", name="comment_term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="filed", index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(1000))
    starts: Mapped[date]
    ends: Mapped[date]
    expected_results: Mapped[str] = mapped_column(Text)
    # the simplified budget: [{"name": ..., "total": "1200.00", "from_grant": "1000.00"}, ...] (decimal text)
    budget: Mapped[list] = mapped_column(JSON, default=list)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))  # the grant asked for: the budget's sum from the grant
    total_cost: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the sphere of public benefit (art. 4 ust. 1: a code of consult.organisations.register_data.SPHERES) the task
    # belongs to, what the programme's priority areas are counted by; None in offers filed before it was asked
    sphere: Mapped[str | None] = mapped_column(String(10))
    # the last day of the unit's term for judging purposefulness: reminded before it, overdue after it; a judgement
    # made later is still made (the law obliges the unit to decide) and is marked late (`judged_late`)
    judge_by: Mapped[date]
    judged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    judged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    purpose_refusal: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None]
    comments_until: Mapped[date | None]  # the last day of comments (Kraków's calendar), to its end
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    decision_year: Mapped[int | None]  # the calendar year of the grant: what the yearly limits count in
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # a refusal for the limits of art. 19a: the rules a grant would have broken, as they stood on the day of filing:
    # [{"rule": "yearly_cap", "limit": "20000.00", "basis": "art. 19a ust. 2 ..."}]; None for any other decision
    refused_under: Mapped[list | None] = mapped_column(JSON)
    # the simplified report (and any partial one) is a report after the award: consult/grant_reports; the offer
    # becomes "reported" when its final report is first submitted
    version: Mapped[int] = mapped_column(default=1)

    organisation = relationship("Organisation")
    unit = relationship("Unit")
    comments: Mapped[list[SmallGrantComment]] = relationship(back_populates="offer", cascade="all, delete-orphan",
                                                               order_by="SmallGrantComment.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def reference(self) -> str:
        return f"MG/{self.filed_at.year}/{self.id}"

    @property
    def sphere_label(self) -> str | None:
        """The sphere as "1a. wspieranie rodziny ..." in the reader's language; None when the offer names none."""
        from consult.organisations.register_data import sphere_label

        return sphere_label(self.sphere) if self.sphere else None

    @property
    def refusal_limits(self) -> list[str]:
        """The limits a refusal rests on, one line each in the reader's language: the rule, its value, its legal
        basis (the case page and the NGO's e-mail list them)."""
        from flask_babel import gettext

        from consult.smallgrants.limits import RULES, shown

        return [gettext("%(rule)s: %(value)s – podstawa prawna: %(basis)s", rule=str(RULES[r["rule"]]),
                        value=shown(r["rule"], Decimal(r["limit"])), basis=r["basis"])
                for r in self.refused_under or () if r.get("rule") in RULES]

    def judge_overdue(self, today: date) -> bool:
        """Still waiting for the judgement of purposefulness after the last day of the unit's term."""
        return self.state == "filed" and today > self.judge_by

    @property
    def judged_late(self) -> bool:
        """Purposefulness was judged after the last day of the term (Kraków's calendar)."""
        from consult.core.types import to_warsaw

        return self.judged_at is not None and to_warsaw(self.judged_at).date() > self.judge_by

    @property
    def visible_comments(self) -> list[SmallGrantComment]:
        return [c for c in self.comments if c.confirmed_at is not None and c.hidden_at is None]


class SmallGrantComment(db.Model):
    """A comment on an offer open for comments: shown once its author confirms the e-mail address by the link;
    a coordinator may hide it (with a reason, audited). The name and address are not shown publicly."""

    __tablename__ = "small_grant_comments"
    __table_args__ = (CheckConstraint("hidden_at IS NULL OR hidden_reason IS NOT NULL", name="hidden_with_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("small_grant_offers.id", ondelete="CASCADE"), index=True)
    author_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    offer: Mapped[SmallGrantOffer] = relationship(back_populates="comments")
