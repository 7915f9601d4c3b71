"""Accounts: creating them (the CLI), inviting staff, editing and deactivating them (admins), signing in with
throttling, and recovering and changing access (a new password by e-mail, a password or an address changed).

A link sent by e-mail is a signed token (consult/core/tokens.py) whose fingerprint is the state it may change, so
it works once: a reset link stops when the password changes, an invitation's when it is accepted or sent again,
an address change's when the address changes. Every new password, reset and deactivation ends the account's other
sessions (`User.end_sessions`)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from consult.auth import throttle
from consult.auth.models import ROLES, User
from consult.auth.passwords import password_problem
from consult.auth.privacy import sole_organisation_administrator
from consult.core import audit, tokens
from consult.core.access import ROLE_LABELS, has_role
from consult.core.errors import Forbidden, Refused
from consult.core.input import is_email_address
from consult.core.locks import lock_for_update
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.extensions import db


@once("user")
def create_user(actor, *, email: str, name: str, password: str, role: str, organisation=None, unit=None,
                bootstrap: bool = False) -> User:
    """Create an account. `bootstrap` is for the CLI that makes the very first admin or the demo."""
    if not bootstrap and not has_role(actor, "admin"):
        raise Forbidden(_("Konta zakładają administratorzy."))
    email = (email or "").strip().lower()
    if not is_email_address(email):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="email")
    if db.session.scalar(db.select(User).where(User.email == email)) is not None:
        raise Refused(_("Konto z adresem %(email)s już istnieje.", email=email), field="email")
    name = (name or "").strip()
    if not name:
        raise Refused(_("Wpisz imię i nazwisko."), field="name")
    if role not in ROLES:
        raise Refused(_("Wybierz rolę z listy."), field="role")
    problem = password_problem(password or "", email=email)
    if problem:
        raise Refused(problem, field="password")
    if role == "ngo" and organisation is None:
        raise Refused(_("Członek organizacji musi mieć wskazaną organizację."), field="organisation")
    if role == "unit" and unit is None:
        raise Refused(_("Pracownik komórki musi mieć wskazaną komórkę."), field="unit")
    # Accounts an administrator makes are confirmed (the administrator vouches for the address); an NGO person
    # made so administers their organisation, as the organisation's first accounts always did.
    user = User(email=email, name=name, role=role, organisation=organisation if role == "ngo" else None,
                organisation_role="administrator" if role == "ngo" else None,
                unit=unit if role == "unit" else None, email_confirmed_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user", user.id, "create", email=email, role=role)
    return user


def normal_email(email) -> str:
    return (email or "").strip().lower() if isinstance(email, str) else ""


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


def _checked_password(password: str, email: str, field: str = "password") -> None:
    problem = password_problem(password or "", email=email)
    if problem:
        raise Refused(problem, field=field)


def _set_password(user: User, password: str) -> None:
    """A new password: every session of the account ends (the caller signs the current one in again)."""
    user.set_password(password)
    user.password_changed_at = utcnow()
    user.end_sessions()


# --- signing in ------------------------------------------------------------------------------------------------

class Throttled(Refused):
    """Too many failed tries: nothing is checked until `wait.until`."""

    def __init__(self, wait: throttle.Wait):
        super().__init__(_("Było zbyt wiele nieudanych prób logowania. Ze względów bezpieczeństwa kolejną próbę "
                           "można podjąć za %(minutes)s min.", minutes=wait.minutes), field="email")
        self.wait = wait


class _Nobody:
    """Checks a password as long as an account would, for an address no account has (timing tells nothing)."""

    def __init__(self):
        from werkzeug.security import generate_password_hash

        # hashed as the accounts' passwords are (tests lower the cost with PASSWORD_HASH_METHOD)
        method = current_app.config.get("PASSWORD_HASH_METHOD")
        text = "not a password of anyone"
        self.password_hash = generate_password_hash(text, method=method) if method else generate_password_hash(text)

    def check_password(self, password: str) -> bool:
        from werkzeug.security import check_password_hash

        check_password_hash(self.password_hash, password)
        return False


_NOBODY: _Nobody | None = None


def _nobody() -> _Nobody:
    global _NOBODY
    if _NOBODY is None:
        _NOBODY = _Nobody()
    return _NOBODY


def sign_in(email: str, password: str, address: str) -> User:
    """The account `email` and `password` name, if they do and tries from here may go on; else Refused (the same
    words for a wrong password and an unknown address) or Throttled. A failure is recorded; the one that reaches
    a limit is audited. The caller commits (a failure too) and signs the account in."""
    email = normal_email(email)
    user = _user_by_email(email)
    wait = throttle.sign_in_wait(email, address, account=user)
    if wait is not None:
        raise Throttled(wait)  # the password is not even checked: the right one waits too
    can_sign_in = user is not None and user.active and user.has_password
    if (user if can_sign_in else _nobody()).check_password(password or ""):
        user.last_login_at = utcnow()
        return user
    attempt = throttle.record("failed_sign_in", email, address)
    wait = throttle.sign_in_wait(email, address, account=user)
    if wait is not None:  # this failure made further tries wait
        details = {"scope": wait.scope, "email": email, "address": address, "until": wait.until.isoformat()}
        if user is not None:
            audit.record(None, "user", user.id, "sign_in_throttled", **details)
        else:
            audit.record(None, "access_attempt", attempt.id, "sign_in_throttled", **details)
        raise Throttled(wait)
    raise Refused(_("Nieprawidłowy adres e-mail lub hasło."), field="email")


def sign_out(user: User) -> None:
    """End every session of the account, this one and any copy of its cookie (the caller commits)."""
    user = db.session.get(User, user.id)
    if user is not None:
        user.end_sessions()


# --- a new password by e-mail ----------------------------------------------------------------------------------

def _reset_state(user) -> str:
    return tokens.fingerprint(user.password_hash, user.email, user.active)


def _reset_age() -> int:
    return int(current_app.config["RESET_LINK_MINUTES"]) * 60


def request_password_reset(email: str, address: str) -> None:
    """Someone forgot their password: e-mail the account with `email` a link to set a new one.

    Whether an account has that address or not, the same is done up to the e-mail itself (the attempt is counted
    and audited, a link made and the e-mail written), and the page says the same; only an active account with a
    password, within the limits of requests (throttle.reset_allowed), gets the e-mail. The e-mail is delivered
    after the answer (detached), so the time the page takes tells nothing either."""
    from consult.notifications.operations import write_account_email
    from consult.notifications.rendering import absolute, path_for, recipient_locale, render

    email = normal_email(email)
    user = _user_by_email(email)
    attempt = throttle.record("password_reset", email, address)
    allowed = throttle.reset_allowed(email, address)
    account = user if user is not None and user.active and user.has_password and allowed else None
    subject = account or User(id=0, email=email, name="", password_hash="", active=False, locale="pl")
    expires = utcnow() + timedelta(seconds=_reset_age())
    url = absolute(path_for("account.reset_password", token=tokens.make("reset-password", subject.id,
                                                                         _reset_state(subject))))
    if account is not None:
        event = audit.record(None, "user", account.id, "request_password_reset", address=address, sent=True)
        db.session.flush()
        write_account_email(account, kind="password_reset", event_id=event.id, url=url, expires=expires,
                            params={"expires": expires.isoformat()})
    else:
        if user is not None:
            audit.record(None, "user", user.id, "request_password_reset", address=address, sent=False)
        else:
            audit.record(None, "access_attempt", attempt.id, "request_password_reset", email=email,
                         address=address, sent=False)
        db.session.flush()
        render("password_reset", recipient_locale(subject), recipient=subject, url=url, expires=expires)


def _account_of_link(purpose: str, token: str, *, max_age: int, state_of, may_use, lock: bool) -> User:
    """The account a link of `purpose` names, while `may_use(user)` holds and its state (`state_of(user)`) is the
    one the link was made for; the row locked when the caller is about to change it."""
    def state(user_id: int):
        user = lock_for_update(User, user_id) if lock else db.session.get(User, user_id)
        return state_of(user) if user is not None and user.active and may_use(user) else None

    payload = tokens.read(purpose, token, max_age=max_age, fingerprint_of=state)
    return db.session.get(User, payload["id"])


def _reset_user(token: str, *, lock: bool = False) -> User:
    return _account_of_link("reset-password", token, max_age=_reset_age(), state_of=_reset_state,
                            may_use=lambda user: user.has_password, lock=lock)


def user_to_reset(token: str) -> User:
    """The account a reset link is for; raises tokens.TokenInvalid (or TokenExpired) when it no longer works."""
    return _reset_user(token)


def reset_password(token: str, password: str) -> User:
    """Set the new password the link asked for; the link then works no more, and every session ends."""
    user = _reset_user(token, lock=True)
    _checked_password(password, user.email)
    _set_password(user, password)
    audit.record(user, "user", user.id, "reset_password")
    return user


# --- changing one's own password and address ------------------------------------------------------------------

def change_password(actor: User, *, current: str, new: str) -> None:
    """The signed-in person's new password, given the current one; their other sessions end."""
    user = lock_for_update(User, actor.id)
    if user is None or not user.check_password(current or ""):
        raise Refused(_("Obecne hasło jest nieprawidłowe."), field="current")
    _checked_password(new, user.email, field="new")
    if user.check_password(new):
        raise Refused(_("Nowe hasło musi być inne niż obecne."), field="new")
    _set_password(user, new)
    audit.record(user, "user", user.id, "change_password")


