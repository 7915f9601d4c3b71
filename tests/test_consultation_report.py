"""The consolidated consultation report: one tagged PDF of every meeting's summary, with a title page, a table of
contents and statistics; compiled incrementally (a section is rendered again only when its content changed).

Runs in process without REDIS_URL; with it (CI's second pass) on the session's Celery worker, sections as a
chord of tasks."""
from __future__ import annotations

import io
import re

import pikepdf
import pytest

from tests.summary_support import (
    UNIT_DIALOGUE,
    UNIT_SOCIAL,
    import_data,
    large_meeting_data,
    page_texts,
    squeeze,
    wait_for_jobs,
)

SIZES = (5, 8, 3)


def _programme_with_meetings():
    """Three meetings (distinct titles) of the fixture's programme; in the second, postulate 2 has no position
    yet and postulate 1's text is markup (shown as text)."""
    ids = []
    for i, n in enumerate(SIZES, start=1):
        data = large_meeting_data(n, date=f"2025-06-{10 + i}")
        data["meeting"]["title"] = f"Spotkanie branżowe nr {i}"
        if i == 2:
            data["postulates"][1]["positions"] = []
            data["postulates"][0]["content"] = "<b>pogrubione</b> & <script>alert(1)</script>"
        ids.append(import_data(data))
    from consult.extensions import db
    from consult.meetings.models import Meeting

    return db.session.get(Meeting, ids[0]).programme_id, ids


def _compile(programme_id: int):
    from consult.consultation_report.operations import request_report
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.documents.models import DocumentJob
    from consult.extensions import db
    from consult.programmes.models import Programme

    with transaction():
        job_id = request_report(SYSTEM, db.session.get(Programme, programme_id)).id
    wait_for_jobs()
    job = db.session.get(DocumentJob, job_id)
    assert job.state == "done", job.error
    from tests.summary_support import pdf_bytes

    return job, pdf_bytes(job.version)


def _rendered_by(job_id: int) -> int:
    from consult.consultation_report.queries import sections_rendered_by

    return sections_rendered_by(job_id)


def _walk(elem, counts, parent=None):
    if parent is not None:
        assert elem.P.objgen == parent.objgen, "a structure element's /P is not its parent"
    counts[str(elem.S)] = counts.get(str(elem.S), 0) + 1
    kids = elem.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", pikepdf.Name.StructElem) == pikepdf.Name.StructElem \
                and "/S" in kid:
            _walk(kid, counts, elem)
    return counts


def _section_counts(pdf_path_bytes: list[bytes]) -> dict:
    total: dict = {}
    for data in pdf_path_bytes:
        with pikepdf.open(io.BytesIO(data)) as part:
            for k, v in _walk(part.Root.StructTreeRoot.K[0], {}).items():
                total[k] = total.get(k, 0) + v
    return total


def _structure_checks(data: bytes, parts: list[bytes]) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == "pl"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1" and "Raport z konsultacji" in meta.get("dc:title")
        document = root.K[0]
        assert document.S == pikepdf.Name.Document
        counts = _walk(document, {})
        expected = _section_counts(parts)
        for tag in ("/H1", "/H2", "/Table", "/TR", "/TH", "/TD", "/L", "/LI"):
            assert counts.get(tag, 0) == expected.get(tag, 0), tag
        assert counts["/Part"] == len(parts)
        nums = root.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert int(root.ParentTreeNextKey) > max(tree)
        for page in pdf.pages:
            elements = tree[int(page.obj.StructParents)]
            assert len(elements) > 0
            for element in elements:
                assert element.Pg.objgen == page.obj.objgen
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    assert tree[int(annot.StructParent)].Pg.objgen == page.obj.objgen


def _bookmarks(data: bytes) -> list[tuple[str, int, list[str]]]:
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        return [(item.title, index[item.destination[0].objgen] + 1, [c.title for c in item.children])
                for item in outline.root]


def _toc_pages(texts: list[str], titles: list[str]) -> dict[str, int]:
    """The page the table of contents gives each title (the digits after the row's unit, before the next row)."""
    toc = squeeze(" ".join(texts[:3]))
    out = {}
    for i, title in enumerate(titles, start=1):
        at = toc.index(f"{i}.{squeeze(title)}") + len(f"{i}.{squeeze(title)}")
        match = re.match(r"\d+[^\d]+\d{4}r\.[^\d]+(\d+)", toc[at:])
        digits = match.group(1)
        nxt = f"{i + 1}"
        if i < len(titles) and digits.endswith(nxt) and toc[at + match.end():].startswith("."):
            digits = digits[: -len(nxt)]
        out[title] = int(digits)
    return out


