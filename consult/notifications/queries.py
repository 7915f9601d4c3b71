"""Read-side helpers for notifications: a user's own, newest first."""
from __future__ import annotations

from consult.extensions import db
from consult.notifications.models import Notification


def notifications_of(user, limit: int = 200) -> list[Notification]:
    return db.session.scalars(
        db.select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()


def outbox(*, state: str | None = None, search: str | None = None, page: int = 1, size: int = 50):
    """Every e-mail, newest first, for the coordinators' outbox: by delivery state, by recipient (a fragment of
    the name or the address), a page at a time."""
    from sqlalchemy import or_
    from sqlalchemy.orm import joinedload

    from consult.auth.models import User
    from consult.notifications.models import NOTIFICATION_STATES
    from consult.postulates.queries import Page

    query = db.select(Notification).join(User, Notification.recipient_id == User.id)
    if state in NOTIFICATION_STATES:
        query = query.where(Notification.state == state)
    if search and search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(db.func.lower(User.name).like(pattern), db.func.lower(User.email).like(pattern),
                                db.func.lower(Notification.address).like(pattern)))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery()))
    number = min(max(1, page), max(1, -(-total // size)))
    items = db.session.scalars(query.options(joinedload(Notification.recipient))
                               .order_by(Notification.created_at.desc(), Notification.id.desc())
                               .limit(size).offset((number - 1) * size)).all()
    return Page(items=list(items), number=number, size=size, total=total)


def outbox_counts() -> dict[str, int]:
    """How many e-mails are in each delivery state."""
    return dict(db.session.execute(db.select(Notification.state, db.func.count(Notification.id))
                                   .group_by(Notification.state)).all())
