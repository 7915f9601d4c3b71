"""Recording audit events. Operations call `record`; nothing else writes to the audit log."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from consult.core.models import AuditEvent
from consult.extensions import db


def record(actor, subject_type: str, subject_id: int, action: str, *, from_state: str | None = None,
           to_state: str | None = None, **details: Any) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        details={k: v for k, v in details.items() if v is not None},
    )
    db.session.add(event)
    return event


def trail(subject_type: str, subject_id: int) -> list[AuditEvent]:
    return db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
        .options(selectinload(AuditEvent.actor))  # the trail shows who: load the names in one query
        .order_by(AuditEvent.id)
    ).all()


def events_page(*, search: str = "", subject_type: str = "", actor_id: int | None = None, page: int = 1,
                size: int | None = None):
    """A page of the whole audit log, newest first, for the admin's log page; `search` looks in the action,
    the subject type and the acting person's name, and a number finds that subject id."""
    from sqlalchemy import or_

    from consult.auth.models import User
    from consult.core.input import id_value
    from consult.core.paging import like_any, paginate

    query = (db.select(AuditEvent).outerjoin(User, AuditEvent.actor_id == User.id)
             .options(selectinload(AuditEvent.actor)))
    if search:
        condition = like_any(search, AuditEvent.action, AuditEvent.subject_type, User.name)
        if id_value(search) is not None:
            condition = or_(condition, AuditEvent.subject_id == id_value(search))
        query = query.where(condition)
    if subject_type:
        query = query.where(AuditEvent.subject_type == subject_type)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    return paginate(query.order_by(AuditEvent.id.desc()), page, size)


def subject_types() -> list[str]:
    """The kinds of things the log has events about (the filter's choices)."""
    return list(db.session.scalars(db.select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)))
