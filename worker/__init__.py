"""The Celery app, its tasks, and PDF rendering with WeasyPrint.

Run a worker with:  REDIS_URL=redis://127.0.0.1:6379/0 celery -A worker.celery_app worker -l info
(it reads DATABASE_URL and CONSULT_STORAGE like the web app does).
"""
