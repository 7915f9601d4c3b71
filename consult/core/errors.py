"""Refusals raised by operations; views show `reason` to the user, CLI commands print it."""
from __future__ import annotations


class Refused(Exception):
    """The operation may not be done; nothing was changed. `reason` is in the user's language."""

    def __init__(self, reason: str, *, field: str | None = None):
        super().__init__(reason)
        self.reason = str(reason)
        self.field = field


class Forbidden(Refused):
    """The actor lacks the role or the ownership the operation needs (HTTP 403)."""


class StaleEdit(Refused):
    """Someone else saved the same record since the form was loaded (optimistic locking)."""


class Collision(Refused):
    """The database refused a write because a concurrent transaction wrote first: a row with the same unique
    key (two first posts of one decision, one score sheet, one meeting's next number), or a newer version of a
    row this one updates. Run again, the operation sees what was written and does what it would have done had
    it come a moment later; see `consult.core.operations.in_transaction`."""


class StaleWrite(StaleEdit, Collision):
    """A row this transaction updates was changed by a concurrent one since it was read (its version moved):
    shown as a StaleEdit, and run again by `in_transaction`, where an edit made on a stale form is then
    refused by its version check and any other operation applies to the fresh row."""


class AlreadyDone(Exception):
    """What the request asks for exists already: the form was sent before (a double click, a page sent again
    from the browser's history) or an equal job is still queued or running. Not a refusal: the view shows
    the record that exists (`kind`, `record_id`) instead of making a second one."""

    def __init__(self, kind: str, record_id: int | None):
        super().__init__(kind, record_id)
        self.kind = kind
        self.record_id = record_id
