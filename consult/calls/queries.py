"""Read-side helpers for calls: lists, the commission's aggregate and ranking, and what each reader may see.

Aggregation: each submitted score sheet gives a total (the sum of its points); an offer's score is
the mean of the totals of the members who submitted (or their median, when the call says so), to
two decimal places. The spread is the range (highest total minus lowest): with the three to seven
members a commission has, a standard deviation says little, while the range tells the chair at
once that two members saw the offer very differently and the disagreement should be discussed.
Offers are ranked by score, highest first; equal scores share a rank (1, 2, 2, 4); offers nobody
has scored yet come last, unranked.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import selectinload

from consult.calls.access import PUBLIC_CALL_STATES, can_run_call, is_applicant, membership
from consult.calls.models import Call, CommissionMember, ConflictDeclaration, Criterion, Offer, ScoreSheet
from consult.core.access import has_role
from consult.extensions import db
from consult.organisations.queries import organisations  # noqa: F401  (partners are chosen from the register)

CENT = Decimal("0.01")
RANKED_STATES = ("formally_accepted", "granted", "not_granted")


def aggregate(totals: list[Decimal], method: str = "mean") -> Decimal | None:
    if not totals:
        return None
    value = statistics.median(totals) if method == "median" else statistics.mean(totals)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def spread(totals: list[Decimal]) -> Decimal | None:
    return (max(totals) - min(totals)).quantize(CENT) if totals else None


@dataclass
class Standing:
    offer: Offer
    totals: list[Decimal] = field(default_factory=list)
    score: Decimal | None = None
    spread: Decimal | None = None
    rank: int | None = None


def standings(call: Call) -> list[Standing]:
    """The formally accepted offers of the call with their aggregate score, spread and rank, best first.

    Only submitted sheets of members who are not excluded from the call count.
    """
    offers = db.session.scalars(
        db.select(Offer)
        .where(Offer.call_id == call.id, Offer.state.in_(RANKED_STATES))
        .options(selectinload(Offer.organisation), selectinload(Offer.decision))
        .order_by(Offer.id)
    ).all()
    sheets = db.session.scalars(
        db.select(ScoreSheet)
        .join(CommissionMember)
        .where(
            CommissionMember.call_id == call.id,
            CommissionMember.excluded_at.is_(None),
            ScoreSheet.state == "submitted",
        )
        .options(selectinload(ScoreSheet.scores))
    ).all()
    by_offer: dict[int, list[Decimal]] = {}
    for sheet in sheets:
        by_offer.setdefault(sheet.offer_id, []).append(sheet.total)
    rows = []
    for offer in offers:
        totals = sorted(by_offer.get(offer.id, []))
        rows.append(
            Standing(
                offer=offer, totals=totals, score=aggregate(totals, call.aggregation), spread=spread(totals)
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.offer.id))
    previous, rank = None, 0
    for i, row in enumerate(rows, start=1):
        if row.score is None:
            break
        if row.score != previous:
            rank, previous = i, row.score
        row.rank = rank
    return rows


# --- what a reader may see --------------------------------------------------------------------------------


SHEET_FILTERS = ("none", "draft", "submitted")  # the member's own sheet: not started, draft, submitted


def offers_to_score_page(user, call: Call, *, search: str = "", sheet: str = "", page: int = 1,
                         size: int | None = None):
    """A page of `offers_to_score`, each as (offer, the member's own sheet or None): one query for the page
    and one for the count. `search` looks in the offer's title and the applicant's name; `sheet` is one of
    SHEET_FILTERS."""
    from consult.core.paging import Page, like_any, paginate
    from consult.organisations.models import Organisation

    member = membership(user, call)
    if member is None or member.is_excluded or call.state not in ("evaluation", "results_published"):
        return Page(items=[], number=1, size=size or 1, total=0)
    conflicted = db.select(ConflictDeclaration.offer_id).where(
        ConflictDeclaration.member_id == member.id, ConflictDeclaration.has_conflict.is_(True)
    )
    query = (
        db.select(Offer, ScoreSheet)
        .join(Organisation, Offer.organisation_id == Organisation.id)
        .outerjoin(ScoreSheet, (ScoreSheet.offer_id == Offer.id) & (ScoreSheet.member_id == member.id))
        .where(Offer.call_id == call.id, Offer.state.in_(RANKED_STATES), Offer.id.not_in(conflicted))
        .options(selectinload(Offer.organisation))
    )
    if search:
        query = query.where(like_any(search, Offer.title, Organisation.name))
    if sheet == "none":
        query = query.where(ScoreSheet.id.is_(None))
    elif sheet in ("draft", "submitted"):
        query = query.where(ScoreSheet.state == sheet)
    return paginate(query.order_by(Offer.id), page, size, scalars=False)


def own_sheet(user, offer: Offer) -> ScoreSheet | None:
    member = membership(user, offer.call)
    if member is None:
        return None
    return db.session.scalar(
        db.select(ScoreSheet).where(ScoreSheet.member_id == member.id, ScoreSheet.offer_id == offer.id)
    )


def visible_sheets(user, offer: Offer) -> list[ScoreSheet]:
    """The score sheets of an offer that `user` may read.

    A member reads only their own sheet until they have submitted it; then every submitted sheet.
    The coordinator and the running unit read the submitted sheets (a draft is its author's own).
    Applicants never read sheets (they learn the score with the results, see `visible_score`).
    """
    member = membership(user, offer.call)
    if member is not None:
        mine = own_sheet(user, offer)
        if mine is None or mine.state != "submitted":
            return [mine] if mine is not None else []
    elif not can_run_call(user, offer.call):
        return []
    return db.session.scalars(
        db.select(ScoreSheet)
        .where(ScoreSheet.offer_id == offer.id, ScoreSheet.state == "submitted")
        .options(
            selectinload(ScoreSheet.scores),
            selectinload(ScoreSheet.member).selectinload(CommissionMember.user),
        )
        .order_by(ScoreSheet.id)
    ).all()


def visible_score(user, offer: Offer) -> Standing | None:
    """The aggregate score of an offer, without names: runners who do not sit on the commission, members
    once they submitted their own sheet for it, the applicant of that offer once the results are
    published, nobody else."""
    call = offer.call
    if membership(user, call) is not None:
        # A member (even one who also runs the call) sees the score only after submitting their own.
        mine = own_sheet(user, offer)
        allowed = mine is not None and mine.state == "submitted"
    else:
        allowed = can_run_call(user, call)
    if not allowed and is_applicant(user, offer):
        allowed = call.state == "results_published"
    if not allowed:
        return None
    return next((s for s in standings(call) if s.offer.id == offer.id), None)


def visible_decision(user, offer: Offer):
    """The decision on an offer: runners see it when recorded; everyone else only once published."""
    decision = offer.decision
    if decision is None:
        return None
    if decision.published or can_run_call(user, offer.call):
        return decision
    return None


# --- lists ------------------------------------------------------------------------------------------------


def calls_for_runner(user) -> list[Call]:
    query = (
        db.select(Call)
        .options(selectinload(Call.programme), selectinload(Call.unit))
        .order_by(Call.id.desc())
    )
    if not has_role(user, "coordinator"):
        query = query.where(Call.unit_id == getattr(user, "unit_id", None))
    return db.session.scalars(query).all()


def public_calls() -> list[Call]:
    return db.session.scalars(
        db.select(Call)
        .where(Call.state.in_(PUBLIC_CALL_STATES))
        .options(selectinload(Call.programme), selectinload(Call.unit))
        .order_by(Call.announced_at.desc(), Call.id.desc())
    ).all()


def offers_to_score(user, call: Call) -> list[Offer]:
    """The offers a commission member reads: formally accepted ones without a declared conflict."""
    member = membership(user, call)
    if member is None or member.is_excluded or call.state not in ("evaluation", "results_published"):
        return []
    conflicted = db.select(ConflictDeclaration.offer_id).where(
        ConflictDeclaration.member_id == member.id, ConflictDeclaration.has_conflict.is_(True)
    )
    return db.session.scalars(
        db.select(Offer)
        .where(Offer.call_id == call.id, Offer.state.in_(RANKED_STATES), Offer.id.not_in(conflicted))
        .options(selectinload(Offer.organisation))
        .order_by(Offer.id)
    ).all()


def card(call: Call) -> list[Criterion]:
    """The top-level criteria with their sub-criteria loaded."""
    return db.session.scalars(
        db.select(Criterion)
        .where(Criterion.call_id == call.id, Criterion.parent_id.is_(None))
        .options(selectinload(Criterion.children))
        .order_by(Criterion.position)
    ).all()


# --- the offer's task list and the published results ---------------------------------------------------


def section_statuses(offer: Offer) -> list[tuple[str, str, list[str]]]:
    """Each section of the offer (template order) with its status for the task list, and what it lacks.

    Status: "complete" (nothing missing), "in_progress" (something entered, something missing), or
    "not_started".
    """
    from consult.calls.operations import SECTIONS, offer_missing

    missing: dict[str, list[str]] = {}
    for section, _field, message in offer_missing(offer):
        missing.setdefault(section, []).append(message)
    started = {
        "basic": bool(offer.basic),
        "applicants": bool(offer.applicant) or bool(offer.partners),
        "task": bool(offer.title or offer.task or offer.results),
        "resources": bool(offer.resources),
        "costs": bool(offer.cost_lines),
        "other": bool(offer.other),
        "declarations": any((offer.declarations or {}).values()),
    }
    out = []
    for section in SECTIONS:
        lacks = missing.get(section, [])
        status = (
            "complete"
            if not lacks and (started[section] or section == "other")
            else ("in_progress" if started[section] else "not_started")
        )
        out.append((section, status, lacks))
    return out


@dataclass
class ResultRow:
    applicant: str
    task: str
    reference: str
    amount: Decimal | None
    granted: bool


def published_results(call: Call) -> list[ResultRow]:
    """What the results page and PDF list: applicant (organisations, public), task and amount.

    Empty until the results are published; names of persons never appear.
    """
    if call.state != "results_published":
        return []
    offers = db.session.scalars(
        db.select(Offer)
        .where(Offer.call_id == call.id, Offer.state.in_(("granted", "not_granted")))
        .options(selectinload(Offer.organisation), selectinload(Offer.partners), selectinload(Offer.decision))
        .order_by(Offer.id)
    ).all()
    rows = [_result_row(offer) for offer in offers]
    rows.sort(key=lambda r: (not r.granted, r.reference))
    return rows


def _result_row(offer: Offer) -> ResultRow:
    names = [offer.organisation.name, *(p.name for p in offer.partners)]
    granted = offer.state == "granted"
    return ResultRow(
        applicant=", ".join(names),
        task=offer.title,
        reference=offer.reference,
        amount=offer.decision.amount if granted else None,
        granted=granted,
    )


RESULT_OUTCOMES = ("granted", "not_granted")


def _offer_search(query, search: str):
    """Offers whose applicant, partner, title or number (OF/2026/00012, or just 12) holds the term."""
    from consult.calls.models import OfferPartner
    from consult.core.paging import like_any
    from consult.organisations.models import Organisation

    if not search:
        return query
    partner = db.exists().where(OfferPartner.offer_id == Offer.id, like_any(search, OfferPartner.name))
    condition = like_any(search, Organisation.name, Offer.title) | partner
    number = search.rsplit("/", 1)[-1].lstrip("0")
    if number.isdigit() and len(number) < 10:
        condition = condition | (Offer.id == int(number))
    return query.join(Organisation, Organisation.id == Offer.organisation_id).where(condition)


def published_results_page(call: Call, *, search: str = "", outcome: str = "", page: int = 1,
                           size: int | None = None):
    """A page of `published_results` (granted first, then by number) as ResultRows: two queries plus the
    count. `outcome` is granted or not_granted."""
    from consult.core.paging import paginate

    if call.state != "results_published":
        return paginate(db.select(Offer).where(db.false()), page, size)
    query = (db.select(Offer).where(Offer.call_id == call.id, Offer.state.in_(RESULT_OUTCOMES))
             .options(selectinload(Offer.organisation), selectinload(Offer.partners), selectinload(Offer.decision)))
    if outcome in RESULT_OUTCOMES:
        query = query.where(Offer.state == outcome)
    query = _offer_search(query, search)
    page_ = paginate(query.order_by(db.case((Offer.state == "granted", 0), else_=1), Offer.id), page, size)
    page_.items = [_result_row(offer) for offer in page_.items]
    return page_


def any_granted(call: Call) -> bool:
    return db.session.scalar(db.select(db.exists().where(Offer.call_id == call.id, Offer.state == "granted")))


DECISION_FILTERS = ("none", "grant", "refusal")


def standings_page(call: Call, *, search: str = "", decision: str = "", page: int = 1, size: int | None = None):
    """A page of `standings` (the ranking is computed over every offer first, so a rank stays the same
    whatever page or filter shows it). `search` is the offer's number, applicant or title; `decision` is
    none (not decided yet), grant or refusal."""
    from consult.core.paging import paginate_list

    rows = standings(call)
    if search:
        wanted = set(db.session.scalars(_offer_search(db.select(Offer.id).where(Offer.call_id == call.id), search)))
        rows = [s for s in rows if s.offer.id in wanted]
    if decision == "none":
        rows = [s for s in rows if s.offer.decision is None]
    elif decision in ("grant", "refusal"):
        rows = [s for s in rows if s.offer.decision is not None and s.offer.decision.kind == decision]
    return paginate_list(rows, page, size)


MEMBER_KINDS = ("staff", "nominee")
MEMBER_STATES = ("seated", "excluded")


def members_page(call: Call, *, search: str = "", kind: str = "", state: str = "", page: int = 1,
                 size: int | None = None):
    """A page of `members`, in the order they were appointed; `search` looks in the member's name, unit and
    nominating organisation."""
    from consult.auth.models import User
    from consult.core.paging import like_any, paginate
    from consult.organisations.models import Organisation, Unit

    query = (db.select(CommissionMember).where(CommissionMember.call_id == call.id)
             .options(selectinload(CommissionMember.user).selectinload(User.unit),
                      selectinload(CommissionMember.nominating_organisation)))
    if search:
        query = (query.join(User, User.id == CommissionMember.user_id)
                 .outerjoin(Unit, Unit.id == User.unit_id)
                 .outerjoin(Organisation, Organisation.id == CommissionMember.nominating_organisation_id)
                 .where(like_any(search, User.name, Unit.name, Organisation.name)))
    if kind in MEMBER_KINDS:
        query = query.where(CommissionMember.kind == kind)
    if state == "seated":
        query = query.where(CommissionMember.excluded_at.is_(None))
    elif state == "excluded":
        query = query.where(CommissionMember.excluded_at.is_not(None))
    return paginate(query.order_by(CommissionMember.id), page, size)


def offers_for_runner_page(call: Call, *, search: str = "", state: str = "", page: int = 1,
                           size: int | None = None):
    """A page of `offers_for_runner`; `search` looks in the offer's title and the applicant's name."""
    from consult.core.paging import like_any, paginate
    from consult.organisations.models import Organisation

    query = (db.select(Offer).join(Organisation, Offer.organisation_id == Organisation.id)
             .where(Offer.call_id == call.id, Offer.state != "draft")
             .options(selectinload(Offer.organisation), selectinload(Offer.partners)))
    if search:
        query = query.where(like_any(search, Offer.title, Organisation.name))
    if state:
        query = query.where(Offer.state == state)
    return paginate(query.order_by(Offer.id), page, size)


def offers_for_runner(call: Call) -> list[Offer]:
    """The offers filed in the call, for those who run it: drafts are the applicants' own and not listed."""
    return db.session.scalars(
        db.select(Offer)
        .where(Offer.call_id == call.id, Offer.state != "draft")
        .options(selectinload(Offer.organisation), selectinload(Offer.partners))
        .order_by(Offer.id)
    ).all()


def offer_with_sections(offer_id: int) -> Offer | None:
    """An offer with everything its page shows loaded at once."""
    return db.session.scalar(
        db.select(Offer)
        .where(Offer.id == offer_id)
        .options(
            selectinload(Offer.organisation),
            selectinload(Offer.partners),
            selectinload(Offer.results),
            selectinload(Offer.cost_lines),
            selectinload(Offer.corrections),
            selectinload(Offer.formal_checks),
            selectinload(Offer.decision),
        )
    )


def declaration_of(user, offer: Offer) -> ConflictDeclaration | None:
    member = membership(user, offer.call)
    if member is None:
        return None
    return db.session.scalar(
        db.select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.offer_id == offer.id
        )
    )


def members(call: Call) -> list[CommissionMember]:
    return db.session.scalars(
        db.select(CommissionMember)
        .where(CommissionMember.call_id == call.id)
        .options(selectinload(CommissionMember.user), selectinload(CommissionMember.nominating_organisation))
        .order_by(CommissionMember.id)
    ).all()


def candidates(call: Call) -> list:
    """Active users who may be appointed and do not sit on the commission yet (staff, coordinators,
    NGO members)."""
    from consult.auth.models import User

    seated = db.select(CommissionMember.user_id).where(CommissionMember.call_id == call.id)
    return db.session.scalars(
        db.select(User)
        .where(User.active.is_(True), User.role.in_(("unit", "coordinator", "ngo")), User.id.not_in(seated))
        .options(selectinload(User.organisation), selectinload(User.unit))
        .order_by(User.name)
    ).all()


def granted_total(call: Call) -> Decimal:
    """The sum of the grants recorded so far in the call (published or not)."""
    from consult.calls.models import Decision

    amounts = db.session.scalars(
        db.select(Decision.amount).where(Decision.call_id == call.id, Decision.kind == "grant")
    ).all()
    return sum((Decimal(a) for a in amounts), Decimal("0.00"))


def offers_of_organisation(organisation_id: int | None) -> list[Offer]:
    return db.session.scalars(
        db.select(Offer)
        .where(Offer.organisation_id == organisation_id)
        .options(selectinload(Offer.call).selectinload(Call.programme), selectinload(Offer.decision))
        .order_by(Offer.id.desc())
    ).all()


def calls_accepting_offers() -> list[Call]:
    from consult.core.types import utcnow

    return db.session.scalars(
        db.select(Call)
        .where(Call.state == "announced", Call.offers_deadline > utcnow())
        .options(selectinload(Call.unit))
        .order_by(Call.offers_deadline)
    ).all()


# --- the commissions a member sits on ---------------------------------------------------------------------


@dataclass
class Seat:
    """A user's seat on one call's commission with what is left to do there."""

    member: CommissionMember
    call: Call
    offers: int = 0  # offers the commission scores (formally accepted, or decided)
    to_declare: int = 0  # of those, without the member's conflict declaration
    to_score: int = 0  # declared without conflict, the member's sheet not yet submitted
    submitted: int = 0  # the member's submitted sheets
    conflicts: int = 0  # offers the member declared a conflict with


def sits_on_commission(user) -> bool:
    """Whether the user has a seat (excluded or not) on any call's commission: the nav links to the list."""
    user_id = getattr(user, "id", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(db.select(CommissionMember.id).where(CommissionMember.user_id == user_id).limit(1))
        is not None
    )


def seats_of(user) -> list[Seat]:
    """Every commission the user sits on, newest call first, with counts of offers to declare, to score and
    scored; four queries whatever the number of calls."""
    members = db.session.scalars(_seats_query(user)).all()
    return _seats_for(members)


def _seats_query(user):
    return (
        db.select(CommissionMember)
        .where(CommissionMember.user_id == user.id)
        .options(selectinload(CommissionMember.call).selectinload(Call.programme))
        .order_by(CommissionMember.call_id.desc(), CommissionMember.id.desc())
    )


def seats_page(user, *, search: str = "", state: str = "", page: int = 1, size: int | None = None):
    """A page of `seats_of`: the user's seats whose call matches the search (title) and the call's state;
    the counts are made for the page's seats only (four queries plus the count)."""
    from consult.core.paging import like_any, paginate

    query = _seats_query(user)
    if search or state:
        query = query.join(Call, CommissionMember.call_id == Call.id)
    if search:
        query = query.where(like_any(search, Call.title))
    if state:
        query = query.where(Call.state == state)
    page_ = paginate(query, page, size)
    page_.items = _seats_for(page_.items)
    return page_


def _seats_for(members: list[CommissionMember]) -> list[Seat]:
    if not members:
        return []
    scoring = [m.call_id for m in members if m.call.state in ("evaluation", "results_published")]
    offers: dict[int, set[int]] = {}
    for call_id, offer_id in db.session.execute(
        db.select(Offer.call_id, Offer.id).where(Offer.call_id.in_(scoring), Offer.state.in_(RANKED_STATES))
    ):
        offers.setdefault(call_id, set()).add(offer_id)
    member_ids = [m.id for m in members]
    declared: dict[int, dict[int, bool]] = {}
    for member_id, offer_id, conflict in db.session.execute(
        db.select(
            ConflictDeclaration.member_id, ConflictDeclaration.offer_id, ConflictDeclaration.has_conflict
        ).where(ConflictDeclaration.member_id.in_(member_ids))
    ):
        declared.setdefault(member_id, {})[offer_id] = conflict
    sheets: dict[int, dict[int, str]] = {}
    for member_id, offer_id, state in db.session.execute(
        db.select(ScoreSheet.member_id, ScoreSheet.offer_id, ScoreSheet.state).where(
            ScoreSheet.member_id.in_(member_ids)
        )
    ):
        sheets.setdefault(member_id, {})[offer_id] = state
    seats = []
    for m in members:
        ids = set() if m.is_excluded else offers.get(m.call_id, set())
        mine, states = declared.get(m.id, {}), sheets.get(m.id, {})
        seats.append(
            Seat(
                member=m,
                call=m.call,
                offers=len(ids),
                to_declare=sum(1 for o in ids if o not in mine),
                to_score=sum(1 for o in ids if mine.get(o) is False and states.get(o) != "submitted"),
                submitted=sum(1 for o in ids if states.get(o) == "submitted"),
                conflicts=sum(1 for o in ids if mine.get(o) is True),
            )
        )
    return seats


# --- the lists of calls and offers, with their search, filters and pages ------------------------------------


def _call_filters(query, *, search: str, state: str, unit_id: int | None, programme_id: int | None):
    from consult.core.paging import like_any

    if search:
        query = query.where(like_any(search, Call.title, Call.sphere, Call.task_type))
    if state:
        query = query.where(Call.state == state)
    if unit_id:
        query = query.where(Call.unit_id == unit_id)
    if programme_id:
        query = query.where(Call.programme_id == programme_id)
    return query


def public_calls_page(*, search: str = "", state: str = "", unit_id: int | None = None,
                      programme_id: int | None = None, page: int = 1, size: int | None = None):
    """A page of the calls anyone may see (announced or later), newest announcement first."""
    from consult.core.paging import paginate

    state = state if state in PUBLIC_CALL_STATES else ""
    query = (db.select(Call).where(Call.state.in_(PUBLIC_CALL_STATES))
             .options(selectinload(Call.programme), selectinload(Call.unit)))
    query = _call_filters(query, search=search, state=state, unit_id=unit_id, programme_id=programme_id)
    return paginate(query.order_by(Call.announced_at.desc(), Call.id.desc()), page, size)


def runner_calls_page(user, *, search: str = "", state: str = "", unit_id: int | None = None,
                      programme_id: int | None = None, page: int = 1, size: int | None = None):
    """A page of the calls the user runs (a coordinator: all of them; a unit: its own), newest first."""
    from consult.core.paging import paginate

    query = db.select(Call).options(selectinload(Call.programme), selectinload(Call.unit))
    if not has_role(user, "coordinator"):
        query = query.where(Call.unit_id == getattr(user, "unit_id", None))
        unit_id = None
    query = _call_filters(query, search=search, state=state, unit_id=unit_id, programme_id=programme_id)
    return paginate(query.order_by(Call.id.desc()), page, size)


def offers_of_organisation_page(organisation_id: int | None, *, search: str = "", state: str = "",
                                page: int = 1, size: int | None = None):
    """A page of an organisation's offers, newest first; `search` looks in the offer's and the call's title."""
    from consult.core.paging import like_any, paginate

    query = (db.select(Offer).join(Call, Offer.call_id == Call.id)
             .where(Offer.organisation_id == organisation_id)
             .options(selectinload(Offer.call).selectinload(Call.programme), selectinload(Offer.decision)))
    if search:
        query = query.where(like_any(search, Offer.title, Call.title))
    if state:
        query = query.where(Offer.state == state)
    return paginate(query.order_by(Offer.id.desc()), page, size)
