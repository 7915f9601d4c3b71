"""A cooperation programme (Program Współpracy) of one year, with its consultation window."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.i18n import format_moment

DEFAULT_POSITION_DAYS = 14
MAX_POSITION_DAYS = 365


class Programme(db.Model):
    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint("consultation_closes > consultation_opens", name="window_order"),
        CheckConstraint(f"position_days BETWEEN 1 AND {MAX_POSITION_DAYS}", name="position_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(500))
    consultation_opens: Mapped[datetime] = mapped_column(UTCDateTime)
    consultation_closes: Mapped[datetime] = mapped_column(UTCDateTime)
    # How many days a unit has for its position on a postulate assigned or forwarded to it: the due date the
    # routing form suggests (today + this), which the coordinator may change for one postulate.
    position_days: Mapped[int] = mapped_column(default=DEFAULT_POSITION_DAYS,
                                               server_default=str(DEFAULT_POSITION_DAYS))

    def __str__(self) -> str:
        return self.title

    def consultation_state(self, now: datetime | None = None) -> str:
        now = now or utcnow()
        if now < self.consultation_opens:
            return "not_open"
        if now >= self.consultation_closes:
            return "closed"
        return "open"

    def consultation_closed_reason(self, now: datetime | None = None) -> str | None:
        state = self.consultation_state(now)
        if state == "not_open":
            return _("Konsultacje programu „%(title)s” rozpoczną się %(when)s (czasu warszawskiego). "
                     "Do tego czasu nie można składać postulatów.",
                     title=self.title, when=format_moment(self.consultation_opens))
        if state == "closed":
            return _("Konsultacje programu „%(title)s” zakończyły się %(when)s (czasu warszawskiego). "
                     "Nie można już składać ani zmieniać postulatów.",
                     title=self.title, when=format_moment(self.consultation_closes))
        return None
