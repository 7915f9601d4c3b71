"""The numbers of the report on a programme, read in a few grouped queries.

The priority areas of the programme are the spheres of public benefit its calls are announced in (`Call.sphere`:
the programme names its priority areas by them); calls of one sphere written with other spaces or letter case are
one area, named as its first call writes it. Small grants (art. 19a) name their sphere by the Act's list
(`SmallGrantOffer.sphere`, a code): they count in the area of the calls that write that sphere as the Act does, else
in an area of their own named as the Act does; those given for tasks that start in the programme's year count. A call counts once it has been announced (cancelled ones too, and they are counted apart); offers once
filed (submitted, whatever happened to them after); grants and refusals once their results are published (a
decision not yet published is the commission's, not the city's).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func

from consult.calls.models import Call, Decision, Offer
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.postulates.models import Position, Postulate
from consult.programme_report.models import ProgrammeReportPublication
from consult.programmes.models import Programme

ZERO = Decimal("0.00")


@dataclass
class AreaNumbers:
    """One priority area's numbers (or, with `label` None, the programme's totals)."""

    label: str | None
    calls_announced: int = 0
    calls_cancelled: int = 0
    call_funds: Decimal = ZERO
    offers_filed: int = 0
    grants: int = 0
    grants_sum: Decimal = ZERO
    refusals: int = 0
    # small grants (art. 19a) of the area: those given (granted, and reported on afterwards), and the sum granted
    small_grants: int = 0
    small_grants_sum: Decimal = ZERO

    def add(self, other: AreaNumbers) -> None:
        for name in ("calls_announced", "calls_cancelled", "call_funds", "offers_filed", "grants", "grants_sum",
                     "refusals", "small_grants", "small_grants_sum"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class SmallGrantNumbers:
    offers: int = 0
    grants: int = 0
    grants_sum: Decimal = ZERO


@dataclass(frozen=True)
class ConsultationNumbers:
    meetings_held: int
    postulates: int
    positions: int


@dataclass
class ProgrammeNumbers:
    programme: Programme
    areas: list[AreaNumbers]
    total: AreaNumbers
    small_grants: SmallGrantNumbers
    consultations: ConsultationNumbers
    published_at: object = None
    notes: list[str] = field(default_factory=list)


def area_key(sphere: str) -> str:
    return " ".join((sphere or "").split()).casefold()


def _small_grants_in_year(year: int):
    from datetime import date

    from consult.smallgrants.models import SmallGrantOffer

    return (SmallGrantOffer.starts >= date(year, 1, 1), SmallGrantOffer.starts <= date(year, 12, 31))


def sphere_wordings(code: str | None) -> tuple[str, ...]:
    """How a call may write the sphere of a small grant's code, in the city's language: as the Act words it, or
    with its number ("1a. wspieranie rodziny ..."); the first is the area's name. () for no sphere."""
    from flask_babel import force_locale

    from consult.organisations.register_data import SPHERES

    if not code or code not in SPHERES:
        return ()
    with force_locale("pl"):
        label = " ".join(str(SPHERES[code]).split())
    return label, f"{code}. {label}"


def small_grants_by_sphere(year: int) -> list[tuple[str | None, int, Decimal]]:
    """The small grants given for tasks that start in `year` (the programme's, the implementation report's), by the sphere the NGO chose (None: an
    offer filed before the sphere was asked): (sphere code, how many, the sum granted)."""
    from consult.smallgrants.models import SmallGrantOffer

    rows = db.session.execute(
        db.select(SmallGrantOffer.sphere, func.count(SmallGrantOffer.id),
                  func.coalesce(func.sum(SmallGrantOffer.granted_amount), 0))
        .where(*_small_grants_in_year(year), SmallGrantOffer.state.in_(("granted", "reported")))
        .group_by(SmallGrantOffer.sphere).order_by(SmallGrantOffer.sphere)).all()
    return [(code, count, Decimal(total).quantize(Decimal("0.01"))) for code, count, total in rows]


