"""Subjects and bodies of notifications, from templates/mail/<kind>.txt, in the recipient's language.

A mail template has two blocks, `subject` and `body`, written with Polish msgids (`_()`), so the catalogues
translate e-mails as they translate pages. The e-mail adds a footer (templates/mail/_footer.txt) to the body.
Links are absolute (CONSULT_BASE_URL + the path): an e-mail is read outside the application.
"""
from __future__ import annotations

import re

from flask import current_app
from flask_babel import force_locale


def recipient_locale(user) -> str:
    """The language the user reads in (users.locale where the column exists), else the city's."""
    chosen = getattr(user, "locale", None) or "pl"
    return chosen if chosen in current_app.config.get("LANGUAGES", ["pl"]) else "pl"


def path_for(endpoint: str, **values) -> str:
    """A path of this application without needing a request (hooks also run from the CLI and the worker)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(path: str) -> str:
    return current_app.config["CONSULT_BASE_URL"] + path


def render(kind: str, locale: str, **context) -> tuple[str, str]:
    """(subject, body) of a notification of `kind` in `locale`."""
    template = current_app.jinja_env.get_template(f"mail/{kind}.txt")
    with force_locale(locale):
        ctx = template.new_context({"base_url": current_app.config["CONSULT_BASE_URL"], **context})
        subject = " ".join("".join(template.blocks["subject"](ctx)).split())
        body = _tidy("".join(template.blocks["body"](ctx)))
    return subject[:300], body


def email_text(note) -> str:
    """The text of the e-mail of a notification: its body and the footer, in the notification's language."""
    template = current_app.jinja_env.get_template("mail/_footer.txt")
    with force_locale(note.locale or "pl"):
        footer = _tidy(template.render(notifications_url=absolute(path_for("notifications.index")),
                                       has_account=note.recipient_id is not None))
    return f"{note.body}\n\n-- \n{footer}\n"


def _tidy(text: str) -> str:
    """Template indentation and tag lines out: no trailing spaces, at most one empty line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
