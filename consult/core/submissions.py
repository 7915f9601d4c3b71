"""A create form sent twice makes one record.

A double click, a form sent again from the browser's history, or a page that times out and is sent again
would otherwise file two postulates, start two offers, queue two compiles. So every form that makes a record
carries a token made when the page was rendered (the `once()` macro of templates/_forms.html puts
`form_token`, a random 128-bit hex string, in a hidden input), and the operation that makes the record,
decorated with `@once(kind)`, writes the token beside it in the same transaction:

    @once("postulate")
    def create_postulate(actor, programme, *, content, ...) -> Postulate: ...

    create_postulate(actor, programme, content=..., form_token=posted_token())

What identifies a sending is the token together with a digest of everything else the form carried (its fields,
the button pressed, an uploaded file): the same form sent again as it was is the same sending; the same page
changed and sent again (back in the history, a figure corrected, another button) is a new one, and does what
it asks (a second postulate, a decision's new amount), not swallowed as "already sent".

The sending is claimed first, before the operation does anything: a second post of it finds it and raises
`AlreadyDone(kind, record_id)`, which the view turns into a redirect to the record that exists with a short
message. Posts sent at the same moment all insert the claim; the database's unique key keeps one, the others
wait for it to commit and are refused with a `Collision`, and `in_transaction` runs them again – they then find
the claim like any later post. A claim is the user's and the kind's: a token copied into another form or into
another person's request means nothing there.

A post without a token (a page rendered before this existed, a CLI command, an import, the tests' direct
calls) works as before: it makes its record.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from functools import wraps

from flask import request

from consult.core.errors import AlreadyDone
from consult.core.models import FormSubmission
from consult.extensions import db

FIELD = "form_token"
_TOKEN = re.compile(r"[0-9a-f]{32}")
_SENDING = re.compile(r"([0-9a-f]{32})\.([0-9a-f]{64})")
_NOT_CONTENT = {FIELD, "csrf_token"}  # what differs between two renderings of one form, not what it asks


def new_form_token() -> str:
    """A token for a form being rendered (a template global, used by the `once()` macro)."""
    return uuid.uuid4().hex


def clean_token(value) -> str | None:
    """The token if it is one this app makes, else None (a form without one, or one tampered with)."""
    value = (value or "").strip().lower() if isinstance(value, str) else ""
    return value if _TOKEN.fullmatch(value) else None


def posted_token() -> str | None:
    """What identifies the posted form's sending: its token and a digest of what it carried ("<token>.<digest>"),
    or None when it carries no token."""
    token = clean_token(request.form.get(FIELD))
    return f"{token}.{_content_digest()}" if token else None


def _content_digest() -> str:
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(b"%d:" % len(data) + data)  # length-prefixed: no two different posts run together alike

    for name in sorted(set(request.form) - _NOT_CONTENT):
        add(name, *request.form.getlist(name))
    for name in sorted(request.files):
        for upload in request.files.getlist(name):
            start = upload.stream.tell()
            add(name, upload.filename or "", hashlib.sha256(upload.stream.read()).hexdigest())
            upload.stream.seek(start)  # the view reads the file after this
    return digest.hexdigest()


def claim(actor, kind: str, sending: str | None) -> FormSubmission | None:
    """Take `sending` (what `posted_token()` returned) for a record of `kind` about to be made by `actor` in this
    transaction.

    Raises AlreadyDone when the form was sent so before; None (nothing to record) when there is no token or no
    signed-in person. The row is flushed at once, so that a concurrent post of the same form waits here
    (PostgreSQL: on the unique key; SQLite: on the database's write lock) until this transaction ends.
    """
    match = _SENDING.fullmatch(sending) if isinstance(sending, str) else None
    user_id = getattr(actor, "id", None)
    if match is None or user_id is None:
        return None
    token, digest = match.groups()
    sent = db.session.scalar(db.select(FormSubmission).where(
        FormSubmission.user_id == user_id, FormSubmission.kind == kind, FormSubmission.token == token,
        FormSubmission.digest == digest))
    if sent is not None:
        raise AlreadyDone(kind, sent.record_id)
    db.session.flush()  # the caller's pending changes first: an error in them stays theirs
    submission = FormSubmission(token=token, digest=digest, kind=kind, user_id=user_id)
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
