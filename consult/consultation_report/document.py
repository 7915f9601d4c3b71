"""The consolidated consultation report as a document: its sections, its front matter, and their merge.

The sections: each meeting's summary, in the order the meetings were held, then the published postulates filed
online (outside any meeting), one section per responsible unit (consult.consultation_report.online). A section
is named by a key (consult.consultation_report.models: "meeting:12", "online:<programme>:<unit>").

A compile runs in three steps so that the sections can render in parallel on the workers:

1. `plan(programme_id)`: each section of the programme with the digest of its content (a meeting's summary or
   a unit's online postulates, with published positions only, and the layout's own digest). A section already
   in the cache (`ReportSection`, by key and digest) is not rendered again.
2. `render_section(job_id, key, digest)` for each missing section: in a Celery task of its own, or here one
   after the other when jobs run in process. Idempotent: a section already cached is skipped.
3. `assemble(plan)`: the front matter (title page, table of contents, statistics) rendered last, once the
   sections' page counts are known, then the merge (worker.pdf_merge) with the structure trees, one bookmark
   per section and "strona X z Y" stamped on every page as an artifact.

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

from consult.consultation_report.models import ReportSection, meeting_key, online_key, parse_key
from consult.consultation_report.online import IN_REPORT, ONLINE, alphabetical, online_sections, section_title
from consult.core.types import to_warsaw, utcnow
from consult.documents import storage
from consult.documents.operations import advance_progress, start_progress
from consult.documents.registry import Built
from consult.extensions import db
from consult.i18n import current_locale, page_number_parts
from consult.meetings.models import Meeting
from consult.organisations.models import Unit
from consult.postulates.deadlines import late_positions
from consult.postulates.models import POSITION_CATEGORIES, POSITION_CATEGORY_LABELS, Position, Postulate
from consult.programmes.models import Programme
from consult.summaries.document import build_summaries, build_summary, polish_date
from worker.pdf import font_config, render_pdf
from worker.pdf_merge import PageNumbers, Part, merge_tagged
from worker.pdf_tags import fold_spans_of

log = logging.getLogger(__name__)

SECTION_TEMPLATE = "pdf/consultation_report_section.html"
ONLINE_TEMPLATE = "pdf/consultation_report_online.html"
FRONT_TEMPLATE = "pdf/consultation_report_front.html"
FOOTER_TEMPLATE = "pdf/consultation_report_footer.html"
# What the templates of a section include: a change to any of them makes every cached section stale.
_SECTION_SOURCES = (SECTION_TEMPLATE, "pdf/_meeting_summary_body.html", "pdf/meeting_summary.css")
_ONLINE_SOURCES = (ONLINE_TEMPLATE, "pdf/meeting_summary.css")
# Lazy: each report is worded in the language of its job (force_locale).
TITLE = _l("Raport z konsultacji programu współpracy")
SUBMITTER_LABELS = {"organisation": _l("organizacje pozarządowe"), "official": _l("przedstawiciele urzędu i inni")}
NO_UNIT = _l("bez przypisanej komórki")
# Where "strona X z Y" ends: A4 landscape (841.89 pt wide) less the pages' right margin (14 mm).
FOOTER_RIGHT = 841.89 - 14 * 72 / 25.4


# How a rendered section is post-processed (worker.pdf_tags): a change makes every cached section stale too.
SECTION_FORMAT = b"spans folded 1"


def _layout_digest(sources: tuple[str, ...] = _SECTION_SOURCES) -> str:
    env = current_app.jinja_env
    h = hashlib.sha256(SECTION_FORMAT)
    h.update(current_locale().encode())  # a section's labels are in the job's language: never reuse another's
    for name in sources:
        source, _filename, _uptodate = env.loader.get_source(env, name)
        h.update(source.encode("utf-8"))
    return h.hexdigest()


def _canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


@dataclass(frozen=True)
class PlannedSection:
    key: str  # "meeting:12" or "online:<programme>:<unit>" (consult.consultation_report.models)
    digest: str
    rows: int  # postulates in it: the larger sections are sent first, so the workers finish together


def _in_report_order(programme_id: int, what):
    return (db.select(what).where(Meeting.programme_id == programme_id)
            .order_by(Meeting.date, Meeting.starts, Meeting.id))


def meetings_of(programme_id: int) -> list[Meeting]:
    return db.session.scalars(_in_report_order(programme_id, Meeting)).all()


def plan(programme_id: int) -> list[PlannedSection]:
    """Each section of the programme, in the report's order (the meetings, then the units' online postulates),
    with its digest."""
    started = time.perf_counter()
    layout = _layout_digest()
    ids = list(db.session.scalars(_in_report_order(programme_id, Meeting.id)))
    out = [PlannedSection(meeting_key(summary.meeting_id), _section_digest(layout, summary), len(summary.rows))
           for summary in build_summaries(ids, preview=False)]
    online_layout = _layout_digest(_ONLINE_SOURCES)
    online = [PlannedSection(online_key(programme_id, section.unit_id), _section_digest(online_layout, section),
                             len(section.rows)) for section in online_sections(programme_id)]
    log.info("plan of programme %s: %d meetings and %d units' online postulates digested in %.2f s", programme_id,
             len(out), len(online), time.perf_counter() - started)
    return out + online


def _section_digest(layout: str, summary) -> str:
    return hashlib.sha256(layout.encode() + _canonical(asdict(summary))).hexdigest()


def cached(sections: list[PlannedSection]) -> dict[tuple[str, str], ReportSection]:
    """The planned sections in the cache, by (key, digest). A digest covers the section's subject (a meeting's id,
    a programme's and a unit's), so looking up by digest alone finds no other section's row."""
    if not sections:
        return {}
    rows = db.session.scalars(db.select(ReportSection).where(
        ReportSection.digest.in_(sorted({s.digest for s in sections}))))
    planned = {(s.key, s.digest) for s in sections}
    return {(r.key, r.digest): r for r in rows if (r.key, r.digest) in planned}


