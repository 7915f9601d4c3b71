"""Read-side helpers for notifications: a user's own, newest first."""
from __future__ import annotations

from consult.extensions import db
from consult.notifications.models import Notification

# The kinds a user can filter their notifications by, as the filter names them (gettext msgids).
KIND_LABELS = {
    "call_results": "wyniki konkursów",
    "correction_requested": "prośby o poprawienie ofert",
}


def notifications_of(user, limit: int = 200) -> list[Notification]:
    return db.session.scalars(
        db.select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()


def notifications_page(user, *, search: str = "", kind: str = "", page: int = 1, size: int | None = None):
    """A page of the user's own notifications, newest first; `search` looks in the subject and the text."""
    from consult.core.paging import like_any, paginate

    query = db.select(Notification).where(Notification.recipient_id == user.id)
    if search:
        query = query.where(like_any(search, Notification.subject, Notification.body))
    if kind:
        query = query.where(Notification.kind == kind)
    return paginate(query.order_by(Notification.created_at.desc(), Notification.id.desc()), page, size)
