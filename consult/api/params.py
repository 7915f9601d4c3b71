"""The query parameters of the API: each is parsed strictly and refused with a JSON 400 naming it.

Bounds are those the OpenAPI document states (consult.api.openapi reads the same constants), so a
client that follows the document is never refused and one that does not learns which parameter is wrong.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext as _

from consult.extensions import db

ID_MAX = 2_147_483_647  # a 32-bit key: larger numbers cannot name a row, and PostgreSQL refuses them
PAGE_MAX = 100_000
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
PAGING = ("page", "per_page")
MEETING_STATES = ("planned", "held", "summary_published")  # as the meetings table's CHECK says
ORIGINS = ("meeting", "online")  # where a postulate was filed
_DIGITS = re.compile(r"[0-9]{1,12}")


class ApiError(Exception):
    """A request the API refuses: the status, a message for the client, the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


def check_known(allowed: tuple[str, ...]) -> None:
    """Refuse a parameter the operation does not know: a misspelt filter must not silently list everything."""
    for name in request.args:
        if name not in allowed:
            raise ApiError(400, _("Nieznany parametr „%(name)s”. Dozwolone: %(allowed)s.",
                                  name=name, allowed=", ".join(allowed) or "—"), parameter=name)


def integer(name: str, *, minimum: int = 1, maximum: int = ID_MAX, default: int | None = None) -> int | None:
    values = request.args.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        raise ApiError(400, _("Parametr „%(name)s” podano więcej niż raz.", name=name), parameter=name)
    raw = values[0]
    if not _DIGITS.fullmatch(raw) or not minimum <= int(raw) <= maximum:
        raise ApiError(400, _("Parametr „%(name)s” musi być liczbą całkowitą od %(min)s do %(max)s.",
                              name=name, min=minimum, max=maximum), parameter=name)
    return int(raw)


def choice(name: str, values: tuple[str, ...]) -> str | None:
    given = request.args.getlist(name)
    if not given:
        return None
    if len(given) > 1:
        raise ApiError(400, _("Parametr „%(name)s” podano więcej niż raz.", name=name), parameter=name)
    if given[0] not in values:
        raise ApiError(400, _("Parametr „%(name)s” przyjmuje jedną z wartości: %(values)s.",
                              name=name, values=", ".join(values)), parameter=name)
    return given[0]


TEXT_MAX = 200


def text(name: str) -> str:
    """A free-text parameter (a search): at most TEXT_MAX characters; "" when absent."""
    from consult.core.input import unstorable_at

    given = request.args.getlist(name)
    if not given:
        return ""
    if len(given) > 1:
        raise ApiError(400, _("Parametr „%(name)s” podano więcej niż raz.", name=name), parameter=name)
    if len(given[0]) > TEXT_MAX:
        raise ApiError(400, _("Parametr „%(name)s” może mieć najwyżej %(n)s znaków.", name=name, n=TEXT_MAX),
                       parameter=name)
    if unstorable_at(given[0]) is not None:
        raise ApiError(400, _("Parametr „%(name)s” zawiera niedozwolony znak.", name=name), parameter=name)
    return given[0].strip()


@dataclass
class Paging:
    page: int
    per_page: int

    @classmethod
    def from_request(cls) -> Paging:
        return cls(page=integer("page", maximum=PAGE_MAX, default=1),
                   per_page=integer("per_page", maximum=PER_PAGE_MAX, default=PER_PAGE_DEFAULT))

    def envelope(self, query, serialise) -> dict:
        """One page of `query` (a select of rows, in a stable order) as the list envelope of the document.

        A page past the last is empty, not an error: the total tells the client where the list ends.
        """
        total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery()))
        rows = db.session.scalars(query.limit(self.per_page).offset((self.page - 1) * self.per_page)).all()
        pages = math.ceil(total / self.per_page)
        return {
            "items": [serialise(row) for row in rows],
            "page": self.page,
            "per_page": self.per_page,
            "total": total,
            "pages": pages,
            "next": self._link(self.page + 1) if self.page < pages else None,
            "previous": self._link(min(self.page - 1, max(pages, 1))) if self.page > 1 else None,
        }

    def _link(self, page: int) -> str:
        args = {k: v for k, v in request.args.items() if k not in PAGING}
        return url_for(request.endpoint, **(request.view_args or {}), **args, page=page, per_page=self.per_page)