def missing(sections: list[PlannedSection]) -> list[PlannedSection]:
    """The sections not in the cache, largest first."""
    have = cached(sections)
    return sorted((s for s in sections if (s.key, s.digest) not in have), key=lambda s: -s.rows)


def _cached_row(key: str, digest: str) -> ReportSection | None:
    kind, ids = parse_key(key)
    if kind == "meeting":
        subject = (ReportSection.meeting_id == ids[0],)
    else:
        subject = (ReportSection.programme_id == ids[0], ReportSection.unit_id == ids[1])
    return db.session.scalar(db.select(ReportSection).where(*subject, ReportSection.digest == digest))


@dataclass(frozen=True)
class _Content:
    """What a section shows, read anew, and what it is cached under."""
    programme_id: int
    meeting_id: int | None
    unit_id: int | None
    template: str
    data: object  # a Summary or an OnlineSection
    digest: str

    @property
    def folder(self) -> str:
        return str(self.meeting_id) if self.meeting_id is not None else f"online-{self.programme_id}-{self.unit_id}"


def content_of(key: str) -> _Content | None:
    """The section `key`'s content; None when it has none any more (a meeting deleted, say)."""
    kind, ids = parse_key(key)
    if kind == "meeting":
        meeting = db.session.get(Meeting, ids[0])
        if meeting is None:
            return None
        summary = build_summary(meeting.id, preview=False)
        return _Content(meeting.programme_id, meeting.id, None, SECTION_TEMPLATE, summary,
                        _section_digest(_layout_digest(), summary))
    programme_id, unit_id = ids
    found = online_sections(programme_id, [unit_id])
    if not found:
        return None
    return _Content(programme_id, None, unit_id, ONLINE_TEMPLATE, found[0],
                    _section_digest(_layout_digest(_ONLINE_SOURCES), found[0]))


