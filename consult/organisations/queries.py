"""The registers as lists for choosing from: every unit, every organisation, by name."""
from __future__ import annotations

from consult.extensions import db
from consult.organisations.models import Organisation, Unit


def units() -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).order_by(Unit.name)))


def organisations() -> list[Organisation]:
    return list(db.session.scalars(db.select(Organisation).order_by(Organisation.name)))
