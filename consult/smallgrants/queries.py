"""Read-side helpers of small grants: what the public sees of the offers (those the unit found purposeful)."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from consult.core.types import today_in_warsaw
from consult.extensions import db
from consult.smallgrants.models import SmallGrantOffer

# An offer is public from its publication for comments on: its decision and report are public information too.
PUBLIC_STATES = ("open_for_comments", "granted", "not_granted", "reported")


def open_for_comments() -> list[SmallGrantOffer]:
    """The offers whose comment term runs today, the soonest to close first."""
    return db.session.scalars(
        db.select(SmallGrantOffer).where(SmallGrantOffer.state == "open_for_comments",
                                         SmallGrantOffer.comments_until >= today_in_warsaw())
        .options(selectinload(SmallGrantOffer.organisation), selectinload(SmallGrantOffer.unit))
        .order_by(SmallGrantOffer.comments_until, SmallGrantOffer.id)).all()


def public_offer_or_none(offer_id: int) -> SmallGrantOffer | None:
    offer = db.session.get(SmallGrantOffer, offer_id)
    return offer if offer is not None and offer.state in PUBLIC_STATES else None


def granted(*, organisation_id: int | None = None) -> list[SmallGrantOffer]:
    """The small grants given (granted, and reported on afterwards): the public register of their results, newest
    decision first; of one organisation when asked."""
    query = (db.select(SmallGrantOffer).where(SmallGrantOffer.state.in_(("granted", "reported")))
             .options(selectinload(SmallGrantOffer.organisation), selectinload(SmallGrantOffer.unit))
             .order_by(SmallGrantOffer.decided_at.desc(), SmallGrantOffer.id.desc()))
    if organisation_id is not None:
        query = query.where(SmallGrantOffer.organisation_id == organisation_id)
    return list(db.session.scalars(query))


def judge_overdue_count(today=None) -> int:
    """How many offers wait for the judgement of purposefulness past the last day of the unit's term."""
    from sqlalchemy import func

    today = today or today_in_warsaw()
    return db.session.scalar(db.select(func.count(SmallGrantOffer.id)).where(
        SmallGrantOffer.state == "filed", SmallGrantOffer.judge_by < today)) or 0
