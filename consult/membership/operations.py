"""Every change of membership: signing up, confirming the address, registering an organisation or asking to join
one, the organisation's administrators deciding on members, roles and who may submit, and the city verifying an
organisation that registered itself.

A person signs up (an NGO account without an organisation, not confirmed) and gets a link by e-mail; until they
follow it they cannot sign in. Confirmed, they either register a new organisation (pending until a coordinator or
administrator verifies it; they become its administrator) or ask to join one; its administrators decide. The
e-mails are written after the commit (consult/notifications/membership.py), in the recipient's language.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from consult.auth.models import User
from consult.auth.passwords import password_problem
from consult.core import audit, tokens
from consult.core.access import has_role, is_org_admin_of
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text, is_email_address
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.extensions import db
from consult.membership.models import JoinRequest
from consult.organisations.identifiers import check_krs, check_nip, check_regon, normalise
from consult.organisations.models import LEGAL_FORMS, Organisation
from consult.organisations.register_data import DISTRICTS, SPHERES

CONFIRM_PURPOSE = "confirm-email"
CONFIRM_MAX_AGE = 48 * 3600  # a confirmation link works for two days
RESENDS_PER_HOUR = 3
SUBMIT_POLICIES = ("members", "administrators")
ORGANISATION_ROLES = ("administrator", "member")


class AlreadyRegistered(Refused):
    """The KRS or NIP given belongs to an organisation already in the register: the form offers to join it."""

    def __init__(self, reason: str, *, field: str, organisation: Organisation):
        super().__init__(reason, field=field)
        self.organisation = organisation


def _later(fn, *args) -> None:
    from consult.notifications import membership as notices

    after_commit(db.session(), notices.run, getattr(notices, fn), *args)


# --- signing up and confirming the address --------------------------------------------------------------------

def confirmation_state(user: User) -> str:
    """What a confirmation link is valid for: this address, not yet confirmed."""
    return tokens.fingerprint(user.email, user.email_confirmed_at)


def confirmation_token(user: User) -> str:
    return tokens.make(CONFIRM_PURPOSE, user.id, confirmation_state(user))


def sign_up(*, name: str, email: str, password: str, locale: str | None = None) -> User | None:
    """A person opens an account for themselves. Returns the new (unconfirmed) account, or None when the address
    has an account already: the page then says the same as for a new one (it does not tell who has an account),
    and an unconfirmed account gets its link again."""
    name = " ".join((name or "").split())
    check_text(name, field="name", label=_("Imię i nazwisko"))
    if not name:
        raise Refused(_("Wpisz imię i nazwisko."), field="name")
    if len(name) > 200:
        raise Refused(_("Imię i nazwisko może mieć najwyżej 200 znaków."), field="name")
    email = (email or "").strip().lower()
    if not is_email_address(email):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="email")
    problem = password_problem(password or "", email=email)
    if problem:
        raise Refused(problem, field="password")
    existing = db.session.scalar(db.select(User).where(User.email == email))
    if existing is not None:
        if existing.email_confirmed_at is None and existing.active:
            _later("send_confirmation", existing.id)
        return None
    user = User(email=email, name=name, role="ngo", locale=locale, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user", user.id, "sign_up", email=email)
    _later("send_confirmation", user.id)
    return user


def confirm_email(token: str) -> User:
    """Follow the link: the address is confirmed, once. Raises tokens.TokenExpired or tokens.TokenInvalid."""

    def state_of(user_id: int):
        user = db.session.get(User, user_id)
        return confirmation_state(user) if user is not None and user.email_confirmed_at is None else None

    payload = tokens.read(CONFIRM_PURPOSE, token, max_age=CONFIRM_MAX_AGE, fingerprint_of=state_of)
    user = lock_for_update(User, payload["id"])
    if user is None or user.email_confirmed_at is not None:
        raise tokens.TokenInvalid()
    user.email_confirmed_at = utcnow()
    audit.record(user, "user", user.id, "confirm_email", email=user.email)
    return user


def resend_confirmation(email: str) -> None:
    """Send the link again to an account that waits for it (a few times an hour at most); say nothing either way."""
    email = (email or "").strip().lower()
    if not is_email_address(email):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="email")
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is not None and user.email_confirmed_at is None and user.active:
        _later("send_confirmation", user.id)


def recent_confirmations(user_id: int) -> int:
    from consult.notifications.models import Notification

    since = utcnow() - timedelta(hours=1)
    return db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.recipient_id == user_id, Notification.kind == "email_confirmation",
        Notification.created_at >= since)) or 0


# --- registering an organisation --------------------------------------------------------------------------------

def _require_newcomer(actor) -> None:
    if not has_role(actor, "newcomer"):
        raise Forbidden(_("Organizację rejestruje albo prosi o dołączenie osoba, która nie należy jeszcze do "
                          "żadnej organizacji."))


def _pending_request(user_id: int) -> JoinRequest | None:
    return db.session.scalar(db.select(JoinRequest).where(JoinRequest.user_id == user_id,
                                                          JoinRequest.status == "pending"))


def _short_text(value, field: str, label: str, limit: int, *, required: bool = False) -> str | None:
    value = " ".join((value or "").split())
    check_text(value, field=field, label=label)
    if not value:
        if required:
            raise Refused(_("Wpisz: %(label)s.", label=label.lower()), field=field)
        return None
    if len(value) > limit:
        raise Refused(_("%(label)s: najwyżej %(n)s znaków.", label=label, n=limit), field=field)
    return value


def _profile(fields: dict) -> dict:
    """The organisation's public profile from a form: checked, trimmed, None for what was left empty."""
    out = {}
    legal_form = fields.get("legal_form") or "inna"
    if legal_form not in LEGAL_FORMS:
        raise Refused(_("Wybierz formę prawną z listy."), field="legal_form")
    out["legal_form"] = legal_form
    out["address"] = _short_text(fields.get("address"), "address", _("Adres siedziby"), 300, required=True)
    district = fields.get("district") or None
    if district is not None and district not in DISTRICTS:
        raise Refused(_("Wybierz dzielnicę z listy."), field="district")
    out["district"] = district
    spheres = list(dict.fromkeys(fields.get("spheres") or []))
    if any(code not in SPHERES for code in spheres):
        raise Refused(_("Wybierz sfery pożytku publicznego z listy."), field="spheres")
    if not spheres:
        raise Refused(_("Wybierz co najmniej jedną sferę pożytku publicznego."), field="spheres")
    out["spheres"] = spheres
    email = (fields.get("email") or "").strip().lower() or None
    if email is not None and not is_email_address(email):
        raise Refused(_("Wpisz adres e-mail organizacji w postaci nazwa@domena.pl."), field="email")
    out["email"] = email
    phone = _short_text(fields.get("phone"), "phone", _("Telefon"), 40)
    if phone is not None and not all(c.isdigit() or c in " +-()" for c in phone):
        raise Refused(_("Telefon: wpisz cyfry (mogą być spacje, +, -, nawiasy)."), field="phone")
    out["phone"] = phone
    website = _short_text(fields.get("website"), "website", _("Strona internetowa"), 300)
    if website is not None:
        if not website.lower().startswith(("http://", "https://")):
            website = "https://" + website
        if " " in website or "." not in website.split("://", 1)[1]:
            raise Refused(_("Wpisz adres strony, np. https://fundacja.pl."), field="website")
    out["website"] = website
    return out


