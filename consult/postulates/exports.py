"""The register of postulates and positions as a file: CSV, XLSX or ODS, filtered as on the screen.

The rows come from the same query functions the screens page through (queries.public_register_query and
queries.register_query), loaded a chunk at a time. The public export holds published postulates and only
their published positions; the coordinator's holds every filed postulate with every position, drafts marked.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator

from babel.dates import format_date
from flask import Response, send_file, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.core import sheets
from consult.core.operations import state_label
from consult.core.types import to_warsaw, utcnow
from consult.i18n import DATE_PATTERNS, current_locale
from consult.postulates import queries
from consult.postulates.models import POSITION_CATEGORY_LABELS, Postulate

COLUMNS = (
    (_l("Numer"), 16), (_l("Program"), 30), (_l("Spotkanie"), 30), (_l("Zgłaszający"), 30),
    (_l("Treść postulatu"), 60), (_l("Uzasadnienie"), 50), (_l("Przepis programu"), 22), (_l("Stan"), 16),
    (_l("Komórka merytoryczna"), 30), (_l("Rodzaj stanowiska"), 22), (_l("Treść stanowiska"), 60),
    (_l("Data publikacji"), 14),
)


class _Words:
    """What the rows repeat, translated once for the whole export (gettext per cell cost a third of it)."""

    def __init__(self):
        from workflows import POSTULATE

        self.states = {state: state_label("postulate", state) for state in POSTULATE.states}
        self.categories = {key: str(label) for key, label in POSITION_CATEGORY_LABELS.items()}
        self.draft = _("%(category)s (projekt, nieopublikowane)", category="\x00")
        self.other_unit = _("Stanowisko %(unit)s: %(text)s", unit="\x01", text="\x00")
        self.number = _("Lp. %(n)s", n="\x00")
        self.online = _("złożony online")
        # A date as the pages write it in the reader's language (format_day), with the pattern looked up once.
        locale, pattern = current_locale(), DATE_PATTERNS[current_locale()]
        self.date = lambda day: format_date(day, pattern, locale=locale)


def row_of(postulate: Postulate, *, published_only: bool, words: _Words) -> list:
    """One line of the export: the postulate and its positions (the responsible unit's first; another
    unit's position is introduced by that unit's name, as in the meeting summary)."""
    positions = [p for p in postulate.positions if p.status == "published" or not published_only]
    positions.sort(key=lambda p: (p.unit_id != postulate.responsible_unit_id, p.id))
    categories, texts, dates = [], [], []
    for position in positions:
        label = words.categories.get(position.category, position.category)
        if position.status != "published":
            label = words.draft.replace("\x00", label)
        own = position.unit_id == postulate.responsible_unit_id
        categories.append(label if own else f"{position.unit.code}: {label}")
        text = position.text_for_public if published_only else position.text
        texts.append(text if own else words.other_unit.replace("\x01", position.unit.name).replace("\x00", text))
        if position.published_at is not None:
            dates.append(to_warsaw(position.published_at).date())
    meeting = words.online
    if postulate.meeting is not None:
        meeting = f"{postulate.meeting.title} ({words.date(postulate.meeting.date)})"
        if postulate.number:
            meeting += ", " + words.number.replace("\x00", str(postulate.number))
    return [
        postulate.reference, postulate.programme.title, meeting,
        postulate.public_submitter_label if published_only else postulate.submitter_label,
        postulate.public_text if published_only else postulate.content,
        (postulate.public_justification_text if published_only else postulate.justification) or "",
        f"{postulate.provision.citation} ({postulate.provision.key})" if postulate.provision else "",
        words.states.get(postulate.state, postulate.state),
        postulate.responsible_unit.name if postulate.responsible_unit else "",
        "; ".join(categories), "\n\n".join(texts), max(dates) if dates else None,
    ]


def _rows(query, *, published_only: bool, words: _Words) -> Iterator[list]:
    for postulate in queries.rows_in_chunks(query):
        yield row_of(postulate, published_only=published_only, words=words)


def download(query, fmt: str, *, published_only: bool, name: str) -> Response:
    """The response that downloads the postulates `query` selects as `fmt` (csv, xlsx or ods)."""
    header = [str(title) for title, _width in COLUMNS]
    widths = [width for _title, width in COLUMNS]
    filename = f"{name}-{to_warsaw(utcnow()):%Y-%m-%d}.{fmt}"
    words = _Words()
    rows = _rows(query, published_only=published_only, words=words)
    if fmt == "csv":  # text only: dates as the reader's language writes them (XLSX and ODS get date cells)
        response = Response(stream_with_context(sheets.csv_chunks(header, rows, date_text=words.date)),
                            mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["Content-Type"] = sheets.FORMATS["csv"]
        return response
    # XLSX and ODS are zip files, whose directory comes last: write to a temporary file (rows go there as
    # they are loaded), then send it; the file is deleted when the response closes it.
    target = tempfile.TemporaryFile()
    write = sheets.write_xlsx if fmt == "xlsx" else sheets.write_ods
    write(target, header, rows, title=_("Postulaty"), widths=widths)
    target.seek(0)
    return send_file(target, mimetype=sheets.FORMATS[fmt], as_attachment=True, download_name=filename)

