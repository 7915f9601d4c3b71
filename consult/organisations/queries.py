"""The registers as lists for choosing from: every unit, every organisation, by name."""
from __future__ import annotations

from consult.extensions import db
from consult.organisations.models import Organisation, Unit


def units() -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).order_by(Unit.name)))


def organisations() -> list[Organisation]:
    return list(db.session.scalars(db.select(Organisation).order_by(Organisation.name)))


def units_page(*, search: str = "", staffed: str = "", page: int = 1, size: int | None = None):
    """A page of the unit register, by name; `search` looks in the name and the code; `staffed` ("tak" or
    "nie") keeps the units that have (or have not) a staff account, the ones nobody can answer for yet."""
    from consult.auth.models import User
    from consult.core.paging import like_any, paginate

    query = db.select(Unit)
    if search:
        query = query.where(like_any(search, Unit.name, Unit.code))
    if staffed in ("tak", "nie"):
        has_staff = db.exists().where(User.unit_id == Unit.id, User.active.is_(True))
        query = query.where(has_staff if staffed == "tak" else ~has_staff)
    return paginate(query.order_by(Unit.name, Unit.id), page, size)


def organisations_page(*, search: str = "", legal_form: str = "", page: int = 1, size: int | None = None):
    """A page of the organisation register, by name; `search` looks in the name, KRS, NIP and REGON."""
    from consult.core.paging import like_any, paginate

    query = db.select(Organisation)
    if search:
        query = query.where(like_any(search, Organisation.name, Organisation.krs, Organisation.nip,
                                     Organisation.regon))
    if legal_form:
        query = query.where(Organisation.legal_form == legal_form)
    return paginate(query.order_by(Organisation.name, Organisation.id), page, size)