def _identifiers(krs, nip, regon, *, legal_form: str) -> dict:
    numbers = {}
    for field, value, check in (("krs", krs, check_krs), ("nip", nip, check_nip), ("regon", regon, check_regon)):
        if value and value.strip():
            check_text(value, field=field, label=field.upper())
            problem = check(value)
            if problem:
                raise Refused(problem, field=field)
            numbers[field] = normalise(value)
    if "nip" not in numbers:
        raise Refused(_("Wpisz NIP organizacji."), field="nip")
    if "krs" not in numbers and legal_form in ("fundacja", "stowarzyszenie", "spoldzielnia_socjalna",
                                               "spolka_non_profit"):
        raise Refused(_("Fundacje, stowarzyszenia, spółdzielnie socjalne i spółki są w KRS: wpisz numer KRS."),
                      field="krs")
    return numbers


def registered_with(field: str, value: str) -> Organisation | None:
    return db.session.scalar(db.select(Organisation).where(getattr(Organisation, field) == value))


@once("organisation")
def register_organisation(actor, *, name: str, krs: str | None = None, nip: str | None = None,
                          regon: str | None = None, **fields) -> Organisation:
    """A confirmed person registers their organisation: pending until the city verifies it; they administer it.
    A KRS or NIP already registered is refused with AlreadyRegistered (the form offers to ask to join)."""
    _require_newcomer(actor)
    if _pending_request(actor.id) is not None:
        raise Refused(_("Czekasz na decyzję w sprawie dołączenia do organizacji. Nie możesz jednocześnie "
                        "rejestrować nowej."))
    name = _short_text(name, "name", _("Nazwa organizacji"), 300, required=True)
    profile = _profile(fields)
    numbers = _identifiers(krs, nip, regon, legal_form=profile["legal_form"])
    for field in ("krs", "nip"):
        if field in numbers:
            clash = registered_with(field, numbers[field])
            if clash is not None:
                raise AlreadyRegistered(
                    _("Organizacja z tym numerem %(kind)s już jest w systemie: %(name)s. Nie rejestruj jej "
                      "drugi raz – poproś o dołączenie do niej.", kind=field.upper(), name=clash.name),
                    field=field, organisation=clash)
    if "regon" in numbers and registered_with("regon", numbers["regon"]) is not None:
        raise Refused(_("Organizacja z tym numerem REGON już jest w systemie."), field="regon")
    if db.session.scalar(db.select(Organisation).where(Organisation.name == name)) is not None:
        raise Refused(_("Organizacja „%(name)s” już jest w systemie. Jeśli to Twoja organizacja, poproś o "
                        "dołączenie do niej.", name=name), field="name")
    spheres = profile.pop("spheres")
    org = Organisation(name=name, status="pending", submit_policy="members", **profile, **numbers)
    org.set_spheres(spheres)
    db.session.add(org)
    db.session.flush()
    user = lock_for_update(User, actor.id)
    user.organisation_id, user.organisation_role = org.id, "administrator"
    audit.record(actor, "organisation", org.id, "register", to_state="pending", name=name, **numbers)
    audit.record(actor, "user", user.id, "join", organisation_id=org.id, organisation_role="administrator")
    _later("tell_city_of_registration", org.id, user.id)
    return org


