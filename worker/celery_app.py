"""The Celery app, configured from REDIS_URL (broker and result backend).

Jobs are acknowledged late and rejected (so redelivered) when the worker process dies, and a worker
takes one job at a time: a job interrupted by a crash runs again, and the task is idempotent.
Redis redelivers a message whose worker vanished once its visibility timeout has passed;
CONSULT_CELERY_VISIBILITY_TIMEOUT (seconds, default 3600) must stay longer than the longest job.
A job that runs longer than CONSULT_JOB_TIME_LIMIT (seconds, default 1200) is stopped and marked failed.

With `celery -A worker.celery_app beat` (or a worker started with -B) the reminders before deadlines are written
every hour, e-mails left due (a broker that was down, a worker that died) are sent and the consultation report's
sections left stale are rendered (consult.consultation_report.warm) every five minutes; cron
running `consult send-reminders` and `consult send-mail` does the same without beat.

    celery -A worker.celery_app worker -l info
"""
from __future__ import annotations

import os
from functools import lru_cache

from celery import Celery

TASK_MODULES = ["worker.tasks"]


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "").strip() or default)
    except ValueError:
        return default


def make_celery(redis_url: str | None) -> Celery:
    app = Celery("consult", broker=redis_url or "memory://", backend=redis_url or "cache+memory://",
                 include=TASK_MODULES)
    transport = {"visibility_timeout": _int_env("CONSULT_CELERY_VISIBILITY_TIMEOUT", 3600)}
    restore_interval = _int_env("CONSULT_CELERY_RESTORE_INTERVAL", 0)
    if restore_interval > 0:  # how often a worker looks for messages of workers that died
        transport.update(unacked_restore_interval=restore_interval, unacked_restore_throttle=1)
    soft_limit = _int_env("CONSULT_JOB_TIME_LIMIT", 1200)
    app.conf.update(
        # The soft limit raises inside the job, which then marks itself failed with the reason; the hard
        # limit, a minute later, is for a job that does not come back from C code.
        task_soft_time_limit=soft_limit,
        task_time_limit=soft_limit + 60,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="consult",
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # Without Redis there is no worker: tasks called directly run in this process.
        task_always_eager=not redis_url,
        timezone="Europe/Warsaw",
        beat_schedule={
            "send-reminders": {"task": "consult.send_reminders", "schedule": 3600.0},
            "send-due-mail": {"task": "consult.send_due_mail", "schedule": 300.0},
            "warm-stale-report-sections": {"task": "consult.warm_stale_report_sections", "schedule": 300.0},
        },
    )
    return app


celery = make_celery(os.environ.get("REDIS_URL", "").strip() or None)
app = celery  # `celery -A worker.celery_app` finds it under either name


@lru_cache(maxsize=4)
def _client(url: str) -> Celery:
    return make_celery(url)


def client_for(url: str) -> Celery:
    """The Celery app that sends jobs to `url` (the web app's REDIS_URL may differ from the environment's)."""
    if url == (os.environ.get("REDIS_URL", "").strip() or None):
        return celery
    return _client(url)


# --- the heartbeat /health reads (consult/core/health.py) -------------------------------------------------------

_heartbeat = None


def _start_heartbeat(sender=None, **_kwargs) -> None:
    global _heartbeat
    url = os.environ.get("REDIS_URL", "").strip()
    if url and _heartbeat is None:
        from consult.core.health import Heartbeat

        _heartbeat = Heartbeat(url, getattr(sender, "hostname", None) or str(os.getpid())).start()


def _stop_heartbeat(**_kwargs) -> None:
    global _heartbeat
    if _heartbeat is not None:
        _heartbeat.stop()
        _heartbeat = None


from celery.signals import worker_ready, worker_shutdown  # noqa: E402

worker_ready.connect(_start_heartbeat, weak=False)
worker_shutdown.connect(_stop_heartbeat, weak=False)
