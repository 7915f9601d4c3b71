"""Pages of a list: one query for the rows of the page and one for the count, whatever the list.

`paginate(select, page)` runs a SQLAlchemy select for one page of rows; `page_number()` reads the page
asked for in the query string (`strona`) and turns nonsense (letters, zero, negatives, huge numbers) into
a page that exists, so a hand-edited address never ends in an error. `search_term()` reads the search box
(`q`) the same forgiving way. The templates show a page with the macros of templates/_lists.html.
"""
from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field

from flask import current_app, request
from sqlalchemy import event, func, or_, select
from sqlalchemy.engine import Engine

from consult.core.input import id_value, without_unstorable
from consult.extensions import db

PAGE_ARG = "strona"
SEARCH_ARG = "q"
_MAX_PAGE = 100_000  # past this a number is nonsense, not a page; it still shows the last page


@dataclass
class Page:
    """One page of a list: its rows and where it sits in the whole."""

    items: list
    number: int
    size: int
    total: int
    args: dict = field(default_factory=dict)  # the filters of the list, kept in the links to other pages

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """The position (from 1) of the page's first row in the whole list; 0 when the list is empty."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0

    def window(self, around: int = 2) -> list[int | None]:
        """The page numbers the navigation shows: the first, the last and a few around the current one,
        with None where numbers are left out (shown as an ellipsis)."""
        shown = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def page_number(arg: str = PAGE_ARG) -> int:
    """The page asked for in the query string; 1 for anything that is not a positive whole number."""
    raw = (request.args.get(arg) or "").strip()
    if not raw.isascii() or not raw.isdigit():  # letters, "-3", "1.5", "" — all mean the first page
        return 1
    digits = raw.lstrip("0")
    if len(digits) > len(str(_MAX_PAGE)):  # however long (int() refuses 5,000 digits): past the last page
        return _MAX_PAGE
    return min(max(1, int(digits or "0")), _MAX_PAGE)


def search_term(arg: str = SEARCH_ARG, max_length: int = 200) -> str:
    """The search box's text, trimmed (and cut to a sane length); "" when there is none."""
    return without_unstorable(request.args.get(arg) or "").strip()[:max_length]


@event.listens_for(Engine, "connect")
def _unicode_lower_on_sqlite(dbapi_connection, _record):
    """SQLite's own lower() knows only ASCII, so "łąka" would not find "ŁĄKA" on the embedded default
    database; PostgreSQL's lower() knows every letter. Give SQLite Python's."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("lower", 1, lambda v: v.lower() if isinstance(v, str) else v,
                                         deterministic=True)


def like_any(term: str, *columns):
    """A condition: any of the columns contains the term (case-insensitive). Wildcards in the term are
    taken literally, so searching for "100%" finds "100%" and not everything. Characters no column can hold
    (NUL: PostgreSQL refuses the whole query) are left out of the term: no row holds them either."""
    escaped = without_unstorable(term).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped.lower()}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


def paginate(query, page: int | None = None, size: int | None = None, *, args: dict | None = None,
             scalars: bool = True) -> Page:
    """One page of the select's rows plus the count of all of them: two queries.

    The select carries its own ordering (give it a unique tie-breaker such as the id, so pages do not
    overlap) and its own loader options (selectinload) so that the template does not query per row.
    A page past the end shows the last page. `scalars=False` returns rows (tuples) instead of entities.
    """
    size = size or current_app.config.get("PAGE_SIZE", 50)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = _page_within(page, size, total)
    limited = query.limit(size).offset((number - 1) * size)
    result = db.session.scalars(limited) if scalars else db.session.execute(limited)
    items = list(result.unique().all() if scalars else result.all())
    return Page(items=items, number=number, size=size, total=total, args=_kept_args(args))


def paginate_list(items: list, page: int | None = None, size: int | None = None, *,
                  args: dict | None = None) -> Page:
    """One page of a list already in memory: for a list whose order is computed in Python (a ranking by
    aggregate score), loaded whole in a fixed number of queries. Same forgiving page numbers as `paginate`."""
    size = size or current_app.config.get("PAGE_SIZE", 50)
    total = len(items)
    number = _page_within(page, size, total)
    start = (number - 1) * size
    return Page(items=list(items[start:start + size]), number=number, size=size, total=total,
                args=_kept_args(args))


def _page_within(page: int | None, size: int, total: int) -> int:
    """The page asked for (the request's when None), kept between the first and the last one."""
    page = page if page is not None else page_number()
    return min(max(1, page), max(1, math.ceil(total / size)))


def _kept_args(args: dict | None) -> dict:
    """The query-string arguments that page links keep: the list's filters, never the page itself."""
    if args is None:
        args = request.args.to_dict() if request else {}
    return {k: v for k, v in args.items() if k != PAGE_ARG and v not in (None, "")}


def id_arg(name: str) -> int | None:
    """A filter's chosen id from the query string; None for nothing or nonsense (the filter is then off)."""
    return id_value(request.args.get(name) or "")


def choice_arg(name: str, choices) -> str:
    """A filter's chosen value from the query string if it is one of `choices`; "" (the filter off) otherwise."""
    raw = (request.args.get(name) or "").strip()
    return raw if raw in choices else ""
