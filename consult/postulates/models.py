"""Postulates and positions."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, case, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.meetings.models import Meeting
from consult.organisations.models import Organisation, Unit
from consult.programmes.models import Programme

# The categories of a position, as in consult.meeting-summary/1.
POSITION_CATEGORIES = (
    "accepted", "partially_accepted", "already_implemented", "rejected",
    "forwarded", "budget_dependent", "under_analysis", "explanation",
)
# How the UI names each category.
POSITION_CATEGORY_LABELS = {
    "accepted": _l("przyjęty"),
    "partially_accepted": _l("przyjęty częściowo"),
    "already_implemented": _l("już realizowany"),
    "rejected": _l("nieprzyjęty"),
    "forwarded": _l("przekazany według właściwości"),
    "budget_dependent": _l("zależny od środków w budżecie"),
    "under_analysis": _l("w trakcie analizy"),
    "explanation": _l("wyjaśnienie"),
}
SUBMITTER_KINDS = ("organisation", "official")


def postulate_reference(year: int, postulate_id: int) -> str:
    """What the NGO quotes when it writes about its postulate: RPW2027/00012."""
    return f"RPW{year}/{postulate_id:05d}"


def submitter_label(kind: str, organisation_name: str | None, submitter_name: str | None) -> str:
    """Who filed a postulate, as documents name them: the organisation, or the person or office written down."""
    if kind == "organisation" and organisation_name is not None:
        return organisation_name
    return submitter_name or ""


def public_submitter_label(kind: str, organisation_name: str | None, submitter_name: str | None,
                           private: bool, consent: bool) -> str:
    """Who filed a postulate, as public outputs name them: a private person's name only with their consent."""
    if private and not consent:
        from flask_babel import gettext

        return gettext("osoba prywatna")
    return submitter_label(kind, organisation_name, submitter_name)


