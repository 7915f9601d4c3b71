"""The public register of organisations as a file (CSV, XLSX, ODS), filtered as on the screen.

Only what the public page shows: the organisation's name, legal form, register numbers, address, district,
spheres and its own contact (e-mail, phone, website); never a person's name, e-mail or phone.
"""
from __future__ import annotations

import tempfile

from flask import Response, send_file, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.core import sheets
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.organisations.models import LEGAL_FORMS
from consult.organisations.register_data import district_label

COLUMNS = (
    (_l("Nazwa"), 40), (_l("Forma prawna"), 18), (_l("KRS"), 12), (_l("NIP"), 12), (_l("REGON"), 15),
    (_l("Adres"), 30), (_l("Dzielnica"), 20), (_l("Sfery pożytku publicznego"), 50), (_l("E-mail"), 25),
    (_l("Telefon"), 16), (_l("Strona internetowa"), 25),
)


def _rows(query):
    forms = {key: str(label) for key, label in LEGAL_FORMS.items()}
    for org in db.session.scalars(query):
        yield [org.name, forms.get(org.legal_form, org.legal_form), org.krs or "", org.nip or "", org.regon or "",
               org.address or "", district_label(org.district), "; ".join(s.label for s in org.spheres),
               org.email or "", org.phone or "", org.website or ""]


def download(query, fmt: str) -> Response:
    header = [str(title) for title, _width in COLUMNS]
    widths = [width for _title, width in COLUMNS]
    filename = f"organizacje-{to_warsaw(utcnow()):%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = Response(stream_with_context(sheets.csv_chunks(header, _rows(query))), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["Content-Type"] = sheets.FORMATS["csv"]
        return response
    target = tempfile.TemporaryFile()
    write = sheets.write_xlsx if fmt == "xlsx" else sheets.write_ods
    write(target, header, _rows(query), title=_("Organizacje"), widths=widths)
    target.seek(0)
    return send_file(target, mimetype=sheets.FORMATS[fmt], as_attachment=True, download_name=filename)