@pytest.mark.usefixtures("summary_worker")
def test_report_merges_sections_with_structure_toc_bookmarks_page_numbers_and_statistics(app):
    from consult.consultation_report.models import ReportSection
    from consult.documents import storage
    from consult.extensions import db

    programme_id, meeting_ids = _programme_with_meetings()
    job, data = _compile(programme_id)
    assert _rendered_by(job.id) == 3
    assert (job.progress_done, job.progress_total) == (3, 3)  # what its page counted while it ran
    sections = {s.meeting_id: s for s in db.session.scalars(db.select(ReportSection))}
    parts = [storage.path_of(sections[m].storage_key).read_bytes() for m in meeting_ids]
    texts = page_texts(data)
    n = len(texts)
    assert n == job.version.pages
    for k, text in enumerate(texts, start=1):
        assert squeeze(f"strona {k} z {n}") in squeeze(text)

    # Front matter, then the sections: its part and one per meeting, whose structure is all there.
    front_pages = n - sum(sections[m].pages for m in meeting_ids)
    _structure_checks(data, parts + _front_parts(data))

    titles = [f"Spotkanie branżowe nr {i}" for i in (1, 2, 3)]
    heading_pages = {t: next(k for k, text in enumerate(texts, start=1) if k > front_pages and
                             squeeze(text).startswith(squeeze(t))) for t in titles}
    assert _toc_pages(texts, titles) == heading_pages
    marks = {title.split(" (")[0]: (page, children) for title, page, children in _bookmarks(data)}
    for t in titles:
        page, children = marks[t]
        assert page == heading_pages[t]
        assert "Postulaty i stanowiska" in children

    # Statistics: 16 postulates, 15 with a published position; by submitter and by unit.
    stats = squeeze(" ".join(texts[:front_pages]))
    assert squeeze("Postulaty zgłoszone na spotkaniach branżowych programu: 16.") in stats
    assert squeeze("Postulaty bez opublikowanego stanowiska 1") in stats
    from consult.consultation_report.document import statistics

    computed = statistics(programme_id)
    assert computed["postulates_total"] == sum(SIZES) and computed["without_position"] == 1
    assert sum(r["count"] for r in computed["by_submitter"]) == sum(SIZES)
    units = {r["label"]: r for r in computed["by_unit"]}
    assert units["bez przypisanej komórki"]["postulates"] == 1
    assert sum(r["postulates"] for r in computed["by_unit"]) == sum(SIZES)
    for row in computed["by_unit"]:
        assert squeeze(f"{row['label']}{row['postulates']}{row['answered']}") in stats

    # User text is text, not markup.
    assert squeeze("<b>pogrubione</b> & <script>alert(1)</script>") in squeeze(" ".join(texts))


def _front_files(programme_id: int) -> list[str]:
    from consult.documents import storage

    return sorted(p.name for p in storage.path_of(f"report-front/{programme_id}").glob("*.pdf"))


def _part(files: list[str], name: str) -> str:
    [found] = [f for f in files if f.startswith(f"{name}-")]
    return found


def _front_parts(data: bytes) -> list[bytes]:
    """The front matter as the merge received it: its two parts (title page with contents, statistics) are the
    first two /Part elements of the merged document."""
    out_parts = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for part in list(pdf.Root.StructTreeRoot.K[0].K)[:2]:
            out = pikepdf.new()
            copy = out.copy_foreign(part)
            copy.S = pikepdf.Name.Document
            out.Root.StructTreeRoot = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot,
                                                                           K=pikepdf.Array([copy])))
            buffer = io.BytesIO()
            out.save(buffer)
            out_parts.append(buffer.getvalue())
    return out_parts


