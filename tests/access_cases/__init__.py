"""Route-by-role expectations. Each module here has CASES: one Case per route and method.

A Case names the endpoint, how to build its URL from the test `world`, the method, a form body for
POST, and the roles allowed. tests/test_access.py walks every case with every role and fails for a
route of the app that no case covers, so a new route cannot be added without saying who may use it.

Roles: anon, ngo_a, ngo_b (administrators of NGO A and B), ngo_a_member (a member of NGO A, not its
administrator), newcomer (a confirmed NGO account that belongs to no organisation yet), unit_x, unit_y (staff of unit
X and Y), coordinator, admin. A member of NGO A may do what its administrator may unless a case says `org_admin`
(approving members, the profile, who may submit): `all_cases` adds ngo_a_member to the other cases that allow ngo_a.
resident: a resident's account, no organisation: books rooms of places.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace

ALL = frozenset({"anon", "ngo_a", "ngo_b", "ngo_a_member", "newcomer", "unit_x", "unit_y", "coordinator", "admin",
                 "resident"})
SIGNED_IN = ALL - {"anon"}


@dataclass(frozen=True)
class Case:
    endpoint: str
    url: Callable  # world -> str
    allowed: frozenset
    method: str = "GET"
    data: Callable | None = None  # world -> dict, for POST
    name: str = ""  # tells cases of the same endpoint apart
    follow_up: Callable | None = field(default=None, compare=False)  # (world, role, response) -> None
    org_admin: bool = False  # NGO A's administrator may, its members may not

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}{'[' + self.name + ']' if self.name else ''}"


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases.extend(getattr(module, "CASES", []))
    return [replace(c, allowed=c.allowed | {"ngo_a_member"}) if "ngo_a" in c.allowed and not c.org_admin else c
            for c in cases]