def _email_state(user) -> str:
    return tokens.fingerprint(user.email, user.password_hash, user.active)


def _email_age() -> int:
    return int(current_app.config["EMAIL_CHANGE_LINK_HOURS"]) * 3600


def request_email_change(actor: User, *, new_email: str, password: str) -> None:
    """Send a link to `new_email` that makes it the account's address (given the current password)."""
    from consult.notifications.operations import write_account_email
    from consult.notifications.rendering import absolute, path_for

    user = db.session.get(User, actor.id)
    if user is None or not user.check_password(password or ""):
        raise Refused(_("Hasło jest nieprawidłowe."), field="password")
    new_email = normal_email(new_email)
    if not is_email_address(new_email):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="email")
    if new_email == user.email:
        raise Refused(_("To jest obecny adres Twojego konta."), field="email")
    if _user_by_email(new_email) is not None:
        raise Refused(_("Tego adresu używa już inne konto."), field="email")
    expires = utcnow() + timedelta(seconds=_email_age())
    token = tokens.make("change-email", user.id, _email_state(user), to=new_email)
    url = absolute(path_for("account.confirm_email", token=token))
    event = audit.record(user, "user", user.id, "request_email_change", new_email=new_email)
    db.session.flush()
    write_account_email(user, kind="email_change", event_id=event.id, address=new_email, url=url,
                        new_email=new_email, expires=expires,
                        params={"address": new_email, "expires": expires.isoformat()})


