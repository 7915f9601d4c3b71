"""The database gone for a moment (restarted, failed over, the network cut): what counts as that.

Pages answer such an error with the site's 503 page and a Retry-After (consult/web.py) instead of a 500, and the
workers' tasks try again later (worker/tasks.py) instead of failing the job: the transaction it broke was rolled
back whole, so trying again later is safe.
"""
from __future__ import annotations

from sqlalchemy import exc as sa_exc

# OperationalError: the server cannot be reached or went away (psycopg's, SQLite's "database is locked");
# InterfaceError: the connection was closed under us; DisconnectionError: the pool's pre-ping gave up.
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError)


def database_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, UNAVAILABLE)


def retry_after() -> int:
    """Seconds a client is asked to wait (Retry-After); a restarted PostgreSQL is back within seconds."""
    import os

    try:
        return max(1, int(os.environ.get("CONSULT_RETRY_AFTER", "").strip() or 30))
    except ValueError:
        return 30
