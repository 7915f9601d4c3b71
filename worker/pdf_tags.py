"""A lighter structure tree for WeasyPrint's tagged PDFs: the line-by-line /Span elements folded into their parent.

WeasyPrint tags every text fragment it lays out (each line of each cell) as a /Span of its own holding one
marked-content id, under the element that really carries the meaning (a /TD, a /P, a /H1). A summary of 2,000
postulates thus has ~106,000 structure elements, ~85% of them such spans, and they make most of the merged
report's size and of the time its merge spends copying and writing objects. A span with nothing but its content
(no /Lang, /Alt, /ActualText, attributes or class) says nothing a reader of the parent does not already get, so
its marked-content ids move up into the parent's /K, in order, and the /ParentTree entries of those ids point at
the parent. A span whose content lies on another page than its parent's /Pg, or that holds anything but
marked-content ids of its own page, is kept as it is.
"""
from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from worker.pdf_merge import number_tree_items

# What a span may have and still be folded: no attribute of its own.
_PLAIN_KEYS = {"/Type", "/S", "/P", "/K", "/Pg"}


def _is_element(obj) -> bool:
    return isinstance(obj, Dictionary) and "/S" in obj and obj.get("/Type", Name.StructElem) == Name.StructElem


def _kids(elem) -> list:
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def _same(a, b) -> bool:
    return a is not None and b is not None and a.objgen == b.objgen


def _parent_arrays(pdf: Pdf) -> dict[int, Array]:
    """The /ParentTree's arrays by key (a page's /StructParents), as live objects to update in place."""
    tree = pdf.Root.StructTreeRoot.get("/ParentTree")
    return {} if tree is None else {k: v for k, v in number_tree_items(tree) if isinstance(v, Array)}


def fold_spans(pdf: Pdf) -> int:
    """Fold the plain spans of `pdf`'s structure tree into their parents, in place; returns how many went."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    arrays = _parent_arrays(pdf)
    page_keys = {page.obj.objgen: int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj}
    folded = 0

    def foldable(kid, parent) -> bool:
        if kid.get("/S") != Name.Span or not set(kid.keys()) <= _PLAIN_KEYS:
            return False
        if not _same(kid.get("/Pg"), parent.get("/Pg")) or kid.Pg.objgen not in page_keys:
            return False
        return all(isinstance(k, int) for k in _kids(kid))

    def visit(elem) -> None:
        nonlocal folded
        kids = _kids(elem)
        if not any(_is_element(k) for k in kids):
            return
        changed, out = False, []
        for kid in kids:
            if _is_element(kid):
                visit(kid)
                if foldable(kid, elem):
                    ids = [int(k) for k in _kids(kid)]
                    parents = arrays.get(page_keys[kid.Pg.objgen])
                    for mcid in ids:
                        if parents is not None and mcid < len(parents):
                            parents[mcid] = elem
                    out.extend(ids)
                    changed = True
                    folded += 1
                    continue
            out.append(kid)
        if changed:
            elem.K = Array(out)

    for top in _kids(root):
        if _is_element(top):
            visit(top)
    return folded


def fold_spans_of(data: bytes) -> bytes:
    """`data` (a tagged PDF) with its plain spans folded, written anew (the folded spans are not written)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fold_spans(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, compress_streams=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return buffer.getvalue()
