"""The commission: appointing and dismissing members, conflicts of interest, score sheets.
"""
from __future__ import annotations

from flask_babel import gettext as _

from consult.auth.models import User
from consult.calls.access import ActingAs, membership
from consult.calls.models import (
    Call,
    CommissionMember,
    ConflictDeclaration,
    Criterion,
    Offer,
    Score,
    ScoreSheet,
)
from consult.calls.operations._common import POINTS_BELOW, _clock, _points, parse_amount, text_value
from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.locks import lock_for_update
from consult.core.operations import check_version, fire
from consult.core.submissions import once
from consult.extensions import db
from consult.organisations.models import Organisation
from workflows import CALL, SCORE_SHEET


@once("commission_member")
def appoint_member(
    actor, call: Call, user: User, *, kind: str, nominating_organisation: Organisation | None = None
) -> CommissionMember:
    """Appoint a member: city staff (unit staff or a coordinator), or a person nominated by NGOs.

    Serialised on the call with the submission of offers: a nominee whose organisation files an offer at the
    same moment is either refused here or excluded by the submission, never appointed unseen.
    """
    call = lock_for_update(Call, call.id)
    if kind not in ("staff", "nominee"):
        raise Refused(
            _("Wybierz, czy członek komisji reprezentuje miasto, czy organizacje pozarządowe."), field="kind"
        )
    if kind == "staff" and not has_role(user, "unit", "coordinator"):
        raise Refused(_("Przedstawicielem miasta może być pracownik komórki albo koordynator."), field="user")
    if kind == "nominee":
        if not has_role(user, "ngo"):
            raise Refused(
                _("Osobę wskazaną przez organizacje wybierz spośród członków organizacji."), field="user"
            )
        nominating_organisation = nominating_organisation or user.organisation
        filed = [
            o
            for o in call.offers
            if o.state not in ("draft", "withdrawn") and user.organisation_id in o.organisation_ids
        ]
        if filed:
            raise Refused(
                _(
                    "Tej osoby nie można powołać: jej organizacja złożyła ofertę w tym konkursie (%(ref)s), "
                    "a w komisji nie zasiadają osoby reprezentujące oferentów (art. 15 ust. 2d ustawy).",
                    ref=filed[0].reference,
                ),
                field="user",
            )
    if membership(user, call) is not None:
        raise Refused(_("Ta osoba jest już członkiem komisji."), field="user")
    fire(
        CALL,
        call,
        "appoint_member",
        actor,
        action="appoint_member",
        user_id=user.id,
        kind=kind,
        nominating_organisation_id=nominating_organisation.id if nominating_organisation else None,
    )
    member = CommissionMember(
        user=user, kind=kind, nominating_organisation=nominating_organisation, appointed_at=_clock()
    )
    call.members.append(member)
    return member


def dismiss_member(actor, member: CommissionMember, *, reason: str | None = None) -> None:
    """Take a member off the commission: only one who has submitted no score (serialised with their scoring)."""
    member = lock_for_update(CommissionMember, member.id)
    if member is None:
        raise Refused(_("Ta osoba nie jest już członkiem komisji."))
    call = member.call
    if any(
        s.state == "submitted"
        for s in db.session.scalars(db.select(ScoreSheet).where(ScoreSheet.member_id == member.id))
    ):
        raise Refused(_("Członek komisji złożył już oceny; nie można go odwołać."))
    fire(
        CALL,
        call,
        "dismiss_member",
        actor,
        action="dismiss_member",
        user_id=member.user_id,
        reason=(reason or "").strip() or None,
    )
    call.members.remove(member)


def _sitting(actor, offer: Offer) -> CommissionMember:
    """The actor's seat on the offer's commission, locked (lock_for_update) for the rest of the transaction:
    a member's declaration, sheet and submission are made one at a time, so a double click cannot declare
    twice or start two sheets, and a dismissal cannot cross a submission."""
    member = membership(actor, offer.call)
    if member is None:
        raise Forbidden(_("Nie zasiadasz w komisji tego konkursu."))
    member = lock_for_update(CommissionMember, member.id)
    if member is None:
        raise Forbidden(_("Nie zasiadasz w komisji tego konkursu."))
    if member.is_excluded:
        raise Forbidden(
            _("Jesteś wyłączony z prac komisji w tym konkursie: %(reason)s", reason=member.exclusion_reason)
        )
    if offer.call.state != "evaluation":
        raise Refused(_("Komisja ocenia oferty, gdy konkurs jest na etapie oceny."))
    if offer.state != "formally_accepted":
        raise Refused(_("Ocenia się tylko oferty przyjęte pod względem formalnym."))
    return member


