"""Reading commitments: those of the positions a page shows, the open ones (overdue first), reminders due."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from consult.commitments.models import Commitment
from consult.core.paging import paginate
from consult.core.types import to_warsaw
from consult.extensions import db
from consult.postulates.models import Position, Postulate


def of_positions(position_ids) -> dict[int, list[Commitment]]:
    """The commitments of each position, by due date, in one query."""
    ids = list(position_ids)
    out: dict[int, list[Commitment]] = {i: [] for i in ids}
    if ids:
        for c in db.session.scalars(db.select(Commitment).where(Commitment.position_id.in_(ids))
                                    .options(joinedload(Commitment.unit))
                                    .order_by(Commitment.due_on, Commitment.id)):
            out[c.position_id].append(c)
    return out


def open_page(*, unit_id: int | None = None, overdue_only: bool = False, today=None, page: int = 1):
    """Open commitments, the earliest due first: those a unit carries out or whose position is the unit's."""
    query = (db.select(Commitment).join(Position, Position.id == Commitment.position_id)
             .join(Postulate, Postulate.id == Position.postulate_id)
             .where(Commitment.state == "open")
             .options(joinedload(Commitment.unit), joinedload(Commitment.position).joinedload(Position.postulate),
                      joinedload(Commitment.position).joinedload(Position.unit)))
    if unit_id:
        query = query.where(or_(Commitment.unit_id == unit_id, Position.unit_id == unit_id))
    if overdue_only and today is not None:
        query = query.where(Commitment.due_on < today)
    return paginate(query.order_by(Commitment.due_on, Commitment.id), page)


def reminders_due(now: datetime, days: int) -> list[Commitment]:
    """Open commitments due within `days` of now (and not yet past), recorded before that window opened."""
    today = to_warsaw(now).date()
    horizon = today + timedelta(days=days)
    return db.session.scalars(
        db.select(Commitment).where(Commitment.state == "open", Commitment.due_on >= today,
                                    Commitment.due_on <= horizon,
                                    Commitment.created_at <= now - timedelta(days=1))
        .options(joinedload(Commitment.position).joinedload(Position.postulate), joinedload(Commitment.unit))
        .order_by(Commitment.id)).all()
