"""The consultation report after an edit: the previous compile's file with only the changed parts swapped in (when
their page counts did not change), and its structure tree, bookmarks, contents and page numbers as valid as those
of a report merged from scratch; when a page count changed, everything is merged again."""
from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import shutil
import subprocess
import tempfile

import pikepdf
import pytest

from tests.summary_support import UNIT_DIALOGUE, page_texts, squeeze
from tests.test_consultation_report import (
    _bookmarks,
    _compile,
    _front_parts,
    _programme_with_meetings,
    _rendered_by,
    _structure_checks,
    _toc_pages,
)

TITLES = [f"Spotkanie branżowe nr {i}" for i in (1, 2, 3)]


def _publish_in_second_meeting(meeting_ids, text: str) -> None:
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.organisations.models import Unit
    from consult.postulates.models import Postulate
    from consult.postulates.operations import assign_postulate, publish_positions, save_position

    postulate = db.session.scalar(db.select(Postulate).where(Postulate.meeting_id == meeting_ids[1],
                                                             Postulate.number == 2))
    unit = db.session.scalar(db.select(Unit).where(Unit.name == UNIT_DIALOGUE))
    with transaction():
        assign_postulate(SYSTEM, postulate, unit)
        save_position(SYSTEM, postulate, category="accepted", text=text)
        publish_positions(SYSTEM, [postulate])


def _described(programme_id: int) -> dict:
    from consult.documents import storage

    return json.loads(storage.path_of(f"report-merged/{programme_id}/pl.json").read_text(encoding="utf-8"))


def _parts_of(meeting_ids) -> list[bytes]:
    from consult.consultation_report.models import ReportSection
    from consult.documents import storage
    from consult.extensions import db

    sections = {s.meeting_id: s for s in db.session.scalars(db.select(ReportSection))}
    return [storage.path_of(sections[m].storage_key).read_bytes() for m in meeting_ids]


def _assert_valid(data: bytes, meeting_ids) -> None:
    """What a reader relies on: the structure tree of every part (and a /ParentTree entry for each marked content
    of each page), a bookmark per meeting on its heading's page, the contents giving the same pages, and
    "strona k z N" on every page."""
    _structure_checks(data, _parts_of(meeting_ids) + _front_parts(data))
    _marked_content_checks(data)
    texts = page_texts(data)
    n = len(texts)
    assert all(squeeze(f"strona {k} z {n}") in squeeze(t) for k, t in enumerate(texts, start=1))
    front = n - sum(len(pikepdf.open(io.BytesIO(p)).pages) for p in _parts_of(meeting_ids))
    heading = {t: next(k for k, text in enumerate(texts, start=1) if k > front and squeeze(text).startswith(squeeze(t)))
               for t in TITLES}
    assert _toc_pages(texts, TITLES) == heading
    marks = {title.split(" (")[0]: (page, children) for title, page, children in _bookmarks(data)}
    for t in TITLES:
        assert marks[t][0] == heading[t]
        assert "Postulaty i stanowiska" in marks[t][1]


@pytest.mark.usefixtures("summary_worker")
def test_after_one_edit_the_changed_parts_are_swapped_into_the_previous_file_and_it_stays_valid(app):
    programme_id, meeting_ids = _programme_with_meetings()
    first, data = _compile(programme_id)
    _assert_valid(data, meeting_ids)
    previous = data
    before = _described(programme_id)
    next_key = max(p["end_key"] for p in before["parts"])

    _publish_in_second_meeting(meeting_ids, "Stanowisko opublikowane po pierwszej kompilacji.")
    second, data = _compile(programme_id)
    assert _rendered_by(second.id) == 1
    after = _described(programme_id)
    # The statistics and the second meeting's section were swapped in under fresh structure keys; every other part
    # (the contents, the other meetings) kept its place and its keys.
    swapped = [i for i, (old, new) in enumerate(zip(before["parts"], after["parts"], strict=True)) if old != new]
    assert len(swapped) == 2
    assert all(after["parts"][i]["first_key"] >= next_key for i in swapped)
    assert [p["pages"] for p in after["parts"]] == [p["pages"] for p in before["parts"]]
    assert second.version.pages == first.version.pages
    _assert_valid(data, meeting_ids)
    text = squeeze(" ".join(page_texts(data)))
    assert squeeze("Stanowisko opublikowane po pierwszej kompilacji.") in text
    assert squeeze("Postulaty bez opublikowanego stanowiska 0") in text
    # An incremental update: the previous file's bytes unchanged, the changed objects appended after them with a
    # cross-reference section of their own, which qpdf reads without a complaint.
    assert data.startswith(previous) and data.count(b"%%EOF") == previous.count(b"%%EOF") + 1
    assert len(data) - len(previous) < len(previous)  # two of five parts here; one of 42-132 in a real report
    # The bookmarks were pointed at the new pages in place: neither the catalog nor the outline was written again.
    assert b"/Type /Catalog" not in data[len(previous):] and b"/Type /Outlines" not in data[len(previous):]
    _assert_qpdf_check(data)

    # A second edit appends again, on top of the first update, and the report stays valid.
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.postulates.models import Postulate
    from consult.postulates.operations import redact_postulate

    with transaction():
        redact_postulate(SYSTEM, db.session.scalar(db.select(Postulate).where(
            Postulate.meeting_id == meeting_ids[1], Postulate.number == 1)), words="pogrubione",
            reason="Dane osobowe.")
    third, updated = _compile(programme_id)
    assert _rendered_by(third.id) == 1
    assert updated.startswith(data) and updated.count(b"%%EOF") == data.count(b"%%EOF") + 1
    _assert_qpdf_check(updated)
    _assert_valid(updated, meeting_ids)
    text = squeeze(" ".join(page_texts(updated)))
    assert squeeze("pogrubione") not in text
    assert squeeze("Stanowisko opublikowane po pierwszej kompilacji.") in text


