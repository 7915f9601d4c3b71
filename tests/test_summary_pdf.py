"""The meeting summary PDF: its text (extracted, in order, with Polish diacritics), its layout rules
and its tagged structure, compiled through the same job a coordinator starts."""
from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.extensions import db
from tests.conftest import empty_all_tables
from tests.summary_support import (
    UNIT_DIALOGUE,
    UNIT_SOCIAL,
    assert_in_order,
    compile_now,
    fixture_data,
    import_data,
    page_texts,
    pdf_bytes,
    squeeze,
)

pytestmark = pytest.mark.usefixtures("summary_worker")


@pytest.fixture(scope="module")
def fixture_pdf(app, summary_worker):
    """The fixture meeting imported and its summary compiled for publication, once for this module
    (each test then starts with empty tables again; the PDF's bytes are all these tests read)."""
    with app.app_context():
        empty_all_tables()  # whatever the previous module's last test left
        meeting_id = import_data(fixture_data())
        job = compile_now(meeting_id)
        assert job.state == "done", job.error
        pages = job.version.pages
        data = pdf_bytes(job.version)
        db.session.remove()
    return meeting_id, pages, data


def test_every_postulate_justification_and_position_appears_in_order(fixture_pdf):
    _meeting_id, pages, data = fixture_pdf
    text = "\n".join(page_texts(data))
    needles = []
    for p in fixture_data()["postulates"]:
        needles += [f"{p['number']}.", p["submitter"], p["content"], p["justification"]]
        needles += [pos["text"] for pos in p["positions"]]
    assert_in_order(text, needles)
    # Diacritics survive extraction (the embedded font has the glyphs and a ToUnicode map).
    for word in ("Zacięcie", "Płoskonka", "Równości", "Społeczno-Gospodarczych", "zwiększenia skuteczności",
                 "Miejsca Aktywności Mieszkańców", "dyżurów", "źródła" if "źródła" in text else "ść"):
        assert squeeze(word) in squeeze(text)
    assert not any(ch in text for ch in "\ufffd\x00"), "a glyph without its character"
    assert pages == len(page_texts(data)) >= 2
    assert data.startswith(b"%PDF-")


def test_header_has_date_hours_place_host_attendees_materials_and_introduction(fixture_pdf):
    _meeting_id, _version, data = fixture_pdf
    f = fixture_data()
    m = f["meeting"]
    first = "\n".join(page_texts(data)[:2])
    needles = [m["title"], f["programme"]["title"], "17 czerwca 2025 r.", "od 17:00 do 19:00", m["place"],
               m["host_unit"]]
    needles += [f"{o['name']} – {o['function']}" for o in m["officials"]]
    needles += ["Organizacje pozarządowe obecne na spotkaniu (3)"] + m["organisations"] + m["materials"]
    needles += [para.strip() for para in m["introduction"].split("\n\n")]
    assert_in_order(first, needles)


def test_positions_of_another_unit_are_prefixed_and_the_column_names_the_main_unit(fixture_pdf):
    _meeting_id, _version, data = fixture_pdf
    text = squeeze("\n".join(page_texts(data)))
    # The header names the unit that gave most positions (10 of 14), as in the city's summary.
    assert squeeze("Stanowisko komórki merytorycznej – Wydziału Polityki Społecznej, Równości i Zdrowia") in text
    prefix = squeeze("Stanowisko Wydziału Dialogu, Konsultacji i Kontaktu Obywatelskiego:")
    by_number = {p["number"]: p for p in fixture_data()["postulates"]}
    for number, p in by_number.items():
        position = squeeze(p["positions"][0]["text"])
        if p["positions"][0]["unit"] == UNIT_DIALOGUE:
            assert prefix + position in text, f"row {number} lacks the prefix of the other unit"
        else:
            assert prefix + position not in text
    assert sorted(n for n, p in by_number.items() if p["positions"][0]["unit"] == UNIT_DIALOGUE) == [7, 8, 9, 13]
    assert text.count(prefix) == 4


def test_header_row_repeats_and_pages_are_numbered(fixture_pdf):
    _meeting_id, _version, data = fixture_pdf
    pages = page_texts(data)
    n = len(pages)
    table_started = False
    for i, page in enumerate(pages, 1):
        flat = squeeze(page)
        assert f"strona{i}z{n}" in flat, f"page {i} has no 'strona {i} z {n}'"
        if "Lp.Nazwaorganizacji" in flat:
            table_started = True
        elif table_started:
            pytest.fail(f"page {i} continues the table without its header row")
        if table_started:
            assert squeeze("Lp. Nazwa organizacji Postulat Uzasadnienie Stanowisko komórki merytorycznej") in flat
    assert table_started
    assert "PROJEKT" not in "".join(pages)


def test_pdf_is_tagged_pdf_ua_in_polish_with_a_title_and_an_embedded_font(fixture_pdf):
    _meeting_id, _version, data = fixture_pdf
    reader = PdfReader(BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "pl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == fixture_data()["meeting"]["title"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp  # PDF/UA-1 identification
    structure = root["/StructTreeRoot"].get_object()
    tags = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "keys"):
            if "/S" in node:
                tags.add(node["/S"])
            kids = node.get("/K")
            if kids is not None:
                for kid in (kids if isinstance(kids, list) else [kids]):
                    if hasattr(kid, "get_object") and depth < 40:
                        walk(kid, depth + 1)
    walk(structure)
    assert {"/Table", "/TR", "/TH", "/TD", "/H1"} <= tags, tags
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "font not embedded"
            fonts.add(str(font["/BaseFont"]))
    assert any("DejaVu" in f for f in fonts), fonts


