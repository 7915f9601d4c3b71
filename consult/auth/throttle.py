"""Making repeated tries wait: failed sign-ins per account and per address, and password-reset requests.

Every failed sign-in is a row of `access_attempts` (the address typed, whether an account has it or not, so
that the answer does not tell which addresses are accounts; and the client's network address). Before a password
is checked, the last failures are counted:

- for the address typed: LOGIN_ACCOUNT_LIMIT failures within LOGIN_WINDOW_MINUTES since the account last signed in
  or got a new password;
- from the network address: LOGIN_ADDRESS_LIMIT failures within the same window, whatever the account (higher:
  a city office's staff reach the site from one address).

While either limit is reached the password is not checked at all – the right one is refused too – until the
oldest of those failures leaves the window: at most LIMIT tries per window, however fast they come. The rows are
in the database, so every gunicorn process and every machine counts the same.

Password-reset requests are counted the same way (RESET_ACCOUNT_LIMIT per hour for one address typed,
RESET_ADDRESS_LIMIT from one network address): beyond them no e-mail goes, and the page says what it always says.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import delete

from consult.auth.models import AccessAttempt
from consult.core.types import utcnow
from consult.extensions import db

KEEP = timedelta(days=1)  # attempts older than this count for nothing and are deleted
RESET_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Wait:
    """Tries are refused until `until`; `scope` says why: "account" (the address typed) or "address" (where the
    tries come from)."""

    until: datetime
    scope: str

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.until - utcnow()).total_seconds() / 60))


def client_address() -> str:
    """The network address the request came from (behind a proxy: what CONSULT_PROXIES trusted proxies say)."""
    address = request.remote_addr if has_request_context() else None
    return (address or "unknown")[:64]


def _window() -> timedelta:
    return timedelta(minutes=float(current_app.config["LOGIN_WINDOW_MINUTES"]))


def _nth_latest(kind: str, column, value: str, n: int, after: datetime) -> datetime | None:
    """The time of the n-th latest attempt of `kind` with `column == value` after `after` (None: fewer than n)."""
    if n <= 0:
        return after
    return db.session.scalar(
        db.select(AccessAttempt.occurred_at)
        .where(AccessAttempt.kind == kind, column == value, AccessAttempt.occurred_at > after)
        .order_by(AccessAttempt.occurred_at.desc(), AccessAttempt.id.desc()).offset(n - 1).limit(1))


def sign_in_wait(email: str, address: str, *, account=None) -> Wait | None:
    """How long tries to sign in as `email` from `address` must wait now (None: they may go on). `account` is the
    account with that address, whose last sign-in or new password forgives the failures before it."""
    config = current_app.config
    window = _window()
    now = utcnow()
    since = now - window
    forgiven = [t for t in (getattr(account, "last_login_at", None), getattr(account, "password_changed_at", None))
                if t is not None]
    account_since = max([since, *forgiven])
    waits = []
    oldest = _nth_latest("failed_sign_in", AccessAttempt.email, email, int(config["LOGIN_ACCOUNT_LIMIT"]),
                         account_since)
    if oldest is not None:
        waits.append(Wait(oldest + window, "account"))
    oldest = _nth_latest("failed_sign_in", AccessAttempt.address, address, int(config["LOGIN_ADDRESS_LIMIT"]), since)
    if oldest is not None:
        waits.append(Wait(oldest + window, "address"))
    waits = [w for w in waits if w.until > now]
    return max(waits, key=lambda w: w.until) if waits else None


def record(kind: str, email: str, address: str) -> AccessAttempt:
    """Keep an attempt (and forget those too old to count)."""
    db.session.execute(delete(AccessAttempt).where(AccessAttempt.kind == kind,
                                                   AccessAttempt.occurred_at < utcnow() - KEEP))
    attempt = AccessAttempt(kind=kind, email=email[:254], address=address[:64], occurred_at=utcnow())
    db.session.add(attempt)
    db.session.flush()
    return attempt


def reset_allowed(email: str, address: str) -> bool:
    """Whether one more reset e-mail may go for `email` asked from `address` (counting the request just recorded)."""
    config = current_app.config
    since = utcnow() - RESET_WINDOW
    by_email = _nth_latest("password_reset", AccessAttempt.email, email, int(config["RESET_ACCOUNT_LIMIT"]) + 1,
                           since)
    by_address = _nth_latest("password_reset", AccessAttempt.address, address,
                             int(config["RESET_ADDRESS_LIMIT"]) + 1, since)
    return by_email is None and by_address is None
