"""City units (komórki merytoryczne) and organisations (NGOs)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.types import UTCDateTime
from consult.extensions import db
from consult.organisations.register_data import DISTRICTS, SPHERES, district_label, sphere_label

LEGAL_FORMS = {
    "fundacja": _l("fundacja"),
    "stowarzyszenie": _l("stowarzyszenie"),
    "stowarzyszenie_zwykle": _l("stowarzyszenie zwykłe"),
    "spoldzielnia_socjalna": _l("spółdzielnia socjalna"),
    "koscielna_osoba_prawna": _l("kościelna osoba prawna"),
    "spolka_non_profit": _l("spółka non-profit"),
    "inna": _l("inna"),
}


class Unit(db.Model):
    """A unit of the city office or a municipal body: it hosts meetings and records positions."""

    __tablename__ = "units"

    __table_args__ = (CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    # The unit it belongs to (a department's section belongs to its department); None for a top-level unit.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # An inactive unit (dissolved, renamed into another) is offered for no new assignment or meeting, but what it
    # did stays in the records and the public pages under its name.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    parent: Mapped["Unit | None"] = relationship(remote_side=[id])

    def __str__(self) -> str:
        return self.name


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("krs IS NULL OR length(krs) = 10", name="krs_length"),
        CheckConstraint("nip IS NULL OR length(nip) = 10", name="nip_length"),
        CheckConstraint("regon IS NULL OR length(regon) IN (9, 14)", name="regon_length"),
        CheckConstraint("status IN ('pending', 'verified', 'refused')", name="status_known"),
        CheckConstraint("submit_policy IN ('members', 'administrators')", name="submit_policy_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    legal_form: Mapped[str] = mapped_column(String(40), default="inna")
    krs: Mapped[str | None] = mapped_column(String(10), unique=True)
    nip: Mapped[str | None] = mapped_column(String(10), unique=True)
    regon: Mapped[str | None] = mapped_column(String(14), unique=True)
    # The public profile (the register of organisations): contact of the organisation, never of a person.
    address: Mapped[str | None] = mapped_column(String(300))
    district: Mapped[str | None] = mapped_column(String(5))  # a key of register_data.DISTRICTS
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    # pending: registered by a person for themselves, may file nothing until a coordinator or administrator
    # verifies it; verified; refused (with the reason in the audit log).
    status: Mapped[str] = mapped_column(String(10), default="verified", server_default="verified")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who may submit on the organisation's behalf: every member, or its administrators only.
    submit_policy: Mapped[str] = mapped_column(String(15), default="members", server_default="members")

    spheres: Mapped[list["OrganisationSphere"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="OrganisationSphere.sphere")

    def __str__(self) -> str:
        return self.name

    @property
    def legal_form_label(self) -> str:
        return LEGAL_FORMS.get(self.legal_form, self.legal_form)

    @property
    def district_label(self) -> str:
        return district_label(self.district)

    @property
    def sphere_codes(self) -> list[str]:
        return [s.sphere for s in self.spheres]

    def set_spheres(self, codes) -> None:
        """Replace the spheres with `codes` (keys of register_data.SPHERES; unknown ones are the caller's error)."""
        wanted = list(dict.fromkeys(codes))
        unknown = [c for c in wanted if c not in SPHERES]
        if unknown:
            raise ValueError(f"unknown spheres: {unknown}")
        self.spheres = [s for s in self.spheres if s.sphere in wanted] + [
            OrganisationSphere(sphere=c) for c in wanted if c not in self.sphere_codes]

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"


class OrganisationSphere(db.Model):
    """One sphere of public benefit (art. 4 ust. 1) an organisation works in: the register's facet."""

    __tablename__ = "organisation_spheres"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    sphere: Mapped[str] = mapped_column(String(4), primary_key=True, index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="spheres")

    @property
    def label(self) -> str:
        return sphere_label(self.sphere)


assert all(len(code) <= 5 for code in DISTRICTS) and all(len(code) <= 4 for code in SPHERES)