def test_justification_column_is_left_out_when_nobody_gave_one(app):
    data = fixture_data()
    data["meeting"]["date"] = "2025-06-19"
    for p in data["postulates"]:
        p.pop("justification")
    meeting_id = import_data(data)
    job = compile_now(meeting_id)
    text = "\n".join(page_texts(pdf_bytes(job.version)))
    assert "Uzasadnienie" not in text
    assert_in_order(text, [p["content"] for p in data["postulates"]])
    assert squeeze("Lp. Nazwa organizacji Postulat Stanowisko komórki merytorycznej") in squeeze(text)


def _add_draft_position(meeting_id: int, *, content: str, position: str) -> None:
    from consult.meetings.models import Meeting
    from consult.organisations.operations import organisation_named, unit_named
    from consult.postulates.operations import assign_postulate, record_meeting_postulate, save_position

    with transaction():
        meeting = db.session.get(Meeting, meeting_id)
        postulate = record_meeting_postulate(SYSTEM, meeting, content=content,
                                             organisation=organisation_named(SYSTEM, "Fundacja Zustricz"))
        assign_postulate(SYSTEM, postulate, unit_named(SYSTEM, UNIT_SOCIAL))
        save_position(SYSTEM, postulate, category="under_analysis", text=position)


def test_preview_shows_drafts_with_projekt_on_every_page_and_final_shows_only_published(app):
    meeting_id = import_data(fixture_data())
    _add_draft_position(meeting_id, content="Nowy postulat: ławki w parku Jordana.",
                        position="Projekt stanowiska: analizujemy możliwości budżetowe.")
    preview = compile_now(meeting_id, preview=True)
    pages = page_texts(pdf_bytes(preview.version))
    assert len(pages) >= 2
    for i, page in enumerate(pages, 1):
        assert "PROJEKT" in page, f"page {i} of the preview is not marked PROJEKT"
    joined = "\n".join(pages)
    assert_in_order(joined, ["Nowy postulat: ławki w parku Jordana.", "[projekt stanowiska]",
                             "Projekt stanowiska: analizujemy możliwości budżetowe."])
    assert preview.version.preview is True

    final = compile_now(meeting_id)
    text = "\n".join(page_texts(pdf_bytes(final.version)))
    assert "PROJEKT" not in text
    assert squeeze("analizujemy możliwości budżetowe") not in squeeze(text)
    assert_in_order(text, ["Nowy postulat: ławki w parku Jordana.", "Stanowisko nie zostało jeszcze opublikowane."])
    assert (preview.version.number, final.version.number) == (1, 2)


def test_user_text_is_escaped_not_interpreted(app):
    data = fixture_data()
    data["meeting"]["date"] = "2025-06-20"
    data["meeting"]["title"] = 'Spotkanie <b>pogrubione</b> & "cudzysłów"'
    data["postulates"][0]["content"] = '<script>alert("x")</script><img src="file:///etc/passwd"> ąęłńóśźż'
    data["postulates"][0]["positions"][0]["text"] = "<h1>Nie nagłówek</h1> &amp; koniec"
    meeting_id = import_data(data)
    job = compile_now(meeting_id)
    assert job.state == "done", job.error
    text = "\n".join(page_texts(pdf_bytes(job.version)))
    assert_in_order(text, ['Spotkanie <b>pogrubione</b> & "cudzysłów"',
                           '<script>alert("x")</script><img src="file:///etc/passwd"> ąęłńóśźż',
                           "<h1>Nie nagłówek</h1> &amp; koniec"])
    assert "root:" not in text


def test_two_positions_on_one_postulate_show_the_main_unit_first_then_the_other_prefixed(app):
    data = fixture_data()
    data["meeting"]["date"] = "2025-06-21"
    data["postulates"][0]["positions"].insert(0, {"unit": UNIT_DIALOGUE, "category": "explanation",
                                                  "text": "Uzupełnienie wydziału dialogu do postulatu pierwszego."})
    job = compile_now(import_data(data))
    text = "\n".join(page_texts(pdf_bytes(job.version)))
    first = data["postulates"][0]
    assert_in_order(text, [first["content"], first["positions"][1]["text"],
                           "Stanowisko Wydziału Dialogu, Konsultacji i Kontaktu Obywatelskiego:",
                           "Uzupełnienie wydziału dialogu do postulatu pierwszego.", data["postulates"][1]["content"]])


@pytest.mark.parametrize("name, genitive", [
    ("Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego", "Wydziału Dialogu, Konsultacji i Kontaktu Obywatelskiego"),
    ("Wydział Polityki Społecznej, Równości i Zdrowia", "Wydziału Polityki Społecznej, Równości i Zdrowia"),
    ("Miejski Ośrodek Pomocy Społecznej w Krakowie", "Miejskiego Ośrodka Pomocy Społecznej w Krakowie"),
    ("Straż Miejska Miasta Krakowa", "Straży Miejskiej Miasta Krakowa"),
    ("Kancelaria Prezydenta Miasta", "Kancelarii Prezydenta Miasta"),
    ("ZZM", "komórki „ZZM”"),
])
def test_unit_names_in_the_genitive(name, genitive):
    from consult.summaries.grammar import unit_genitive

    assert unit_genitive(name) == genitive
