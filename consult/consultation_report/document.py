"""The consolidated consultation report as a document: its sections, its front matter, and their merge.

A compile runs in three steps so that the sections can render in parallel on the workers:

1. `plan(programme_id)`: each meeting of the programme with the digest of its section's content (the
   meeting's summary with published positions only, and the layout's own digest). A section already in the
   cache (`ReportSection`, by meeting and digest) is not rendered again.
2. `render_section(job_id, meeting_id, digest)` for each missing section: in a Celery task of its own, or
   here one after the other when jobs run in process. Idempotent: a section already cached is skipped.
3. `assemble(plan)`: the front matter (title page, table of contents, statistics) rendered last, once the
   sections' page counts are known, then the merge (worker.pdf_merge) with the structure trees, one bookmark
   per meeting and "strona X z Y" stamped on every page as an artifact.

Page numbers are never in a cached section: a section that grows by a page would shift every later one.
Everything runs under the job's language (force_locale): the section digest includes it, so a section
cached for a Polish report never lands in an English one.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from dataclasses import asdict, dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.consultation_report.models import ReportSection
from consult.core.types import to_warsaw, utcnow
from consult.documents import storage
from consult.documents.operations import advance_progress, start_progress
from consult.extensions import db
from consult.i18n import current_locale, page_number_parts
from consult.meetings.models import Meeting
from consult.organisations.models import Unit
from consult.postulates.deadlines import late_positions
from consult.postulates.models import POSITION_CATEGORIES, POSITION_CATEGORY_LABELS, Position, Postulate
from consult.programmes.models import Programme
from consult.summaries.document import Built, build_summaries, build_summary, polish_date
from worker.pdf import font_config, render_pdf
from worker.pdf_merge import PageNumbers, Part, merge_tagged
from worker.pdf_tags import fold_spans_of

log = logging.getLogger(__name__)

SECTION_TEMPLATE = "pdf/consultation_report_section.html"
FRONT_TEMPLATE = "pdf/consultation_report_front.html"
FOOTER_TEMPLATE = "pdf/consultation_report_footer.html"
# What the templates of a section include: a change to any of them makes every cached section stale.
_SECTION_SOURCES = (SECTION_TEMPLATE, "pdf/_meeting_summary_body.html", "pdf/meeting_summary.css")
# Lazy: each report is worded in the language of its job (force_locale).
TITLE = _l("Raport z konsultacji programu współpracy")
SUBMITTER_LABELS = {"organisation": _l("organizacje pozarządowe"), "official": _l("przedstawiciele urzędu i inni")}
NO_UNIT = _l("bez przypisanej komórki")
# Where "strona X z Y" ends: A4 landscape (841.89 pt wide) less the pages' right margin (14 mm).
FOOTER_RIGHT = 841.89 - 14 * 72 / 25.4


# How a rendered section is post-processed (worker.pdf_tags): a change makes every cached section stale too.
SECTION_FORMAT = b"spans folded 1"


def _layout_digest() -> str:
    env = current_app.jinja_env
    h = hashlib.sha256(SECTION_FORMAT)
    h.update(current_locale().encode())  # a section's labels are in the job's language: never reuse another's
    for name in _SECTION_SOURCES:
        source, _filename, _uptodate = env.loader.get_source(env, name)
        h.update(source.encode("utf-8"))
    return h.hexdigest()


def _canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


@dataclass(frozen=True)
class PlannedSection:
    meeting_id: int
    digest: str
    rows: int  # postulates in it: the larger sections are sent first, so the workers finish together


def _in_report_order(programme_id: int, what):
    return (db.select(what).where(Meeting.programme_id == programme_id)
            .order_by(Meeting.date, Meeting.starts, Meeting.id))


def meetings_of(programme_id: int) -> list[Meeting]:
    return db.session.scalars(_in_report_order(programme_id, Meeting)).all()


def plan(programme_id: int) -> list[PlannedSection]:
    """Each meeting of the programme, in the report's order, with its section's digest."""
    started = time.perf_counter()
    layout = _layout_digest()
    ids = list(db.session.scalars(_in_report_order(programme_id, Meeting.id)))
    out = [PlannedSection(summary.meeting_id, _section_digest(layout, summary), len(summary.rows))
           for summary in build_summaries(ids, preview=False)]
    log.info("plan of programme %s: %d meetings digested in %.2f s", programme_id, len(out),
             time.perf_counter() - started)
    return out


def _section_digest(layout: str, summary) -> str:
    return hashlib.sha256(layout.encode() + _canonical(asdict(summary))).hexdigest()


def cached(sections: list[PlannedSection]) -> dict[tuple[int, str], ReportSection]:
    if not sections:
        return {}
    rows = db.session.scalars(db.select(ReportSection).where(
        ReportSection.meeting_id.in_([s.meeting_id for s in sections]),
        ReportSection.digest.in_([s.digest for s in sections])))
    return {(r.meeting_id, r.digest): r for r in rows}


def missing(sections: list[PlannedSection]) -> list[PlannedSection]:
    """The sections not in the cache, largest first."""
    have = cached(sections)
    return sorted((s for s in sections if (s.meeting_id, s.digest) not in have), key=lambda s: -s.rows)


def render_section(job_id: int | None, meeting_id: int, digest: str) -> ReportSection | None:
    """Render the meeting's section and cache it under `digest`; nothing when it is cached already.

    The content is read anew; if it changed since the plan, the section is cached under its new digest and the
    assembly uses that one (the newest content).
    """
    existing = db.session.scalar(db.select(ReportSection).where(
        ReportSection.meeting_id == meeting_id, ReportSection.digest == digest))
    if existing is not None:
        return existing
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return None
    started = time.perf_counter()
    summary = build_summary(meeting_id, preview=False)
    actual = _section_digest(_layout_digest(), summary)
    html = current_app.jinja_env.get_template(SECTION_TEMPLATE).render(s=summary, polish_date=polish_date)
    rendered = render_pdf(html, base_url=current_app.root_path)
    pdf = fold_spans_of(rendered.pdf)  # a lighter structure tree: the merge copies and writes far fewer objects
    key = f"report-sections/{meeting_id}/{actual}.pdf"
    storage.write(key, pdf)
    row = ReportSection(programme_id=meeting.programme_id, meeting_id=meeting_id, digest=actual, storage_key=key,
                        pages=rendered.pages, size=len(pdf),
                        render_ms=int(1000 * (time.perf_counter() - started)), rendered_by_job_id=job_id)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # a twin of this task cached it first (same content, same file name)
        db.session.rollback()
        return db.session.scalar(db.select(ReportSection).where(
            ReportSection.meeting_id == meeting_id, ReportSection.digest == actual))
    if job_id is not None:
        advance_progress(job_id)
    return row


# --- the front matter -----------------------------------------------------------------------------

def statistics(programme_id: int) -> dict:
    """Postulates of the programme's meetings (those in the report) per responsible unit, per category of
    their published positions, and per kind of submitter."""
    postulates = db.session.execute(
        db.select(Postulate.id, Postulate.submitter_kind, Unit.name)
        .join(Meeting, Meeting.id == Postulate.meeting_id)
        .outerjoin(Unit, Unit.id == Postulate.responsible_unit_id)
        .where(Meeting.programme_id == programme_id, Postulate.state.not_in(("draft", "withdrawn")))).all()
    positions = db.session.execute(
        db.select(Position.postulate_id, Position.category)
        .join(Postulate, Postulate.id == Position.postulate_id).join(Meeting, Meeting.id == Postulate.meeting_id)
        .where(Meeting.programme_id == programme_id, Postulate.state.not_in(("draft", "withdrawn")),
               Position.status == "published")).all()
    answered = {p.postulate_id for p in positions}
    units: dict[str, list[int]] = {}
    no_unit = str(NO_UNIT)
    for pid, _kind, unit in postulates:
        units.setdefault(unit or no_unit, []).append(pid)
    by_unit = [{"label": name, "postulates": len(ids), "answered": sum(1 for i in ids if i in answered)}
               for name, ids in sorted(units.items(), key=lambda kv: (kv[0] == no_unit, kv[0]))]
    categories = Counter(p.category for p in positions)
    kinds = Counter(p.submitter_kind for p in postulates)
    return {
        "postulates_total": len(postulates),
        "by_unit": by_unit,
        "by_category": [{"label": str(POSITION_CATEGORY_LABELS[c]), "count": categories[c]}
                        for c in POSITION_CATEGORIES if categories[c]],
        "without_position": sum(1 for p in postulates if p.id not in answered),
        "by_submitter": [{"label": str(SUBMITTER_LABELS[k]), "count": kinds[k]} for k in SUBMITTER_LABELS if kinds[k]],
        **late_positions(programme_id),  # positions recorded after their due date (all the programme's postulates)
    }


def _front_html(data: dict, part: str | None = None) -> str:
    return current_app.jinja_env.get_template(FRONT_TEMPLATE).render(r=data, part=part)


@dataclass(frozen=True)
class FrontPart:
    key: str  # in the storage
    pages: int
    rendered: bool = False  # by this compile (not from the cache)


def _front_files(programme_id: int, pattern: str = "*") -> list[FrontPart]:
    """The programme's cached front matter parts whose file name matches `pattern`; a part's page count is the
    last piece of its file name ("contents-<digest>-<pages>.pdf")."""
    folder = storage.path_of(f"report-front/{programme_id}")
    if not folder.is_dir():
        return []
    return [FrontPart(f"report-front/{programme_id}/{path.name}", int(path.stem.rsplit("-", 1)[1]))
            for path in folder.glob(f"{pattern}.pdf")]


def _front_part(programme_id: int, part: str, data: dict) -> FrontPart:
    """One part of the front matter ("contents" or "statistics"), from the cache when the same content was
    rendered before: after one position is published the statistics change, the contents rarely do."""
    env = current_app.jinja_env
    digest = hashlib.sha256(_canonical({"part": part, "data": data, "language": current_locale(), "layout": [
        env.loader.get_source(env, name)[0] for name in (FRONT_TEMPLATE, "pdf/meeting_summary.css")]})).hexdigest()
    found = _front_files(programme_id, f"{part}-{digest}-*")
    if found:
        return found[0]
    rendered = render_pdf(_front_html(data, part), base_url=current_app.root_path)
    key = f"report-front/{programme_id}/{part}-{digest}-{rendered.pages}.pdf"
    storage.write(key, fold_spans_of(rendered.pdf))
    return FrontPart(key, rendered.pages, rendered=True)


_contents_pages_seen: dict[int, int] = {}


def _last_contents_pages(programme_id: int) -> int | None:
    """How long the contents of the programme's last compile were (its part is kept in the cache until the next
    compile): the best guess whichever worker process compiles this time."""
    found = _front_files(programme_id, "contents-*")
    return found[0].pages if found else None


def _render_front(programme_id: int, data: dict, section_pages: list[int]) -> list[FrontPart]:
    """The front matter: the title page and contents, then the statistics. The contents give page numbers that
    depend on their own length, so they are laid out again while their page count differs from the one assumed
    (a guess of ~15 lines a page, or what as many meetings took last time in this process)."""
    stats_keys = ("postulates_total", "by_unit", "by_category", "without_position", "by_submitter",
                  "late_positions", "late_by_unit")
    statistics_part = _front_part(programme_id, "statistics", {k: data[k] for k in stats_keys})
    contents_pages = _last_contents_pages(programme_id) or _contents_pages_seen.get(
        len(section_pages), 1 + max(1, -(-(len(section_pages) + 1) // 15)))
    for _attempt in range(5):
        page = contents_pages + statistics_part.pages + 1
        meetings = []
        for entry, pages in zip(data["meetings"], section_pages, strict=True):
            meetings.append({**entry, "page": page})
            page += pages
        contents = _front_part(programme_id, "contents", {
            **{k: data[k] for k in ("title", "programme_title", "as_of", "postulates_total")},
            "meetings": meetings, "statistics_page": contents_pages + 1})
        if contents.pages == contents_pages:
            _contents_pages_seen[len(section_pages)] = contents_pages
            return [contents, statistics_part]
        contents_pages = contents.pages
    raise RuntimeError("the front matter's page count does not settle")


_numbers_memo: dict[str, PageNumbers] = {}


def _page_numbers() -> PageNumbers:
    """The pieces page numbers are drawn with (see worker.pdf_merge.PageNumbers): rendered once per layout of
    the footer and kept in this process."""
    env = current_app.jinja_env
    source = env.loader.get_source(env, FOOTER_TEMPLATE)[0]
    tokens = (*page_number_parts(), *"0123456789")  # "strona ", " z " in the job's language
    key = hashlib.sha256(source.encode() + _canonical(tokens)).hexdigest()
    if key not in _numbers_memo:
        from weasyprint import HTML

        document = HTML(string=env.get_template(FOOTER_TEMPLATE).render(tokens=tokens)).render(
            font_config=font_config())
        widths = []
        for page in document.pages:
            box = next(b for b in _boxes(page._page_box) if getattr(b, "element_tag", None) == "span")
            widths.append(box.width * 0.75)  # CSS px to PDF points
        _numbers_memo[key] = PageNumbers(pdf=document.write_pdf(), tokens=tokens, widths=tuple(widths),
                                         right=FOOTER_RIGHT)
    return _numbers_memo[key]


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


class _Clock:
    """Wall and CPU seconds of each step of an assembly, for the worker's log (what a slow compile spent)."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float, float]] = []
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps.append((name, wall - self._wall, cpu - self._cpu))
        self._wall, self._cpu = wall, cpu

    def __str__(self) -> str:
        return ", ".join(f"{name} {wall:.2f} s (cpu {cpu:.2f} s)" for name, wall, cpu in self.laps)


