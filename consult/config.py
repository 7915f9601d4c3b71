"""Settings from environment variables, with embedded defaults so that the app runs with no setup.

DATABASE_URL   SQLAlchemy URL; default: a SQLite file in instance/ (postgres:// is accepted too).
REDIS_URL      Celery broker and result backend; without it jobs run in process.
SECRET_KEY     signs sessions and CSRF tokens; without it a random key is made and kept in instance/.
CONSULT_STORAGE where compiled documents are stored; default: instance/storage.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    return Path(os.environ.get("CONSULT_INSTANCE", PROJECT_ROOT / "instance")).resolve()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance / 'consult.db'}"
    # Heroku-style and plain postgresql:// URLs both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _secret_key(instance: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    # Embedded default: one random key per installation, kept so sessions survive a restart.
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_config(overrides: dict | None = None) -> dict:
    instance = instance_path()
    instance.mkdir(parents=True, exist_ok=True)
    storage = Path(os.environ.get("CONSULT_STORAGE", instance / "storage")).resolve()
    cfg = {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL", "").strip() or None,
        "CONSULT_STORAGE": str(storage),
        "CONSULT_TIMEZONE": "Europe/Warsaw",
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
        "LANGUAGES": ["pl", "en", "uk"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a long form may be open for hours; the token is tied to the session
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "PAGE_SIZE": 50,
    }
    if overrides:
        cfg.update(overrides)
    return cfg
