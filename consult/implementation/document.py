"""The implementation report as a document: what goes in it (read from fresh rows), its PDF and its XLSX.

The PDF is laid out like the city's own report (../shared/seeds/family-support-programme-report-2024.txt):
the title, then per goal its heading ("I Zapewnienie ..."), per task its heading ("I.1 Zadanie podstawowe
...", with the strategy it is tied to), per area its heading ("1) ...") and the services it is linked with,
and the table Planowane do realizacji działania | Komórka/jednostka odpowiedzialna za realizację | Wskaźniki
rezultatów zaplanowanych działań | Zakres realizacji zadania [| Wysokość środków]. Where the planned and the
realised cell state the same indicators as numbers, the realised cell also gives the share realised of each.

Labels are in the language of the job (the PDF) or of the request (the XLSX); the report's texts as filed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.documents.registry import Built
from consult.extensions import db
from consult.implementation.funds import Amount
from consult.implementation.indicators import Share, shares
from consult.implementation.interchange import export_report
from consult.implementation.models import ImplementationReport
from consult.implementation.queries import report_tree
from worker.pdf import render_pdf

TEMPLATE = "pdf/implementation_report.html"
NOT_REPORTED = _l("nie przekazano informacji o realizacji")


@dataclass(frozen=True)
class Row:
    activity_id: int
    name: str
    units: list[str]
    planned: str
    realised: str | None
    not_carried_out: bool
    funds: str | None
    shares: list[Share]
    amounts: list[Amount] = ()
    funds_unread: bool = False


def share_text(share: Share) -> str:
    """The share realised with the locale's decimal sign: "99,1%" in Polish (as the city's report writes it),
    "99.1%" in English."""
    from babel.numbers import get_decimal_symbol

    from consult.i18n import current_locale

    return f"{share.percent:f}".replace(".", get_decimal_symbol(current_locale())) + "%"


def rows_of(area) -> list[Row]:
    return [Row(activity_id=a.id, name=a.name, units=[u.label for u in a.units], planned=a.planned,
                realised=a.realised, not_carried_out=a.not_carried_out, funds=a.funds,
                shares=[] if a.not_carried_out else shares(a.planned, a.realised), amounts=a.amounts,
                funds_unread=a.funds_unread)
            for a in area.activities]


def load(report_id: int) -> ImplementationReport:
    report = report_tree(report_id)
    if report is None:
        raise LookupError(f"no implementation report {report_id}")
    return report


def report_html(report: ImplementationReport) -> str:
    """Autoescaped: every text of the report appears as text, never as markup."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    from consult.implementation.queries import funds_totals

    return template.render(r=report, rows_of=rows_of, not_reported=str(NOT_REPORTED), share_text=share_text,
                           totals=funds_totals(report.id))


def source_digest(report_id: int) -> str:
    """What the PDF is built from: the report as exported, and the small grants of its year (shown in it)."""
    from consult.implementation.queries import small_grants_of_year

    report = db.session.get(ImplementationReport, report_id)
    small = [[s.sphere, s.count, str(s.amount)] for s in small_grants_of_year(report.report_year)] if report else []
    source = {**export_report(report_id), "small_grants": small} if small else export_report(report_id)
    canonical = json.dumps(source, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compile_report(report_id: int) -> Built:
    report = load(report_id)
    rendered = render_pdf(report_html(report), base_url=current_app.root_path)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=source_digest(report_id))


def compile_report_for_job(job) -> Built:
    return compile_report(job.subject_id)


# --- XLSX --------------------------------------------------------------------------------------------------

# Lazy: the sheet is in the language of the person downloading it (the request's locale).
XLSX_COLUMNS = (
    (_l("Cel"), 8), (_l("Zadanie"), 9), (_l("Rodzaj zadania"), 14), (_l("Obszar"), 30),
    (_l("Działania powiązane z"), 30), (_l("Planowane do realizacji działanie"), 45),
    (_l("Komórka/jednostka odpowiedzialna za realizację"), 30), (_l("Wskaźniki rezultatów zaplanowanych działań"), 35),
    (_l("Zakres realizacji zadania"), 35), (_l("Stopień realizacji wskaźników"), 28), (_l("Wysokość środków"), 16),
    (_l("Stan"), 18), (_l("Suma kwot środków (zł)"), 16),
)


def _small_grants_sheet(book, report) -> None:
    """A sheet of the small grants (art. 19a) of the report's year per sphere: count and sum granted (złoty)."""
    from openpyxl.styles import Font

    from consult.implementation.queries import small_grants_of_year

    rows = small_grants_of_year(report.report_year)
    sheet = book.create_sheet(_("Małe granty")[:31])
    sheet.append([_("Małe granty (art. 19a) przyznane na zadania roku sprawozdawczego, według sfer pożytku "
                    "publicznego")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Sfera pożytku publicznego"), _("Małe granty przyznane"), _("Kwota przyznanych małych grantów")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.label or _("nie określono"), row.count, row.amount])
    sheet.append([_("Razem"), sum(r.count for r in rows), sum((r.amount for r in rows), Decimal("0.00"))])
    sheet[sheet.max_row][0].font = Font(bold=True)
    for cells in sheet.iter_rows(min_row=3):
        cells[2].number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 22


def report_xlsx(report_id: int) -> bytes:
    """One row per activity under a header row: a table to filter and sort; shares as text like the PDF's.
    Headers and states in the current locale (the request's, for a download); the report's texts as filed."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    report = load(report_id)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sprawozdanie %(year)s", year=report.report_year)[:31]  # a sheet's name has at most 31
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([_("%(programme)s – rok sprawozdawczy %(year)s", programme=report.programme_title,
                    year=report.report_year)])
    sheet.append([str(name) for name, _width in XLSX_COLUMNS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for goal in report.goals:
        for task in goal.tasks:
            for area in task.areas:
                services = "\n".join(area.linked_services or [])
                area_label = f"{area.code} {area.title}" if area.code else area.title
                for row in rows_of(area):
                    state = (_("nie zrealizowano") if row.not_carried_out else _("zrealizowano")) \
                        if row.realised is not None else _("brak informacji")
                    sheet.append([goal.code, task.code, task.kind_label, area_label, services, row.name,
                                  ", ".join(row.units), row.planned, row.realised or "",
                                  "\n".join(f"{s.label}: {share_text(s)}" for s in row.shares),
                                  row.funds or "", state,
                                  sum(a.zloty for a in row.amounts) if row.amounts else None])
    for i, (_name, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # text typed as "=..." is text, never a formula the spreadsheet would run
                cell.data_type = "s"
            if cell.row >= 4:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.column == len(XLSX_COLUMNS):
                    cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(XLSX_COLUMNS))}{sheet.max_row}"
    _small_grants_sheet(book, report)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
