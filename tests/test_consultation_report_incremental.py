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
    with pikepdf.open(io.BytesIO(data)) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            elements = tree[int(page.obj.StructParents)]
            content = b"".join(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).splitlines())
            for mcid in {int(m) for m in re.findall(rb"/MCID (\d+)", content)}:
                assert mcid < len(elements) and isinstance(elements[mcid], pikepdf.Dictionary)
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
