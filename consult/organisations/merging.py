"""Merging a duplicate organisation or unit into the one kept: every row that refers to the duplicate moves.

The rows to move are found from the schema itself (every foreign key to organisations.id or units.id in the
metadata), so a table added later is moved too without a change here. A row that would then repeat a row of the
one kept (the same meeting attended twice, the same sphere twice) is the same fact: the duplicate's copy is
dropped, for the tables listed in SAME_FACT. Any other clash (both units recorded a position on one postulate)
cannot be merged silently: the merge is refused, naming what to settle first.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, and_, func, select

from consult.extensions import db

# Tables whose rows say only "X is linked to Y": a second copy after the merge is the same fact.
SAME_FACT = {"meeting_attendance", "organisation_spheres", "report_sections", "organisation_memberships",
             "memberships"}

# What a referring table holds, in words, for the confirmation page and the audit log (else the table's name).
TABLE_LABELS = {
    "postulates": _l("postulaty"),
    "positions": _l("stanowiska"),
    "postulate_assignments": _l("przypisania postulatów"),
    "offers": _l("oferty"),
    "offer_partners": _l("udziały w ofertach wspólnych"),
    "meeting_attendance": _l("obecności na spotkaniach"),
    "meetings": _l("spotkania (gospodarz)"),
    "users": _l("konta osób"),
    "calls": _l("konkursy ofert"),
    "commission_members": _l("członkowie komisji wskazani przez organizację"),
    "organisation_spheres": _l("sfery pożytku publicznego"),
    "report_sections": _l("części raportu z konsultacji (pamięć podręczna)"),
    "implementation_activity_units": _l("działania w sprawozdaniach"),
    "units": _l("komórki podległe"),
}


@dataclass
class Reference:
    """One foreign-key column that points at the register's table, and how many rows point at the duplicate."""

    table: object
    column: object
    count: int = 0

    @property
    def key(self) -> str:
        return f"{self.table.name}.{self.column.name}"

    @property
    def label(self) -> str:
        return str(TABLE_LABELS.get(self.table.name, self.table.name))


def references_to(table_name: str) -> list[Reference]:
    """Every column of the schema that refers to `table_name`.id."""
    found = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == table_name and fk.column.name == "id":
                found.append(Reference(table, fk.parent))
    return found


def counted(table_name: str, record_id: int) -> list[Reference]:
    """The references to one record, each with the number of rows that point at it."""
    refs = references_to(table_name)
    for ref in refs:
        ref.count = db.session.scalar(select(func.count()).select_from(ref.table)
                                      .where(ref.column == record_id)) or 0
    return refs


def _unique_sets(table, column) -> list[list]:
    """The unique keys of `table` that include `column` (primary key, unique constraints and indexes)."""
    sets = []
    for constraint in table.constraints:
        if isinstance(constraint, (UniqueConstraint, PrimaryKeyConstraint)) and \
                column.name in constraint.columns.keys():
            sets.append(list(constraint.columns))
    for index in table.indexes:
        if index.unique and column.name in [c.name for c in index.columns]:
            sets.append(list(index.columns))
    if column.unique:
        sets.append([column])
    return sets


def clashes(ref: Reference, duplicate_id: int, kept_id: int) -> list[dict]:
    """The duplicate's rows that would repeat a row of the kept record on a unique key, after the move."""
    out = []
    for key in _unique_sets(ref.table, ref.column):
        others = [c for c in key if c is not ref.column]
        if not others:  # the column alone is unique: the kept record's row, if any, clashes with any
            exists_kept = db.session.scalar(select(func.count()).select_from(ref.table)
                                            .where(ref.column == kept_id))
            if exists_kept:
                out.extend(dict(r._mapping) for r in db.session.execute(
                    select(ref.table).where(ref.column == duplicate_id)))
            continue
        kept_rows = ref.table.alias("kept_rows")
        match = and_(kept_rows.c[ref.column.name] == kept_id,
                     *(kept_rows.c[c.name] == c for c in others))
        rows = db.session.execute(select(ref.table).where(ref.column == duplicate_id,
                                                          select(kept_rows).where(match).exists()))
        out.extend(dict(r._mapping) for r in rows)
    return out


def move_references(table_name: str, duplicate_id: int, kept_id: int, *, skip: tuple[str, ...] = ()) -> dict:
    """Point every reference to the duplicate at the kept record; drop same-fact repeats. Returns
    {table.column: rows moved} (and {table.column + " (powtórzenia)": rows dropped})."""
    moved: dict[str, int] = {}
    for ref in references_to(table_name):
        if ref.key in skip:
            continue
        repeated = clashes(ref, duplicate_id, kept_id)
        if repeated:
            # Only same-fact tables get here: the operation refused the others beforehand.
            pk = list(ref.table.primary_key.columns)
            for row in repeated:
                db.session.execute(ref.table.delete().where(and_(*(c == row[c.name] for c in pk))))
            moved[f"{ref.key} (powtórzenia)"] = len(repeated)
        result = db.session.execute(ref.table.update().where(ref.column == duplicate_id)
                                    .values({ref.column.name: kept_id}))
        if result.rowcount:
            moved[ref.key] = result.rowcount
    return moved


def blocking_clashes(table_name: str, duplicate_id: int, kept_id: int) -> list[tuple[Reference, dict]]:
    """Clashes that cannot be merged silently (outside SAME_FACT): the merge must be refused."""
    out = []
    for ref in references_to(table_name):
        if ref.table.name in SAME_FACT or ref.table.name == table_name:
            continue
        out.extend((ref, row) for row in clashes(ref, duplicate_id, kept_id))
    return out
