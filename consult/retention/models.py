"""The retention period of each kind of record that holds personal data, with its legal basis (data an
administrator changes; the migration seeds the defaults of consult/retention/kinds.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db

MONTHS_MAX = 1200  # a hundred years: a period beyond it keeps the data for good, which is no period at all


class RetentionPeriod(db.Model):
    __tablename__ = "retention_periods"
    __table_args__ = (
        CheckConstraint(f"months >= 1 AND months <= {MONTHS_MAX}", name="months_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), unique=True)  # a key of kinds.KINDS
    months: Mapped[int]
    legal_basis: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
