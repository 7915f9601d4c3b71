"""Registering organisations and city units (coordinators and admins)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.input import is_email_address
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.extensions import db
from consult.organisations.identifiers import check_krs, check_nip, check_regon, normalise
from consult.organisations.models import LEGAL_FORMS, Organisation, Unit
from consult.organisations.register_data import DISTRICTS, ORGANISATION_STATUSES, SPHERES


def _require_registrar(actor) -> None:
    if not has_role(actor, "coordinator", "admin"):
        raise Forbidden(_("Organizacje i komórki rejestrują koordynatorzy i administratorzy."))


def _require_admin(actor) -> None:
    if not has_role(actor, "admin"):
        raise Forbidden(_("Duplikaty łączą administratorzy."))


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


# --- editing the registers -------------------------------------------------------------------------------------

def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _checked_unit_code(code: str, unit_id: int | None) -> str:
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9\-]{1,20}", code):
        raise Refused(_("Symbol komórki to do 20 wielkich liter, cyfr lub łączników."), field="code")
    clash = db.session.scalar(db.select(Unit).where(Unit.code == code, Unit.id != (unit_id or 0)))
    if clash is not None:
        raise Refused(_("Symbol %(code)s ma już inna komórka: %(name)s.", code=code, name=clash.name), field="code")
    return code


def update_unit(actor, unit: Unit, *, name: str, code: str, parent: Unit | None = None,
                active: bool = True) -> Unit:
    """Change a unit's name, code (unique), parent unit and whether it is active. An inactive unit keeps its
    history; it is no longer offered for new assignments or meetings."""
    _require_registrar(actor)
    name = _one_line(name)
    if not name:
        raise Refused(_("Wpisz nazwę komórki."), field="name")
    if len(name) > 300:
        raise Refused(_("Nazwa komórki może mieć najwyżej 300 znaków."), field="name")
    if db.session.scalar(db.select(Unit).where(Unit.name == name, Unit.id != unit.id)) is not None:
        raise Refused(_("Komórka „%(name)s” już jest w rejestrze.", name=name), field="name")
    code = _checked_unit_code(code, unit.id)
    if unit.id in _ancestor_ids(parent):
        raise Refused(_("Komórka nie może podlegać sobie ani komórce, która podlega jej."), field="parent")
    before = {"name": unit.name, "code": unit.code, "parent_id": unit.parent_id, "active": unit.active}
    unit.name, unit.code, unit.parent, unit.parent_id, unit.active = (name, code, parent,
                                                                      parent.id if parent else None, bool(active))
    after = {"name": unit.name, "code": unit.code, "parent_id": unit.parent_id, "active": unit.active}
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    db.session.flush()
    if changed:
        audit.record(actor, "unit", unit.id, "edit", changed=changed)
    return unit


def _ancestor_ids(unit: Unit | None) -> list[int]:
    """The unit's id and those of the units above it, nearest first (a loop in the data ends the walk)."""
    seen: list[int] = []
    while unit is not None and unit.id not in seen:
        seen.append(unit.id)
        unit = unit.parent
    return seen


def require_active_unit(unit: Unit | None, field: str = "unit") -> None:
    """Refuse a new assignment or meeting for an inactive unit (its past ones stay)."""
    if unit is not None and not unit.active:
        raise Refused(_("Komórka „%(name)s” jest nieaktywna: nie przyjmuje nowych spraw.", name=unit.name),
                      field=field)


@dataclass
class OrganisationProfile:
    """What an administrator edits of an organisation (the public profile and the register numbers)."""

    name: str
    legal_form: str = "inna"
    krs: str | None = None
    nip: str | None = None
    regon: str | None = None
    address: str | None = None
    district: str | None = None
    spheres: list[str] = field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    status: str = "verified"


