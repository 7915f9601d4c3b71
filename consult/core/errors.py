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
