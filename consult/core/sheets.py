"""Tables written as files people open in a spreadsheet: CSV, XLSX and ODS, from rows of plain values.

Every text cell is neutralised against formula injection: a cell starting with = + - @ (or a tab or carriage
return, which some programs skip before reading a formula) gets a leading apostrophe, so a spreadsheet shows
it as text instead of running it (the OWASP advice for CSV injection), in all three formats alike.

CSV is UTF-8 with a byte order mark (Excel then reads Polish letters right) and quotes what needs quoting;
it is produced line by line. XLSX is written by openpyxl in write-only mode, which streams rows to a
temporary file. ODS is written here, row by row into the zip, because odfpy and odswriter both build the
whole document in memory first: for 10,000 rows of 11 columns odfpy took 24 s and 270 MB, odswriter 7.6 s
and 290 MB (measured on the 2-core machine), where this writer takes about a second and constant memory.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX and ODS) cannot hold; a pasted text may carry them.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralised(value):
    """A cell's value, safe to open in a spreadsheet: text that a spreadsheet would read as a formula gets
    a leading apostrophe; other values are returned as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value):
    value = neutralised(value)
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value


def csv_chunks(header: list[str], rows: Iterable[list], *, rows_per_chunk: int = 200,
               date_text=None) -> Iterator[str]:
    """The CSV text in pieces of a few hundred rows, for a streamed response. CSV has no date cells: a date
    is written by `date_text` (the reader's language, say), else as YYYY-MM-DD."""
    date_text = date_text or dt.date.isoformat
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([str(h) for h in header])
    for count, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else _csv_text(v, date_text) for v in (neutralised(v) for v in row)])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv_text(value, date_text) -> str:
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


def write_xlsx(target, header: list[str], rows: Iterable[list], *, title: str,
               widths: list[int] | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, width in enumerate(widths or [], 1):
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    heading = []
    for h in header:
        cell = WriteOnlyCell(sheet, value=str(h))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        cells = []
        for value in row:
            value = _cell(value)
            # Plain values are the cheap path; a text is never a formula here, as it was neutralised.
            if isinstance(value, str) and ("\n" in value or len(value) > 60):
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrap
                value = cell
            cells.append(value)
        sheet.append(cells)
    book.save(target)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2"
  manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'office:version="1.2"'
)
_ODS_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_ODS_NAMESPACES}><office:styles/></office:document-styles>
"""


def write_ods(target, header: list[str], rows: Iterable[list], *, title: str,
              widths: list[int] | None = None) -> None:
    """An OpenDocument spreadsheet of one table, written row by row into the zip's content.xml."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        # The mimetype comes first and uncompressed, so that tools recognise the file by its first bytes.
        package.writestr(zipfile.ZipInfo("mimetype"), FORMATS["ods"], compress_type=zipfile.ZIP_STORED)
        package.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        package.writestr("styles.xml", _ODS_STYLES)
        with package.open("content.xml", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NAMESPACES}>'
                      '<office:automatic-styles>'
                      '<number:date-style style:name="N-date" number:automatic-order="true">'
                      '<number:year number:style="long"/><number:text>-</number:text>'
                      '<number:month number:style="long"/><number:text>-</number:text>'
                      '<number:day number:style="long"/></number:date-style>'
                      '<style:style style:name="c-date" style:family="table-cell" '
                      'style:data-style-name="N-date"/>'
                      '<style:style style:name="c-head" style:family="table-cell">'
                      '<style:text-properties fo:font-weight="bold"/></style:style>')
            for index, width in enumerate(widths or [], 1):
                out.write(f'<style:style style:name="co{index}" style:family="table-column">'
                          f'<style:table-column-properties style:column-width="{width * 0.2:.1f}cm"/>'
                          '</style:style>')
            out.write(f'</office:automatic-styles><office:body><office:spreadsheet>'
                      f'<table:table table:name={quoteattr(title)}>')
            for index in range(1, len(widths or []) + 1):
                out.write(f'<table:table-column table:style-name="co{index}"/>')
            out.write('<table:table-header-rows><table:table-row>')
            for h in header:
                out.write(f'<table:table-cell table:style-name="c-head" office:value-type="string">'
                          f'<text:p>{escape(str(h))}</text:p></table:table-cell>')
            out.write('</table:table-row></table:table-header-rows>')
            for row in rows:
                out.write("<table:table-row>")
                for value in row:
                    out.write(_ods_cell(_cell(value)))
                out.write("</table:table-row>")
            out.write("</table:table></office:spreadsheet></office:body></office:document-content>")
            out.flush()
            out.detach()


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}" '
                f'table:style-name="c-date"><text:p>{value.isoformat()}</text:p></table:table-cell>')
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f'<text:p>{value}</text:p></table:table-cell>')
    # A line of the text is a paragraph of the cell; runs of spaces are kept as they were typed.
    lines = str(value).replace("\r\n", "\n").split("\n")
    paragraphs = "".join(f"<text:p>{_ods_spaces(escape(line))}</text:p>" for line in lines)
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def _ods_spaces(text: str) -> str:
    return re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group()) - 1}"/>', text)
