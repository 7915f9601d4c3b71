"""Open competitions for offers (otwarty konkurs ofert): the call, its evaluation card, the offers
filed in it, their formal check and correction windows, the commission, its scores and the decisions.

Where the data lives, and why:
- The announcement fields of art. 13 ust. 2 are columns of `calls` (funds as Numeric(14,2) PLN,
  the offers deadline as an aware UTC datetime); the list of same-type tasks of this and the
  previous year (pkt 7) is validated JSON (year, task, amount): it is printed, never queried.
- The free-text sections of an offer (applicant's contact, task description and schedule,
  resources, other information, declarations) are JSON columns: they follow the 2018 template,
  are shown and printed as a whole, and change with the template.
- Cost lines, partners of a joint offer and expected results are rows: cost lines carry exact
  Numeric amounts that are summed, checked (CHECK constraints) and split per partner (a cost line
  names the partner who bears it), partners may be registered organisations (which the commission
  exclusion rule must see), and expected results become the indicators the yearly report
  compares with what was achieved.
- Scores: one score sheet per member and offer (draft, then submitted as a whole, which is what a
  member signs) holding one row per criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core import operations as _core_operations
from consult.core.types import UTCDateTime, to_warsaw, utcnow
from consult.extensions import db
from consult.i18n import format_moment
from consult.organisations.models import Organisation, Unit
from consult.programmes.models import Programme

Money = Numeric(14, 2)
Points = Numeric(6, 2)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

CALL_STATES = ("draft", "announced", "closed", "evaluation", "results_published", "cancelled")
OFFER_STATES = (
    "draft",
    "submitted",
    "correction",
    "formally_accepted",
    "formally_rejected",
    "withdrawn",
    "granted",
    "not_granted",
)
AGGREGATIONS = ("mean", "median")
COST_CATEGORIES = ("activity", "administrative")
MEMBER_KINDS = ("staff", "nominee")


# The words the UI uses for the states (consult.core.operations.state_label reads them).
STATE_LABELS = {
    "call": {
        "draft": _l("projekt"), "announced": _l("ogłoszony, przyjmuje oferty"),
        "closed": _l("nabór ofert zakończony"), "evaluation": _l("ocena ofert"),
        "results_published": _l("wyniki ogłoszone"), "cancelled": _l("unieważniony"),
    },
    "offer": {
        "draft": _l("robocza"), "submitted": _l("złożona"), "correction": _l("do poprawy"),
        "formally_accepted": _l("przyjęta formalnie"), "formally_rejected": _l("odrzucona formalnie"),
        "withdrawn": _l("wycofana"), "granted": _l("dotacja przyznana"), "not_granted": _l("dotacja nieprzyznana"),
    },
    "score_sheet": {"draft": _l("robocza"), "submitted": _l("złożona")},
}
_core_operations.STATE_LABELS.update(STATE_LABELS)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def format_pln(amount) -> str:
    """An amount in złoty as the current language writes it (12 345,67 zł in Polish)."""
    from consult.i18n import format_amount

    return format_amount(money(amount))


class Call(db.Model):
    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(_in("state", CALL_STATES), name="state_known"),
        CheckConstraint(_in("aggregation", AGGREGATIONS), name="aggregation_known"),
        CheckConstraint("funds >= 0", name="funds_nonnegative"),
        CheckConstraint(
            "task_starts IS NULL OR task_ends IS NULL OR task_ends >= task_starts", name="task_dates"
        ),
        CheckConstraint("state = 'draft' OR announced_at IS NOT NULL", name="announced_has_time"),
        CheckConstraint("state <> 'cancelled' OR cancel_reason IS NOT NULL", name="cancelled_has_reason"),
        Index("ix_calls_programme_state", "programme_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(30), default="draft")
    # art. 13 ust. 2 pkt 1: type of public task, and the sphere of public benefit (art. 4) it belongs to
    task_type: Mapped[str] = mapped_column(Text, default="")
    sphere: Mapped[str] = mapped_column(String(300), default="")
    # pkt 2: funds allocated to the task
    funds: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    # pkt 3: rules for awarding grants
    award_rules: Mapped[str] = mapped_column(Text, default="")
    # pkt 4: dates and conditions of carrying out the task
    task_starts: Mapped[date | None] = mapped_column(Date)
    task_ends: Mapped[date | None] = mapped_column(Date)
    task_conditions: Mapped[str] = mapped_column(Text, default="")
    # pkt 5: the offers deadline; offers are accepted while now < offers_deadline
    offers_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # pkt 6: procedure, criteria (the evaluation card, plus this text) and date of selection
    procedure: Mapped[str] = mapped_column(Text, default="")
    criteria_notes: Mapped[str] = mapped_column(Text, default="")
    selection_date: Mapped[date | None] = mapped_column(Date)
    # pkt 7: same-type tasks and their grants in this and the previous year: [{year, task, amount}]
    previous_tasks: Mapped[list] = mapped_column(JSON, default=list)
    aggregation: Mapped[str] = mapped_column(String(10), default="mean")
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_ground: Mapped[str | None] = mapped_column(String(30))  # no_offers | no_valid_offers
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[Programme] = relationship()
    unit: Mapped[Unit] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="call", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    formal_criteria: Mapped[list[FormalCriterion]] = relationship(
        back_populates="call", order_by="FormalCriterion.position", cascade="all, delete-orphan"
    )
    offers: Mapped[list[Offer]] = relationship(back_populates="call", order_by="Offer.id")
    members: Mapped[list[CommissionMember]] = relationship(
        back_populates="call", order_by="CommissionMember.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"OKO/{self.programme.year}/{self.id:03d}" if self.id else ""

    @property
    def top_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria if c.parent_id is None]

    @property
    def scored_criteria(self) -> list[Criterion]:
        """The criteria a member gives points on: those without sub-criteria, and the sub-criteria."""
        out = []
        for top in self.top_criteria:
            out.extend(top.children or [top])
        return out

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.top_criteria), ZERO)

    def offers_closed_reason(self, now: datetime | None = None) -> str | None:
        """None while the call accepts offers, else why not.

        The deadline is the first instant at which offers are no longer accepted: an offer submitted
        at 15:29:59 on a 15:30 deadline is in time, one at 15:30:00 is late (the server's clock decides).
        """
        now = now or utcnow()
        if self.state != "announced":
            return _("Konkurs „%(title)s” nie przyjmuje ofert.", title=self.title)
        if self.offers_deadline is None or now >= self.offers_deadline:
            return _(
                "Termin składania ofert w konkursie „%(title)s” upłynął %(when)s (czasu warszawskiego). "
                "Nie można już składać ani zmieniać ofert.",
                title=self.title,
                when=format_moment(to_warsaw(self.offers_deadline)),
            )
        return None


class Criterion(db.Model):
    """A criterion of the evaluation card with its maximum points; a sub-criterion has a parent.

    A criterion with sub-criteria is scored through them: its maximum is the sum of theirs.
    """

    __tablename__ = "call_criteria"
    __table_args__ = (
        CheckConstraint("max_points > 0", name="max_positive"),
        UniqueConstraint("call_id", "parent_id", "position", name="uq_call_criteria_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("call_criteria.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    max_points: Mapped[Decimal] = mapped_column(Points)

    call: Mapped[Call] = relationship(back_populates="criteria")
    children: Mapped[list[Criterion]] = relationship(order_by="Criterion.position")

    @property
    def label(self) -> str:
        return self.title


class FormalCriterion(db.Model):
    """A formal requirement (kryterium formalne), checked as met or not before the evaluation."""

    __tablename__ = "call_formal_criteria"
    __table_args__ = (UniqueConstraint("call_id", "position", name="uq_call_formal_criteria_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    call: Mapped[Call] = relationship(back_populates="formal_criteria")


FUNDING_FIELDS = ("grant_requested", "own_financial", "own_personal", "own_material", "participant_fees")


@dataclass(frozen=True)
class Funding:
    """The sources of funding of a task (section V.B of the template; what is not given is zero): an offer's,
    or a small grant's offer's (consult.calls.operations.budget reads them from a form)."""

    grant_requested: Decimal = ZERO
    own_financial: Decimal = ZERO
    own_personal: Decimal = ZERO
    own_material: Decimal = ZERO
    participant_fees: Decimal = ZERO

    @property
    def own_contribution(self) -> Decimal:
        return money(self.own_financial) + money(self.own_personal) + money(self.own_material)

    @property
    def total(self) -> Decimal:
        return money(self.grant_requested) + self.own_contribution + money(self.participant_fees)


class Offer(db.Model):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint(_in("state", OFFER_STATES), name="state_known"),
        CheckConstraint(
            "state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL", name="submitted_has_time"
        ),
        CheckConstraint(
            "task_starts IS NULL OR task_ends IS NULL OR task_ends >= task_starts", name="task_dates"
        ),
        CheckConstraint(
            "grant_requested >= 0 AND own_financial >= 0 AND own_personal >= 0 "
            "AND own_material >= 0 AND participant_fees >= 0",
            name="funding_nonnegative",
        ),
        CheckConstraint(
            "state <> 'formally_rejected' OR formal_reason IS NOT NULL", name="rejected_has_reason"
        ),
        Index("ix_offers_call_state", "call_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[str] = mapped_column(String(30), default="draft")
    # I. basic information (the call and organ are implied by call_id): {"task_type": ...}
    basic: Mapped[dict] = mapped_column(JSON, default=dict)
    # II. the applicant: {"contact_name", "contact_email", "contact_phone", "address"}; partners are rows
    applicant: Mapped[dict] = mapped_column(JSON, default=dict)
    # III. the task; title and dates are columns, the rest {"description", "place", "target_group",
    # "schedule": [{"name", "description", "starts", "ends", "partner"}]}; expected results are rows
    title: Mapped[str] = mapped_column(String(500), default="")
    task_starts: Mapped[date | None] = mapped_column(Date)
    task_ends: Mapped[date | None] = mapped_column(Date)
    task: Mapped[dict] = mapped_column(JSON, default=dict)
    # IV. resources: {"staff", "material", "experience"}
    resources: Mapped[dict] = mapped_column(JSON, default=dict)
    # V. costs: cost lines are rows; the funding sources are columns
    grant_requested: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    own_financial: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    own_personal: Mapped[Decimal] = mapped_column(Money, default=ZERO)  # incl. volunteers' work
    own_material: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    participant_fees: Mapped[Decimal] = mapped_column(Money, default=ZERO)
    # VI. other information: {"text"}
    other: Mapped[dict] = mapped_column(JSON, default=dict)
    # VII. declarations: {key: true}
    declarations: Mapped[dict] = mapped_column(JSON, default=dict)
    formal_reason: Mapped[str | None] = mapped_column(Text)
    formally_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    call: Mapped[Call] = relationship(back_populates="offers")
    organisation: Mapped[Organisation] = relationship()
    partners: Mapped[list[OfferPartner]] = relationship(
        back_populates="offer", order_by="OfferPartner.position", cascade="all, delete-orphan"
    )
    results: Mapped[list[OfferResult]] = relationship(
        back_populates="offer", order_by="OfferResult.position", cascade="all, delete-orphan"
    )
    cost_lines: Mapped[list[OfferCostLine]] = relationship(
        back_populates="offer", order_by="OfferCostLine.position", cascade="all, delete-orphan"
    )
    formal_checks: Mapped[list[FormalCheck]] = relationship(
        back_populates="offer", cascade="all, delete-orphan"
    )
    corrections: Mapped[list[CorrectionWindow]] = relationship(
        back_populates="offer", order_by="CorrectionWindow.id", cascade="all, delete-orphan"
    )
    decision: Mapped[Decision | None] = relationship(back_populates="offer", uselist=False)

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.title or self.reference

    @property
    def reference(self) -> str:
        """What the applicant quotes: the call's year and the offer's number."""
        return f"OF/{self.call.programme.year}/{self.id:05d}" if self.id else ""

    @property
    def is_joint(self) -> bool:
        return bool(self.partners)

    @property
    def organisation_ids(self) -> set[int]:
        """The applicant and every registered partner: who 'filed' the offer for the exclusion rule."""
        return {self.organisation_id} | {p.organisation_id for p in self.partners if p.organisation_id}

    # --- sums (section V) ---

    def costs_of(self, category: str) -> Decimal:
        return sum((c.total for c in self.cost_lines if c.category == category), ZERO)

    @property
    def total_costs(self) -> Decimal:
        return sum((c.total for c in self.cost_lines), ZERO)

    @property
    def funding(self) -> Funding:
        return Funding(*(money(getattr(self, key)) for key in FUNDING_FIELDS))

    @property
    def own_contribution(self) -> Decimal:
        return self.funding.own_contribution

    @property
    def total_funding(self) -> Decimal:
        return self.funding.total

    def cost_split(self) -> list[tuple[str, Decimal]]:
        """How the costs split between the applicant and each partner of a joint offer."""
        lead = sum((c.total for c in self.cost_lines if c.partner_id is None), ZERO)
        out = [(self.organisation.name, lead)]
        for partner in self.partners:
            out.append(
                (partner.name, sum((c.total for c in self.cost_lines if c.partner_id == partner.id), ZERO))
            )
        return out

    @property
    def open_correction(self) -> CorrectionWindow | None:
        return next((w for w in reversed(self.corrections) if w.closed_at is None), None)


class OfferPartner(db.Model):
    """A partner of a joint offer (oferta wspólna, art. 14 ust. 2): who they are and what they do."""

    __tablename__ = "offer_partners"
    __table_args__ = (UniqueConstraint("offer_id", "position", name="uq_offer_partners_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(Text, default="")  # what this partner does in the task

    offer: Mapped[Offer] = relationship(back_populates="partners")
    organisation: Mapped[Organisation | None] = relationship()


class OfferResult(db.Model):
    """An expected result: what, the target value, and how it is monitored (section III.6 of the template)."""

    __tablename__ = "offer_results"
    __table_args__ = (UniqueConstraint("offer_id", "position", name="uq_offer_results_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    result: Mapped[str] = mapped_column(Text)
    target_value: Mapped[str] = mapped_column(String(200))
    monitoring: Mapped[str] = mapped_column(Text)

    offer: Mapped[Offer] = relationship(back_populates="results")


class OfferCostLine(db.Model):
    __tablename__ = "offer_cost_lines"
    __table_args__ = (
        UniqueConstraint("offer_id", "position", name="uq_offer_cost_lines_position"),
        CheckConstraint(_in("category", COST_CATEGORIES), name="category_known"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_nonnegative"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(500))  # the type of cost (rodzaj kosztu)
    unit: Mapped[str] = mapped_column(String(50))  # rodzaj miary: godzina, sztuka, usługa...
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # Which applicant of a joint offer bears the cost: NULL is the lead applicant.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("offer_partners.id", ondelete="SET NULL"))

    offer: Mapped[Offer] = relationship(back_populates="cost_lines")
    partner: Mapped[OfferPartner | None] = relationship()

    @property
    def total(self) -> Decimal:
        return money(Decimal(self.unit_cost) * Decimal(self.quantity))


class FormalCheck(db.Model):
    __tablename__ = "offer_formal_checks"
    __table_args__ = (UniqueConstraint("offer_id", "criterion_id", name="uq_offer_formal_checks_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("call_formal_criteria.id", ondelete="CASCADE"))
    met: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    offer: Mapped[Offer] = relationship(back_populates="formal_checks")
    criterion: Mapped[FormalCriterion] = relationship()


class CorrectionWindow(db.Model):
    """A time in which the applicant may amend a submitted offer to remedy formal deficiencies."""

    __tablename__ = "offer_corrections"
    __table_args__ = (CheckConstraint("deadline > opened_at", name="deadline_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    deficiencies: Mapped[str] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the applicant said it is done
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the formal decision ended it

    offer: Mapped[Offer] = relationship(back_populates="corrections")

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and self.finished_at is None and now < self.deadline


class CommissionMember(db.Model):
    """A member of the call's commission: city staff, or a person nominated by NGOs (art. 15 ust. 2a)."""

    __tablename__ = "commission_members"
    __table_args__ = (
        UniqueConstraint("call_id", "user_id", name="uq_commission_members_call_user"),
        CheckConstraint(_in("kind", MEMBER_KINDS), name="kind_known"),
        CheckConstraint(
            "kind <> 'nominee' OR nominating_organisation_id IS NOT NULL", name="nominee_has_nominator"
        ),
        CheckConstraint("(excluded_at IS NULL) = (exclusion_reason IS NULL)", name="exclusion_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    nominating_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Excluded from the whole call: a nominee whose own organisation filed an offer in it (art. 15 ust. 2d).
    excluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exclusion_reason: Mapped[str | None] = mapped_column(Text)

    call: Mapped[Call] = relationship(back_populates="members")
    user = relationship("User")
    nominating_organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_excluded(self) -> bool:
        return self.excluded_at is not None


class ConflictDeclaration(db.Model):
    """A member's declaration, per offer, that there is (or is not) a conflict of interest."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (
        UniqueConstraint("member_id", "offer_id", name="uq_conflict_declarations_member_offer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("commission_members.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    has_conflict: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[CommissionMember] = relationship()
    offer: Mapped[Offer] = relationship()


class ScoreSheet(db.Model):
    """One member's scoring of one offer on the call's card: a draft until submitted as a whole."""

    __tablename__ = "score_sheets"
    __table_args__ = (
        UniqueConstraint("member_id", "offer_id", name="uq_score_sheets_member_offer"),
        CheckConstraint("state IN ('draft', 'submitted')", name="state_known"),
        CheckConstraint("state <> 'submitted' OR submitted_at IS NOT NULL", name="submitted_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("commission_members.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    member: Mapped[CommissionMember] = relationship()
    offer: Mapped[Offer] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="sheet", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def total(self) -> Decimal:
        return sum((Decimal(s.points) for s in self.scores), ZERO)

    def points_for(self, criterion_id: int) -> Decimal | None:
        return next((Decimal(s.points) for s in self.scores if s.criterion_id == criterion_id), None)


class Score(db.Model):
    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id", name="uq_scores_sheet_criterion"),
        CheckConstraint("points >= 0", name="points_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("call_criteria.id", ondelete="CASCADE"))
    points: Mapped[Decimal] = mapped_column(Points)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class Decision(db.Model):
    """The grant awarded to an offer, or its refusal with a reason; hidden from applicants until published."""

    __tablename__ = "call_decisions"
    __table_args__ = (
        CheckConstraint("kind IN ('grant', 'refusal')", name="kind_known"),
        CheckConstraint("kind <> 'grant' OR (amount IS NOT NULL AND amount > 0)", name="grant_has_amount"),
        CheckConstraint(
            "kind <> 'refusal' OR (amount IS NULL AND reason IS NOT NULL)", name="refusal_has_reason"
        ),
        CheckConstraint("published = (published_at IS NOT NULL)", name="published_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    offer: Mapped[Offer] = relationship(back_populates="decision")

    __mapper_args__ = {"version_id_col": version}