def verify_organisation(actor, organisation: Organisation) -> Organisation:
    """A coordinator or administrator checks a self-registered organisation against the KRS and lets it file."""
    _require_city(actor)
    organisation = lock_for_update(Organisation, organisation.id)
    if organisation.status != "pending":
        raise Refused(_("Organizacja nie czeka na weryfikację."))
    organisation.status, organisation.verified_at = "verified", utcnow()
    audit.record(actor, "organisation", organisation.id, "verify", from_state="pending", to_state="verified")
    _later("tell_organisation_decided", organisation.id)
    return organisation


def refuse_organisation(actor, organisation: Organisation, *, reason: str) -> Organisation:
    _require_city(actor)
    reason = _short_text(reason, "reason", _("Powód odmowy"), 2000, required=True)
    organisation = lock_for_update(Organisation, organisation.id)
    if organisation.status != "pending":
        raise Refused(_("Organizacja nie czeka na weryfikację."))
    organisation.status = "refused"
    audit.record(actor, "organisation", organisation.id, "refuse", from_state="pending", to_state="refused",
                 reason=reason)
    _later("tell_organisation_decided", organisation.id, reason)
    return organisation


def _require_city(actor) -> None:
    if not has_role(actor, "coordinator", "admin"):
        raise Forbidden(_("Organizacje weryfikują koordynatorzy i administratorzy."))


# --- joining an organisation ------------------------------------------------------------------------------------

@once("join_request")
def ask_to_join(actor, organisation: Organisation) -> JoinRequest:
    _require_newcomer(actor)
    lock_for_update(User, actor.id)
    if organisation.status == "refused":
        raise Refused(_("Do tej organizacji nie można dołączyć."))
    if _pending_request(actor.id) is not None:
        raise Refused(_("Czekasz już na decyzję w sprawie dołączenia do organizacji."))
    request = JoinRequest(user_id=actor.id, organisation_id=organisation.id, status="pending")
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "join_request", request.id, "create", to_state="pending", organisation_id=organisation.id,
                 organisation=organisation.name)
    _later("tell_administrators_of_request", request.id)
    return request


def decide_join_request(actor, request: JoinRequest, *, approve: bool, reason: str | None = None) -> JoinRequest:
    """An administrator of the organisation lets the person in (as a member) or refuses, with an optional reason."""
    if not is_org_admin_of(actor, request.organisation_id):
        raise Forbidden(_("O przyjęciu do organizacji decydują jej administratorzy."))
    reason = _short_text(reason, "reason", _("Uzasadnienie"), 2000)
    user = lock_for_update(User, request.user_id)
    request = db.session.get(JoinRequest, request.id)
    if request.status != "pending":
        raise Refused(_("W tej sprawie już zdecydowano."))
    now = utcnow()
    if approve:
        if user.organisation_id is not None or user.role != "ngo":
            raise Refused(_("Ta osoba należy już do organizacji."))
        user.organisation_id, user.organisation_role = request.organisation_id, "member"
        audit.record(actor, "user", user.id, "join", organisation_id=request.organisation_id,
                     organisation_role="member")
    request.status, request.decided_by_id, request.decided_at, request.reason = (
        "approved" if approve else "refused", actor.id, now, reason)
    audit.record(actor, "join_request", request.id, "approve" if approve else "refuse", from_state="pending",
                 to_state=request.status, user_id=user.id, reason=reason)
    _later("tell_requester_of_decision", request.id)
    return request


