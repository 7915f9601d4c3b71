"""A resident's own account: enough to book a room of a place of activity (MAM's regulations let anyone ask).

Minimal on purpose: name, e-mail and password, the role `resident`, no organisation. The self-registration of
NGO people (with their organisation's verification) is another piece of work; this one does not verify the
address either, which is acceptable for a request the operator reads and decides on.
"""
from __future__ import annotations

from consult.auth.operations import create_user


def register_resident(*, name: str, email: str, password: str):
    # audited by create_user as the making of an account, by nobody signed in
    return create_user(None, email=email, name=name, password=password, role="resident", bootstrap=True)