@pytest.mark.usefixtures("summary_worker")
def test_after_one_position_changes_only_its_section_is_rendered_again(app):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.organisations.models import Unit
    from consult.postulates.models import Postulate
    from consult.postulates.operations import assign_postulate, publish_positions, save_position

    programme_id, meeting_ids = _programme_with_meetings()
    first, _data = _compile(programme_id)
    assert _rendered_by(first.id) == 3

    # A draft position is not in the report: nothing to render again.
    postulate = db.session.scalar(db.select(Postulate).where(Postulate.meeting_id == meeting_ids[1],
                                                             Postulate.number == 2))
    unit = db.session.scalar(db.select(Unit).where(Unit.name == UNIT_DIALOGUE))
    with transaction():
        assign_postulate(SYSTEM, postulate, unit)
        save_position(SYSTEM, postulate, category="accepted", text="Stanowisko dopisane po pierwszej kompilacji.")
    front_before = _front_files(programme_id)
    second, _data = _compile(programme_id)
    assert _rendered_by(second.id) == 0
    # The contents came from the cache; the statistics were rendered again (the postulate has a unit now).
    front_second = _front_files(programme_id)
    assert _part(front_second, "contents") == _part(front_before, "contents")
    assert _part(front_second, "statistics") != _part(front_before, "statistics")

    with transaction():
        publish_positions(SYSTEM, [postulate])
    third, data = _compile(programme_id)
    assert _rendered_by(third.id) == 1
    # The statistics changed (one more published position), the contents did not: only the statistics part was
    # rendered again, and the stale one is gone.
    front_after = _front_files(programme_id)
    assert len(front_after) == 2
    assert _part(front_after, "contents") == _part(front_second, "contents")
    assert _part(front_after, "statistics") != _part(front_second, "statistics")
    texts = page_texts(data)
    assert squeeze("Stanowisko dopisane po pierwszej kompilacji.") in squeeze(" ".join(texts))
    n = len(texts)
    assert all(squeeze(f"strona {k} z {n}") in squeeze(t) for k, t in enumerate(texts, start=1))
    assert squeeze("Postulaty bez opublikowanego stanowiska 0") in squeeze(" ".join(texts[:4]))
    assert third.version.number == 3 and UNIT_SOCIAL
    # The section the change made stale is dropped from the cache: one section per meeting is kept.
    from consult.consultation_report.models import ReportSection

    assert sorted(db.session.scalars(db.select(ReportSection.meeting_id))) == sorted(meeting_ids)


@pytest.mark.usefixtures("summary_worker")
def test_coordinator_compiles_and_publishes_and_the_public_downloads_each_published_version(app, world, client):
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.documents.models import DocumentVersion
    from consult.extensions import db
    from consult.postulates.operations import assign_postulate, save_position
    from tests.conftest import login

    with transaction():
        assign_postulate(SYSTEM, world.p["meeting_official"], world.unit_x)
        save_position(world.users["unit_x"], world.p["meeting_official"], category="accepted",
                      text="Projekt stanowiska, jeszcze nie opublikowany.")
    login(client, world.user("coordinator"))
    page = client.get(f"/koordynacja/programy/{world.programme.id}")
    assert f"/koordynacja/programy/{world.programme.id}/raport" in page.get_data(as_text=True)
    versions = []
    for _ in range(2):
        response = client.post(f"/koordynacja/programy/{world.programme.id}/raport/kompilacja")
        assert response.status_code == 302 and "/koordynacja/raporty/zadania/" in response.location
        wait_for_jobs()
        job_page = client.get(response.location).get_data(as_text=True)
        assert "gotowe" in job_page
        version = db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.kind == "programme_report")
                                     .order_by(DocumentVersion.id.desc())).first()
        assert client.get(f"/raporty/{version.id}.pdf").status_code == 404  # not public before it is published
        client.post(f"/koordynacja/raporty/wersje/{version.id}/publikacja")
        versions.append(version)
    # The report is public: it shows published positions only, never a draft.
    text = squeeze(" ".join(page_texts(client.get(f"/raporty/{versions[1].id}.pdf").data)))
    assert squeeze("Od pełnomocnika") in text and squeeze("Projekt stanowiska") not in text
    public = client.__class__(app)  # a visitor who is not signed in
    listing = public.get(f"/programy/{world.programme.id}").get_data(as_text=True)
    for v in versions:
        assert f"/raporty/{v.id}.pdf" in listing
        assert public.get(f"/raporty/{v.id}.pdf").status_code == 200
    assert "wcześniejsza" in listing and "aktualna" in listing
