"""The database gone for a moment (restarted, failed over, the network cut): what counts as that.

Pages answer such an error with the site's 503 page and a Retry-After (consult/web.py) instead of a 500, and the
workers' tasks try again later (worker/tasks.py) instead of failing the job: the transaction it broke was rolled
back whole, so trying again later is safe.
"""
from __future__ import annotations

from sqlalchemy import exc as sa_exc

# The classes an unavailable database raises; database_unavailable() tells which of their errors mean that (an
# OperationalError may also be SQLite's "no such table", a bug and not an outage).
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError)

# SQLSTATE classes of PostgreSQL that mean "not now" rather than "wrong": connection exception (08), operator
# intervention such as a shutdown or a server still starting (57P), insufficient resources (53).
_PG_UNAVAILABLE = ("08", "57P", "53")


def database_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, (sa_exc.InterfaceError, sa_exc.DisconnectionError)):
        return True
    if not isinstance(exc, sa_exc.OperationalError):
        return False
    if exc.connection_invalidated:  # SQLAlchemy recognised a lost connection
        return True
    orig = exc.orig
    module = type(orig).__module__
    if module.startswith("psycopg"):
        sqlstate = getattr(orig, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith(_PG_UNAVAILABLE)  # None: no server answered at all
    if module.startswith("sqlite3"):
        return "locked" in str(orig) or "busy" in str(orig)  # another writer holds it longer than the timeout
    return False


def retry_after() -> int:
    """Seconds a client is asked to wait (Retry-After); a restarted PostgreSQL is back within seconds."""
    import os

    try:
        return max(1, int(os.environ.get("CONSULT_RETRY_AFTER", "").strip() or 30))
    except ValueError:
        return 30
