"""Funds of an implementation report become amounts: a cell holds one or more (amount in grosze, source), read from
the text on import and on a unit's report (the text as written stays what the report shows), refused naming the cell
when it cannot be read, and summed per task and per goal on the report's page and in its PDF."""
from __future__ import annotations

import json
from io import BytesIO

import pytest
from pypdf import PdfReader

from consult.core.errors import Refused
from consult.extensions import db
from consult.implementation.funds import Amount, FundsError, parse_funds
from consult.implementation.models import Activity
from tests.conftest import login
from tests.implementation_support import import_data, small_data

SEED_CELL = "3 431 443,00 zł \n \n \n \n820 208,00 zł. "  # as the seed's family-support report writes it


@pytest.mark.parametrize("text, amounts", [
    ("2 000 750,00 zł", [Amount(200075000)]),
    (SEED_CELL, [Amount(343144300), Amount(82020800)]),
    ("3 431 443,00 zł + 820 208,00 zł", [Amount(343144300), Amount(82020800)]),
    ("3 431 443,00 zł (budżet Miasta) + 820 208,00 zł (dotacja Wojewody)",
     [Amount(343144300, "budżet Miasta"), Amount(82020800, "dotacja Wojewody")]),
    ("budżet Miasta: 100 000 zł; Fundusz Pracy: 0,5 zł", [Amount(10000000, "budżet Miasta"),
                                                          Amount(50, "Fundusz Pracy")]),
    ("820 208,00 zł (dotacja 2024)", [Amount(82020800, "dotacja 2024")]),
    ("1250.50", [Amount(125050)]),
    ("", []),
])
def test_a_cell_is_read_as_amounts_with_their_sources(text, amounts):
    assert parse_funds(text) == amounts


@pytest.mark.parametrize("text, reason", [("dużo", "no_amount"), ("12 i 13", "several_amounts"),
                                          ("100 zł + według potrzeb", "no_amount")])
def test_a_cell_that_cannot_be_read_says_which_part(text, reason):
    with pytest.raises(FundsError) as caught:
        parse_funds(text)
    assert caught.value.reason == reason and caught.value.part in text


def _funds_data():
    data = small_data()
    data["goals"][0]["tasks"][0]["areas"][0]["activities"][2]["funds"] = SEED_CELL
    return data


def test_import_reads_amounts_and_keeps_the_text(app, world):
    report_id = import_data(_funds_data())
    activity = db.session.scalar(db.select(Activity).where(Activity.report_id == report_id, Activity.funds == SEED_CELL.strip()))
    assert activity is not None  # the text as written (trimmed, as the operations trim)
    assert activity.funds_amounts == [{"grosze": 343144300, "source": ""}, {"grosze": 82020800, "source": ""}]


def test_import_refuses_a_cell_it_cannot_read_naming_it(app, world):
    from consult.implementation.interchange import parse

    data = _funds_data()
    activity = data["goals"][0]["tasks"][0]["areas"][0]["activities"][3]
    activity["funds"] = "według potrzeb"
    with pytest.raises(Refused) as caught:
        parse(json.dumps(data, ensure_ascii=False))
    message = caught.value.reason
    assert "goals[0].tasks[0].areas[0].activities[3].funds" in message and activity["name"][:40] in message
    assert "„według potrzeb” nie ma kwoty" in message


def test_sums_per_task_and_goal_on_the_page_and_in_the_pdf(app, world):
    report_id = import_data(_funds_data())
    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.get(f"/koordynacja/sprawozdania/{report_id}").get_data(as_text=True)
    totals = page.split('id="srodki"')[1].split("</table>")[0]
    flat = " ".join(totals.replace("\u00a0", " ").split())
    # I.1: 3 934 985,31 + (3 431 443,00 + 820 208,00) + 104 819,28 + 318 660,00 (the first activity has none yet)
    assert "Zadanie I.1</th><td class=\"numeric\">8 610 115,59 zł" in flat
    assert "Cel I</th><td class=\"numeric\"><strong>8 610 115,59 zł" in flat
    assert "Zadanie I.2" not in flat  # its tables have no funds column

    from consult.implementation.document import compile_report

    text = " ".join(p.extract_text() or "" for p in PdfReader(BytesIO(compile_report(report_id).pdf)).pages)
    text = " ".join(text.replace("\u00a0", " ").split())
    assert "Wysokość środków na realizację zadania I.1 razem: 8 610 115,59 zł" in text
    assert "Wysokość środków na realizację celu I razem: 8 610 115,59 zł" in text


def test_a_units_report_reads_the_amounts_and_refuses_what_it_cannot_read(app, world):
    report_id = import_data(_funds_data())
    staff = login(app.test_client(), world.user("unit_x"))
    activity = db.session.scalar(db.select(Activity).where(Activity.report_id == report_id).order_by(Activity.id))
    url = f"/sprawozdania/dzialania/{activity.id}"
    refused = staff.post(url, data={"outcome": "done", "realised": "10 801 usług", "funds": "12 i 13",
                                    "version": activity.version}).get_data(as_text=True)
    assert "Wysokość środków: w „12 i 13” jest kilka liczb" in refused
    db.session.rollback()
    assert db.session.get(Activity, activity.id).funds_amounts is None  # nothing changed
    done = staff.post(url, data={"outcome": "done", "realised": "10 801 usług",
                                 "funds": "1 000,00 zł (budżet Miasta) + 250,50 zł (Wojewoda)",
                                 "version": activity.version})
    assert done.status_code == 302
    db.session.rollback()
    assert db.session.get(Activity, activity.id).funds_amounts == [{"grosze": 100000, "source": "budżet Miasta"},
                                                                   {"grosze": 25050, "source": "Wojewoda"}]
    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.get(f"/koordynacja/sprawozdania/{report_id}").get_data(as_text=True)
    assert "8 611 366,09 zł" in page.replace("\u00a0", " ")  # 8 610 115,59 + 1 250,50