class Postulate(db.Model):
    __tablename__ = "postulates"
    __table_args__ = (
        UniqueConstraint("meeting_id", "number", name="uq_postulates_meeting_number"),
        CheckConstraint(
            "state IN ('draft', 'submitted', 'assigned', 'answered', 'published', 'withdrawn')", name="state_known"),
        CheckConstraint("submitter_kind IN ('organisation', 'official')", name="submitter_kind_known"),
        CheckConstraint("submitter_kind <> 'organisation' OR organisation_id IS NOT NULL", name="org_submitter"),
        CheckConstraint("submitter_kind <> 'official' OR submitter_name IS NOT NULL", name="official_submitter"),
        # A private person files in their own name (never an organisation's postulate); consent is theirs to give.
        CheckConstraint("NOT submitter_private OR submitter_kind = 'official'", name="private_submitter_named"),
        CheckConstraint("NOT name_consent OR submitter_private", name="consent_of_private_submitter"),
        CheckConstraint("state NOT IN ('assigned', 'answered', 'published') OR responsible_unit_id IS NOT NULL",
                        name="assigned_has_unit"),
        # A draft withdrawn without ever being submitted was never filed: it has no filing time and stays private.
        CheckConstraint("state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL", name="submitted_has_time"),
        CheckConstraint("number IS NULL OR number >= 1", name="number_positive"),
        CheckConstraint("(meeting_id IS NULL) = (number IS NULL)", name="number_iff_meeting"),
        # The words quoted are words of the provision the postulate concerns (consult.programme_text).
        CheckConstraint("quote IS NULL OR provision_id IS NOT NULL", name="quote_has_provision"),
        Index("ix_postulates_unit_state", "responsible_unit_id", "state"),
        # The registers: published (public) or by state, newest first; and the same within one programme.
        Index("ix_postulates_state_id", "state", "id"),
        Index("ix_postulates_programme_state_id", "programme_id", "state", "id"),
        # A postulate is carried into the next year's consultation once (consult/postulates/carrying.py).
        UniqueConstraint("carried_from_id", name="uq_postulates_carried_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int | None]
    submitter_kind: Mapped[str] = mapped_column(String(20), default="organisation")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    submitter_name: Mapped[str | None] = mapped_column(String(300))
    # The name written down is a private person's (not an office holder's): published only with their consent,
    # otherwise public outputs say "osoba prywatna" (consult.postulates.models.public_submitter_label).
    submitter_private: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    name_consent: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    content: Mapped[str] = mapped_column(Text)
    # The content as the public reads it: each span a coordinator redacted replaced by REDACTED_MARK
    # (consult.postulates.redaction); None while nothing is redacted. Kept as a column so that public search
    # looks in it and a redacted word finds nothing.
    public_content: Mapped[str | None] = mapped_column(Text)
    justification: Mapped[str | None] = mapped_column(Text)
    # The justification as the public reads it, the same way (None while nothing is redacted).
    public_justification: Mapped[str | None] = mapped_column(Text)
    responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
    # The provision of the programme's text it concerns, and the words of it to change (consult.programme_text).
    provision_id: Mapped[int | None] = mapped_column(ForeignKey("provisions.id"), index=True)
    quote: Mapped[str | None] = mapped_column(Text)
    # Last year's postulate (its final position "budget dependent" or "under analysis") this one carries on.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("postulates.id"))

    programme: Mapped[Programme] = relationship()
    provision = relationship("Provision")
    meeting: Mapped[Meeting | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    responsible_unit: Mapped[Unit | None] = relationship()
    carried_from: Mapped[Postulate | None] = relationship(remote_side=[id], foreign_keys=[carried_from_id])
    positions: Mapped[list[Position]] = relationship(
        back_populates="postulate", order_by="Position.id", cascade="all, delete-orphan")
    redactions: Mapped[list[Redaction]] = relationship(
        back_populates="postulate", order_by="Redaction.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def submitter_label(self) -> str:
        return submitter_label(self.submitter_kind, self.organisation.name if self.organisation else None,
                               self.submitter_name)

    @property
    def public_submitter_label(self) -> str:
        """Who filed it, as the public reads it: "osoba prywatna" for a private person who did not consent."""
        return public_submitter_label(self.submitter_kind, self.organisation.name if self.organisation else None,
                                      self.submitter_name, self.submitter_private, self.name_consent)

    @property
    def public_text(self) -> str:
        """The content every public output shows: with the redacted words replaced by "[usunięto]"."""
        from consult.postulates.redaction import shown_marks

        return shown_marks(self.public_content) if self.public_content is not None else self.content

    @property
    def public_justification_text(self) -> str | None:
        """The justification every public output shows: with the redacted words replaced too."""
        from consult.postulates.redaction import public_text_of

        return public_text_of(self.justification, self.public_justification)

    @property
    def reference(self) -> str:
        """What the NGO quotes when it writes about its postulate."""
        return postulate_reference(self.programme.year, self.id) if self.id else ""

    @property
    def published_positions(self) -> list[Position]:
        return [p for p in self.positions if p.status == "published"]

    def position_of(self, unit_id: int) -> Position | None:
        return next((p for p in self.positions if p.unit_id == unit_id), None)

    def consultation_closed_reason(self) -> str | None:
        return self.programme.consultation_closed_reason()


class Position(db.Model):
    """What one unit answers to a postulate (stanowisko komórki merytorycznej)."""

    __tablename__ = "positions"
    __table_args__ = (
        UniqueConstraint("postulate_id", "unit_id", name="uq_positions_postulate_unit"),
        CheckConstraint("status IN ('draft', 'published')", name="status_known"),
        CheckConstraint("category IN ('accepted', 'partially_accepted', 'already_implemented', 'rejected', "
                        "'forwarded', 'budget_dependent', 'under_analysis', 'explanation')", name="category_known"),
        CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name="published_has_time"),
        # The public register's filter "postulates with a published position of this category".
        Index("ix_positions_category_status", "category", "status", "postulate_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    postulate_id: Mapped[int] = mapped_column(ForeignKey("postulates.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    category: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    # The text as the public reads it: each span a coordinator redacted replaced by REDACTED_MARK
    # (consult.postulates.redaction); None while nothing is redacted. Derived from `text` and `redactions` by
    # consult.postulates.operations._refresh_position_text, whichever writer changes either.
    public_text: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    postulate: Mapped[Postulate] = relationship(back_populates="positions")
    unit: Mapped[Unit] = relationship()
    author = relationship("User")
    redactions: Mapped[list[PositionRedaction]] = relationship(
        back_populates="position", order_by="PositionRedaction.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def text_for_public(self) -> str:
        """The text every public output shows: with the redacted words replaced by "[usunięto]"."""
        from consult.postulates.redaction import public_text_of

        return public_text_of(self.text, self.public_text)


# How an assignment came about: the first routing, a forward to another unit, a new due date for the same unit.
ASSIGNMENT_KINDS = ("assign", "forward", "due_date")


class Assignment(db.Model):
    """One request to a unit for its position on a postulate, with the date the position is due.

    Assigning and forwarding a postulate each start one; a coordinator changing the due date starts another for
    the same unit. The one in force has no `ended_at` (one per postulate: a partial unique index); the next one
    ends it. A postulate assigned before due dates existed has none, and counts as never late. The due date is a
    Kraków calendar day: the position is due by the end of it.
    """

    __tablename__ = "postulate_assignments"
    __table_args__ = (
        CheckConstraint("how IN ('assign', 'forward', 'due_date')", name="how_known"),
        CheckConstraint("ended_at IS NULL OR ended_at >= assigned_at", name="ends_after_start"),
        Index("ix_postulate_assignments_postulate", "postulate_id", "id"),
        Index("uq_postulate_assignments_current", "postulate_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("ix_postulate_assignments_unit_due", "unit_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    postulate_id: Mapped[int] = mapped_column(ForeignKey("postulates.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    how: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date]
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    postulate: Mapped[Postulate] = relationship()
    unit: Mapped[Unit] = relationship()


def public_content_sql():
    """The public text as SQL (the content where nothing is redacted): what public searches look in."""
    return func.coalesce(Postulate.public_content, Postulate.content)


def public_justification_sql():
    return func.coalesce(Postulate.public_justification, Postulate.justification)


def public_submitter_sql():
    """The submitter's name as public searches may look in it: none for a private person who did not consent."""
    return case((Postulate.submitter_private & ~Postulate.name_consent, None), else_=Postulate.submitter_name)


class _HiddenWords:
    """What a redaction holds, whatever text it hides words of: the words, why, who and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    words: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Redaction(_HiddenWords, db.Model):
    """Words a coordinator hid from the public text of a postulate (a private person's name, say), and why.
    The original content stays for the staff and the organisation that filed it."""
    __tablename__ = "postulate_redactions"

    postulate_id: Mapped[int] = mapped_column(ForeignKey("postulates.id", ondelete="CASCADE"), index=True)

    postulate: Mapped[Postulate] = relationship(back_populates="redactions")


class PositionRedaction(_HiddenWords, db.Model):
    """Words a coordinator hid from the public text of a position (before or after it was published), and why.
    The text as the unit wrote it stays for the staff."""
    __tablename__ = "position_redactions"

    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)

    position: Mapped[Position] = relationship(back_populates="redactions")