def render_section(job_id: int | None, key: str, digest: str, *, content: _Content | None = None
                   ) -> ReportSection | None:
    """Render the section `key` (a meeting's, or a unit's online postulates) and cache it under `digest`;
    nothing when it is cached already.

    The content is read anew; if it changed since the plan, the section is cached under its new digest and the
    assembly uses that one (the newest content). While another process renders the section (its claim in
    `report_section_renders`, consult.consultation_report.inflight), this waits for that render instead.
    """
    return obtain_section(job_id, key, digest, content=content)[0]


def obtain_section(job_id: int | None, key: str, digest: str, *, content: _Content | None = None
                   ) -> tuple[ReportSection | None, str]:
    """The section `key` from the cache, rendered here if need be: (its row, how) where how is "cached",
    "rendered" (by this process) or "waited" (rendered by another process while this one waited for it)."""
    from consult.consultation_report import inflight

    key = meeting_key(key) if isinstance(key, int) else key  # a meeting's id, as the tasks queued before said
    existing = _cached_row(key, digest)
    if existing is not None:
        return existing, "cached"
    language = current_locale()
    waited = mine = False
    for attempt in range(6):
        content = content_of(key) if content is None else content
        if content is None:
            return None, "cached"
        existing = _cached_row(key, content.digest)
        if existing is not None:
            if waited and job_id is not None:
                advance_progress(job_id)
            return existing, "waited" if waited else "cached"
        if attempt == 5:  # claimed and claimed again by others: render it anyway, the cache takes the first copy
            break
        mine = inflight.claim(key, content.programme_id, language)
        if mine:
            break
        seconds = inflight.wait_for(key, language)
        log.info("report section %s: waited %.2f s for its render in another process (job %s)", key, seconds,
                 job_id)
        waited = True
        content = None  # read anew: an edit may have come after what the other render read
    try:
        return _render(job_id, key, content), "rendered"
    finally:
        if mine:  # the section is cached whatever happens to the claim
            inflight.release_quietly(key, language)


def _render(job_id: int | None, key: str, content: _Content) -> ReportSection | None:
    started = time.perf_counter()
    html = current_app.jinja_env.get_template(content.template).render(s=content.data, polish_date=polish_date)
    rendered = render_pdf(html, base_url=current_app.root_path)
    pdf = fold_spans_of(rendered.pdf)  # a lighter structure tree: the merge copies and writes far fewer objects
    storage_key = f"report-sections/{content.folder}/{content.digest}.pdf"
    storage.write(storage_key, pdf)
    row = ReportSection(programme_id=content.programme_id, meeting_id=content.meeting_id, unit_id=content.unit_id,
                        digest=content.digest, storage_key=storage_key, pages=rendered.pages, size=len(pdf),
                        render_ms=int(1000 * (time.perf_counter() - started)), rendered_by_job_id=job_id)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # a twin of this task cached it first (same content, same file name)
        db.session.rollback()
        return _cached_row(key, content.digest)
    if job_id is not None:
        advance_progress(job_id)
    return row


# --- the front matter -----------------------------------------------------------------------------

def _in_report(programme_id: int):
    """The postulates the report shows: those filed at the programme's meetings (but drafts and withdrawn ones),
    as the meetings' summaries do, and those filed online whose positions are published (the public register's
    rule). Their query is joined to Meeting (outer)."""
    return db.or_(
        db.and_(Meeting.programme_id == programme_id, Postulate.state.not_in(("draft", "withdrawn"))),
        db.and_(Postulate.programme_id == programme_id, *IN_REPORT))