def _email_change(token: str, *, lock: bool = False) -> tuple[User, str]:
    def state(user_id: int):
        user = lock_for_update(User, user_id) if lock else db.session.get(User, user_id)
        return _email_state(user) if user is not None and user.active else None

    payload = tokens.read("change-email", token, max_age=_email_age(), fingerprint_of=state)
    new_email = payload.get("to")
    if not isinstance(new_email, str) or not is_email_address(new_email):
        raise tokens.TokenInvalid()
    return db.session.get(User, payload["id"]), new_email


def email_change_of(token: str) -> tuple[User, str]:
    """(account, new address) a confirmation link is for; raises tokens.TokenInvalid when it no longer works."""
    return _email_change(token)


def confirm_email_change(token: str) -> User:
    """Make the address the link was sent to the account's; the old address is told."""
    from consult.notifications.operations import write_account_email

    user, new_email = _email_change(token, lock=True)
    if _user_by_email(new_email) is not None:
        raise Refused(_("Tego adresu używa już inne konto."), field="email")
    old_email = user.email
    user.email = new_email
    event = audit.record(user, "user", user.id, "confirm_email_change", old_email=old_email, new_email=new_email)
    db.session.flush()
    write_account_email(user, kind="email_changed", event_id=event.id, address=old_email, old_email=old_email,
                        new_email=new_email, params={"old": old_email, "new": new_email})
    return user


