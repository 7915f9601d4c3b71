"""Read-side helpers for notifications: a user's own, newest first."""
from __future__ import annotations

from consult.extensions import db
from consult.notifications.models import Notification


def notifications_of(user, limit: int = 200) -> list[Notification]:
    return db.session.scalars(
        db.select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