def small_grant_numbers(programme_id: int) -> SmallGrantNumbers:
    """The small grants (art. 19a) of the programme: the offers for tasks that start in the programme's year, those
    of them granted (and reported on), and the sum granted."""
    from datetime import date

    from consult.smallgrants.models import SmallGrantOffer

    programme = db.session.get(Programme, programme_id)
    if programme is None:
        return SmallGrantNumbers()
    in_year = (SmallGrantOffer.starts >= date(programme.year, 1, 1), SmallGrantOffer.starts <= date(programme.year, 12, 31))
    offers = db.session.scalar(db.select(func.count(SmallGrantOffer.id)).where(*in_year))
    granted = SmallGrantOffer.state.in_(("granted", "reported"))
    grants, total = db.session.execute(db.select(func.count(SmallGrantOffer.id),
                                                 func.coalesce(func.sum(SmallGrantOffer.granted_amount), 0))
                                       .where(*in_year, granted)).one()
    return SmallGrantNumbers(offers=offers, grants=grants, grants_sum=Decimal(total).quantize(Decimal("0.01")))


def consultation_numbers(programme_id: int) -> ConsultationNumbers:
    """The sector meetings held, the postulates filed (withdrawn drafts never were) and the positions published."""
    meetings = db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.programme_id == programme_id, Meeting.state.in_(("held", "summary_published"))))
    postulates = db.session.scalar(db.select(func.count(Postulate.id)).where(
        Postulate.programme_id == programme_id, Postulate.submitted_at.is_not(None)))
    positions = db.session.scalar(db.select(func.count(Position.id)).join(Postulate).where(
        Postulate.programme_id == programme_id, Position.status == "published"))
    return ConsultationNumbers(meetings_held=meetings or 0, postulates=postulates or 0, positions=positions or 0)


def published_at(programme_id: int):
    return db.session.scalar(db.select(ProgrammeReportPublication.published_at).where(
        ProgrammeReportPublication.programme_id == programme_id))


def programme_numbers(programme: Programme) -> ProgrammeNumbers:
    calls = db.session.execute(
        db.select(Call.id, Call.sphere, Call.state, Call.funds).where(
            Call.programme_id == programme.id, Call.announced_at.is_not(None)).order_by(Call.id)).all()
    offers = dict(db.session.execute(
        db.select(Offer.call_id, func.count(Offer.id)).join(Call).where(
            Call.programme_id == programme.id, Offer.submitted_at.is_not(None)).group_by(Offer.call_id)).all())
    decisions = {}
    for call_id, kind, count, total in db.session.execute(
            db.select(Decision.call_id, Decision.kind, func.count(Decision.id), func.sum(Decision.amount))
            .join(Call, Call.id == Decision.call_id)
            .where(Call.programme_id == programme.id, Decision.published.is_(True))
            .group_by(Decision.call_id, Decision.kind)).all():
        decisions[(call_id, kind)] = (count, Decimal(total or 0))
    areas: dict[str, AreaNumbers] = {}
    for call_id, sphere, state, funds in calls:
        key = area_key(sphere)
        area = areas.setdefault(key, AreaNumbers(label=" ".join((sphere or "").split())))
        grants, grants_sum = decisions.get((call_id, "grant"), (0, ZERO))
        area.add(AreaNumbers(label=None, calls_announced=1, calls_cancelled=int(state == "cancelled"),
                             call_funds=Decimal(funds or 0), offers_filed=offers.get(call_id, 0), grants=grants,
                             grants_sum=grants_sum, refusals=decisions.get((call_id, "refusal"), (0, ZERO))[0]))
    # the small grants beside the calls of their area: a call names the area as it likes (free text), a small grant
    # by the Act's list, so a call's sphere written as the Act words it (or with its number) is the same area
    for code, count, total in small_grants_by_sphere(programme.year):
        wordings = sphere_wordings(code)
        key = next((area_key(w) for w in wordings if area_key(w) in areas), area_key(wordings[0]) if wordings else "")
        area = areas.setdefault(key, AreaNumbers(label=wordings[0] if wordings else ""))
        area.add(AreaNumbers(label=None, small_grants=count, small_grants_sum=total))
    ordered = [areas[k] for k in sorted(areas, key=lambda k: (k == "", k))]
    total = AreaNumbers(label=None)
    for area in ordered:
        total.add(area)
    return ProgrammeNumbers(programme=programme, areas=ordered, total=total,
                            small_grants=small_grant_numbers(programme.id),
                            consultations=consultation_numbers(programme.id), published_at=published_at(programme.id))
