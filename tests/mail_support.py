"""A real SMTP server on localhost for the e-mail tests (aiosmtpd), started once per session.

On CI's second pass the session's Celery worker delivers the e-mails: it is started after this server and gets
its address, and short retry delays, in its environment (tests/summary_support.py), so that it reaches the same
server the tests read. Without REDIS_URL the tests' own process delivers, with the same settings (`smtp`).
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

# What the tests and the worker use: short delays keep the tests fast, three attempts show a bounded retry.
RETRY_DELAY = 0.2
MAX_ATTEMPTS = 3


@dataclass
class Inbox:
    """The server's handler: keeps what arrived, or refuses every recipient with `refuse` (e.g. "550 ...")."""

    messages: list[EmailMessage] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one entry per refused RCPT: an attempt that failed
    refuse: str | None = None
    refuse_times: int | None = None  # refuse this many recipients, then accept again (None: while `refuse` is set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            answer = self.refuse
            if answer and self.refuse_times is not None:
                if self.refuse_times <= 0:
                    answer = None
                else:
                    self.refuse_times -= 1
            if answer:
                self.refused.append(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.refused.clear()
            self.refuse = None
            self.refuse_times = None

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


@dataclass
class MailServer:
    host: str
    port: int
    inbox: Inbox

    def env(self) -> dict[str, str]:
        """The settings a worker process needs to deliver here."""
        return {"SMTP_HOST": self.host, "SMTP_PORT": str(self.port), "MAIL_FROM": "Konsultacje <consult@example.org>",
                "CONSULT_MAIL_RETRY_DELAY": str(RETRY_DELAY), "CONSULT_MAIL_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
                "CONSULT_BASE_URL": "https://konsultacje.example.org"}

    def config(self) -> dict:
        """The same settings as the application's configuration (what consult.config makes of env())."""
        return {"SMTP_HOST": self.host, "SMTP_PORT": self.port, "MAIL_FROM": "Konsultacje <consult@example.org>",
                "MAIL_RETRY_DELAY": RETRY_DELAY, "MAIL_MAX_ATTEMPTS": MAX_ATTEMPTS,
                "CONSULT_BASE_URL": "https://konsultacje.example.org", "SMTP_TIMEOUT": 10.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def mail_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    for attempt in range(5):
        # A free port may be taken before the server binds it (by a parallel xdist worker): take another.
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
        try:
            controller.start()
            break
        except OSError:
            if attempt == 4:
                raise
    yield MailServer("127.0.0.1", controller.port, inbox)
    controller.stop()


def wait_for_deliveries(timeout: float = 30.0) -> None:
    """Until no e-mail is queued: at once when delivery runs in process (its retries are driven by the test with
    `consult send-mail`); with REDIS_URL, while the worker delivers and retries."""
    from consult.extensions import db
    from consult.notifications.models import Notification

    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # see what the worker committed
        queued = db.session.scalar(db.select(db.func.count(Notification.id)).where(Notification.state == "queued"))
        if not queued:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{queued} e-mail(s) still queued after {timeout} s")
        time.sleep(0.05)