def statistics(programme_id: int) -> dict:
    """The postulates in the report (at meetings and online) per way of filing, per responsible unit, per
    category of their published positions and per kind of submitter; and how many postulates filed online are
    not in it yet (no published position). A figure added here reaches the statistics part's digest by itself:
    give it a key and a block in the template (consultation_report_front.html)."""
    postulates = db.session.execute(
        db.select(Postulate.id, Postulate.submitter_kind, Unit.name, Postulate.meeting_id.is_(None).label("online"))
        .outerjoin(Meeting, Meeting.id == Postulate.meeting_id)
        .outerjoin(Unit, Unit.id == Postulate.responsible_unit_id)
        .where(_in_report(programme_id))).all()
    positions = db.session.execute(
        db.select(Position.postulate_id, Position.category)
        .join(Postulate, Postulate.id == Position.postulate_id)
        .outerjoin(Meeting, Meeting.id == Postulate.meeting_id)
        .where(_in_report(programme_id), Position.status == "published")).all()
    online_waiting = db.session.scalar(
        db.select(db.func.count(Postulate.id)).where(
            Postulate.programme_id == programme_id, *ONLINE,
            Postulate.state.in_(("submitted", "assigned", "answered")))) or 0
    answered = {p.postulate_id for p in positions}
    units: dict[str, list[int]] = {}
    no_unit = str(NO_UNIT)
    for p in postulates:
        units.setdefault(p.name or no_unit, []).append(p.id)
    by_unit = [{"label": name, "postulates": len(ids), "answered": sum(1 for i in ids if i in answered)}
               for name, ids in sorted(units.items(), key=lambda kv: (kv[0] == no_unit, alphabetical(kv[0])))]
    categories = Counter(p.category for p in positions)
    kinds = Counter(p.submitter_kind for p in postulates)
    online = sum(1 for p in postulates if p.online)
    late = late_positions(programme_id)  # published positions recorded after their due date, per unit
    late["late_by_unit"].sort(key=lambda row: alphabetical(row["label"]))
    return {
        "postulates_total": len(postulates),
        "meeting_postulates": len(postulates) - online,
        "online_postulates": online,
        "online_not_in_report": online_waiting,
        "by_unit": by_unit,
        "by_category": [{"label": str(POSITION_CATEGORY_LABELS[c]), "count": categories[c]}
                        for c in POSITION_CATEGORIES if categories[c]],
        "without_position": sum(1 for p in postulates if p.id not in answered),
        "by_submitter": [{"label": str(SUBMITTER_LABELS[k]), "count": kinds[k]} for k in SUBMITTER_LABELS if kinds[k]],
        **late,
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


def _front_digest(part: str, data: dict) -> str:
    env = current_app.jinja_env
    return hashlib.sha256(_canonical({"part": part, "data": data, "language": current_locale(), "layout": [
        env.loader.get_source(env, name)[0] for name in (FRONT_TEMPLATE, "pdf/meeting_summary.css")]})).hexdigest()


def front_part_cached(programme_id: int, part: str, data: dict) -> bool:
    """Whether `_front_part` would find the part in the cache."""
    return bool(_front_files(programme_id, f"{part}-{_front_digest(part, data)}-*"))


def _front_part(programme_id: int, part: str, data: dict) -> FrontPart:
    """One part of the front matter ("contents" or "statistics"), from the cache when the same content was
    rendered before: after one position is published the statistics change, the contents rarely do."""
    digest = _front_digest(part, data)
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
    (a guess of ~15 lines a page, or what as many sections took last time in this process).
    `data["sections"]`: a line of the contents for each section, in the report's order (see `assemble`);
    `data["provisions_title"]`: the title of the part grouped by provision that follows them, when there is one."""
    stats = data["statistics"]
    statistics_part = _front_part(programme_id, "statistics", {"statistics": stats})
    contents_pages = _last_contents_pages(programme_id) or _contents_pages_seen.get(
        len(section_pages), 1 + max(1, -(-(len(section_pages) + 3) // 15)))
    for _attempt in range(5):
        page = contents_pages + statistics_part.pages + 1
        lines = []
        for entry, pages in zip(data["sections"], section_pages, strict=True):
            lines.append({**entry, "page": page})
            page += pages
        contents = _front_part(programme_id, "contents", {
            **{k: data[k] for k in ("title", "programme_title", "as_of")},
            **{k: stats[k] for k in ("postulates_total", "online_postulates")},
            "meetings": [line for line in lines if line["kind"] == "meeting"],
            "online": [line for line in lines if line["kind"] == "online"],
            # the part grouped by provision starts on the page after the last section
            "provisions": {"title": data["provisions_title"], "page": page} if data.get("provisions_title")
            else None,
            "statistics_page": contents_pages + 1})
        if contents.pages == contents_pages:
            _contents_pages_seen[len(section_pages)] = contents_pages
            return [contents, statistics_part]
        contents_pages = contents.pages
    raise RuntimeError("the front matter's page count does not settle")


_numbers_memo: dict[str, PageNumbers] = {}


def _page_numbers_key() -> str:
    """What the page numbers look like: the footer's layout and the words of the job's language."""
    env = current_app.jinja_env
    source = env.loader.get_source(env, FOOTER_TEMPLATE)[0]
    return hashlib.sha256(source.encode() + _canonical((*page_number_parts(), *"0123456789"))).hexdigest()


def _page_numbers() -> PageNumbers:
    """The pieces page numbers are drawn with (see worker.pdf_merge.PageNumbers): rendered once per layout of
    the footer and kept in this process."""
    env = current_app.jinja_env
    tokens = (*page_number_parts(), *"0123456789")  # "strona ", " z " in the job's language
    key = _page_numbers_key()
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
    from consult.consultation_report import inflight
    from consult.consultation_report.models import statistics_key

    clock = _Clock()
    since = utcnow()
    programme = db.session.get(Programme, programme_id)
    have = cached(sections)
    todo = [s for s in sections if (s.key, s.digest) not in have]
    # Parts another process is rendering right now (the background, on an edit a moment ago): waited for last,
    # once this process has rendered what nobody else renders.
    language = current_locale()
    stats_key = statistics_key(programme_id)
    busy = inflight.in_flight([s.key for s in todo] + [stats_key], language)
    outcomes: Counter[str] = Counter()

    def obtain(s: PlannedSection, in_flight: bool = False) -> None:
        row, how = obtain_section(job_id, s.key, s.digest)
        if row is not None:
            have[(s.key, s.digest)] = row
            # a section in flight when the compile looked counts as the other render's, whether it ended before
            # this process asked for it or while it waited
            outcomes["waited" if in_flight and how != "rendered" else how] += 1

    for s in todo:
        if s.key not in busy:
            obtain(s)
    clock.lap("sections")
    stats = statistics(programme_id)
    waiting = [s for s in todo if s.key in busy]
    if waiting or stats_key in busy:
        if stats_key not in busy:  # meanwhile: the front matter then finds them cached
            with inflight.held(stats_key, programme_id, language) as mine:
                if mine:  # else the background started them a moment ago: the front matter waits for them below
                    _front_part(programme_id, "statistics", {"statistics": stats})
                else:
                    busy.add(stats_key)
            clock.lap("statistics")
        for s in waiting:
            obtain(s, in_flight=True)
        also = ""
        if stats_key in busy:
            inflight.wait_for(stats_key, language)
            also = " and the statistics"
        clock.lap(f"waited for {len(waiting)} sections{also} in flight")
    rows = [have[(s.key, s.digest)] for s in sections if (s.key, s.digest) in have]
    lines = _contents_lines(rows)
    # After the sections, the part grouped by provision of the programme's text, when postulates concern one:
    # rendered before the front matter, whose contents give its page.
    from consult.consultation_report.provisions import TITLE as PROVISIONS_TITLE
    from consult.consultation_report.provisions import provisions_part

    provisions = provisions_part(programme_id, _in_report(programme_id))
    tail = [provisions] if provisions is not None else []
    data = {"title": str(TITLE), "programme_title": programme.title,
            "as_of": polish_date(to_warsaw(utcnow()).date()), "sections": lines, "statistics": stats,
            "provisions_title": str(PROVISIONS_TITLE) if provisions is not None else None}
    front = _render_front(programme_id, data, [r.pages for r in rows])
    clock.lap("front (rendered: " + (", ".join(f.key.rsplit("/", 1)[1].split("-")[0] for f in front if f.rendered)
                                       or "none") + ")")
    total = sum(f.pages for f in front) + sum(r.pages for r in rows) + sum(t.pages for t in tail)
    parts = [Part(storage.path_of(f.key)) for f in front] + [
        Part(storage.path_of(r.storage_key), line["bookmark"]) for r, line in zip(rows, lines, strict=True)] + [
        Part(storage.path_of(t.key), str(PROVISIONS_TITLE)) for t in tail]
    title = f"{TITLE} – {programme.title}"
    pdf, how = _merge(programme_id, parts, title)
    clock.lap(f"merge ({how})")
    digest = hashlib.sha256(_canonical({"sections": [[r.key, r.digest] for r in rows], "stats": stats,
                                        "programme": programme.title, "tail": [t.key for t in tail]})).hexdigest()
    # last: its commit expires `rows`
    _forget_stale(programme_id, {r.id for r in rows}, {f.key for f in front + tail}, since)
    log.info("report of programme %s (job %s): %d sections (%d rendered here, %d by another process's render in "
             "flight), %d pages; %s", programme_id, job_id, len(rows), outcomes["rendered"], outcomes["waited"],
             total, clock)
    return Built(pdf=pdf, pages=total, source_digest=digest)


# A merge onto the previous file swaps at most this share of its pages; more, and merging all parts is as quick.
REPLACE_AT_MOST = 0.5
# How worker.pdf_merge lays a merged file out: a change makes every previous file's description unusable.
MERGE_FORMAT = 1


def _merged_key(programme_id: int) -> str:
    """Where the description of the programme's last merged report (in the job's language) is kept: which parts it
    holds where (worker.pdf_merge.PlacedPart), and the sha256 of the file it describes."""
    return f"report-merged/{programme_id}/{current_locale()}.json"


def _previous_merge(programme_id: int, title: str):
    """(path, placed parts) of the programme's newest compiled report in this language, when its description was
    kept and it has the same title; else None."""
    from consult.consultation_report.operations import KIND
    from consult.documents.models import DocumentVersion
    from worker.pdf_merge import PlacedPart

    path = storage.path_of(_merged_key(programme_id))
    if not path.is_file():
        return None
    try:
        described = json.loads(path.read_text(encoding="utf-8"))
        version = db.session.scalar(
            db.select(DocumentVersion).where(DocumentVersion.kind == KIND, DocumentVersion.about("programme", programme_id),
                                             DocumentVersion.language == current_locale())
            .order_by(DocumentVersion.id.desc()).limit(1))
        if version is None or version.sha256 != described["sha256"] or described["title"] != title \
                or described["format"] != MERGE_FORMAT or described["numbers"] != _page_numbers_key():
            return None  # another file, another title, or page numbers drawn otherwise: merge all parts again
        previous = storage.path_of(version.storage_key)
        return (previous, [PlacedPart(**p) for p in described["parts"]]) if previous.is_file() else None
    except (ValueError, KeyError, TypeError):
        return None


def _merge(programme_id: int, parts: list[Part], title: str) -> tuple[bytes, str]:
    """The merged report: the previous compile's file with only the changed parts swapped in when their page
    counts did not change (worker.pdf_merge.replace_parts), else every part merged again. Returns the PDF and how
    it was made, for the log."""
    from worker.pdf_merge import CannotReplace, replace_parts

    numbers = _page_numbers()
    previous = _previous_merge(programme_id, title)
    pdf = placed = None
    how = "all parts"
    if previous is not None:
        path, old = previous
        if len(old) == len(parts) and all(p.bookmark == o.bookmark for p, o in zip(parts, old, strict=True)):
            changed = {i: p for i, (p, o) in enumerate(zip(parts, old, strict=True)) if str(p.pdf) != o.source}
            total = sum(o.pages for o in old)
            if sum(old[i].pages for i in changed) <= REPLACE_AT_MOST * total:
                try:
                    pdf, placed = replace_parts(path, old, changed, numbers) if changed else (path.read_bytes(), old)
                    how = f"{len(changed)} of {len(parts)} parts swapped in the previous file"
                except CannotReplace as exc:
                    log.info("report of programme %s: merging all parts again (%s)", programme_id, exc)
                except Exception:  # the previous file unreadable, say: the report is merged anew, not failed
                    log.exception("report of programme %s: swapping parts into the previous file failed",
                                  programme_id)
                    pdf = placed = None
    if pdf is None:
        placed = []
        pdf = merge_tagged(parts, title=title, lang=current_locale(), numbers=numbers, placed=placed)
    storage.write(_merged_key(programme_id), json.dumps(
        {"sha256": hashlib.sha256(pdf).hexdigest(), "title": title, "format": MERGE_FORMAT,
         "numbers": _page_numbers_key(), "parts": [asdict(p) for p in placed]},
        ensure_ascii=False).encode("utf-8"))
    return pdf, how


def _contents_lines(rows: list[ReportSection]) -> list[dict]:
    """What the contents say of each section, and its bookmark: a meeting's title, date and host unit; a unit's
    online postulates under the unit's name."""
    meetings = {m.id: m for m in db.session.scalars(
        db.select(Meeting).where(Meeting.id.in_([r.meeting_id for r in rows if r.meeting_id is not None]))
        .options(selectinload(Meeting.host_unit)))}
    units = dict(db.session.execute(db.select(Unit.id, Unit.name).where(
        Unit.id.in_([r.unit_id for r in rows if r.unit_id is not None]))).all())
    lines = []
    for r in rows:
        if r.meeting_id is not None:
            meeting = meetings[r.meeting_id]
            day = polish_date(meeting.date)
            lines.append({"kind": "meeting", "title": meeting.title, "date": day, "host_unit": meeting.host_unit.name,
                          "bookmark": f"{meeting.title} ({day})"})
        else:
            title = section_title(units[r.unit_id])
            lines.append({"kind": "online", "title": title, "unit": units[r.unit_id], "bookmark": title})
    return lines


