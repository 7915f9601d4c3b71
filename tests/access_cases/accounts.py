"""Recovering and changing access (public links, one's own account) and administrators' accounts pages.

The links' cases make a working token from the world each time they are asked for (a reset, an invitation, an
address change of an account kept apart from the world's people, so that using a link changes nobody the walk
signs in as)."""
from __future__ import annotations

from tests.access_cases import ALL, SIGNED_IN, Case

ADMIN = frozenset({"admin"})
NEW_PASSWORD = "zielony-tramwaj-na-kazimierzu"


def apart(w):
    """An account nobody in the walk signs in as (made once per world)."""
    from consult.auth.models import User
    from consult.auth.operations import create_user
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db

    user = db.session.scalar(db.select(User).where(User.email == "osobno@example.org"))
    if user is None:
        with transaction():
            user = create_user(SYSTEM, email="osobno@example.org", name="Konto Osobne", password="haslo-osobne-12345",
                               role="coordinator", bootstrap=True)
    return user


def invitee(w):
    """An invitation not yet accepted (made once per world; accepted, a new one is made)."""
    from consult.auth.models import User
    from consult.auth.operations import invite_user
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db

    pending = db.session.scalar(db.select(User).where(User.email.like("zaproszona%@example.org"),
                                                      User.invitation_accepted_at.is_(None)))
    if pending is None:
        count = db.session.scalar(db.select(db.func.count()).select_from(User)
                                  .where(User.email.like("zaproszona%@example.org")))
        with transaction():
            pending = invite_user(SYSTEM, email=f"zaproszona{count}@example.org", name="Zaproszona Osoba",
                                  role="unit", unit=w.unit_y)
    return pending


def reset_url(w) -> str:
    from consult.auth.operations import _reset_state
    from consult.core import tokens

    user = apart(w)
    return f"/haslo/nowe/{tokens.make('reset-password', user.id, _reset_state(user))}"


def invitation_url(w) -> str:
    from consult.auth.operations import _invitation_state
    from consult.core import tokens

    user = invitee(w)
    return f"/zaproszenie/{tokens.make('invitation', user.id, _invitation_state(user))}"


def email_url(w) -> str:
    from consult.auth.operations import _email_state
    from consult.core import tokens

    user = apart(w)
    return f"/konto/adres/{tokens.make('change-email', user.id, _email_state(user), to='inny-adres@example.org')}"


CASES = [
    Case("account.forgot_password", lambda w: "/haslo/nie-pamietam", ALL),
    Case("account.forgot_password", lambda w: "/haslo/nie-pamietam", ALL, method="POST",
         data=lambda w: {"email": "osobno@example.org"}),
    Case("account.reset_password", reset_url, ALL),
    # (the two passwords differ: refused, so that a walk's browser is not signed in as another account)
    Case("account.reset_password", reset_url, ALL, method="POST",
         data=lambda w: {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"}),
    Case("account.accept_invitation", invitation_url, ALL),
    Case("account.accept_invitation", invitation_url, ALL, method="POST",
         data=lambda w: {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"}),
    Case("account.confirm_email", email_url, ALL),
    Case("account.confirm_email", email_url, ALL, method="POST", data=lambda w: {}),
    Case("account.settings", lambda w: "/konto", SIGNED_IN),
    Case("account.change_password", lambda w: "/konto/haslo", SIGNED_IN),
    Case("account.change_password", lambda w: "/konto/haslo", SIGNED_IN, method="POST",
         data=lambda w: {"current": "nie-to-haslo-123", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    Case("account.change_email", lambda w: "/konto/adres", SIGNED_IN),
    Case("account.change_email", lambda w: "/konto/adres", SIGNED_IN, method="POST",
         data=lambda w: {"email": "nowy-adres@example.org", "password": "nie-to-haslo-123"}),
    Case("admin.user_detail", lambda w: f"/rejestry/konta/{apart(w).id}", ADMIN),
    Case("admin.user_detail", lambda w: f"/rejestry/konta/{apart(w).id}", ADMIN, method="POST",
         data=lambda w: {"name": "Konto Osobne Zmienione", "role": "unit", "unit": str(w.unit_y.id),
                         "organisation": ""}),
    Case("admin.resend_invitation", lambda w: f"/rejestry/konta/{invitee(w).id}/zaproszenie", ADMIN, method="POST",
         data=lambda w: {}),
    Case("admin.deactivate_user", lambda w: f"/rejestry/konta/{apart(w).id}/dezaktywacja", ADMIN, method="POST",
         data=lambda w: {}),
    Case("admin.reactivate_user", lambda w: f"/rejestry/konta/{apart(w).id}/aktywacja", ADMIN, method="POST",
         data=lambda w: {}),
]