def assemble(programme_id: int, sections: list[PlannedSection], job_id: int | None = None) -> Built:
    """The report of the planned sections (any not cached yet is rendered here), front matter first."""
    clock = _Clock()
    programme = db.session.get(Programme, programme_id)
    have = cached(sections)
    rendered_here = 0
    for s in sections:
        if (s.meeting_id, s.digest) not in have:
            row = render_section(job_id, s.meeting_id, s.digest)
            if row is not None:
                have[(row.meeting_id, s.digest)] = row
                rendered_here += 1
    clock.lap("sections")
    rows = [have[(s.meeting_id, s.digest)] for s in sections if (s.meeting_id, s.digest) in have]
    meetings = {m.id: m for m in db.session.scalars(
        db.select(Meeting).where(Meeting.id.in_([r.meeting_id for r in rows]))
        .options(selectinload(Meeting.host_unit)))}
    stats = statistics(programme_id)
    data = {"title": str(TITLE), "programme_title": programme.title,
            "as_of": polish_date(to_warsaw(utcnow()).date()),
            "meetings": [{"title": meetings[r.meeting_id].title, "date": polish_date(meetings[r.meeting_id].date),
                          "host_unit": meetings[r.meeting_id].host_unit.name} for r in rows],
            **stats}
    front = _render_front(programme_id, data, [r.pages for r in rows])
    clock.lap("front (rendered: " + (", ".join(f.key.rsplit("/", 1)[1].split("-")[0] for f in front if f.rendered)
                                       or "none") + ")")
    total = sum(f.pages for f in front) + sum(r.pages for r in rows)
    parts = [Part(storage.path_of(f.key)) for f in front] + [
        Part(storage.path_of(r.storage_key),
             f"{meetings[r.meeting_id].title} ({polish_date(meetings[r.meeting_id].date)})") for r in rows]
    pdf = merge_tagged(parts, title=f"{TITLE} – {programme.title}", lang=current_locale(), numbers=_page_numbers())
    clock.lap("merge")
    digest = hashlib.sha256(_canonical({"sections": [[r.meeting_id, r.digest] for r in rows], "stats": stats,
                                        "programme": programme.title})).hexdigest()
    _forget_stale(programme_id, {r.id for r in rows}, {f.key for f in front})  # last: its commit expires `rows`
    log.info("report of programme %s (job %s): %d sections (%d rendered here), %d pages; %s", programme_id,
             job_id, len(rows), rendered_here, total, clock)
    return Built(pdf=pdf, pages=total, source_digest=digest)


