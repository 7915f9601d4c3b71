"""A sector meeting, who attended it and what was presented."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.organisations.models import Organisation, Unit
from consult.programmes.models import Programme


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("state IN ('planned', 'held', 'summary_published')", name="state_known"),
        CheckConstraint("ends > starts", name="ends_after_start"),
        CheckConstraint("participants_count IS NULL OR participants_count >= 0", name="participants_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    host_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    title: Mapped[str] = mapped_column(String(500))
    date: Mapped[date] = mapped_column(Date)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(Text, default="")
    introduction: Mapped[str] = mapped_column(Text, default="")
    participants_count: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(30), default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[Programme] = relationship()
    host_unit: Mapped[Unit] = relationship()
    officials: Mapped[list[MeetingOfficial]] = relationship(
        order_by="MeetingOfficial.position", cascade="all, delete-orphan")
    attendance: Mapped[list[MeetingAttendance]] = relationship(
        order_by="MeetingAttendance.position", cascade="all, delete-orphan")
    materials: Mapped[list[MeetingMaterial]] = relationship(
        order_by="MeetingMaterial.position", cascade="all, delete-orphan")
    persons: Mapped[list[MeetingPerson]] = relationship(
        order_by="MeetingPerson.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.title

    @property
    def organisations(self) -> list[Organisation]:
        return [a.organisation for a in self.attendance]


class MeetingOfficial(db.Model):
    """An office holder present at a meeting: a function, and a name when it is to be shown."""

    __tablename__ = "meeting_officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    function: Mapped[str] = mapped_column(String(500))
    name: Mapped[str | None] = mapped_column(String(200))


class MeetingAttendance(db.Model):
    """An organisation represented at a meeting, in the order the summary lists them."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "organisation_id", name="uq_meeting_attendance_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    position: Mapped[int]

    organisation: Mapped[Organisation] = relationship()


class MeetingPerson(db.Model):
    """A private person present at a meeting (neither an organisation nor an office holder): their name is shown
    to the staff, and to the public only once their consent to publication is recorded (who recorded it, when);
    until then every public output names them "osoba prywatna"."""

    __tablename__ = "meeting_persons"
    __table_args__ = (
        CheckConstraint("NOT name_consent OR (consent_recorded_at IS NOT NULL)", name="consent_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    name_consent: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consent_recorded_by = relationship("User")

    @property
    def public_name(self) -> str:
        """How public outputs name the person: by name only with their recorded consent."""
        return public_person_name(self.name, self.name_consent)


def public_person_name(name: str, consent: bool) -> str:
    if consent:
        return name
    from flask_babel import gettext

    return gettext("osoba prywatna")


class MeetingMaterial(db.Model):
    __tablename__ = "meeting_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
