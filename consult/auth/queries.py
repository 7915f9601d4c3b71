"""Read-side helpers of accounts: the admin's list of users with its search and filters."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from consult.auth.models import User
from consult.core.paging import like_any, paginate
from consult.extensions import db


def users_page(*, search: str = "", role: str = "", active: str = "", page: int = 1, size: int | None = None):
    """A page of accounts by role and name; `search` looks in the name and the e-mail address,
    `active` is "tak" or "nie" (anything else: both)."""
    query = db.select(User).options(selectinload(User.organisation), selectinload(User.unit))
    if search:
        query = query.where(like_any(search, User.name, User.email))
    if role:
        query = query.where(User.role == role)
    if active in ("tak", "nie"):
        query = query.where(User.active.is_(active == "tak"))
    return paginate(query.order_by(User.role, User.name, User.id), page, size)
