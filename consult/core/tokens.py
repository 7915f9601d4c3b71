"""Signed, time-limited, single-use links: e-mail confirmation, password reset, invitations, e-mail change.

A token names its purpose (a link made to confirm an address cannot reset a password), the record it is about and a
fingerprint of the state it may change: `fingerprint` is computed from that record when the token is made and again
when it is used, so a token stops working as soon as what it was for has happened (the password changed, the address
confirmed, the invitation accepted). That makes tokens single-use without a table of used tokens. Tokens are signed
with SECRET_KEY (itsdangerous, which Flask itself uses) and carry the time they were made: `read` refuses one older
than `max_age` seconds.

    token = tokens.make("reset-password", user.id, tokens.fingerprint(user.password_hash))
    user_id = tokens.read("reset-password", token, max_age=3600,
                          fingerprint_of=lambda uid: tokens.fingerprint(db.session.get(User, uid).password_hash))
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from consult.core.types import utcnow


class TokenInvalid(Exception):
    """The link is not one we made, was made for something else, or what it was for has already happened."""


class TokenExpired(TokenInvalid):
    """The link was ours but is older than it may be."""


class _ClockSigner(TimestampSigner):
    """Stamps and checks ages by consult's clock (`clock_at` moves it in the demo and the tests)."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult-token:{purpose}",
                                  signer=_ClockSigner)


def fingerprint(*parts) -> str:
    """A short digest of the state a token may change (parts are joined as text; None counts as empty)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make(purpose: str, subject_id: int, state: str = "", **extra) -> str:
    """A token for `purpose` about record `subject_id`, valid while its fingerprint stays `state`."""
    return _serializer(purpose).dumps({"id": subject_id, "fp": state, **extra})


def read(purpose: str, token: str, *, max_age: int, fingerprint_of: Callable[[int], str | None]) -> dict:
    """The token's payload ({"id": ..., **extra}) if it is ours, for `purpose`, not older than `max_age` seconds and
    its record is still in the state it was made for (`fingerprint_of(id)`: None when the record is gone)."""
    try:
        payload = _serializer(purpose).loads(token or "", max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired() from exc
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise TokenInvalid() from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        raise TokenInvalid()
    current = fingerprint_of(payload["id"])
    if current is None or not hmac.compare_digest(str(current), str(payload.get("fp", ""))):
        raise TokenInvalid()
    return payload
