"""The report on a programme as documents: its HTML and tagged PDF (PDF/UA-1, like the other reports) in pl, en
or uk, and its XLSX. Rendered here and served synchronously by this package's views; the lead registers it as a
document kind at merge (then a job calls `report_pdf` under its language).

Labels are in the document's language; the areas' names (the calls' spheres) as the calls write them.
"""
from __future__ import annotations

from io import BytesIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.core.types import utcnow
from consult.programme_report.queries import ProgrammeNumbers, programme_numbers
from consult.programmes.models import Programme
from worker.pdf import render_pdf

TEMPLATE = "pdf/programme_outcome_report.html"
NO_AREA = _l("nie określono")

# The table's columns: (label, attribute of AreaNumbers, is an amount). Lazy: worded in the document's language.
COLUMNS = (
    (_l("Konkursy ogłoszone"), "calls_announced", False),
    (_l("w tym unieważnione"), "calls_cancelled", False),
    (_l("Środki przeznaczone w konkursach"), "call_funds", True),
    (_l("Oferty złożone"), "offers_filed", False),
    (_l("Dotacje przyznane"), "grants", False),
    (_l("Kwota przyznanych dotacji"), "grants_sum", True),
    (_l("Oferty, którym odmówiono dotacji"), "refusals", False),
    (_l("Małe granty przyznane (art. 19a)"), "small_grants", False),
    (_l("Kwota przyznanych małych grantów"), "small_grants_sum", True),
)


def title(programme: Programme) -> str:
    return _("Sprawozdanie z realizacji programu „%(programme)s” (%(year)s)", programme=programme.title,
             year=programme.year)


def area_label(area) -> str:
    return area.label or str(NO_AREA)


def report_html(numbers: ProgrammeNumbers) -> str:
    """Autoescaped: every text appears as text, never as markup."""
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(n=numbers, columns=COLUMNS, title=title(numbers.programme), area_label=area_label,
                           printed_at=utcnow())


def report_pdf(programme: Programme, language: str = "pl") -> bytes:
    """The PDF in `language` (pl, en, uk), read from fresh rows."""
    with force_locale(language):
        html = report_html(programme_numbers(programme))
        return render_pdf(html, base_url=current_app.root_path).pdf


def report_xlsx(programme: Programme) -> bytes:
    """A sheet of the areas (amounts as numbers, in złoty, two decimals), then the small grants and the
    consultations; labels in the current locale (the request's)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    numbers = programme_numbers(programme)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sprawozdanie %(year)s", year=programme.year)[:31]
    sheet.append([title(programme)])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([_("Obszar priorytetowy (sfera pożytku publicznego)"), *(str(label) for label, *_r in COLUMNS)])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for area in [*numbers.areas, numbers.total]:
        sheet.append([area_label(area) if area is not numbers.total else _("Razem"),
                      *(getattr(area, attr) for _label, attr, _m in COLUMNS)])
    money_columns = [i for i, (_label, _attr, is_money) in enumerate(COLUMNS, start=2) if is_money]
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            if cell.column in money_columns:
                cell.number_format = "#,##0.00"
            elif cell.data_type == "f":  # a sphere typed as "=..." is text, never a formula
                cell.data_type = "s"
    sheet[sheet.max_row][0].font = Font(bold=True)
    sheet.append([])
    sg = numbers.small_grants
    sheet.append([_("Małe granty (art. 19a)")])
    sheet[sheet.max_row][0].font = Font(bold=True)
    sheet.append([_("Oferty złożone"), sg.offers])
    sheet.append([_("Małe granty przyznane"), sg.grants])
    sheet.append([_("Kwota przyznanych małych grantów"), sg.grants_sum])
    sheet.cell(sheet.max_row, 2).number_format = "#,##0.00"
    sheet.append([])
    c = numbers.consultations
    sheet.append([_("Konsultacje programu")])
    sheet[sheet.max_row][0].font = Font(bold=True)
    sheet.append([_("Spotkania branżowe odbyte"), c.meetings_held])
    sheet.append([_("Postulaty złożone"), c.postulates])
    sheet.append([_("Stanowiska opublikowane"), c.positions])
    sheet.column_dimensions["A"].width = 45
    for i in range(2, len(COLUMNS) + 2):
        sheet.column_dimensions[get_column_letter(i)].width = 18
    out = BytesIO()
    book.save(out)
    return out.getvalue()
