"""The postulates of a programme filed online, outside any meeting, as sections of the consolidated report.

One section per responsible unit (ordered by the unit's name), each a table like a meeting summary's: Lp., the
organisation that filed it, its reference and filing date, the postulate, its justification, and the published
positions with their unit and category. Only published postulates are in it (the public register's rule: an
online postulate is public once its positions are), and only published positions. A postulate filed online is
always an organisation's (consult.postulates.operations.create_postulate), so no person's name is shown.

Read in a fixed number of queries whatever the number of units, like `consult.summaries.document.build_summaries`:
the plan digests every section on each compile.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from consult.core.types import to_warsaw
from consult.extensions import db
from consult.organisations.models import Organisation, Unit
from consult.postulates.models import (
    POSITION_CATEGORY_LABELS,
    Position,
    Postulate,
    postulate_reference,
    public_submitter_label,
)
from consult.postulates.redaction import public_text_of
from consult.programmes.models import Programme
from consult.summaries.document import unit_in_phrase

# What the report counts as filed online and in it: the postulates of no meeting whose positions are published.
ONLINE = (Postulate.meeting_id.is_(None),)
IN_REPORT = (*ONLINE, Postulate.state == "published")


@dataclass
class OnlinePosition:
    prefix: str | None  # "Stanowisko Wydziału ...:" when it is not the section's unit (in the locale)
    category: str  # its label, in the locale
    text: str


@dataclass
class OnlineRow:
    number: int  # Lp. within the section, in the order of filing
    reference: str
    filed: date  # in Warsaw
    submitter: str
    content: str
    justification: str | None
    positions: list[OnlinePosition] = field(default_factory=list)


@dataclass
class OnlineSection:
    programme_id: int
    unit_id: int
    title: str
    programme_title: str
    unit: str
    unit_genitive: str  # as it follows "Stanowisko" in the locale
    show_justification: bool
    rows: list[OnlineRow]


def alphabetical(name: str) -> tuple:
    """A unit's name as the report orders it: the Polish alphabet (ą after a, ł after l, ś after s...), ignoring
    case, the same on every database (their collations differ)."""
    return tuple(_LETTERS.get(c, (c, 0)) for c in name.casefold()), name


# Each Polish letter right after its base letter (ź before ż).
_LETTERS = {"ą": ("a", 1), "ć": ("c", 1), "ę": ("e", 1), "ł": ("l", 1), "ń": ("n", 1), "ó": ("o", 1),
            "ś": ("s", 1), "ź": ("z", 1), "ż": ("z", 2)}


def online_sections(programme_id: int, unit_ids: list[int] | None = None) -> list[OnlineSection]:
    """The programme's sections of published postulates filed online, one per responsible unit, in the order of
    the units' names; `unit_ids`: only those units' sections."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        return []
    where = [Postulate.programme_id == programme_id, *IN_REPORT]
    if unit_ids is not None:
        where.append(Postulate.responsible_unit_id.in_(unit_ids))
    postulates: dict[int, list] = {}
    for row in db.session.execute(
            db.select(Postulate.id, Postulate.responsible_unit_id, Postulate.submitted_at, Postulate.submitter_kind,
                      Organisation.name.label("organisation_name"), Postulate.submitter_name,
                      Postulate.submitter_private, Postulate.name_consent,
                      Postulate.content,
                      Postulate.public_content, Postulate.justification,
                      Postulate.public_justification)
            .outerjoin(Organisation, Organisation.id == Postulate.organisation_id)
            .where(*where).order_by(Postulate.submitted_at, Postulate.id)):
        postulates.setdefault(row.responsible_unit_id, []).append(row)
    if not postulates:
        return []
    positions: dict[int, list] = {}
    for row in db.session.execute(
            db.select(Position.postulate_id, Position.unit_id, Position.category, Position.text,
                      Position.public_text, Unit.name.label("unit"))
            .join(Unit, Unit.id == Position.unit_id).join(Postulate, Postulate.id == Position.postulate_id)
            .where(*where, Position.status == "published").order_by(Position.id)):
        positions.setdefault(row.postulate_id, []).append(row)
    units = dict(db.session.execute(db.select(Unit.id, Unit.name).where(Unit.id.in_(list(postulates)))).all())
    return [_section(programme, unit_id, units[unit_id], postulates[unit_id], positions)
            for unit_id in sorted(postulates, key=lambda u: alphabetical(units[u]))]


def _section(programme: Programme, unit_id: int, unit: str, postulates: list, positions: dict) -> OnlineSection:
    rows = []
    for number, p in enumerate(postulates, start=1):
        # The section's unit first: its position needs no "Stanowisko ...:" before it.
        cells = sorted(positions.get(p.id, []), key=lambda pos: pos.unit_id != unit_id)
        rows.append(OnlineRow(
            number=number, reference=postulate_reference(programme.year, p.id),
            filed=to_warsaw(p.submitted_at).date(),
            submitter=public_submitter_label(p.submitter_kind, p.organisation_name, p.submitter_name,
                                             p.submitter_private, p.name_consent),
            content=public_text_of(p.content, p.public_content), justification=public_text_of(p.justification, p.public_justification),
            positions=[OnlinePosition(
                prefix=None if pos.unit_id == unit_id else _("Stanowisko %(unit)s:", unit=unit_in_phrase(pos.unit)),
                category=str(POSITION_CATEGORY_LABELS[pos.category]), text=public_text_of(pos.text, pos.public_text))
                for pos in cells]))
    return OnlineSection(
        programme_id=programme.id, unit_id=unit_id, title=section_title(unit), programme_title=programme.title,
        unit=unit, unit_genitive=unit_in_phrase(unit),
        show_justification=any((p.justification or "").strip() for p in postulates), rows=rows)


def section_title(unit: str) -> str:
    """The heading, the contents' line and the bookmark of a unit's section (in the job's language)."""
    return _("Postulaty złożone online – %(unit)s", unit=unit)