# --- staff accounts by invitation (administrators) --------------------------------------------------------------

def _invitation_state(user) -> str:
    sent = user.invited_at.isoformat() if user.invited_at else ""
    return tokens.fingerprint(sent, user.invitation_accepted_at, user.active, user.email)


def _invitation_age() -> int:
    return int(current_app.config["INVITATION_DAYS"]) * 86400


def _require_admin(actor) -> None:
    if not has_role(actor, "admin"):
        raise Forbidden(_("Konta zakładają i zmieniają administratorzy."))


def _placement(role: str, organisation, unit) -> tuple:
    if role not in ROLES:
        raise Refused(_("Wybierz rolę z listy."), field="role")
    if role == "ngo" and organisation is None:
        raise Refused(_("Członek organizacji musi mieć wskazaną organizację."), field="organisation")
    if role == "unit" and unit is None:
        raise Refused(_("Pracownik komórki musi mieć wskazaną komórkę."), field="unit")
    return (organisation if role == "ngo" else None), (unit if role == "unit" else None)


def _send_invitation(actor, user: User, action: str) -> None:
    from consult.notifications.operations import write_account_email
    from consult.notifications.rendering import absolute, path_for

    user.invited_at = utcnow()
    expires = user.invited_at + timedelta(seconds=_invitation_age())
    url = absolute(path_for("account.accept_invitation",
                            token=tokens.make("invitation", user.id, _invitation_state(user))))
    if action == "invite":
        event = audit.record(actor, "user", user.id, "invite", email=user.email, role=user.role)
    else:
        event = audit.record(actor, "user", user.id, "resend_invitation", email=user.email)
    db.session.flush()
    write_account_email(user, kind="invitation", event_id=event.id, url=url, expires=expires,
                        inviter=getattr(actor, "name", ""), role=ROLE_LABELS[user.role],
                        params={"expires": expires.isoformat()})


def _require_active_unit(unit) -> None:
    from consult.organisations.operations import require_active_unit

    require_active_unit(unit)


@once("user")
def invite_user(actor, *, email: str, name: str, role: str, organisation=None, unit=None) -> User:
    """Make an account without a password and e-mail its person a link to set one (valid INVITATION_DAYS)."""
    _require_admin(actor)
    email = normal_email(email)
    if not is_email_address(email):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="email")
    if _user_by_email(email) is not None:
        raise Refused(_("Konto z adresem %(email)s już istnieje.", email=email), field="email")
    name = (name or "").strip()
    if not name:
        raise Refused(_("Wpisz imię i nazwisko."), field="name")
    if len(name) > 200:
        raise Refused(_("Imię i nazwisko może mieć najwyżej 200 znaków."), field="name")
    organisation, unit = _placement(role, organisation, unit)
    _require_active_unit(unit)
    user = User(email=email, name=name, role=role, organisation=organisation, unit=unit, password_hash="",
                active=True)
    db.session.add(user)
    db.session.flush()
    _send_invitation(actor, user, "invite")
    return user


def resend_invitation(actor, user: User) -> None:
    """A new invitation link (the ones sent before work no more), for an invitation not yet accepted."""
    _require_admin(actor)
    user = lock_for_update(User, user.id)
    if not user.invitation_pending or not user.active:
        raise Refused(_("To konto nie czeka na przyjęcie zaproszenia."))
    _send_invitation(actor, user, "resend")


