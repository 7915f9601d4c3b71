"""The implementation report as a document: what goes in it (read from fresh rows), its PDF and its XLSX.

The PDF is laid out like the city's own report (../shared/seeds/family-support-programme-report-2024.txt):
the title, then per goal its heading ("I Zapewnienie ..."), per task its heading ("I.1 Zadanie podstawowe
...", with the strategy it is tied to), per area its heading ("1) ...") and the services it is linked with,
and the table Planowane do realizacji działania | Komórka/jednostka odpowiedzialna za realizację | Wskaźniki
rezultatów zaplanowanych działań | Zakres realizacji zadania [| Wysokość środków]. Where the planned and the
realised cell state the same indicators as numbers, the realised cell also gives the share realised of each.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from io import BytesIO

from flask import current_app

from consult.implementation.indicators import Share, shares
from consult.implementation.interchange import export_report
from consult.implementation.models import ImplementationReport
from consult.implementation.queries import report_tree
from consult.summaries.document import Built
from worker.pdf import render_pdf

TEMPLATE = "pdf/implementation_report.html"
NOT_REPORTED = "nie przekazano informacji o realizacji"


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


def rows_of(area) -> list[Row]:
    return [Row(activity_id=a.id, name=a.name, units=[u.label for u in a.units], planned=a.planned,
                realised=a.realised, not_carried_out=a.not_carried_out, funds=a.funds,
                shares=[] if a.not_carried_out else shares(a.planned, a.realised))
            for a in area.activities]


def load(report_id: int) -> ImplementationReport:
    report = report_tree(report_id)
    if report is None:
        raise LookupError(f"no implementation report {report_id}")
    return report


def report_html(report: ImplementationReport) -> str:
    """Autoescaped: every text of the report appears as text, never as markup."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(r=report, rows_of=rows_of, not_reported=NOT_REPORTED)


def source_digest(report_id: int) -> str:
    canonical = json.dumps(export_report(report_id), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compile_report(report_id: int) -> Built:
    report = load(report_id)
    rendered = render_pdf(report_html(report), base_url=current_app.root_path)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=source_digest(report_id))


def compile_report_for_job(job) -> Built:
    return compile_report(job.implementation_report_id)


# --- XLSX --------------------------------------------------------------------------------------------------

XLSX_COLUMNS = (
    ("Cel", 8), ("Zadanie", 9), ("Rodzaj zadania", 14), ("Obszar", 30), ("Działania powiązane z", 30),
    ("Planowane do realizacji działanie", 45), ("Komórka/jednostka odpowiedzialna za realizację", 30),
    ("Wskaźniki rezultatów zaplanowanych działań", 35), ("Zakres realizacji zadania", 35),
    ("Stopień realizacji wskaźników", 28), ("Wysokość środków", 16), ("Stan", 18),
)


def report_xlsx(report_id: int) -> bytes:
    """One row per activity under a header row: a table to filter and sort; shares as text like the PDF's."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    report = load(report_id)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Sprawozdanie {report.report_year}"
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([f"{report.programme_title} – rok sprawozdawczy {report.report_year}"])
    sheet.append([name for name, _width in XLSX_COLUMNS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for goal in report.goals:
        for task in goal.tasks:
            for area in task.areas:
                services = "\n".join(area.linked_services or [])
                area_label = f"{area.code} {area.title}" if area.code else area.title
                for row in rows_of(area):
                    state = ("nie zrealizowano" if row.not_carried_out else "zrealizowano") if row.realised is not None \
                        else "brak informacji"
                    sheet.append([goal.code, task.code, task.kind_label, area_label, services, row.name,
                                  ", ".join(row.units), row.planned, row.realised or "",
                                  "\n".join(f"{s.label}: {s.text}" for s in row.shares),
                                  row.funds or "", state])
    for i, (_name, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # text typed as "=..." is text, never a formula the spreadsheet would run
                cell.data_type = "s"
            if cell.row >= 4:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(XLSX_COLUMNS))}{sheet.max_row}"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
