"""City units (komórki merytoryczne) and organisations (NGOs)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db

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

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)

    def __str__(self) -> str:
        return self.name


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("krs IS NULL OR length(krs) = 10", name="krs_length"),
        CheckConstraint("nip IS NULL OR length(nip) = 10", name="nip_length"),
        CheckConstraint("regon IS NULL OR length(regon) IN (9, 14)", name="regon_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    legal_form: Mapped[str] = mapped_column(String(40), default="inna")
    krs: Mapped[str | None] = mapped_column(String(10), unique=True)
    nip: Mapped[str | None] = mapped_column(String(10), unique=True)
    regon: Mapped[str | None] = mapped_column(String(14), unique=True)

    def __str__(self) -> str:
        return self.name

    @property
    def legal_form_label(self) -> str:
        return LEGAL_FORMS.get(self.legal_form, self.legal_form)