def _invited(token: str, *, lock: bool = False) -> User:
    return _account_of_link("invitation", token, max_age=_invitation_age(), state_of=_invitation_state,
                            may_use=lambda user: user.invitation_pending, lock=lock)


def invitee(token: str) -> User:
    """The account an invitation link is for; raises tokens.TokenInvalid (or TokenExpired) when it works no more."""
    return _invited(token)


def accept_invitation(token: str, password: str) -> User:
    """The invitee sets their password: the account is theirs, and the link works no more."""
    user = _invited(token, lock=True)
    _checked_password(password, user.email)
    _set_password(user, password)
    user.invitation_accepted_at = utcnow()
    if user.email_confirmed_at is None:  # the invitation reached this address: it is confirmed
        user.email_confirmed_at = user.invitation_accepted_at
    audit.record(user, "user", user.id, "accept_invitation")
    return user


def edit_user(actor, user: User, *, name: str, role: str, organisation=None, unit=None) -> User:
    """An administrator changes an account's name, role and organisation or unit."""
    _require_admin(actor)
    user = lock_for_update(User, user.id)
    name = (name or "").strip()
    if not name:
        raise Refused(_("Wpisz imię i nazwisko."), field="name")
    if len(name) > 200:
        raise Refused(_("Imię i nazwisko może mieć najwyżej 200 znaków."), field="name")
    organisation, unit = _placement(role, organisation, unit)
    if unit is not None and unit.id != user.unit_id:  # staying in a unit that closed is history, moving in is not
        _require_active_unit(unit)
    if user.id == getattr(actor, "id", None) and role != user.role:
        raise Refused(_("Nie możesz zmienić roli własnego konta: poproś o to innego administratora."), field="role")
    before = {"name": user.name, "role": user.role, "organisation_id": user.organisation_id, "unit_id": user.unit_id}
    user.name, user.role, user.organisation, user.unit = name, role, organisation, unit
    # Inside an organisation a person has a role in it (a member unless they administered it already); outside none.
    user.organisation_role = (user.organisation_role or "member") if role == "ngo" and organisation else None
    db.session.flush()
    after = {"name": user.name, "role": user.role, "organisation_id": user.organisation_id, "unit_id": user.unit_id}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        audit.record(actor, "user", user.id, "edit", **changed)
    return user


def set_active(actor, user: User, active: bool) -> User:
    """Deactivate an account (it can no longer sign in and every session of it ends) or reactivate it.

    The only active administrator of an organisation in which other active people remain is not deactivated:
    nobody would then let people in or choose who submits for it (the same rule as a person's own erasure,
    consult/auth/privacy.py). One of its members is made an administrator first."""
    _require_admin(actor)
    if not active:
        from consult.organisations.models import Organisation

        organisation_id = db.session.scalar(db.select(User.organisation_id).where(User.id == user.id))
        if organisation_id is not None:
            # The lock a change of roles in the organisation takes (consult/membership/operations.py), taken before
            # the account's: its last two administrators deactivated at once cannot both pass the check below.
            lock_for_update(Organisation, organisation_id)
    user = lock_for_update(User, user.id)
    if user.id == getattr(actor, "id", None):
        raise Refused(_("Nie możesz dezaktywować własnego konta."))
    if user.active == active:
        return user
    if not active and sole_organisation_administrator(user):
        raise Refused(_("Nie dezaktywowano konta: to jedyny aktywny administrator organizacji %(name)s, a należą "
                        "do niej inne osoby, więc nikt nie mógłby przyjmować jej członków ani decydować, kto składa "
                        "w jej imieniu. Najpierw niech ktoś z jej członków zostanie jej administratorem (nadaje to "
                        "administrator organizacji na jej stronie, lista „Członkowie”), potem dezaktywuj konto.",
                        name=user.organisation.name))
    user.active = active
    if active:
        audit.record(actor, "user", user.id, "reactivate", from_state="inactive", to_state="active")
    else:
        user.end_sessions()
        audit.record(actor, "user", user.id, "deactivate", from_state="active", to_state="inactive")
    return user