def test_amounts_are_shown_as_the_readers_language_writes_them(app, world):
    report_id = import_data(_funds_data())
    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.get(f"/koordynacja/sprawozdania/{report_id}?lang=en",
                           headers={"Accept-Language": "en"}).get_data(as_text=True)
    page = page.replace("\u00a0", " ")
    assert "Funds by goal and task" in page and "PLN 8,610,115.59" in page
    assert "PLN 3,431,443.00" in page and "820 208,00 zł" in page  # the amounts read, beside the text as written


def test_funds_never_read_as_amounts_are_shown_marked_and_left_out_of_the_sums(app, world):
    """What the migration could not read keeps its text and no amounts (funds_amounts None)."""
    report_id = import_data(_funds_data())
    activity = db.session.scalar(db.select(Activity).where(Activity.report_id == report_id,
                                                           Activity.funds == "318 660,00 zł"))
    activity.funds, activity.funds_amounts = "według potrzeb", None
    db.session.commit()
    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.get(f"/koordynacja/sprawozdania/{report_id}").get_data(as_text=True).replace("\u00a0", " ")
    assert "według potrzeb" in page and "Kwoty nie odczytano: nie wliczono jej do sum." in page
    assert "8 291 455,59 zł (bez kwot nieodczytanych: 1)" in page  # 8 610 115,59 − 318 660,00


def test_the_xlsx_gives_each_cells_amounts_summed_as_a_number(app, world):
    from openpyxl import load_workbook

    report_id = import_data(_funds_data())
    coordinator = login(app.test_client(), world.user("coordinator"))
    sheet = load_workbook(BytesIO(coordinator.get(f"/koordynacja/sprawozdania/{report_id}.xlsx").data)).active
    header = [c.value for c in sheet[3]]
    funds, total = header.index("Wysokość środków"), header.index("Suma kwot środków (zł)")
    rows = {row[funds]: row[total] for row in sheet.iter_rows(min_row=4, values_only=True) if row[funds]}
    assert rows[SEED_CELL.strip()] == pytest.approx(4251651.00)  # 3 431 443,00 + 820 208,00
    assert rows["3 934 985,31 zł"] == pytest.approx(3934985.31)


def test_the_small_grants_of_the_year_per_sphere_on_the_page_in_the_pdf_and_the_xlsx(app, world):
    """Beside the funds per task: the small grants (art. 19a) given for tasks of the report's year, per sphere."""
    from decimal import Decimal

    from openpyxl import load_workbook

    from consult.implementation.document import compile_report
    from consult.implementation.models import ImplementationReport
    from tests.test_programme_report import _small_grant

    report_id = import_data(_funds_data())
    year = db.session.get(ImplementationReport, report_id).report_year
    _small_grant(world, "1a", "4000.00", year=year)
    _small_grant(world, "1a", "1234.56", state="reported", year=year)
    _small_grant(world, "16", "999.99", year=year)
    _small_grant(world, None, "100.01", year=year)
    _small_grant(world, "1a", None, state="not_granted", year=year)  # refused: not counted
    _small_grant(world, "1a", "3333.33", year=year + 1)  # a task of another year
    db.session.commit()

    coordinator = login(app.test_client(), world.user("coordinator"))
    page = coordinator.get(f"/koordynacja/sprawozdania/{report_id}").get_data(as_text=True)
    table = " ".join(page.split('id="male-granty"')[1].split("</table>")[0].replace("\u00a0", " ").split())
    assert ('1a. wspieranie rodziny i systemu pieczy zastępczej</th><td class="numeric">2</td>'
            '<td class="numeric">5 234,56 zł</td>') in table
    assert 'nie określono</th><td class="numeric">1</td><td class="numeric">100,01 zł</td>' in table
    assert '<strong>4</strong></td><td class="numeric"><strong>6 334,56 zł</strong>' in table
    assert table.index("1a. wspieranie") < table.index("16. kultura") < table.index("nie określono")
    # the activities' funds are summed as before, without the small grants
    assert "8 610 115,59 zł" in page

    text = " ".join(p.extract_text() or "" for p in PdfReader(BytesIO(compile_report(report_id).pdf)).pages)
    text = " ".join(text.replace("\u00a0", " ").split())
    assert "Małe granty (art. 19a)" in text and "5 234,56 zł" in text and "6 334,56 zł" in text

    book = load_workbook(BytesIO(coordinator.get(f"/koordynacja/sprawozdania/{report_id}.xlsx").data))
    sheet = book["Małe granty"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows["1a. wspieranie rodziny i systemu pieczy zastępczej"][0] == 2
    assert Decimal(str(rows["1a. wspieranie rodziny i systemu pieczy zastępczej"][1])) == Decimal("5234.56")
    assert rows["Razem"][0] == 4 and Decimal(str(rows["Razem"][1])) == Decimal("6334.56")