def _checked_profile(profile: OrganisationProfile, organisation_id: int | None) -> dict:
    name = _one_line(profile.name)
    if not name:
        raise Refused(_("Wpisz nazwę organizacji."), field="name")
    if len(name) > 300:
        raise Refused(_("Nazwa organizacji może mieć najwyżej 300 znaków."), field="name")
    if db.session.scalar(db.select(Organisation).where(Organisation.name == name,
                                                       Organisation.id != (organisation_id or 0))) is not None:
        raise Refused(_("Organizacja „%(name)s” już jest w rejestrze.", name=name), field="name")
    if profile.legal_form not in LEGAL_FORMS:
        raise Refused(_("Wybierz formę prawną z listy."), field="legal_form")
    values: dict = {"name": name, "legal_form": profile.legal_form}
    for key, value, check in (("krs", profile.krs, check_krs), ("nip", profile.nip, check_nip),
                              ("regon", profile.regon, check_regon)):
        values[key] = None
        if value and value.strip():
            problem = check(value)
            if problem:
                raise Refused(problem, field=key)
            values[key] = normalise(value)
            clash = db.session.scalar(db.select(Organisation).where(getattr(Organisation, key) == values[key],
                                                                    Organisation.id != (organisation_id or 0)))
            if clash is not None:
                raise Refused(_("Organizacja z tym numerem %(kind)s już jest w rejestrze: %(name)s.",
                                kind=key.upper(), name=clash.name), field=key)
    address = _one_line(profile.address)
    if len(address) > 300:
        raise Refused(_("Adres może mieć najwyżej 300 znaków."), field="address")
    values["address"] = address or None
    if profile.district and profile.district not in DISTRICTS:
        raise Refused(_("Wybierz dzielnicę z listy."), field="district")
    values["district"] = profile.district or None
    unknown = [c for c in profile.spheres if c not in SPHERES]
    if unknown:
        raise Refused(_("Wybierz sfery pożytku publicznego z listy."), field="spheres")
    email = (profile.email or "").strip().lower()
    if email and not is_email_address(email):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="email")
    values["email"] = email or None
    phone = _one_line(profile.phone)
    if phone and not re.fullmatch(r"\+?[0-9 ()\-]{6,40}", phone):
        raise Refused(_("Telefon to cyfry, spacje, nawiasy i łączniki, np. +48 12 616 12 34."), field="phone")
    values["phone"] = phone or None
    website = (profile.website or "").strip()
    if website and (not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", website, re.IGNORECASE) or len(website) > 300):
        raise Refused(_("Wpisz adres strony zaczynający się od https:// lub http://."), field="website")
    values["website"] = website or None
    if profile.status not in ORGANISATION_STATUSES:
        raise Refused(_("Wybierz stan weryfikacji z listy."), field="status")
    values["status"] = profile.status
    return values


def update_organisation(actor, organisation: Organisation, profile: OrganisationProfile) -> Organisation:
    """Change an organisation's register entry and public profile (coordinators and administrators)."""
    _require_registrar(actor)
    values = _checked_profile(profile, organisation.id)
    changed = {}
    for key, value in values.items():
        if getattr(organisation, key) != value:
            changed[key] = [getattr(organisation, key), value]
            setattr(organisation, key, value)
    if sorted(organisation.sphere_codes) != sorted(set(profile.spheres)):
        changed["spheres"] = [organisation.sphere_codes, sorted(set(profile.spheres))]
        organisation.set_spheres(profile.spheres)
    if "status" in changed and values["status"] == "verified":
        organisation.verified_at = utcnow()
    db.session.flush()
    if changed:
        audit.record(actor, "organisation", organisation.id, "edit", changed=changed)
    return organisation


# --- merging duplicates ----------------------------------------------------------------------------------------

def _refuse_blocking(table: str, duplicate_id: int, kept_id: int) -> None:
    from consult.organisations.merging import blocking_clashes

    blocking = blocking_clashes(table, duplicate_id, kept_id)
    if blocking:
        what = sorted({ref.label for ref, _row in blocking})
        raise Refused(_("Nie można połączyć: oba wpisy mają %(what)s dotyczące tych samych spraw (%(n)s). "
                        "Rozstrzygnij je najpierw.", what=", ".join(what), n=len(blocking)), field="kept")


def merge_units(actor, duplicate: Unit, kept: Unit) -> dict:
    """Move everything that refers to `duplicate` (postulates, positions, assignments, meetings, calls, staff
    accounts, sub-units, ...) to `kept`, then remove the duplicate. Audited on both. Returns what moved."""
    from consult.organisations.merging import move_references

    _require_admin(actor)
    if duplicate.id == kept.id:
        raise Refused(_("Wybierz inną komórkę niż łączona."), field="kept")
    _refuse_blocking("units", duplicate.id, kept.id)
    duplicate_id, name, code = duplicate.id, duplicate.name, duplicate.code
    if duplicate_id in _ancestor_ids(kept.parent):
        # The kept unit is below the duplicate: it takes the duplicate's place in the tree, so that the units
        # between them (now under the kept one) do not make a loop.
        kept.parent_id = duplicate.parent_id if duplicate.parent_id != kept.id else None
    db.session.flush()
    moved = move_references("units", duplicate_id, kept.id)
    db.session.expire_all()
    db.session.expunge(duplicate)
    db.session.execute(db.delete(Unit).where(Unit.id == duplicate_id))
    audit.record(actor, "unit", kept.id, "merge", merged_id=duplicate_id, merged_name=name, merged_code=code,
                 moved=moved)
    audit.record(actor, "unit", duplicate_id, "merged_into", kept_id=kept.id, kept_name=kept.name, moved=moved)
    return moved


def merge_organisations(actor, duplicate: Organisation, kept: Organisation) -> dict:
    """Move everything that refers to `duplicate` (postulates, offers and partnerships, meeting attendance,
    members' accounts, spheres, ...) to `kept`, fill the kept profile's blanks from the duplicate's, then remove
    the duplicate. Audited on both. Returns what moved."""
    from consult.organisations.merging import move_references

    _require_admin(actor)
    if duplicate.id == kept.id:
        raise Refused(_("Wybierz inną organizację niż łączona."), field="kept")
    _refuse_blocking("organisations", duplicate.id, kept.id)
    duplicate_id, name = duplicate.id, duplicate.name
    blanks = {key: getattr(duplicate, key) for key in ("krs", "nip", "regon", "address", "district", "email",
                                                       "phone", "website")
              if getattr(kept, key) is None and getattr(duplicate, key) is not None}
    verified = duplicate.status == "verified" and kept.status != "verified"
    db.session.flush()
    moved = move_references("organisations", duplicate_id, kept.id)
    db.session.expire_all()
    db.session.expunge(duplicate)
    db.session.execute(db.delete(Organisation).where(Organisation.id == duplicate_id))
    db.session.flush()
    for key, value in blanks.items():  # unique numbers: set once the duplicate holding them is gone
        setattr(kept, key, value)
    if verified:
        kept.status, kept.verified_at = "verified", utcnow()
    db.session.flush()
    audit.record(actor, "organisation", kept.id, "merge", merged_id=duplicate_id, merged_name=name, moved=moved,
                 filled=sorted(blanks) or None)
    audit.record(actor, "organisation", duplicate_id, "merged_into", kept_id=kept.id, kept_name=kept.name,
                 moved=moved)
    return moved
