"""Users and their roles."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consult.core.types import UTCDateTime, utcnow
from consult.extensions import db
from consult.organisations.models import Organisation, Unit

ROLES = ("ngo", "unit", "coordinator", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('ngo', 'unit', 'coordinator', 'admin')", name="role_known"),
        # Unit staff belong to exactly one unit. An NGO person belongs to at most one organisation: none yet
        # right after signing up (they may only register one or ask to join one), and then with a role in it.
        CheckConstraint("role <> 'unit' OR unit_id IS NOT NULL", name="staff_has_unit"),
        CheckConstraint("(organisation_id IS NULL AND organisation_role IS NULL) OR "
                        "(role = 'ngo' AND organisation_id IS NOT NULL AND "
                        "organisation_role IN ('administrator', 'member'))", name="organisation_role_known"),
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

    organisation: Mapped[Organisation | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def set_password(self, password: str) -> None:
        # Tests lower the cost of hashing with PASSWORD_HASH_METHOD; production keeps werkzeug's default.
        method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
        self.password_hash = generate_password_hash(password, method=method) if method else generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

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
