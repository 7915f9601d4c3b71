"""Sending one e-mail through the SMTP server the configuration names (SMTP_* and MAIL_FROM).

`send` raises `DeliveryError` with a reason a coordinator can read when the server cannot be reached or refuses
the message (an SMTP 4xx or 5xx answer); the caller decides whether to try again.
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from consult.core.types import utcnow


class DeliveryError(Exception):
    """The e-mail was not delivered to the SMTP server; `str(exc)` says why."""


def smtp_configured(config) -> bool:
    return bool(config.get("SMTP_HOST"))


def build_message(config, *, to_address: str, to_name: str, subject: str, text: str, locale: str,
                  attachments=()) -> EmailMessage:
    """The e-mail; `attachments`: (file name, PDF bytes) pairs it carries (a receipt's PDF)."""
    sender = config["MAIL_FROM"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((to_name, to_address))
    message["Subject"] = " ".join(subject.split())  # a header has no line breaks
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=domain)  # with a domain: make_msgid asks DNS for ours otherwise
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to this
    message.set_content(text)
    for filename, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    message["Content-Language"] = locale  # after set_content, which drops the Content-* headers it finds
    return message


def send(config, message: EmailMessage) -> None:
    host, port, timeout = config["SMTP_HOST"], int(config["SMTP_PORT"]), float(config["SMTP_TIMEOUT"])
    try:
        if config.get("SMTP_SSL"):
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if config.get("SMTP_STARTTLS") and not config.get("SMTP_SSL"):
                client.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USERNAME"):
                client.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        answers = "; ".join(f"{code} {_text(text)}" for code, text in exc.recipients.values())
        raise DeliveryError(f"Serwer SMTP odrzucił adres odbiorcy: {answers}") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"Serwer SMTP odmówił: {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (smtplib.SMTPException, OSError) as exc:  # refused, unreachable, timed out
        raise DeliveryError(f"Nie udało się połączyć z serwerem SMTP {host}:{port}: {exc}") from None


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
