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
children point at the new pages, and only the new pages are numbered. The result is not written again whole: it is
the previous file's bytes, unchanged, with an incremental update appended (ISO 32000-1, 7.5.6; `_Update`): the
objects changed (the page tree, the structure tree root and its /Document element, the bookmarks edited in place),
the new parts' objects reachable from them (the new pages with their content and resources, the part's structure
elements) and the new /ParentTree, then a cross-reference stream whose /Prev points at the previous one. These are
written here, not by qpdf: qpdf reads every object of a file before it creates the first new one in it (0.2 CPU
seconds for a 900-page report, more than the rest of the swap), so nothing is created in the previous file; each new
part is prepared in its own small file (keys shifted, pages numbered) and its objects numbered after the previous
file's as they are written. A reader (and qpdf, which opens it for the next edit) takes the newest definition of
each object; the replaced pages stay in the file unreferenced, so after MAX_UPDATES updates (or when the file cannot
take the parts so: a bookmark's shape changed, a page count) every part is merged again.
"""
from __future__ import annotations

import hashlib
import io
import warnings
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String

# qpdf passes already compressed streams through instead of decoding and compressing them again, and packs the
# many small objects of the structure tree into compressed object streams (half the file, no slower to write).
_SAVE = {"compress_streams": True, "stream_decode_level": pikepdf.StreamDecodeLevel.none,
         "object_stream_mode": pikepdf.ObjectStreamMode.generate}


# How many incremental updates a report file carries before it is written anew (each keeps the replaced pages of
# one compile as unused objects: a section's worth, ~1-3% of the file).
MAX_UPDATES = 20


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
    kids, used = _part_structure(out.copy_foreign(src_root), offset, used, pairs, role_map, class_map)
    for kid in kids:
        kid.P = document
        document.K.append(kid)
    return used


def _part_structure(root, offset: int, used: int, pairs: list, role_map, class_map) -> tuple[list, int]:
    """A part's structure tree root (copied into the merged file, or still in the part's own file): its top elements
    (its /Document made a /Part), its /ParentTree entries added to `pairs` with keys shifted by `offset`, its role and
    class map entries added where missing. Returns the elements and how many keys the part uses."""
    kids = []
    for kid in root.K if isinstance(root.K, Array) else [root.K]:
        if isinstance(kid, Dictionary) and kid.get("/Type", Name.StructElem) == Name.StructElem:
            if kid.get("/S") == Name.Document:
                kid.S = Name.Part
            kids.append(kid)
    if "/ParentTree" in root:
        for key, value in number_tree_items(root.ParentTree):
            pairs.append((key + offset, value))
            used = max(used, key + 1)
    used = max(used, int(root.get("/ParentTreeNextKey", 0)))
    for name, target in (("/RoleMap", role_map), ("/ClassMap", class_map)):
        for k, v in (root.get(name) or Dictionary()).items():
            if k not in target:
                target[k] = v
    return kids, used


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


def _stamp(target: Pdf, numbers: PageNumbers, *, first: int = 1, total: int | None = None) -> None:
    """Draw "strona k z N" on page k, right-aligned, from the tokens' Form XObjects (copied once, shared by every
    page under names of their own), inside /Artifact BMC … EMC: page numbers are pagination, not content.
    `first`: the number of the target's first page (a part about to be swapped into a larger file), `total`: N
    (the target's own page count by default)."""
    source = Pdf.open(io.BytesIO(numbers.pdf))
    forms = [target.copy_foreign(page.as_form_xobject()) for page in source.pages]
    names = [Name(f"/ConsultPageNo{i}") for i in range(len(forms))]
    index = {token: i for i, token in enumerate(numbers.tokens)}
    # The page's own content may leave a transformation in place (WeasyPrint's starts with a flip of the y axis):
    # it is wrapped in q … Q, the opening q one stream shared by every page.
    save_state = target.make_indirect(pikepdf.Stream(target, b"q\n"))
    total = len(target.pages) if total is None else total
    for k, page in enumerate(target.pages, start=first):
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
    `new_parts` (by index) put in place of the old ones, which must have as many pages: their pages take the old
    ones' places in the page tree, their elements replace the old ones under /Document, their /ParentTree entries
    come under fresh keys (so no other part's key moves), their bookmarks point at the new pages, and the new pages
    are numbered ("strona k z N" stays right on the others: N did not change). The file returned is the previous
    one with these changes appended as an incremental update (see the module's docstring). Returns the file and the
    new `placed`.

    Nothing is created in the previous file as qpdf holds it: qpdf's first new object in a file (a copied page, a
    made indirect object) reads every object of it first (~0.2 CPU s for a 900-page report, half of the swap). The
    new parts are prepared in their own small files (keys shifted, pages numbered) and written out by `_Update`
    under numbers after the previous file's, the changed objects of the previous file written with their new
    values. Raises CannotReplace when the file cannot take them so (see `_Update`)."""
    base = previous.read_bytes() if isinstance(previous, Path) else previous
    if base.count(b"%%EOF") > MAX_UPDATES:  # the file carries many replaced sections' pages: write it anew
        raise CannotReplace(f"the previous file carries more than {MAX_UPDATES} updates")
    out = Pdf.open(io.BytesIO(base))
    update = _Update(out)
    try:
        return _replace_in(update, base, placed, new_parts, numbers)
    finally:
        update.close()
        out.close()


def _replace_in(update: _Update, base: bytes, placed: list[PlacedPart], new_parts: dict[int, Part],
                numbers: PageNumbers | None) -> tuple[bytes, list[PlacedPart]]:
    """replace_parts' work on the previous file (`update.base_pdf`, its bytes `base`)."""
    out = update.base_pdf
    root = out.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, Array) else root.K
    total = sum(p.pages for p in placed)
    page_refs = list(out.Root.Pages.Kids)
    if len(page_refs) != total or int(out.Root.Pages.Count) != total or len(document.K) != sum(p.kids for p in placed):
        raise CannotReplace("the previous file is not what its description says")
    if any(page.get("/Type") != Name.Page for page in page_refs):
        raise CannotReplace("the previous file's page tree is not flat")
    old_index = {page.objgen: i for i, page in enumerate(page_refs)}
    old_items = _outline_items(out, old_index)
    pages_at: list = list(page_refs)  # what each page of the page tree will be: an old page or a new one
    pairs = number_tree_items(root.ParentTree)
    offset = int(root.get("/ParentTreeNextKey", max((k for k, _v in pairs), default=-1) + 1))
    role_map = {k: v for k, v in (root.get("/RoleMap") or Dictionary()).items()}
    class_map = {k: v for k, v in (root.get("/ClassMap") or Dictionary()).items()}
    placed = list(placed)
    firsts, kid_firsts, page, kid = [], [], 0, 0
    for p in placed:
        firsts.append(page)
        kid_firsts.append(kid)
        page += p.pages
        kid += p.kids
    kids = list(document.K)
    new_kids: dict[int, list] = {}
    edits = []
    for index in sorted(new_parts):
        part, old = new_parts[index], placed[index]
        src = update.open_part(part.pdf)
        if len(src.pages) != old.pages or part.bookmark != old.bookmark:
            raise CannotReplace(f"part {index} changed its page count or its bookmark")
        first = firsts[index]
        src_pages = update.adopt(src)
        page_index = {p.objgen: i for i, p in enumerate(src_pages)}
        entries = _shift(_outline_entries(src, page_index), first)
        _resolve_named_destinations(src)
        used = _shift_keys(src.pages, offset)
        if numbers is not None:
            _stamp(src, numbers, first=first + 1, total=total)
        pages_at[first:first + old.pages] = src_pages
        pairs = [(k, v) for k, v in pairs if not old.first_key <= k < old.end_key]
        src_root = src.Root.get("/StructTreeRoot")
        part_kids = []
        if src_root is not None:
            update.alias(src, src_root, document)  # the part's top elements' /P: the merged file's /Document
            part_kids, used = _part_structure(src_root, offset, used, pairs, role_map, class_map)
        new_kids[index] = part_kids
        placed[index] = PlacedPart(str(part.pdf) if isinstance(part.pdf, Path) else "", part.bookmark, old.pages,
                                   len(part_kids), offset, offset + used)
        offset += used
        edits.append((first, old.pages, part.bookmark, entries))
    rebuilt = []
    for index, p in enumerate(placed):  # an unchanged part's `kids` is still its old count
        rebuilt.extend(new_kids[index] if index in new_kids else kids[kid_firsts[index]:kid_firsts[index] + p.kids])
    pairs.sort(key=lambda p: p[0])
    parent_tree = update.new_object({"/Nums": [x for pair in pairs for x in pair]})
    update.rewrite(out.Root.Pages, {"/Kids": pages_at})
    update.rewrite(document, {"/K": rebuilt})
    changes = {"/ParentTree": parent_tree, "/ParentTreeNextKey": offset}
    if role_map:
        changes["/RoleMap"] = role_map
    if class_map:
        changes["/ClassMap"] = class_map
    update.rewrite(root, changes)
    for item, changes in _outline_edits(old_items, edits, pages_at):
        update.rewrite(item, changes)
    return update.appended_to(base), placed


def _outline_items(src: Pdf, page_index: dict) -> list | None:
    """The outline as (item dictionary, page index, children), or None when an item has no page destination
    (then it cannot be edited in place)."""
    def walk(item, depth=0):
        out = []
        while isinstance(item, Dictionary) and depth < 64:
            dest = item.get("/Dest")
            action = item.get("/A")
            if dest is None and isinstance(action, Dictionary) and "/D" in action:
                dest = action.D
            if not (isinstance(dest, Array) and len(dest) >= 2 and isinstance(dest[0], Dictionary)
                    and dest[0].objgen in page_index):
                raise LookupError
            out.append((item, page_index[dest[0].objgen], walk(item.get("/First"), depth + 1)))
            item = item.get("/Next")
        return out

    outlines = src.Root.get("/Outlines")
    try:
        return walk(outlines.get("/First")) if isinstance(outlines, Dictionary) else []
    except LookupError:
        return None


def _outline_edits(items: list | None, edits: list, pages_at: list) -> list[tuple[object, dict]]:
    """The outline items of the merged file to point at each swapped part's new pages, with their new titles and
    destinations: (item, changes). Raises CannotReplace when a part's new outline has another shape than its old
    one (or an item has no page destination)."""
    if items is None:
        raise CannotReplace("an outline item has no page destination")
    changed = []

    def same(olds, news) -> bool:
        if len(olds) != len(news):
            return False
        for (item, _page, children), (title, page, tail, new_children) in zip(olds, news, strict=True):
            if not same(children, new_children):
                return False
            dest = item.get("/Dest")
            if dest is None:
                dest = item.A.D
            changed.append((item, {"/Dest": [pages_at[page], *(tail or list(dest[1:]))], "/Title": String(title),
                                   "/A": None}))
        return True

    for first, pages, bookmark, entries in edits:
        if bookmark is not None:
            tops = [t for t in items if t[1] == first and str(t[0].get("/Title", "")) == bookmark]
            if len(tops) != 1 or not same(tops[0][2], entries):
                raise CannotReplace("a swapped part's bookmarks changed their shape")
            top = tops[0][0]
            dest = top.Dest if "/Dest" in top else top.A.D
            changed.append((top, {"/Dest": [pages_at[first], *list(dest[1:])], "/A": None}))
        elif not same([t for t in items if first <= t[1] < first + pages], entries):
            raise CannotReplace("a swapped part's bookmarks changed their shape")
    return changed


# Page attributes a page may inherit from its page tree node: a part's page is re-parented, so it must have none.
_INHERITABLE = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


class _Update:
    """An incremental update (ISO 32000-1, 7.5.6) of a file qpdf holds as `base_pdf`, written here, not by qpdf.

    Objects of the new parts (each a small file of its own) get numbers after the file's (its trailer's /Size on), the first time
    something written refers to them (`adopt` gives a part's pages theirs at once); an object of a part may stand for
    one of the file (`alias`: the part's structure tree root for the file's /Document). Objects of the file changed
    (`rewrite`) are written again under their own numbers with some keys replaced. A value written is a pikepdf object
    (of the file or of a part), a Python scalar, or a list or dictionary of such (a list is an array)."""

    def __init__(self, base_pdf: Pdf) -> None:
        self.base_pdf = base_pdf
        self.size = self.next = int(base_pdf.trailer.Size)
        self.bodies: dict[int, bytes] = {}
        self.numbers: dict[tuple[int, tuple[int, int]], int] = {}  # (id of the part's Pdf, objgen) -> number
        self.pending: list[tuple[int, object, Pdf]] = []
        self.sources: list[Pdf] = []

    def open_part(self, pdf: bytes | Path) -> Pdf:
        """A part's file, open until `close`: its objects are read when the update is written."""
        src = Pdf.open(pdf if isinstance(pdf, Path) else io.BytesIO(pdf))
        self.sources.append(src)
        return src

    def close(self) -> None:
        for src in self.sources:
            src.close()

    def adopt(self, src: Pdf) -> list:
        """Take a part's file in (opened by `open_part`): its page tree must be flat and hand nothing down; its pages
        get numbers now (in order) and their /Parent becomes the file's page tree. Returns the part's page objects."""
        node = src.Root.Pages
        pages = [page.obj for page in src.pages]
        if list(node.Kids) != pages or any(name in node for name in _INHERITABLE):
            raise CannotReplace("a part's page tree is not flat or hands attributes down")
        self.alias(src, node, self.base_pdf.Root.Pages)
        for page in pages:
            self._number(page, src)
        return pages

    def alias(self, src: Pdf, obj, base_obj) -> None:
        """References to the part's `obj` are written as references to the file's `base_obj`."""
        self.numbers[(id(src), obj.objgen)] = base_obj.objgen[0]

    def new_object(self, value) -> _New:
        number = self.next
        self.next += 1
        self.bodies[number] = b"%d 0 obj\n%s\nendobj\n" % (number, self._value(value, None))
        return _New(number)

    def rewrite(self, obj, changes: dict) -> None:
        """The file's object `obj` written again with `changes` (None: the key removed)."""
        if not obj.is_indirect:
            raise CannotReplace("an object to change is not an indirect object of the file")
        items = dict(obj.items())
        for key, value in changes.items():
            if value is None:
                items.pop(key, None)
            else:
                items[key] = value
        number, generation = obj.objgen
        self.bodies[number] = b"%d %d obj\n%s\nendobj\n" % (number, generation, self._dict(items, None))

    def _owner(self, obj) -> Pdf:
        if obj.is_owned_by(self.base_pdf):
            return self.base_pdf
        for src in self.sources:
            if obj.is_owned_by(src):
                return src
        raise CannotReplace("an object of an unknown file")

    def _number(self, obj, src: Pdf) -> int:
        key = (id(src), obj.objgen)
        number = self.numbers.get(key)
        if number is None:
            if obj.objgen == src.Root.objgen:
                raise CannotReplace("a part's object refers to its catalog")
            number = self.numbers[key] = self.next
            self.next += 1
            self.pending.append((number, obj, src))
        return number

    def _dict(self, items, owner) -> bytes:
        return b"<<" + b"".join(b"%s %s" % (Name(k).unparse(), self._value(v, owner)) for k, v in items.items()) \
            + b">>"

    def _value(self, value, owner) -> bytes:
        """`value` as PDF syntax; `owner`: the file (or part) its pikepdf objects belong to, None when mixed."""
        if isinstance(value, _New):
            return b"%d 0 R" % value.number
        if isinstance(value, bool):
            return b"true" if value else b"false"
        if isinstance(value, int):
            return b"%d" % value
        if isinstance(value, Decimal):
            return format(value, "f").encode()
        if isinstance(value, float):
            return format(Decimal(repr(value)), "f").encode()
        if value is None:
            return b"null"
        if isinstance(value, dict):
            return self._dict(value, owner)
        if isinstance(value, list):
            return b"[" + b" ".join(self._value(v, owner) for v in value) + b"]"
        if value._type_code in _SCALARS and not value.is_indirect:
            return value.unparse()
        owner = owner or self._owner(value)
        if owner is self.base_pdf:
            return b"%d %d R" % value.objgen if value.is_indirect else value.unparse()  # the file's own numbers
        if value.is_indirect:
            return b"%d 0 R" % self._number(value, owner)
        if value._type_code == pikepdf.ObjectType.array:
            return self._value(list(value), owner)
        return self._dict(dict(value.items()), owner)

    def _flush(self) -> None:
        while self.pending:
            number, obj, src = self.pending.pop()
            if obj._type_code == pikepdf.ObjectType.stream:
                raw = obj.read_raw_bytes()
                items = dict(obj.stream_dict.items())
                items["/Length"] = len(raw)
                body = self._dict(items, src) + b"\nstream\n" + raw + b"\nendstream"
            elif obj._type_code == pikepdf.ObjectType.array:
                body = self._value(list(obj), src)
            elif obj._type_code == pikepdf.ObjectType.dictionary:
                body = self._dict(dict(obj.items()), src)
            else:
                body = obj.unparse()  # an indirect scalar
            self.bodies[number] = b"%d 0 obj\n%s\nendobj\n" % (number, body)

    def appended_to(self, base: bytes) -> bytes:
        """`base` with the update appended: the objects, then a cross-reference stream whose /Prev is the base's.
        The base's bytes stay as they are, so writing costs what the changed objects cost, not the whole file."""
        self._flush()
        tail = base[-1024:]
        at = tail.rfind(b"startxref")
        if at < 0:
            raise CannotReplace("the previous file has no startxref")
        prev = int(tail[at + 9:].split()[0])
        chunks = [base if base.endswith(b"\n") else base + b"\n"]
        position = len(chunks[0])
        offsets = {}
        for number in sorted(self.bodies):
            chunk = self.bodies[number]
            generation = int(chunk.split(b" ", 2)[1])
            offsets[number] = (position, generation)
            chunks.append(chunk)
            position += len(chunk)
        xref = max(self.next, self.size)
        offsets[xref] = (position, 0)
        numbers = sorted(offsets)
        index, start = [], None
        for i, number in enumerate(numbers):  # runs of consecutive numbers
            if start is None:
                start = number
            if i + 1 == len(numbers) or numbers[i + 1] != number + 1:
                index += [start, number - start + 1]
                start = None
        rows = zlib.compress(b"".join(b"\x01" + offsets[n][0].to_bytes(4, "big") + offsets[n][1].to_bytes(2, "big")
                                      for n in numbers))
        trailer = self.base_pdf.trailer
        ids = trailer.get("/ID")
        first_id = ids[0].unparse() if isinstance(ids, Array) and len(ids) == 2 else None
        new_id = pikepdf.String(hashlib.md5(b"".join(chunks[1:])).digest()).unparse()
        extra = b""
        if "/Info" in trailer and trailer.Info.is_indirect:
            extra += b" /Info %d %d R" % trailer.Info.objgen
        header = (b"%d 0 obj\n<< /Type /XRef /Size %d /Index [%s] /W [1 4 2] /Filter /FlateDecode /Length %d"
                  b" /Prev %d /Root %d %d R%s /ID [%s %s] >>\nstream\n"
                  % (xref, xref + 1, b" ".join(b"%d" % n for n in index), len(rows), prev,
                     *self.base_pdf.Root.objgen, extra, first_id or new_id, new_id))
        chunks.append(header + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % position)
        return b"".join(chunks)


@dataclass(frozen=True)
class _New:
    """An object made for the update (the new /ParentTree): its number."""
    number: int


_SCALARS = (pikepdf.ObjectType.name_, pikepdf.ObjectType.string, pikepdf.ObjectType.null,
            pikepdf.ObjectType.boolean, pikepdf.ObjectType.integer, pikepdf.ObjectType.real,
            pikepdf.ObjectType.operator)
