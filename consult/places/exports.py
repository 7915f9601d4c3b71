"""The register of places as CSV, XLSX or ODS (consult/core/sheets.py): what the public page lists."""
from __future__ import annotations

import tempfile

from flask import Response, send_file, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.core import sheets
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db

COLUMNS = [
    (_l("Nazwa"), 40), (_l("Rodzaj"), 30), (_l("Adres"), 30), (_l("Dzielnica"), 22), (_l("Operator"), 40),
    (_l("Program"), 20), (_l("Konkurs ofert"), 30), (_l("Godziny otwarcia"), 30), (_l("Oferta"), 60),
    (_l("Dostępność"), 40), (_l("E-mail"), 28), (_l("Telefon"), 16), (_l("Strona internetowa"), 30),
    (_l("Sale"), 30),
]


def _rows(query):
    from sqlalchemy.orm import selectinload

    from consult.places.models import Place

    for place in db.session.scalars(query.options(selectinload(Place.rooms), selectinload(Place.call))):
        yield [place.name, place.kind.label, place.address, place.district_label, str(place.operator or ""),
               place.programme or "", f"{place.call.reference} {place.call.title}" if place.call else "",
               place.opening_hours or "", place.offer or "", place.accessibility or "", place.email or "",
               place.phone or "", place.website or "", "; ".join(r.name for r in place.rooms)]


def download(query, fmt: str) -> Response:
    header = [str(title) for title, _width in COLUMNS]
    widths = [width for _title, width in COLUMNS]
    filename = f"miejsca-aktywnosci-{to_warsaw(utcnow()):%Y-%m-%d}.{fmt}"
    rows = _rows(query)
    if fmt == "csv":
        response = Response(stream_with_context(sheets.csv_chunks(header, rows)), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["Content-Type"] = sheets.FORMATS["csv"]
        return response
    target = tempfile.TemporaryFile()
    write = sheets.write_xlsx if fmt == "xlsx" else sheets.write_ods
    write(target, header, rows, title=_("Miejsca aktywności"), widths=widths)
    target.seek(0)
    return send_file(target, mimetype=sheets.FORMATS[fmt], as_attachment=True, download_name=filename)
