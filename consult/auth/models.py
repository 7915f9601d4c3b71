"""Users and their roles, and the failed sign-ins and password-reset requests that throttle further tries."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.organisations.models import Organisation, Unit

ROLES = ("ngo", "unit", "coordinator", "admin", "resident")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('ngo', 'unit', 'coordinator', 'admin', 'resident')", name="role_known"),
        # Unit staff belong to exactly one unit. An NGO person belongs to at most one organisation: none yet
        # right after signing up (they may only register one or ask to join one), and then with a role in it.
        CheckConstraint("role <> 'unit' OR unit_id IS NOT NULL", name="staff_has_unit"),
        CheckConstraint("(organisation_id IS NULL AND organisation_role IS NULL) OR "
                        "(role = 'ngo' AND organisation_id IS NOT NULL AND "
                        "organisation_role IN ('administrator', 'member'))", name="organisation_role_known"),
        CheckConstraint("session_generation >= 0", name="session_generation_nonnegative"),
        # An invitation is accepted only after it was sent.
        CheckConstraint("invitation_accepted_at IS NULL OR invited_at IS NOT NULL", name="accepted_was_invited"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # The language the person chose (pl, en, uk): their pages, and the e-mails sent to them. None: not chosen.
    locale: Mapped[str | None] = mapped_column(String(5))
    # administrator (approves members, edits the organisation's profile, may always submit) or member (drafts;
    # submits when the organisation lets every member do so); None outside an organisation.
    organisation_role: Mapped[str | None] = mapped_column(String(15))
    # When the person confirmed their e-mail address by the link sent to it; None: not yet, and they cannot sign
    # in. Accounts made by an administrator or the CLI are confirmed when made.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Which sessions are still this account's: a session carries the generation it was opened in (`get_id`), and
    # signing out, a password changed or reset, and deactivation move it on, so every older session ends.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An account made by invitation: when the latest link was sent (a new one makes the older ones void) and when
    # the invitee set their password. Invited and not accepted: the account has no password yet.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invitation_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def set_password(self, password: str) -> None:
        # Tests lower the cost of hashing with PASSWORD_HASH_METHOD; production keeps werkzeug's default.
        method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
        self.password_hash = generate_password_hash(password, method=method) if method else generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return self.has_password and check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        """False for an invitee who has not set a password yet (nothing signs them in)."""
        return bool(self.password_hash)

    @property
    def invitation_pending(self) -> bool:
        return self.invited_at is not None and self.invitation_accepted_at is None

    def get_id(self) -> str:
        """What the session keeps (Flask-Login's alternative id): the account and its session generation, so that
        a session opened before the generation moved on (a sign-out, a new password) loads nobody."""
        return f"{self.id}:{self.session_generation}"

    def end_sessions(self) -> None:
        """End every session of this account (the caller commits; a session to keep is signed in again)."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def roles(self) -> set[str]:
        """The roles access checks read. An NGO person without an organisation is a "newcomer" (they may only
        register an organisation or ask to join one); an organisation's administrator is also "org_admin"."""
        if self.role == "ngo":
            if self.organisation_id is None:
                return {"newcomer"}
            return {"ngo", "org_admin"} if self.organisation_role == "administrator" else {"ngo"}
        return {self.role}

    @property
    def is_org_admin(self) -> bool:
        return self.role == "ngo" and self.organisation_id is not None and self.organisation_role == "administrator"

    def __str__(self) -> str:
        return self.name


def user_of_session(session_id: str | None) -> User | None:
    """The account a session's id ("<id>:<generation>") names, if that session has not been ended."""
    from consult.extensions import db as _db

    user_part, _sep, generation = (session_id or "").partition(":")
    if not (user_part.isascii() and user_part.isdigit() and generation.isascii() and generation.isdigit()):
        return None
    if len(user_part) > 18 or len(generation) > 18:
        return None
    from sqlalchemy.orm import joinedload

    # Every page's header names the user's organisation or unit: loaded with the user, in one query.
    user = _db.session.get(User, int(user_part), options=[joinedload(User.organisation), joinedload(User.unit)])
    if user is None or user.session_generation != int(generation):
        return None
    return user


ATTEMPT_KINDS = ("failed_sign_in", "password_reset")


class AccessAttempt(db.Model):
    """A failed sign-in or a password-reset request: who was named (the address typed, an account or not) and
    where it came from. Counted to make further tries wait (consult/auth/throttle.py); kept in the database, so
    that every web process counts the same."""

    __tablename__ = "access_attempts"
    __table_args__ = (
        CheckConstraint("kind IN ('failed_sign_in', 'password_reset')", name="kind_known"),
        Index("ix_access_attempts_email", "kind", "email", "occurred_at"),
        Index("ix_access_attempts_address", "kind", "address", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