def _forget_stale(programme_id: int, used: set[int], front_used: set[str]) -> None:
    """Drop the cached sections and front matter parts of the programme that this report did not use (content
    since changed): only one compile of a programme runs at a time, so none of them is needed by another."""
    stale = db.session.scalars(db.select(ReportSection).where(ReportSection.programme_id == programme_id,
                                                              ReportSection.id.not_in(used))).all()
    keys = [row.storage_key for row in stale]
    for row in stale:
        db.session.delete(row)
    db.session.commit()
    for key in keys:
        storage.remove(key)
    for part in _front_files(programme_id):
        if part.key not in front_used:
            storage.remove(part.key)


def compile_report(programme_id: int, job_id: int | None = None,
                   sections: list[PlannedSection] | None = None) -> Built:
    """The whole compile in this process: the assembly renders the missing sections one after the other.
    `sections`: the plan, when the caller made it already."""
    sections = plan(programme_id) if sections is None else sections
    if job_id is not None:
        todo = missing(sections)
        if todo:
            start_progress(job_id, len(todo))  # counted on the job's page as they render
    return assemble(programme_id, sections, job_id)


def compile_report_for_job(job) -> Built:
    # A worker that looked at the plan to decide against fanning out leaves it on the job (report_plan).
    return compile_report(job.programme_id, job.id, getattr(job, "report_plan", None))


def plan_to_json(sections: list[PlannedSection]) -> list:
    return [[s.meeting_id, s.digest, s.rows] for s in sections]


def plan_from_json(data: list) -> list[PlannedSection]:
    return [PlannedSection(int(m), str(d), int(r)) for m, d, r in data]
