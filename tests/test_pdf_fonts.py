"""worker.pdf: the fonts embedded as subsets whichever library subsets them (HarfBuzz-Subset where the machine has
libharfbuzz-subset0, fontTools otherwise), the text extractable with its diacritics and the PDF still tagged."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from worker.pdf import font_subsetter, render_pdf

TEXT = "Zażółć gęślą jaźń — stanowisko Wydziału Polityki Społecznej, Równości i Zdrowia."
HTML = f"""<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Próba</title>
<style>@page {{ size: A4; margin: 15mm }} html {{ font-family: "DejaVu Sans"; font-size: 10pt }}
table {{ width: 100%; table-layout: fixed }}</style></head>
<body><h1>Podsumowanie</h1><table><thead><tr><th scope="col">Lp.</th><th scope="col">Stanowisko</th></tr></thead>
<tbody><tr><th scope="row">1.</th><td>{TEXT}</td></tr></tbody></table></body></html>"""


def _subsetters():
    out = [pytest.param("fonttools", id="fonttools")]
    skip = font_subsetter() != "harfbuzz"
    out.append(pytest.param("harfbuzz", id="harfbuzz", marks=pytest.mark.skipif(
        skip, reason="no HarfBuzz-Subset here (libharfbuzz-subset0): WeasyPrint falls back to fontTools")))
    return out


@pytest.mark.parametrize("subsetter", _subsetters())
def test_fonts_are_embedded_subsets_and_the_text_and_tags_survive(subsetter, monkeypatch):
    from weasyprint.pdf import fonts

    if subsetter == "fonttools":
        monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # WeasyPrint's own fallback, as without the library
    rendered = render_pdf(HTML)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = reader.pages[0].extract_text()
    assert "".join(TEXT.split()) in "".join(text.split())  # a line break may take a space with it
    names = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        embedded = descriptor["/FontFile2"].get_object().get_data()
        assert len(embedded) < 200_000, "the whole font embedded, not a subset"  # DejaVu Sans itself is ~740 kB
        names.append(str(font["/BaseFont"]))
    assert names and all("+DejaVu" in name for name in names), names  # a subset's tag before the name


def test_font_subsetter_names_one_of_the_two():
    assert font_subsetter() in {"harfbuzz", "fonttools"}
