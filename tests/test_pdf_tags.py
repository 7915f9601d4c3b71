"""worker.pdf_tags: WeasyPrint's line-by-line spans folded into their parents, the structure still whole."""
from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader

from worker.pdf import render_pdf
from worker.pdf_tags import fold_spans, fold_spans_of

LONG = "Postulat o zwiększeniu środków na wkład własny organizacji w projektach unijnych. " * 12
HTML = f"""<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Próba</title>
<style>@page {{ size: A4; margin: 15mm }} html {{ font-family: "DejaVu Sans"; font-size: 10pt }}
td {{ border: 0.5pt solid #000; vertical-align: top }} table {{ width: 100%; table-layout: fixed }}</style></head>
<body><h1>Podsumowanie spotkania</h1>
<p>Tekst z <span class="label">wyróżnieniem</span> i <span lang="en">an English phrase</span>.</p>
<table><thead><tr><th scope="col">Lp.</th><th scope="col">Postulat</th></tr></thead><tbody>
{"".join(f'<tr><th scope="row">{i}.</th><td>{LONG}</td></tr>' for i in range(1, 9))}
</tbody></table></body></html>"""


def _elements(pdf):
    out = []

    def walk(elem, parent):
        out.append((elem, parent))
        kids = elem.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, elem)

    kids = pdf.Root.StructTreeRoot.K
    for top in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        walk(top, None)
    return out


def _ids(elem):
    kids = elem.get("/K")
    return [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(k, int)]


@pytest.fixture(scope="module")
def rendered():
    return render_pdf(HTML)


def test_plain_spans_are_folded_and_every_marked_content_keeps_its_element(rendered):
    with pikepdf.open(io.BytesIO(rendered.pdf)) as before:
        spans_before = sum(1 for e, _ in _elements(before) if e.S == pikepdf.Name.Span)
        tags_before = sorted(str(e.S) for e, _ in _elements(before) if e.S != pikepdf.Name.Span)
    folded = fold_spans_of(rendered.pdf)
    with pikepdf.open(io.BytesIO(folded)) as pdf:
        elements = _elements(pdf)
        assert spans_before > 100  # a span per line of text, before
        kept = [e for e, _ in elements if e.S == pikepdf.Name.Span]
        assert len(kept) <= 1  # only the span that says its language is left
        assert all("/Lang" in e for e in kept)
        assert sorted(str(e.S) for e, _ in elements if e.S != pikepdf.Name.Span) == tags_before
        # Each structure element's /P is its parent, and the parent tree maps each page's marked content to an
        # element on that page that really holds it.
        for elem, parent in elements:
            if parent is not None:
                assert elem.P.objgen == parent.objgen
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            for mcid, elem in enumerate(tree[int(page.obj.StructParents)]):
                assert elem.Pg.objgen == page.obj.objgen
                assert mcid in _ids(elem)
        # The table's cells hold their text directly now.
        cells = [e for e, _ in elements if e.S == pikepdf.Name.TD]
        assert len(cells) >= 8 and all(_ids(c) for c in cells)  # a row broken across pages has a cell on each
        assert len(pdf.pages) == rendered.pages
        assert pdf.Root.MarkInfo.Marked is True


def test_the_text_and_its_order_are_unchanged(rendered):
    def text(data):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

    assert text(fold_spans_of(rendered.pdf)) == text(rendered.pdf)


def test_folding_twice_changes_nothing_more(rendered):
    once = fold_spans_of(rendered.pdf)
    with pikepdf.open(io.BytesIO(once)) as pdf:
        assert fold_spans(pdf) == 0


def test_a_pdf_without_a_structure_tree_is_left_alone():
    plain = render_pdf("<p>bez znaczników</p>", variant=None)
    with pikepdf.open(io.BytesIO(plain.pdf)) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            pytest.skip("this WeasyPrint tags untagged output too")
        assert fold_spans(pdf) == 0
