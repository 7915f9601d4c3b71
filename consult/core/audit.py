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
