"""Merging tagged PDFs (PDF/UA-1, as WeasyPrint writes them) into one tagged PDF, and stamping page numbers.

A page merge with pypdf or pikepdf alone drops the structure tree, so this module merges the trees itself
(pikepdf): it copies each part's pages, then each part's structure tree (qpdf maps the copied elements'
/Pg references to the pages it copied from the same part), puts each part's elements under one new
/Document element (each part's own /Document becomes a /Part), shifts the pages' /StructParents and the
annotations' /StructParent by an offset per part and merges the /ParentTree number trees with the same
offsets, merges /RoleMap and /ClassMap, and keeps what PDF/UA asks of the catalog: /MarkInfo /Marked,
/Lang, /ViewerPreferences /DisplayDocTitle, the XMP metadata (pdfuaid:part 1, dc:title) and the title.

Bookmarks: one per titled part, pointing at its first page, with the part's own outline under it; an
untitled part's outline is kept at the top level.

Page numbers ("strona X z Y") are not in the parts: a part that grows by a page would shift every later
one. `merge_tagged(..., numbers=...)` draws them on each page of the merged file from a dozen small Form
XObjects ("strona ", " z ", the digits, rendered once by WeasyPrint so their fonts are embedded), wrapped in
/Artifact BMC … EMC so that the numbers stay out of the structure tree. Drawing them costs next to nothing,
where rendering N numbered pages again whenever N changes cost ~5 ms a page.

After an edit most parts are the same files as last time: `replace_parts` opens the previous merged file and swaps
in only the changed parts (same page counts), using what `merge_tagged` recorded of where each part went
(`PlacedPart`): the new pages take the old ones' places, the part's elements replace its old ones under /Document,
its /ParentTree entries get keys after every key in use (no other part's /StructParents moves), its bookmark's
children point at the new pages, and only the new pages are numbered. Opening and writing the previous file costs
a fraction of copying every part's pages and structure again.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

# qpdf passes already compressed streams through instead of decoding and compressing them again, and packs the
# many small objects of the structure tree into compressed object streams (half the file, no slower to write).
_SAVE = {"compress_streams": True, "stream_decode_level": pikepdf.StreamDecodeLevel.none,
         "object_stream_mode": pikepdf.ObjectStreamMode.generate}


@dataclass(frozen=True)
class PageNumbers:
    """What "strona X z Y" is drawn with: a small untagged PDF whose page i shows `tokens[i]` at the footer's
    height, starting at x = 0 (rendered once, by WeasyPrint, so its fonts are embedded subsets), the tokens'
    advance widths in points, and the x the text ends at (it is right-aligned)."""
    pdf: bytes
    tokens: tuple[str, ...]  # "strona ", " z " (in the document's language), "0" … "9"
    widths: tuple[float, ...]
    right: float


@dataclass(frozen=True)
class Part:
    pdf: bytes | Path  # a path is read as needed instead of held whole in memory
    bookmark: str | None = None  # a bookmark to the part's first page, over the part's own outline


def number_tree_items(node) -> list[tuple[int, object]]:
    """(key, value) of every entry of a number tree (a /ParentTree), its /Kids walked."""
    out = []
    if "/Nums" in node:
        nums = node.Nums
        out.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
    for kid in node.get("/Kids", []):
        out.extend(number_tree_items(kid))
    return out


def _resolve_named_destinations(src: Pdf) -> None:
    """Links to a named destination (WeasyPrint's internal links) point at the page itself instead: the merged
    file has no name tree of its own, so a name would lead nowhere."""
    names = src.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    tree = pikepdf.NameTree(names.Dests)
    for page in src.pages:
        for annot in page.obj.get("/Annots", []):
            dest = annot.get("/Dest")
            if isinstance(dest, (pikepdf.String, Name)) and str(dest) in tree:
                target = tree[str(dest)]
                annot.Dest = target.D if isinstance(target, Dictionary) else target


def _outline_entries(src: Pdf, page_index: dict) -> list[tuple[str, int, list, list]]:
    """(title, page index in the part, destination array tail, children) for each item of the part's outline,
    read from its dictionaries (pikepdf's Outline objects cost more than the rest of the merge of a section)."""
    def walk(item, depth=0):
        out = []
        while isinstance(item, Dictionary) and depth < 64:
            dest = item.get("/Dest")
            action = item.get("/A")
            if dest is None and isinstance(action, Dictionary) and "/D" in action:
                dest = action.D
            children = walk(item.get("/First"), depth + 1)
            if isinstance(dest, Array) and len(dest) >= 2 and isinstance(dest[0], Dictionary) \
                    and dest[0].objgen in page_index:
                out.append((str(item.get("/Title", "")), page_index[dest[0].objgen], list(dest[1:]), children))
            else:
                out.extend(children)
            item = item.get("/Next")
        return out

    outlines = src.Root.get("/Outlines")
    return walk(outlines.get("/First")) if isinstance(outlines, Dictionary) else []


@dataclass(frozen=True)
class PlacedPart:
    """Where a part went in a merged file: its page count, how many elements it put under the /Document element,
    and the /StructParents keys it took ([first_key, end_key)). What `replace_parts` needs to swap it."""
    source: str  # what the part was made from (its file's storage key): an unchanged part has the same
    bookmark: str | None
    pages: int
    kids: int
    first_key: int
    end_key: int


def merge_tagged(parts: list[Part], *, title: str, lang: str = "pl", numbers: PageNumbers | None = None,
                 placed: list | None = None) -> bytes:
    """One tagged PDF of the parts, in order, with "strona k z N" on page k when `numbers` is given; see the
    module's docstring. `placed`: a list that receives a `PlacedPart` per part (its `source` is the part's path)."""
    out = pikepdf.new()
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    tree_root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = tree_root
    pairs: list[tuple[int, object]] = []  # the merged /ParentTree, built as one array at the end
    role_map, class_map = Dictionary(), Dictionary()
    bookmarks: list[tuple[str | None, int, list]] = []  # (title, first page, entries with absolute pages)
    offset = 0  # the first /StructParents key free for the next part
    metadata = None
    for part in parts:
        src = Pdf.open(part.pdf if isinstance(part.pdf, Path) else io.BytesIO(part.pdf))
        first_page = len(out.pages)
        page_index = {page.obj.objgen: i for i, page in enumerate(src.pages)}
        entries = _outline_entries(src, page_index)
        _resolve_named_destinations(src)
        with warnings.catch_warnings():  # about named destinations, resolved above
            warnings.simplefilter("ignore")
            out.pages.extend(src.pages)  # first, so that the structure's /Pg references map to these copies
        if metadata is None and "/Metadata" in src.Root:
            metadata = out.copy_foreign(src.Root.Metadata)
        used = _shift_keys(out.pages[first_page:], offset)
        kids_before = len(document.K)
        used = _copy_structure(out, src, document, offset, used, pairs, role_map, class_map)
        if placed is not None:
            placed.append(PlacedPart(str(part.pdf) if isinstance(part.pdf, Path) else "", part.bookmark,
                                     len(src.pages), len(document.K) - kids_before, offset, offset + used))
        offset += used
        bookmarks.append((part.bookmark, first_page,
                          _shift(entries, first_page)))
        src.close()
    # The number tree's keys must be in order; parts were added in order and each part's keys too.
    pairs.sort(key=lambda p: p[0])
    tree_root.ParentTree = out.make_indirect(Dictionary(Nums=Array([x for pair in pairs for x in pair])))
    tree_root.ParentTreeNextKey = offset
    if len(role_map):
        tree_root.RoleMap = role_map
    if len(class_map):
        tree_root.ClassMap = class_map
    out.Root.StructTreeRoot = tree_root
    out.Root.MarkInfo = Dictionary(Marked=True)
    out.Root.Lang = pikepdf.String(lang)
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if metadata is not None:
        out.Root.Metadata = metadata
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["dc:title"] = title
        meta["pdfuaid:part"] = "1"
    out.docinfo[Name.Title] = title
    _write_outline(out, bookmarks)
    if numbers is not None:
        _stamp(out, numbers)
    buffer = io.BytesIO()
    out.save(buffer, **_SAVE)
    return buffer.getvalue()


def _shift_keys(pages, offset: int) -> int:
    """Shift the pages' /StructParents and their annotations' /StructParent by `offset`; returns how many keys
    (from 0) the pages used before the shift."""
    used = 0
    for page in pages:
        if "/StructParents" in page.obj:
            key = int(page.obj.StructParents)
            page.obj.StructParents = key + offset
            used = max(used, key + 1)
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                key = int(annot.StructParent)
                annot.StructParent = key + offset
                used = max(used, key + 1)
    return used


def _copy_structure(out: Pdf, src: Pdf, document, offset: int, used: int, pairs: list, role_map, class_map) -> int:
    """Copy `src`'s structure tree under `document` (its pages copied into `out` already), its /ParentTree keys
    shifted by `offset` into `pairs`; returns how many keys the part uses."""
    src_root = src.Root.get("/StructTreeRoot")
    if src_root is None:
        return used
    root = out.copy_foreign(src_root)
    kids = root.K if isinstance(root.K, Array) else Array([root.K])
    for kid in kids:
        if isinstance(kid, Dictionary) and kid.get("/Type", Name.StructElem) == Name.StructElem:
            if kid.get("/S") == Name.Document:
                kid.S = Name.Part
            kid.P = document
            document.K.append(kid)
    if "/ParentTree" in root:
        for key, value in number_tree_items(root.ParentTree):
            pairs.append((key + offset, value))
            used = max(used, key + 1)
    used = max(used, int(root.get("/ParentTreeNextKey", 0)))
    for name, target in (("/RoleMap", role_map), ("/ClassMap", class_map)):
        for k, v in (root.get(name) or Dictionary()).items():
            if k not in target:
                target[k] = v
    return used


def _shift(entries, first_page: int):
    return [(t, first_page + page, tail, _shift(children, first_page)) for t, page, tail, children in entries]


def _item(out: Pdf, title: str, page: int, tail: list, children) -> OutlineItem:
    item = OutlineItem(title, Array([out.pages[page].obj, *tail]) if tail else page)
    item.children.extend(_item(out, *child) for child in children)
    return item


def _write_outline(out: Pdf, bookmarks) -> None:
    with out.open_outline() as outline:
        for title, first_page, entries in bookmarks:
            if title is None:
                outline.root.extend(_item(out, *entry) for entry in entries)
                continue
            top = OutlineItem(title, first_page, page_location="Fit")
            top.children.extend(_item(out, *entry) for entry in entries)
            outline.root.append(top)


def _stamp(target: Pdf, numbers: PageNumbers, only: set[int] | None = None) -> None:
    """Draw "strona k z N" on page k, right-aligned, from the tokens' Form XObjects (copied once, shared by every
    page under names of their own), inside /Artifact BMC … EMC: page numbers are pagination, not content.
    `only`: the indexes of the pages to stamp (the others have their numbers already)."""
    source = Pdf.open(io.BytesIO(numbers.pdf))
    forms = [target.copy_foreign(page.as_form_xobject()) for page in source.pages]
    names = [Name(f"/ConsultPageNo{i}") for i in range(len(forms))]
    index = {token: i for i, token in enumerate(numbers.tokens)}
    # The page's own content may leave a transformation in place (WeasyPrint's starts with a flip of the y axis):
    # it is wrapped in q … Q, the opening q one stream shared by every page.
    save_state = target.make_indirect(pikepdf.Stream(target, b"q\n"))
    total = len(target.pages)
    for k, page in enumerate(target.pages, start=1):
        if only is not None and k - 1 not in only:
            continue
        pieces = [numbers.tokens[0], *str(k), numbers.tokens[1], *str(total)]  # "strona ", " z " in its language
        used = sorted({index[t] for t in pieces})
        resources = page.obj.get("/Resources")
        if isinstance(resources, Dictionary):
            xobjects = resources.get("/XObject")
            if not isinstance(xobjects, Dictionary):
                xobjects = resources.XObject = Dictionary()
            for i in used:
                xobjects[names[i]] = forms[i]
            label = {i: names[i] for i in used}
        else:  # inherited resources: let pikepdf find names that are free on this page
            label = {i: page.add_resource(forms[i], Name.XObject, prefix="Fn") for i in used}
        x = numbers.right - sum(numbers.widths[index[t]] for t in pieces)
        ops = [b"Q\n/Artifact BMC\n"]
        for token in pieces:
            ops.append(b"q 1 0 0 1 %.3f 0 cm %s Do Q\n" % (x, str(label[index[token]]).encode()))
            x += numbers.widths[index[token]]
        ops.append(b"EMC\n")
        page.contents_add(save_state, prepend=True)
        page.contents_add(pikepdf.Stream(target, b"".join(ops)))


class CannotReplace(Exception):
    """The previous merged file cannot take the new parts in place (a part's page count changed, the parts are
    not the same ones): merge them all again."""


def replace_parts(previous: Path | bytes, placed: list[PlacedPart], new_parts: dict[int, Part],
                  numbers: PageNumbers | None = None) -> tuple[bytes, list[PlacedPart]]:
    """The previous merged file (made by `merge_tagged` or by this, whose parts `placed` describes) with the parts
    `new_parts` (by index) put in place of the old ones, which must have as many pages: their pages are swapped in
    place, their elements under /Document replaced, their /ParentTree entries dropped and the new ones added
    under fresh keys (so no other part's key moves), their bookmarks' children pointed at the new pages, and the
    new pages numbered ("strona k z N" stays right on the others: N did not change). Returns the file and the new
    `placed`."""
    out = Pdf.open(previous if isinstance(previous, Path) else io.BytesIO(previous))
    root = out.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, Array) else root.K
    total = sum(p.pages for p in placed)
    if len(out.pages) != total or len(document.K) != sum(p.kids for p in placed):
        raise CannotReplace("the previous file is not what its description says")
    old_index = {page.obj.objgen: i for i, page in enumerate(out.pages)}
    outline = _outline_entries(out, old_index)
    pairs = [(k, v) for k, v in number_tree_items(root.ParentTree)]
    offset = int(root.get("/ParentTreeNextKey", max((k for k, _v in pairs), default=-1) + 1))
    role_map = root.get("/RoleMap") or Dictionary()
    class_map = root.get("/ClassMap") or Dictionary()
    placed = list(placed)
    firsts, kid_firsts, page, kid = [], [], 0, 0
    for p in placed:
        firsts.append(page)
        kid_firsts.append(kid)
        page += p.pages
        kid += p.kids
    stamped = []
    kids = list(document.K)
    new_kids: dict[int, list] = {}
    for index in sorted(new_parts):
        part, old = new_parts[index], placed[index]
        src = Pdf.open(part.pdf if isinstance(part.pdf, Path) else io.BytesIO(part.pdf))
        if len(src.pages) != old.pages or part.bookmark != old.bookmark:
            src.close()
            raise CannotReplace(f"part {index} changed its page count or its bookmark")
        first = firsts[index]
        page_index = {p.obj.objgen: i for i, p in enumerate(src.pages)}
        entries = _shift(_outline_entries(src, page_index), first)
        _resolve_named_destinations(src)
        for j in range(old.pages):  # the new page after the old one, then the old one out: indexes stay put
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out.pages.insert(first + j + 1, src.pages[j])
            del out.pages[first + j]
        used = _shift_keys(out.pages[first:first + old.pages], offset)
        holder = Dictionary(K=Array())  # collects the part's elements; they are put under /Document below
        pairs = [(k, v) for k, v in pairs if not old.first_key <= k < old.end_key]
        used = _copy_structure(out, src, holder, offset, used, pairs, role_map, class_map)
        for element in holder.K:
            element.P = document
        new_kids[index] = list(holder.K)
        placed[index] = PlacedPart(str(part.pdf) if isinstance(part.pdf, Path) else "", part.bookmark, old.pages,
                                   len(holder.K), offset, offset + used)
        offset += used
        outline = _replace_outline(outline, first, old.pages, part.bookmark, entries)
        stamped.extend(range(first, first + old.pages))
        src.close()
    rebuilt = []
    for index, p in enumerate(placed):  # an unchanged part's `kids` is still its old count
        rebuilt.extend(new_kids[index] if index in new_kids else kids[kid_firsts[index]:kid_firsts[index] + p.kids])
    document.K = Array(rebuilt)
    pairs.sort(key=lambda p: p[0])
    root.ParentTree = out.make_indirect(Dictionary(Nums=Array([x for pair in pairs for x in pair])))
    root.ParentTreeNextKey = offset
    if len(role_map):
        root.RoleMap = role_map
    if len(class_map):
        root.ClassMap = class_map
    if "/Outlines" in out.Root:
        del out.Root.Outlines
    with out.open_outline() as tree:
        tree.root.extend(_item(out, *entry) for entry in outline)
    if numbers is not None and stamped:
        _stamp(out, numbers, only=set(stamped))
    buffer = io.BytesIO()
    out.save(buffer, **_SAVE)
    out.close()
    return buffer.getvalue(), placed


def _replace_outline(outline: list, first: int, pages: int, bookmark: str | None, entries: list) -> list:
    """The merged file's outline (absolute page indexes) with the part on pages [first, first + pages) given its
    new entries: under its bookmark when it has one, else at the top level where its old ones were."""
    if bookmark is not None:
        return [(title, page, tail, entries if (page == first and title == bookmark) else children)
                for title, page, tail, children in outline]
    out, placed = [], False
    for item in outline:
        if first <= item[1] < first + pages:
            if not placed:
                out.extend(entries)
                placed = True
            continue
        if not placed and item[1] >= first + pages:
            out.extend(entries)
            placed = True
        out.append(item)
    if not placed:
        out.extend(entries)
    return out
