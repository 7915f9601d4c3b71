"""Actors that are not signed-in users: the command line acts as a coordinator with no account."""
from __future__ import annotations


class SystemActor:
    """What the CLI acts as: a coordinator and admin, recorded in the audit log with no user id."""

    id = None
    is_authenticated = True
    is_active = True
    organisation_id = None
    unit_id = None
    organisation = None
    unit = None
    name = "consult (wiersz poleceń)"
    roles = frozenset({"coordinator", "admin"})

    def __str__(self) -> str:
        return self.name


SYSTEM = SystemActor()