@once("conflict_declaration")
def declare_conflict(
    actor, offer: Offer, *, has_conflict: bool, note: str | None = None
) -> ConflictDeclaration:
    """Declare, before scoring, that there is no conflict of interest with the offer (or that there is one,
    which excludes the member from it). A declaration is made once and cannot be taken back."""
    member = _sitting(actor, offer)
    existing = db.session.scalar(
        db.select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.offer_id == offer.id
        )
    )
    if existing is not None:
        raise Refused(_("Oświadczenie dotyczące tej oferty zostało już złożone."))
    note = text_value(note, "note", _("okoliczności"), limit=2000) or None
    declaration = ConflictDeclaration(
        member=member, offer=offer, has_conflict=bool(has_conflict), note=note, declared_at=_clock()
    )
    db.session.add(declaration)
    db.session.flush()
    audit.record(
        actor,
        "offer",
        offer.id,
        "declare_conflict" if has_conflict else "declare_no_conflict",
        member_id=member.id,
    )
    return declaration


def _sheet_for(actor, offer: Offer) -> tuple[CommissionMember, ScoreSheet]:
    member = _sitting(actor, offer)
    declaration = db.session.scalar(
        db.select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.offer_id == offer.id
        )
    )
    if declaration is None:
        raise Refused(
            _("Przed oceną oferty złóż oświadczenie o braku konfliktu interesów."), field="declaration"
        )
    if declaration.has_conflict:
        raise Forbidden(_("Zgłosiłeś konflikt interesów: nie oceniasz tej oferty."))
    sheet = db.session.scalar(
        db.select(ScoreSheet).where(ScoreSheet.member_id == member.id, ScoreSheet.offer_id == offer.id)
    )
    if sheet is None:
        sheet = ScoreSheet(member=member, offer=offer, state="draft")
        db.session.add(sheet)
        db.session.flush()
        audit.record(actor, "score_sheet", sheet.id, "create", to_state="draft", offer_id=offer.id)
    return member, sheet


@once("score_sheet")
def save_scores(
    actor,
    offer: Offer,
    points: dict[int, object],
    *,
    comment: str | None = None,
    expected_version: int | None = None,
) -> ScoreSheet:
    """Save a member's points on the card as a draft (points per criterion id; blanks stay unscored)."""
    _member, sheet = _sheet_for(actor, offer)
    check_version(sheet, expected_version)
    criteria = {c.id: c for c in offer.call.scored_criteria}
    unknown = set(points) - set(criteria)
    if unknown:
        raise Refused(_("Nieznane kryterium karty oceny."), field="points")
    parsed = {}
    for cid, value in points.items():
        c = criteria[cid]
        amount = parse_amount(value, f"points-{cid}", _("liczba punktów"), below=POINTS_BELOW)
        if amount is not None and amount > c.max_points:
            raise Refused(
                _(
                    "Za kryterium „%(title)s” można przyznać najwyżej %(max)s pkt.",
                    title=c.title,
                    max=_points(c.max_points),
                ),
                field=f"points-{cid}",
            )
        parsed[cid] = amount
    fire(SCORE_SHEET, sheet, "save", ActingAs(actor, "member"), offer_id=offer.id)
    by_criterion = {s.criterion_id: s for s in sheet.scores}
    for cid, amount in parsed.items():
        score = by_criterion.get(cid)
        if amount is None:
            if score is not None:
                sheet.scores.remove(score)
        elif score is None:
            sheet.scores.append(Score(criterion_id=cid, points=amount))
        else:
            score.points = amount
    if comment is not None:
        sheet.comment = text_value(comment, "comment", _("uzasadnienie oceny")) or None
    return sheet


def scores_missing(sheet: ScoreSheet | None, call: Call) -> list[Criterion]:
    """The criteria of the call's card that the sheet gives no points for yet (all of them without a sheet)."""
    scored = {s.criterion_id for s in sheet.scores} if sheet is not None else set()
    return [c for c in call.scored_criteria if c.id not in scored]


def submit_scores(actor, offer: Offer) -> ScoreSheet:
    """Submit the sheet as a whole: every criterion scored; afterwards it cannot change. Irreversible."""
    _member, sheet = _sheet_for(actor, offer)
    missing = scores_missing(sheet, offer.call)
    if missing:
        raise Refused(
            _("Przyznaj punkty za każde kryterium; brakuje oceny za „%(title)s”.", title=missing[0].title),
            field=f"points-{missing[0].id}",
        )
    fire(SCORE_SHEET, sheet, "submit", ActingAs(actor, "member"), offer_id=offer.id, total=str(sheet.total))
    sheet.submitted_at = _clock()
    return sheet
