"""A create form sent twice makes one record.

A double click, a form sent again from the browser's history, or a page that times out and is sent again
would otherwise file two postulates, start two offers, queue two compiles. So every form that makes a record
carries a token made when the page was rendered (the `once()` macro of templates/_forms.html puts
`form_token`, a random 128-bit hex string, in a hidden input), and the operation that makes the record,
decorated with `@once(kind)`, writes the token beside it in the same transaction:

    @once("postulate")
    def create_postulate(actor, programme, *, content, ...) -> Postulate: ...

    create_postulate(actor, programme, content=..., form_token=posted_token())

The token is claimed first, before the operation does anything: a second post of the same form finds it
and raises `AlreadyDone(kind, record_id)`, which the view turns into a redirect to the record that exists
with a short message. Posts sent at the same moment all insert the token; the database's unique key keeps
one, the others wait for it to commit and are refused with a `Collision`, and `in_transaction` runs them
again – they then find the token like any later post. The token is the user's and the kind's: a token
copied into another form or another person's request means nothing there.

A post without a token (a page rendered before this existed, a CLI command, an import, the tests' direct
calls) works as before: it makes its record.
"""
from __future__ import annotations

import re
import uuid
from functools import wraps

from flask import request

from consult.core.errors import AlreadyDone
from consult.core.models import FormSubmission
from consult.extensions import db

FIELD = "form_token"
_TOKEN = re.compile(r"[0-9a-f]{32}")


def new_form_token() -> str:
    """A token for a form being rendered (a template global, used by the `once()` macro)."""
    return uuid.uuid4().hex


def clean_token(value) -> str | None:
    """The token if it is one this app makes, else None (a form without one, or one tampered with)."""
    value = (value or "").strip().lower() if isinstance(value, str) else ""
    return value if _TOKEN.fullmatch(value) else None


def posted_token() -> str | None:
    """The token the posted form carries, or None."""
    return clean_token(request.form.get(FIELD))


def claim(actor, kind: str, token: str | None) -> FormSubmission | None:
    """Take `token` for a record of `kind` about to be made by `actor` in this transaction.

    Raises AlreadyDone when the form was sent before; None (nothing to record) when there is no token or
    no signed-in person. The row is flushed at once, so that a concurrent post of the same form waits here
    (PostgreSQL: on the unique key; SQLite: on the database's write lock) until this transaction ends.
    """
    token = clean_token(token)
    user_id = getattr(actor, "id", None)
    if token is None or user_id is None:
        return None
    sent = db.session.scalar(db.select(FormSubmission).where(
        FormSubmission.user_id == user_id, FormSubmission.kind == kind, FormSubmission.token == token))
    if sent is not None:
        raise AlreadyDone(kind, sent.record_id)
    db.session.flush()  # the caller's pending changes first: an error in them stays theirs
    submission = FormSubmission(token=token, kind=kind, user_id=user_id)
    db.session.add(submission)
    db.session.flush()
    return submission


def once(kind: str):
    """Make an operation that creates a record of `kind` take a `form_token=` keyword: the record is made
    once per token (see the module's docstring). The operation returns the record (anything with `.id`)."""

    def decorate(operation):
        @wraps(operation)
        def run(actor, *args, form_token: str | None = None, **kwargs):
            submission = claim(actor, kind, form_token)
            record = operation(actor, *args, **kwargs)
            if submission is not None:
                if record.id is None:
                    db.session.flush()
                submission.record_id = record.id
            return record

        return run

    return decorate
