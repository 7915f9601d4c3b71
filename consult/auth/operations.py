"""Creating accounts (admins only; the demo and the first admin come from the CLI)."""
from __future__ import annotations

from flask_babel import gettext as _

from consult.auth.models import ROLES, User
from consult.core import audit
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.input import is_email_address
from consult.core.submissions import once
from consult.core.types import utcnow
from consult.extensions import db

MIN_PASSWORD = 10


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
    if len(password or "") < MIN_PASSWORD:
        raise Refused(_("Hasło musi mieć co najmniej %(n)s znaków.", n=MIN_PASSWORD), field="password")
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