def _forget_stale(programme_id: int, used: set[int], front_used: set[str], since) -> None:
    """Drop the cached sections and front matter parts of the programme that this report did not use (content
    since changed): only one compile of a programme runs at a time, so none of them is needed by another. What was
    cached after the assembly started (`since`) stays: the background rendered it for an edit made meanwhile, and
    the next compile needs it."""
    stale = db.session.scalars(db.select(ReportSection).where(ReportSection.programme_id == programme_id,
                                                              ReportSection.id.not_in(used),
                                                              ReportSection.created_at < since)).all()
    keys = [row.storage_key for row in stale]
    for row in stale:
        db.session.delete(row)
    db.session.commit()
    for key in keys:
        storage.remove(key)
    for part in _front_files(programme_id):
        if part.key not in front_used:
            try:
                if storage.path_of(part.key).stat().st_mtime >= since.timestamp():
                    continue
            except FileNotFoundError:
                continue
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
    return compile_report(job.subject_id, job.id, getattr(job, "report_plan", None))


def plan_to_json(sections: list[PlannedSection]) -> list:
    return [[s.key, s.digest, s.rows] for s in sections]


def plan_from_json(data: list) -> list[PlannedSection]:
    """The plan a chord's assembly received; a bare number is a meeting's id (a plan queued before online
    sections existed)."""
    return [PlannedSection(meeting_key(k) if isinstance(k, int) else str(k), str(d), int(r)) for k, d, r in data]
