"""Registering organisations and city units (coordinators and admins)."""
from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.submissions import once
from consult.extensions import db
from consult.organisations.identifiers import check_krs, check_nip, check_regon, normalise
from consult.organisations.models import LEGAL_FORMS, Organisation, Unit


def _require_registrar(actor) -> None:
    if not has_role(actor, "coordinator", "admin"):
        raise Forbidden(_("Organizacje i komórki rejestrują koordynatorzy i administratorzy."))


@once("organisation")
def create_organisation(actor, *, name: str, legal_form: str = "inna", krs: str | None = None,
                        nip: str | None = None, regon: str | None = None) -> Organisation:
    _require_registrar(actor)
    name = " ".join((name or "").split())
    if not name:
        raise Refused(_("Wpisz nazwę organizacji."), field="name")
    if len(name) > 300:
        raise Refused(_("Nazwa organizacji może mieć najwyżej 300 znaków."), field="name")
    if legal_form not in LEGAL_FORMS:
        raise Refused(_("Wybierz formę prawną z listy."), field="legal_form")
    numbers = {}
    for field, value, check in (("krs", krs, check_krs), ("nip", nip, check_nip), ("regon", regon, check_regon)):
        if value and value.strip():
            problem = check(value)
            if problem:
                raise Refused(problem, field=field)
            numbers[field] = normalise(value)
            clash = db.session.scalar(db.select(Organisation).where(getattr(Organisation, field) == numbers[field]))
            if clash is not None:
                raise Refused(_("Organizacja z tym numerem %(kind)s już jest w rejestrze: %(name)s.",
                                kind=field.upper(), name=clash.name), field=field)
    if db.session.scalar(db.select(Organisation).where(Organisation.name == name)) is not None:
        raise Refused(_("Organizacja „%(name)s” już jest w rejestrze.", name=name), field="name")
    org = Organisation(name=name, legal_form=legal_form, **numbers)
    db.session.add(org)
    db.session.flush()
    audit.record(actor, "organisation", org.id, "create", name=name, **numbers)
    return org


def organisation_named(actor, name: str) -> Organisation:
    """The organisation of that name, registered now if it is not yet (as when a summary is imported)."""
    name = " ".join((name or "").split())
    found = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
    return found or create_organisation(actor, name=name)


def unit_code_for(name: str) -> str:
    """A short code made of the initials of the unit's name: "Wydział Polityki Społecznej" -> "WPS"."""
    words = re.findall(r"\w+", name)
    initials = "".join(w[0] for w in words if w[0].isupper()) or "".join(w[0] for w in words[:4])
    ascii_code = unicodedata.normalize("NFKD", initials).encode("ascii", "ignore").decode().upper()
    return (ascii_code or "U")[:12]


@once("unit")
def create_unit(actor, *, name: str, code: str | None = None) -> Unit:
    _require_registrar(actor)
    name = " ".join((name or "").split())
    if not name:
        raise Refused(_("Wpisz nazwę komórki."), field="name")
    if len(name) > 300:
        raise Refused(_("Nazwa komórki może mieć najwyżej 300 znaków."), field="name")
    if db.session.scalar(db.select(Unit).where(Unit.name == name)) is not None:
        raise Refused(_("Komórka „%(name)s” już jest w rejestrze.", name=name), field="name")
    if code:
        code = code.strip().upper()
        if not re.fullmatch(r"[A-Z0-9\-]{1,20}", code):
            raise Refused(_("Symbol komórki to do 20 wielkich liter, cyfr lub łączników."), field="code")
        if db.session.scalar(db.select(Unit).where(Unit.code == code)) is not None:
            raise Refused(_("Symbol %(code)s ma już inna komórka.", code=code), field="code")
    else:
        base = unit_code_for(name)
        code, n = base, 1
        while db.session.scalar(db.select(Unit).where(Unit.code == code)) is not None:
            n += 1
            code = f"{base}{n}"
    unit = Unit(name=name, code=code)
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "unit", unit.id, "create", name=name, code=code)
    return unit


def unit_named(actor, name: str) -> Unit:
    name = " ".join((name or "").split())
    found = db.session.scalar(db.select(Unit).where(Unit.name == name))
    return found or create_unit(actor, name=name)
