"""The meeting summary as a document: what goes in it (read from fresh rows), its HTML and its PDF.

Layout follows the city's own summaries (../shared/seeds/sector-meeting-summary-2025-06-17.txt):
a header with date, hours, place, host unit, who attended and what was presented, an introduction, and
the table Lp. | Nazwa organizacji | Postulat | Uzasadnienie | Stanowisko. The position column names the
unit that gave most of the positions; a position of another unit begins "Stanowisko <that unit>:".

Every label is in the language the document is compiled in (the job's `force_locale`): Polish by default and
for the official version, English or Ukrainian when the coordinator asks; what people filed stays as filed.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consult.documents.registry import Built
from consult.extensions import db
from consult.meetings.interchange import export_meeting
from consult.meetings.models import Meeting, MeetingAttendance
from consult.organisations.models import Organisation, Unit
from consult.postulates.models import Position, Postulate, public_submitter_label
from consult.postulates.redaction import public_text_of
from consult.summaries.grammar import unit_genitive
from worker.pdf import render_pdf

TEMPLATE = "pdf/meeting_summary.html"


@dataclass
class PositionCell:
    unit_name: str
    prefix: str | None  # "Stanowisko Wydziału ...:" when it is not the unit the column names (in the locale)
    text: str
    draft: bool


@dataclass
class Row:
    number: int
    submitter: str
    content: str
    justification: str | None
    positions: list[PositionCell] = field(default_factory=list)


@dataclass
class Summary:
    meeting_id: int
    title: str
    programme_title: str
    host_unit: str
    date: date
    starts: time
    ends: time
    place: str
    scope: str
    introduction: str
    officials: list[tuple[str, str | None]]
    organisations: list[str]
    participants_count: int | None
    materials: list[str]
    preview: bool
    main_unit: str | None
    main_unit_genitive: str | None  # as it follows "Stanowisko" in the locale (unit_in_phrase)
    show_justification: bool
    rows: list[Row]
    # the private persons present, as the public reads them: "osoba prywatna" unless they consented
    persons: list[str] = field(default_factory=list)

    @property
    def has_drafts(self) -> bool:
        return any(p.draft for r in self.rows for p in r.positions)


def build_summary(meeting_id: int, *, preview: bool) -> Summary:
    """Read the meeting anew. A preview shows draft positions too; a final summary only published ones."""
    summaries = build_summaries([meeting_id], preview=preview)
    if not summaries:
        raise LookupError(f"no meeting {meeting_id}")
    return summaries[0]


def build_summaries(meeting_ids: list[int], *, preview: bool) -> list[Summary]:
    """The summaries of several meetings (in the order of `meeting_ids`, missing ones left out) read in a fixed
    number of queries, whatever their count: the consolidated report digests every meeting of a programme on
    each compile, and ten queries a meeting made 130 meetings cost more than rendering the one that changed."""
    if not meeting_ids:
        return []
    meetings = {m.id: m for m in db.session.scalars(
        db.select(Meeting).where(Meeting.id.in_(meeting_ids)).options(
            selectinload(Meeting.programme), selectinload(Meeting.host_unit), selectinload(Meeting.officials),
            selectinload(Meeting.persons),
            selectinload(Meeting.attendance).selectinload(MeetingAttendance.organisation),
            selectinload(Meeting.materials)))}
    # The rows as plain tuples, not ORM objects: a programme's report reads every postulate and position of it on
    # each compile, and building 4,000 mapped objects cost more than the queries.
    postulates: dict[int, list] = {mid: [] for mid in meetings}
    for row in db.session.execute(
            db.select(Postulate.id, Postulate.meeting_id, Postulate.number, Postulate.submitter_kind,
                      Organisation.name.label("organisation_name"), Postulate.submitter_name,
                      Postulate.submitter_private, Postulate.name_consent,
                      Postulate.content,
                      Postulate.public_content, Postulate.justification,
                      Postulate.public_justification)
            .outerjoin(Organisation, Organisation.id == Postulate.organisation_id)
            .where(Postulate.meeting_id.in_(list(meetings)), Postulate.state.not_in(("draft", "withdrawn")))
            .order_by(Postulate.meeting_id, Postulate.number)):
        postulates[row.meeting_id].append(row)
    positions: dict[int, list] = {}
    query = (db.select(Position.id, Position.postulate_id, Position.text, Position.public_text, Position.status,
                       Unit.name.label("unit"))
             .join(Unit, Unit.id == Position.unit_id).join(Postulate, Postulate.id == Position.postulate_id)
             .where(Postulate.meeting_id.in_(list(meetings)), Postulate.state.not_in(("draft", "withdrawn"))))
    if not preview:
        query = query.where(Position.status == "published")
    for row in db.session.execute(query.order_by(Position.id)):
        positions.setdefault(row.postulate_id, []).append(row)
    return [_summary_of(meetings[mid], postulates[mid], positions, preview)
            for mid in meeting_ids if mid in meetings]


def _summary_of(meeting: Meeting, postulates: list, positions: dict[int, list], preview: bool) -> Summary:
    shown = {p.id: positions.get(p.id, []) for p in postulates}
    counts = Counter(pos.unit for cells in shown.values() for pos in cells)
    main_unit = None
    if counts:
        # Most positions; on a tie the host unit, then the name, so that the choice is stable.
        main_unit = min(counts, key=lambda name: (-counts[name], name != meeting.host_unit.name, name))
    rows = []
    for p in postulates:
        cells = sorted(shown[p.id], key=lambda pos: (pos.unit != main_unit, pos.id))
        rows.append(Row(
            number=p.number, submitter=public_submitter_label(p.submitter_kind, p.organisation_name, p.submitter_name,
                                             p.submitter_private, p.name_consent),
            content=public_text_of(p.content, p.public_content), justification=public_text_of(p.justification, p.public_justification),
            positions=[PositionCell(unit_name=pos.unit, text=public_text_of(pos.text, pos.public_text),
                                    draft=pos.status != "published",
                                    prefix=None if pos.unit == main_unit
                                    else _("Stanowisko %(unit)s:", unit=unit_in_phrase(pos.unit)))
                       for pos in cells]))
    return Summary(
        meeting_id=meeting.id, title=meeting.title, programme_title=meeting.programme.title,
        host_unit=meeting.host_unit.name, date=meeting.date, starts=meeting.starts, ends=meeting.ends,
        place=meeting.place, scope=meeting.scope or "", introduction=meeting.introduction or "",
        officials=[(o.function, o.name) for o in meeting.officials],
        organisations=[a.organisation.name for a in meeting.attendance],
        persons=[p.public_name for p in meeting.persons],
        participants_count=meeting.participants_count, materials=[m.text for m in meeting.materials],
        preview=preview, main_unit=main_unit, main_unit_genitive=unit_in_phrase(main_unit) if main_unit else None,
        show_justification=any((p.justification or "").strip() for p in postulates), rows=rows)


def unit_in_phrase(name: str) -> str:
    """A unit's name as it follows "Stanowisko" ("the position of"): in Polish in the genitive (Wydziału ...), in
    another language as registered."""
    from consult.i18n import current_locale

    return unit_genitive(name) if current_locale() == "pl" else name


POLISH_MONTHS = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
                 "października", "listopada", "grudnia")


def polish_date(d: date | datetime) -> str:
    """17 czerwca 2025 r., the form of an official Polish document; in another language, its long date. An
    instant is dated as in Kraków (an announcement at 0:30 on 3 December is of 3 December, not of the 2nd in UTC).

    The Polish form ends with the dot of "r.": a sentence ending with it gets no second full stop (the PDF
    templates pass such a sentence through the `one_full_stop` filter)."""
    from flask_babel import format_date

    from consult.core.types import to_warsaw
    from consult.i18n import current_locale

    if isinstance(d, datetime):
        d = to_warsaw(d).date()
    if current_locale() != "pl":
        return format_date(d, "long")
    return f"{d.day} {POLISH_MONTHS[d.month - 1]} {d.year} r."


def summary_html(summary: Summary) -> str:
    """The summary as HTML for WeasyPrint. Autoescaped: user text appears as text, never as markup."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(s=summary, polish_date=polish_date)


def source_digest(meeting_id: int, *, preview: bool) -> str:
    meeting = db.session.get(Meeting, meeting_id)
    data = export_meeting(meeting, include_drafts=preview)
    # consult.meeting-summary/1 has no place for private persons, while the PDF lists them (by name once they
    # consented): a change of either is a change of the PDF's input
    data["persons"] = [[p.name, p.name_consent] for p in meeting.persons]
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compile_summary(meeting_id: int, *, preview: bool) -> Built:
    summary = build_summary(meeting_id, preview=preview)
    rendered = render_pdf(summary_html(summary), base_url=current_app.root_path)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=source_digest(meeting_id, preview=preview))


def compile_summary_for_job(job) -> Built:
    return compile_summary(job.subject_id, preview=job.preview)
