"""A resident's own account: enough to book a room of a place of activity (MAM's regulations let anyone ask).

Minimal on purpose: name, e-mail and password, the role `resident`, no organisation. Like a person who signs up
for an NGO (consult/membership), a resident confirms their address by the signed single-use link sent to it
(consult/core/tokens.py, the same purpose and the same e-mail): until then they are signed in and may look
around, but the booking form says the address waits for confirmation and sends no request (an operator must be
able to reach whoever asks for a room). Signing in again before confirming is refused with the offer of a new
link, as for NGO people.
"""
from __future__ import annotations

from consult.auth.operations import create_user
from consult.core.jobs import after_commit
from consult.extensions import db


def register_resident(*, name: str, email: str, password: str, locale: str | None = None):
    from consult.notifications import membership as notices

    # audited by create_user as the making of an account, by nobody signed in
    user = create_user(None, email=email, name=name, password=password, role="resident", bootstrap=True)
    user.email_confirmed_at = None  # create_user vouches for addresses an administrator types; this one is not
    user.locale = locale
    db.session.flush()
    after_commit(db.session(), notices.run, notices.send_confirmation, user.id)
    return user


def resend_link(user) -> None:
    """The link again, to a signed-in resident whose address waits for confirmation (a few times an hour at most:
    send_confirmation counts)."""
    from consult.notifications import membership as notices

    if user.email_confirmed_at is None and user.active:
        after_commit(db.session(), notices.run, notices.send_confirmation, user.id)
