"""Every change to retention: an administrator sets a kind's period, and `consult retention --apply` anonymises the
records past their period; both audited. Reading what is past the period (`overdue_counts`) changes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import func

from consult.core import audit
from consult.core.access import roles_of
from consult.core.errors import Forbidden, Refused
from consult.core.input import check_text
from consult.core.types import utcnow
from consult.extensions import db
from consult.retention.kinds import KINDS, Kind
from consult.retention.models import MONTHS_MAX, RetentionPeriod

BASIS_MAX = 2000


@dataclass(frozen=True)
class Period:
    kind: Kind
    months: int
    legal_basis: str
    version: int | None  # None: the default, never changed (no row yet)


def period_of(key: str) -> Period:
    kind = KINDS[key]
    row = db.session.scalar(db.select(RetentionPeriod).where(RetentionPeriod.kind == key))
    if row is None:
        return Period(kind, kind.months, kind.legal_basis, None)
    return Period(kind, row.months, row.legal_basis, row.version)


def periods() -> list[Period]:
    return [period_of(key) for key in KINDS]


def cutoff(months: int, now: datetime | None = None) -> datetime:
    """The instant before which a period of `months` has ended."""
    return (now or utcnow()) - relativedelta(months=months)


def overdue_counts(now: datetime | None = None) -> dict[str, int]:
    """How many records of each kind are past their period and not anonymised yet."""
    counts = {}
    for period in periods():
        ids = period.kind.overdue(cutoff(period.months, now)).subquery()
        counts[period.kind.key] = db.session.scalar(db.select(func.count()).select_from(ids))
    return counts


def _row(key: str) -> RetentionPeriod:
    row = db.session.scalar(db.select(RetentionPeriod).where(RetentionPeriod.kind == key))
    if row is None:  # a database made without the migration's seed: the default becomes a row
        kind = KINDS[key]
        row = RetentionPeriod(kind=key, months=kind.months, legal_basis=kind.legal_basis)
        db.session.add(row)
        db.session.flush()
    return row


def set_period(actor, key: str, *, months: int | None, legal_basis: str | None) -> RetentionPeriod:
    """An administrator changes how long a kind of record keeps personal data, and why."""
    if "admin" not in roles_of(actor):
        raise Forbidden(_("Okresy przechowywania danych zmienia administrator."))
    if key not in KINDS:
        raise Refused(_("Nie ma takiego rodzaju danych."))
    if months is None:
        raise Refused(_("Wpisz okres przechowywania w miesiącach, np. 12."), field="months")
    if not 1 <= months <= MONTHS_MAX:
        raise Refused(_("Okres przechowywania to liczba miesięcy od 1 do %(max)s.", max=MONTHS_MAX),
                      field="months")
    legal_basis = (legal_basis or "").strip()
    check_text(legal_basis, field="legal_basis", label=_("Podstawa prawna"))
    if not legal_basis:
        raise Refused(_("Wpisz podstawę prawną przechowywania danych."), field="legal_basis")
    if len(legal_basis) > BASIS_MAX:
        raise Refused(_("Podstawa prawna może mieć najwyżej %(maximum)s znaków.", maximum=BASIS_MAX),
                      field="legal_basis")
    row = _row(key)
    changed = {name: [old, new] for name, old, new in (("months", row.months, months),
                                                       ("legal_basis", row.legal_basis, legal_basis)) if old != new}
    if changed:
        row.months, row.legal_basis = months, legal_basis
        db.session.flush()
        audit.record(actor, "retention_period", row.id, "edit", kind=key, changed=changed)
    return row


def anonymise_overdue(actor, key: str, now: datetime | None = None) -> int:
    """Anonymise the records of one kind past their period; one audit event with how many (none when none).
    The caller runs it in a transaction of its own: a kind is done whole or not at all."""
    if "admin" not in roles_of(actor):
        raise Forbidden(_("Dane po okresie przechowywania anonimizuje administrator."))
    period = period_of(key)
    ids = list(db.session.scalars(period.kind.overdue(cutoff(period.months, now))))
    if not ids:
        return 0
    period.kind.anonymise(ids)
    db.session.flush()
    audit.record(actor, "retention_period", _row(key).id, "anonymise", kind=key, count=len(ids),
                 months=period.months)
    return len(ids)
