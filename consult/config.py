"""Settings from environment variables, with embedded defaults so that the app runs with no setup.

DATABASE_URL   SQLAlchemy URL; default: a SQLite file in instance/ (postgres:// is accepted too).
REDIS_URL      Celery broker and result backend; without it jobs run in process.
SECRET_KEY     signs sessions and CSRF tokens; without it a random key is made and kept in instance/.
CONSULT_STORAGE where compiled documents and attached files are stored; default: instance/storage.
SMTP_HOST ...  e-mail delivery (see `_mail_settings`); without SMTP_HOST nothing is sent and the coordinators'
               outbox page shows what would have been.
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


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _number(name: str, default: float, cast=float):
    try:
        return cast(os.environ.get(name, "").strip() or default)
    except ValueError:
        return cast(default)


def _mail_settings() -> dict:
    """E-mail delivery, from the environment.

    SMTP_HOST        the SMTP server; unset: no e-mail is sent (the demo), the outbox shows what would be
    SMTP_PORT        default 465 with SMTP_SSL, 587 with SMTP_STARTTLS, else 25
    SMTP_USERNAME / SMTP_PASSWORD   log in when a username is given
    SMTP_STARTTLS=1  upgrade the connection with STARTTLS;  SMTP_SSL=1: TLS from the first byte
    SMTP_TIMEOUT     seconds to wait for the server (default 30)
    MAIL_FROM        the sender, e.g. "Konsultacje NGO <konsultacje@um.krakow.pl>"
    CONSULT_BASE_URL the address the links in e-mails lead to (default http://127.0.0.1:5000)
    CONSULT_MAIL_MAX_ATTEMPTS  attempts before an e-mail is shown as failed (default 5)
    CONSULT_MAIL_RETRY_DELAY   seconds before the first retry, doubled for each next one (default 60)
    CONSULT_REMINDER_DAYS      how many days before a deadline the reminders go (default 3)
    """
    use_ssl, starttls = _flag("SMTP_SSL"), _flag("SMTP_STARTTLS")
    return {
        "SMTP_HOST": os.environ.get("SMTP_HOST", "").strip() or None,
        "SMTP_PORT": _number("SMTP_PORT", 465 if use_ssl else 587 if starttls else 25, int),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", "").strip() or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": starttls,
        "SMTP_SSL": use_ssl,
        "SMTP_TIMEOUT": _number("SMTP_TIMEOUT", 30.0),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "").strip() or "consult <consult@localhost>",
        "CONSULT_BASE_URL": (os.environ.get("CONSULT_BASE_URL", "").strip() or "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_MAX_ATTEMPTS": max(1, _number("CONSULT_MAIL_MAX_ATTEMPTS", 5, int)),
        "MAIL_RETRY_DELAY": max(0.0, _number("CONSULT_MAIL_RETRY_DELAY", 60.0)),
        "REMINDER_DAYS": max(1, _number("CONSULT_REMINDER_DAYS", 3, int)),
    }


def _access_settings() -> dict:
    """Signing in and the links that give access, from the environment.

    CONSULT_LOGIN_ACCOUNT_LIMIT   failed sign-ins with one address typed before tries wait (default 5)
    CONSULT_LOGIN_ADDRESS_LIMIT   failed sign-ins from one network address before tries wait (default 20)
    CONSULT_LOGIN_WINDOW_MINUTES  the window both count in, and the longest wait (default 15)
    CONSULT_RESET_LINK_MINUTES    how long a link to set a new password works (default 60)
    CONSULT_INVITATION_DAYS       how long an invitation's link works (default 7)
    CONSULT_PROXIES               how many reverse proxies before the app set X-Forwarded-For (default 0: none;
                                  the client's address is then the connection's)
    """
    return {
        "LOGIN_ACCOUNT_LIMIT": max(1, _number("CONSULT_LOGIN_ACCOUNT_LIMIT", 5, int)),
        "LOGIN_ADDRESS_LIMIT": max(1, _number("CONSULT_LOGIN_ADDRESS_LIMIT", 20, int)),
        "LOGIN_WINDOW_MINUTES": max(1.0, _number("CONSULT_LOGIN_WINDOW_MINUTES", 15.0)),
        "RESET_ACCOUNT_LIMIT": 3,
        "RESET_ADDRESS_LIMIT": 20,
        "RESET_LINK_MINUTES": max(5, _number("CONSULT_RESET_LINK_MINUTES", 60, int)),
        "EMAIL_CHANGE_LINK_HOURS": 24,
        "INVITATION_DAYS": max(1, _number("CONSULT_INVITATION_DAYS", 7, int)),
        "PROXIES": max(0, _number("CONSULT_PROXIES", 0, int)),
    }


def load_config(overrides: dict | None = None) -> dict:
    instance = instance_path()
    instance.mkdir(parents=True, exist_ok=True)
    storage = Path(os.environ.get("CONSULT_STORAGE", instance / "storage")).resolve()
    cfg = {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL", "").strip() or None,
        # The consultation report kept warm (consult.consultation_report.warm): a changed section is rendered again
        # in the background REPORT_WARM_DELAY seconds after the first edit of a burst (at once by default); the
        # later edits of the section within REPORT_WARM_DEBOUNCE seconds of that render are rendered once, after it.
        "REPORT_WARM_DELAY": max(0.0, _number("CONSULT_REPORT_WARM_DELAY", 0.0)),
        "REPORT_WARM_DEBOUNCE": max(0.0, _number("CONSULT_REPORT_WARM_DEBOUNCE", 5.0)),
        # How long a compile waits for a section another process is rendering (consult.consultation_report.inflight)
        # before it renders the section itself; a claim older than this is taken for a render that died.
        "REPORT_RENDER_WAIT": max(1.0, _number("CONSULT_REPORT_RENDER_WAIT", 60.0)),
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
        # An upload of 10 MB (consult.attachments.models.MAX_SIZE) and the multipart envelope around it; more is
        # refused before it is read, with the 413 page naming the 10 MB.
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024 + 64 * 1024,
        "PAGE_SIZE": 50,
        **_mail_settings(),
        **_access_settings(),
    }
    if overrides:
        cfg.update(overrides)
    return cfg
