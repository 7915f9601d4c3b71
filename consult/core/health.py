"""What keeps the service up, as the operators' monitoring reads it: `GET /health` (JSON), and the workers' heartbeat.

/health answers 200 when every check passes and 503 when one does not:

- database: a `SELECT 1` answers;
- redis: the broker answers a PING (without REDIS_URL jobs run in the web process: nothing to check);
- storage: CONSULT_STORAGE takes a file and has at least CONSULT_STORAGE_MIN_FREE_MB free (default 100);
- worker: a Celery worker wrote its heartbeat into Redis (`consult:worker-heartbeat:<name>`, every
  CONSULT_HEARTBEAT_INTERVAL seconds, default 10) no longer than CONSULT_HEARTBEAT_MAX_AGE seconds ago
  (default three intervals); the answer says how old the newest one is.

The answer is public: it names no host, user, password, path or error text, only what is up and how much.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from flask import Blueprint, current_app, jsonify

from consult.core.access import public

HEARTBEAT_PREFIX = "consult:worker-heartbeat:"

bp = Blueprint("health", __name__)


def _setting(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "").strip() or default)
    except ValueError:
        return float(default)


def heartbeat_interval() -> float:
    return max(0.2, _setting("CONSULT_HEARTBEAT_INTERVAL", 10))


def heartbeat_max_age() -> float:
    return _setting("CONSULT_HEARTBEAT_MAX_AGE", 3 * heartbeat_interval())


def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def check_database() -> dict:
    from sqlalchemy import text

    from consult.extensions import db

    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as exc:  # noqa: BLE001 - any failure means: the database does not answer
        db.session.rollback()
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "dialect": db.engine.dialect.name,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def check_redis(url: str | None) -> dict:
    if not url:
        return {"ok": True, "configured": False}
    started = time.perf_counter()
    try:
        _redis_client(url).ping()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "configured": True, "error": type(exc).__name__}
    return {"ok": True, "configured": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def check_storage(root: Path, min_free: int) -> dict:
    result: dict = {"min_free_bytes": min_free}
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".tmp-health-", suffix=".part") as probe:
            probe.write(b"ok")
            probe.flush()
        result["writable"] = True
    except OSError as exc:
        result.update(writable=False, error=type(exc).__name__)
    try:
        usage = shutil.disk_usage(root)
        result.update(free_bytes=usage.free, total_bytes=usage.total)
    except OSError:
        result["free_bytes"] = None
    result["ok"] = bool(result["writable"] and result["free_bytes"] is not None and result["free_bytes"] >= min_free)
    return result


def check_worker(url: str | None) -> dict:
    if not url:
        return {"ok": True, "configured": False}
    max_age = heartbeat_max_age()
    try:
        client = _redis_client(url)
        beats = [float(v) for v in (client.get(k) for k in client.scan_iter(f"{HEARTBEAT_PREFIX}*")) if v]
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "configured": True, "error": type(exc).__name__, "max_age_seconds": max_age}
    if not beats:
        return {"ok": False, "configured": True, "workers": 0, "heartbeat_age_seconds": None,
                "max_age_seconds": max_age}
    age = max(0.0, time.time() - max(beats))
    return {"ok": age <= max_age, "configured": True, "workers": len(beats),
            "heartbeat_age_seconds": round(age, 1), "max_age_seconds": max_age}


@bp.route("/health")
@public
def health():
    url = current_app.config.get("REDIS_URL")
    min_free = int(_setting("CONSULT_STORAGE_MIN_FREE_MB", 100) * 1024 * 1024)
    checks = {"database": check_database(), "redis": check_redis(url),
              "storage": check_storage(Path(current_app.config["CONSULT_STORAGE"]), min_free),
              "worker": check_worker(url)}
    healthy = all(check["ok"] for check in checks.values())
    response = jsonify({"status": "ok" if healthy else "unavailable", "checks": checks})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the workers' side -----------------------------------------------------------------------------------------

class Heartbeat:
    """A thread of a worker's main process that writes the time into Redis every interval while the worker runs."""

    def __init__(self, url: str, name: str, interval: float | None = None):
        import threading

        self.url, self.key = url, f"{HEARTBEAT_PREFIX}{name}"
        self._client = _redis_client(url)  # reconnects by itself after Redis restarts
        self.interval = interval or heartbeat_interval()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="consult-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def beat(self) -> None:
        # Kept ten intervals: a worker that died leaves a stale beat for /health to see, then none.
        self._client.set(self.key, f"{time.time():.3f}", ex=max(60, int(10 * self.interval)))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - Redis away: the next beat tries again
                pass
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self._client.delete(self.key)
        except Exception:  # noqa: BLE001
            pass