# --- inside an organisation -------------------------------------------------------------------------------------

def _require_org_admin(actor, organisation: Organisation) -> None:
    if not is_org_admin_of(actor, organisation.id):
        raise Forbidden(_("Tylko administratorzy organizacji mogą to zmienić."))


def set_submit_policy(actor, organisation: Organisation, policy: str) -> Organisation:
    _require_org_admin(actor, organisation)
    if policy not in SUBMIT_POLICIES:
        raise Refused(_("Wybierz, kto może składać w imieniu organizacji."), field="submit_policy")
    organisation = lock_for_update(Organisation, organisation.id)
    if organisation.submit_policy != policy:
        audit.record(actor, "organisation", organisation.id, "set_submit_policy",
                     before=organisation.submit_policy, after=policy)
        organisation.submit_policy = policy
    return organisation


def update_profile(actor, organisation: Organisation, **fields) -> Organisation:
    """The organisation's administrators keep its public profile (contact, address, district, spheres, form).
    Name and identifiers are the register's: the city changes them."""
    _require_org_admin(actor, organisation)
    profile = _profile(fields)
    organisation = lock_for_update(Organisation, organisation.id)
    spheres = profile.pop("spheres")
    changed = [k for k, v in profile.items() if getattr(organisation, k) != v]
    if sorted(organisation.sphere_codes) != sorted(spheres):
        changed.append("spheres")
    for key, value in profile.items():
        setattr(organisation, key, value)
    organisation.set_spheres(spheres)
    if changed:
        audit.record(actor, "organisation", organisation.id, "edit_profile", changed=changed)
    return organisation


def _other_administrators(organisation_id: int, member_id: int) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User).where(
        User.organisation_id == organisation_id, User.organisation_role == "administrator", User.active,
        User.id != member_id)) or 0


def remove_member(actor, member: User) -> User:
    """An administrator of the organisation takes a person out of it: their account stays (without an
    organisation, they may ask to join one or register one), what they prepared in it stays with the organisation,
    and they are told. An organisation always keeps one administrator."""
    organisation_id = member.organisation_id
    if organisation_id is None or not is_org_admin_of(actor, organisation_id):
        raise Forbidden(_("Członków organizacji usuwają jej administratorzy."))
    lock_for_update(Organisation, organisation_id)
    member = lock_for_update(User, member.id)
    if member is None or member.organisation_id != organisation_id:
        raise Refused(_("Ta osoba nie należy już do organizacji."))
    if member.organisation_role == "administrator" and _other_administrators(organisation_id, member.id) == 0:
        raise Refused(_("Organizacja musi mieć co najmniej jednego administratora: najpierw uczyń administratorem "
                        "kogoś innego."))
    event = audit.record(actor, "user", member.id, "remove_from_organisation", organisation_id=organisation_id,
                         organisation_role=member.organisation_role)
    member.organisation_id, member.organisation_role = None, None
    db.session.flush()
    _later("tell_member_removed", member.id, organisation_id, event.id)
    return member


def set_member_role(actor, member: User, role: str) -> User:
    """Make a member an administrator or back; an organisation always keeps one administrator."""
    if role not in ORGANISATION_ROLES:
        raise Refused(_("Wybierz rolę z listy."), field="role")
    organisation_id = member.organisation_id
    if not is_org_admin_of(actor, organisation_id):
        raise Forbidden(_("Role w organizacji nadają jej administratorzy."))
    lock_for_update(Organisation, organisation_id)
    member = db.session.get(User, member.id)
    if member.organisation_id != organisation_id or member.organisation_role == role:
        return member
    if role == "member":
        admins = db.session.scalar(db.select(db.func.count()).select_from(User).where(
            User.organisation_id == organisation_id, User.organisation_role == "administrator", User.active))
        if admins <= 1:
            raise Refused(_("Organizacja musi mieć co najmniej jednego administratora."), field="role")
    audit.record(actor, "user", member.id, "set_organisation_role", before=member.organisation_role, after=role,
                 organisation_id=organisation_id)
    member.organisation_role = role
    return member
