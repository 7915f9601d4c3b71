"""A commitment made in a position: what will be done, by whom (a city unit, or another operator named in words),
by when; done with a note or a link as evidence."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.organisations.models import Unit
from consult.postulates.models import Position


class Commitment(db.Model):
    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'done')", name="state_known"),
        CheckConstraint("unit_id IS NOT NULL OR operator IS NOT NULL", name="has_someone"),
        CheckConstraint("state <> 'done' OR (done_at IS NOT NULL AND (done_note IS NOT NULL OR evidence_url IS NOT NULL))",
                        name="done_has_evidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)
    # who carries it out: a unit of the city, or (operator) someone else named in words ("ACK Cyfronet")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    operator: Mapped[str | None] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(10), default="open")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    position: Mapped[Position] = relationship()
    unit: Mapped[Unit | None] = relationship()

    @property
    def who(self) -> str:
        return self.unit.name if self.unit is not None else (self.operator or "")

    @property
    def done(self) -> bool:
        return self.state == "done"