def _assert_qpdf_check(data: bytes) -> None:
    """qpdf's own check (`qpdf --check` when qpdf is installed, and pikepdf's syntax check, which is qpdf's):
    the cross-reference sections, every object and every stream read without a warning."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == len(pdf.Root.Pages.Kids)
    if shutil.which("qpdf"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(data)
            f.flush()
            result = subprocess.run(["qpdf", "--check", f.name], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.usefixtures("summary_worker")
def test_when_a_section_grows_by_a_page_the_report_is_merged_again_and_stays_valid(app):
    programme_id, meeting_ids = _programme_with_meetings()
    first, _data = _compile(programme_id)
    long_text = " ".join(["Stanowisko bardzo długie, które zajmuje więcej niż jedną stronę raportu."] * 120)
    _publish_in_second_meeting(meeting_ids, long_text)
    second, data = _compile(programme_id)
    assert second.version.pages > first.version.pages
    after = _described(programme_id)
    keys = [(p["first_key"], p["end_key"]) for p in after["parts"]]
    assert keys[0][0] == 0 and all(a[1] == b[0] for a, b in itertools.pairwise(keys))  # merged from scratch
    _assert_valid(data, meeting_ids)


@pytest.mark.usefixtures("summary_worker")
def test_a_previous_file_that_cannot_be_read_is_merged_again_instead_of_failing_the_compile(app):
    from consult.documents import storage

    programme_id, meeting_ids = _programme_with_meetings()
    first, _data = _compile(programme_id)
    described = _described(programme_id)
    path = storage.path_of(first.version.storage_key)
    # The file is damaged, though the version and the description agree on it: the swap cannot read it.
    path.write_bytes(b"%PDF-1.7 damaged")
    described["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    storage.write(f"report-merged/{programme_id}/pl.json", json.dumps(described).encode())
    first.version.sha256 = described["sha256"]
    from consult.extensions import db

    db.session.commit()
    _publish_in_second_meeting(meeting_ids, "Stanowisko po uszkodzeniu poprzedniego pliku.")
    second, data = _compile(programme_id)
    assert second.state == "done"
    keys = [(p["first_key"], p["end_key"]) for p in _described(programme_id)["parts"]]
    assert keys[0][0] == 0 and all(a[1] == b[0] for a, b in itertools.pairwise(keys))  # merged from scratch
    _assert_valid(data, meeting_ids)


def test_after_enough_updates_the_report_is_written_anew_instead_of_growing(app, monkeypatch):
    """Each update keeps the replaced pages in the file, unreferenced: after MAX_UPDATES of them the swap writes
    the whole file again (qpdf), which drops them, and the report stays valid."""
    import worker.pdf_merge
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.postulates.models import Postulate
    from consult.postulates.operations import redact_postulate

    monkeypatch.setattr(worker.pdf_merge, "MAX_UPDATES", 1)
    # the limit is patched in this process: the compiles run here (jobs in process), not on a Celery worker
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    programme_id, meeting_ids = _programme_with_meetings()
    _first, original = _compile(programme_id)
    _publish_in_second_meeting(meeting_ids, "Stanowisko przed przepisaniem pliku.")
    _second, appended = _compile(programme_id)
    assert appended.startswith(original) and appended.count(b"%%EOF") == 2
    with transaction():
        redact_postulate(SYSTEM, db.session.scalar(db.select(Postulate).where(
            Postulate.meeting_id == meeting_ids[1], Postulate.number == 1)), words="pogrubione",
            reason="Dane osobowe.")
    _third, rewritten = _compile(programme_id)
    assert rewritten.count(b"%%EOF") == 1 and len(rewritten) < len(appended)
    _assert_qpdf_check(rewritten)
    _assert_valid(rewritten, meeting_ids)
    text = squeeze(" ".join(page_texts(rewritten)))
    assert squeeze("Stanowisko przed przepisaniem pliku.") in text and squeeze("pogrubione") not in text


def _part(title: str, headings: list[str], text: str) -> bytes:
    """A small tagged PDF/UA part as WeasyPrint writes a section: headings (its outline), text, an internal link."""
    from worker.pdf import render_pdf

    body = "".join(f'<h2 id="h{i}">{h}</h2><p>{text}</p><p><a href="#h0">Do pierwszego punktu</a></p>'
                   for i, h in enumerate(headings))
    return render_pdf(f'<html lang="pl"><head><title>{title}</title></head><body><h1>{title}</h1>{body}'
                      "</body></html>").pdf


def _reachable_refs_resolve(pdf) -> int:
    """Walk every object reachable from the catalog: no reference may lead to an object the file does not have
    (a reader would take it for null). Returns how many indirect objects were reached."""
    seen, stack = set(), [pdf.Root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            assert obj._type_code != pikepdf.ObjectType.null, f"{obj.objgen} is referred to but missing"
        if isinstance(obj, pikepdf.Stream):
            stack.extend(obj.stream_dict.values())
        elif isinstance(obj, pikepdf.Dictionary):
            stack.extend(v for k, v in obj.items() if k != "/Parent" or obj.get("/Type") != pikepdf.Name.Page)
            if obj.get("/Type") == pikepdf.Name.Page:
                stack.append(obj.Parent)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return len(seen)


def test_a_part_swapped_into_a_merged_file_is_written_whole_and_only_then(app):
    """worker.pdf_merge.replace_parts writes the update itself (not qpdf): each new page in the page tree under the
    file's own root, its links and its structure complete, every reference resolving; a part whose bookmarks
    changed their shape is refused (the compile then merges every part again)."""
    from worker.pdf_merge import CannotReplace, Part, merge_tagged, replace_parts

    heads = ["Pierwszy punkt", "Drugi punkt"]
    parts = [Part(_part(t, heads, f"Tekst części {t}."), t) for t in ("Alfa", "Beta", "Gamma")]
    placed: list = []
    base = merge_tagged(parts, title="Raport z konsultacji – próba", numbers=None, placed=placed)
    new = Part(_part("Beta", heads, "Nowy tekst części Beta po zmianie."), "Beta")
    data, now = replace_parts(base, placed, {1: new})
    assert data.startswith(base) and data.count(b"%%EOF") == base.count(b"%%EOF") + 1
    assert now[1].first_key >= max(p.end_key for p in placed) and now[0] == placed[0] and now[2] == placed[2]
    _assert_qpdf_check(data)
    texts = page_texts(data)
    first = sum(p.pages for p in placed[:1])
    new_pages = range(first, first + placed[1].pages)
    assert all(squeeze("Nowy tekst części Beta") in squeeze(texts[i]) for i in new_pages)
    assert squeeze("Tekst części Beta.") not in squeeze(" ".join(texts))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert _reachable_refs_resolve(pdf) > 50
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        for page in pdf.pages:
            assert page.obj.Parent.objgen == pdf.Root.Pages.objgen
        for i in new_pages:  # the part's link leads to its own first heading, on a page of this file
            links = [a for a in pdf.pages[i].obj.get("/Annots", []) if a.get("/Subtype") == pikepdf.Name.Link]
            assert links and all(index[a.Dest[0].objgen] in new_pages for a in links)
    _structure_checks(data, [parts[0].pdf, new.pdf, parts[2].pdf])  # each part's elements, a /Part each
    _marked_content_checks(data)
    marks = {title: (page, children) for title, page, children in _bookmarks(data)}
    assert marks["Beta"][0] == first + 1 and marks["Beta"][1] == ["Beta"]
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        beta = next(item for item in outline.root if item.title == "Beta")
        heads_at = [index[child.destination[0].objgen] for child in beta.children[0].children]
        assert [c.title for c in beta.children[0].children] == heads and all(p in new_pages for p in heads_at)

    reshaped = Part(_part("Beta", [*heads, "Trzeci punkt"], "Krótko."), "Beta")
    assert len(pikepdf.open(io.BytesIO(reshaped.pdf)).pages) == placed[1].pages
    with pytest.raises(CannotReplace):
        replace_parts(data, now, {1: reshaped})


def _marked_content_checks(data: bytes) -> None:
    """Every marked content of every page has its element in the /ParentTree, an element on that page."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            elements = tree[int(page.obj.StructParents)]
            content = b"".join(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).splitlines())
            for mcid in {int(m) for m in re.findall(rb"/MCID (\d+)", content)}:
                assert mcid < len(elements) and isinstance(elements[mcid], pikepdf.Dictionary)
                assert elements[mcid].Pg.objgen == page.obj.objgen
