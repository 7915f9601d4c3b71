"""Micro-benchmark of one section of the consolidated consultation report: CPU seconds a section, in process.

    python bench/section_render.py [--sections 3] [--rows 15] [--rounds 3] [--variant NAME ...] [--profile NAME]
                                   [--keep]

A meeting of --rows postulates (the fixture's rows repeated, as bench/report.py builds them: ~15 rows is the
report's average section) is imported into a SQLite database in a temporary folder; then, for each variant, the
section is rendered --sections times through the real path (consult.consultation_report.document.render_section:
the summary read, the template, the tagged PDF/UA-1 render, the spans folded, the file stored), its cache row
dropped between renders. What is timed is time.process_time() around render_section (this process's CPU, so a
busy machine disturbs it less than wall time). The variants run interleaved, round after round, and each prints
the median over --rounds rounds of its CPU seconds a section, its ratio to the first variant (the baseline of the
same run: the machine is shared, only the ratios of one run mean anything) and its page count. Takes ~1 minute
with the defaults; nothing outside the temporary folder is touched (no PostgreSQL, no Redis, no worker).

A variant is the templates as they are ("current") or with some text of them replaced (a stylesheet rule, the
position cell as it was), and/or the fonts subset by fontTools (WeasyPrint's fallback) even where HarfBuzz-Subset
is there: see VARIANTS; "before" is what a worker did until 2026-12-04 here. --variant picks some (the first is
the baseline). --profile NAME runs cProfile over one variant's renders and prints the top of the cumulative and
self-time tables instead. --keep keeps the folder with one PDF per variant (<folder>/<variant>.pdf) to compare:
    pdftoppm -png -r 60 -f 1 -l 1 <folder>/<variant>.pdf /tmp/x   (or pdftotext -layout, cmp of the PNGs)

The last line before the table says which library subsets the fonts where a variant does not force fontTools.
On a machine without libharfbuzz-subset0 installed, the HarfBuzz figures can still be had without installing it
system-wide (this is how the 2026-12-04 figures were measured):
    apt-get download libharfbuzz-subset0 && dpkg -x libharfbuzz-subset0_*.deb /tmp/hb
    LD_LIBRARY_PATH=/tmp/hb/usr/lib/x86_64-linux-gnu python bench/section_render.py
"""
from __future__ import annotations

import argparse
import cProfile
import copy
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "consult" / "demo" / "meeting-2025-06-17-wddkko.json"

CSS = "pdf/meeting_summary.css"
BODY = "pdf/_meeting_summary_body.html"
SECTION = "pdf/consultation_report_section.html"

# The position cell as templates/pdf/_meeting_summary_body.html has it, and two others to compare with.
POSITION_CELL = """      {#- A lone position straight in its cell, several (or one with a prefix or a draft mark) one pre-line div each:
          every inline wrapper around a long text costs WeasyPrint a box split per line (bench/section_render.py). #}
      {%- if row.positions|length == 1 and not row.positions[0].prefix and not row.positions[0].draft %}
      <td class="text">{{ row.positions[0].text }}</td>
      {%- else %}
      <td>
        {%- for pos in row.positions %}
        <div class="position text">{% if pos.draft %}<span class="draft-mark">{{ _("[projekt stanowiska]") }}</span> {% endif %}{% if pos.prefix %}<span class="position-prefix">{{ pos.prefix }}</span>{% endif %}{{ pos.text }}</div>
        {%- else %}
        {{ _("Stanowisko nie zostało jeszcze opublikowane.") }}
        {%- endfor %}
      </td>
      {%- endif %}"""
# As it was before 2026-12-04: a div a position, the text in a span of its own, the template's whitespace in it.
POSITION_WRAPPED = """      <td>
        {% for pos in row.positions %}
        <div class="position">
          {% if pos.draft %}<span class="draft-mark">{{ _("[projekt stanowiska]") }}</span> {% endif %}
          {% if pos.prefix %}<span class="position-prefix">{{ pos.prefix }}</span>{% endif %}
          <span class="text">{{ pos.text }}</span>
        </div>
        {% else %}
        <span>{{ _("Stanowisko nie zostało jeszcze opublikowane.") }}</span>
        {% endfor %}
      </td>"""
# A div a position even when it is alone in the cell.
POSITION_ONE_DIV = """      <td>
        {%- for pos in row.positions %}
        <div class="position text">{% if pos.draft %}<span class="draft-mark">{{ _("[projekt stanowiska]") }}</span> {% endif %}{% if pos.prefix %}<span class="position-prefix">{{ pos.prefix }}</span>{% endif %}{{ pos.text }}</div>
        {%- else %}
        {{ _("Stanowisko nie zostało jeszcze opublikowane.") }}
        {%- endfor %}
      </td>"""

# name -> {template: [(old, new), ...]}: each old text must occur in the template as it is. The key SUBSET
# ("fonttools") makes WeasyPrint subset the fonts with fontTools even where HarfBuzz-Subset is there.
SUBSET = "subset:"
VARIANTS: dict[str, dict] = {
    # What a worker did until 2026-12-04 on a machine without HarfBuzz-Subset (libharfbuzz-subset0).
    "before": {SUBSET: "fonttools", BODY: [(POSITION_CELL, POSITION_WRAPPED)]},
    "fonttools-subset": {SUBSET: "fonttools"},
    "position-wrapped": {BODY: [(POSITION_CELL, POSITION_WRAPPED)]},
    "current": {},
    "position-one-div": {BODY: [(POSITION_CELL, POSITION_ONE_DIV)]},
    # User text with its spaces kept (no collapsing): WeasyPrint then skips its second Pango layout of each wrapped
    # line (the try to fit the next word on it, made only where spaces collapse).
    "pre-wrap": {CSS: [(".text { white-space: pre-line; }", ".text { white-space: pre-wrap; }")]},
    # The table's selectors by class alone (the cascade matches fewer compound selectors).
    "simple-selectors": {CSS: [("table.postulates th, table.postulates td {", "th, td {"),
                               ("table.postulates thead th {", "thead th {"),
                               ("table.postulates thead {", "thead {"),
                               ("table.postulates tr {", "tr {")]},
    # Rows allowed to break across pages (rejected on 2026-12-02 for readability; here for its cost only).
    "rows-break": {CSS: [("table.postulates tr { break-inside: avoid; }", "")]},
    # No repeated header row on each page (its cost only: a header on each page is kept for readers).
    "no-thead-repeat": {CSS: [("table.postulates thead { display: table-header-group; }",
                               "table.postulates thead { display: table-row-group; }")]},
}


def _app(workdir: str):
    os.environ["CONSULT_INSTANCE"] = f"{workdir}/instance"
    from consult import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench.db",
                       "CONSULT_STORAGE": f"{workdir}/storage"})


def _seed(rows: int) -> int:
    """The fixture meeting with its rows repeated to `rows` (as bench/report.py does), every position published."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.meetings.interchange import import_meeting, parse

    db.create_all()
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    base = data["postulates"]
    data["postulates"] = [dict(copy.deepcopy(base[i % len(base)]), number=i + 1) for i in range(rows)]
    with transaction():
        return import_meeting(SYSTEM, parse(json.dumps(data, ensure_ascii=False))).id


def _use(variant: str) -> None:
    """The app's templates with the variant's replacements (a DictLoader in front of the app's own loader)."""
    from flask import current_app
    from jinja2 import ChoiceLoader, DictLoader

    env = current_app.jinja_env
    base = getattr(env, "_bench_base_loader", None) or env.loader
    env._bench_base_loader = base
    from weasyprint.pdf import fonts
    from weasyprint.text import ffi

    fonts.harfbuzz_subset = None if VARIANTS[variant].get(SUBSET) == "fonttools" else ffi.harfbuzz_subset
    overrides = {}
    for name, edits in VARIANTS[variant].items():
        if name == SUBSET:
            continue
        text = base.get_source(env, name)[0]
        for old, new in edits:
            if old not in text:
                raise SystemExit(f"variant {variant}: {old!r} not in {name}")
            text = text.replace(old, new)
        overrides[name] = text
    env.loader = ChoiceLoader([DictLoader(overrides), base]) if overrides else base
    env.cache.clear() if env.cache is not None else None


def _render(key: str, n: int):
    """n renders of the section through render_section; (CPU seconds, the last row)."""
    from consult.consultation_report.document import content_of, render_section
    from consult.consultation_report.models import ReportSection
    from consult.extensions import db

    cpu, row = 0.0, None
    for _ in range(n):
        db.session.execute(db.delete(ReportSection))
        db.session.commit()
        content = content_of(key)
        start = time.process_time()
        row = render_section(None, key, content.digest)
        cpu += time.process_time() - start
    return cpu, row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", type=int, default=3, help="renders per variant per round")
    parser.add_argument("--rows", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variant", action="append", help="only these (the first is the baseline)")
    parser.add_argument("--profile", help="profile this variant instead of timing")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    names = args.variant or list(VARIANTS)
    workdir = tempfile.mkdtemp(prefix="consult-bench-section-")
    app = _app(workdir)
    try:
        with app.app_context():
            from flask_babel import force_locale

            from consult.consultation_report.models import meeting_key
            from consult.documents import storage
            from worker.pdf import font_config, font_subsetter

            meeting_id = _seed(args.rows)
            key = meeting_key(meeting_id)
            font_config()
            with force_locale("pl"):
                for name in names:  # a warm-up render each: the templates compiled, the fonts loaded
                    _use(name)
                    _cpu, row = _render(key, 1)
                    Path(f"{workdir}/{name}.pdf").write_bytes(storage.path_of(row.storage_key).read_bytes())
                if args.profile:
                    _use(args.profile)
                    profiler = cProfile.Profile()
                    profiler.enable()
                    _render(key, args.sections)
                    profiler.disable()
                    stats = pstats.Stats(profiler)
                    stats.sort_stats("cumulative").print_stats(45)
                    stats.sort_stats("tottime").print_stats(30)
                    return
                times: dict[str, list[float]] = {name: [] for name in names}
                pages: dict[str, int] = {}
                for r in range(args.rounds):
                    for name in names:
                        _use(name)
                        cpu, row = _render(key, args.sections)
                        times[name].append(cpu / args.sections)
                        pages[name] = row.pages
                    print(f"round {r + 1}: " + "  ".join(f"{n} {times[n][-1]:.3f}" for n in names), flush=True)
            base = statistics.median(times[names[0]])
            print(f"{args.rows} rows, {args.sections} sections a round, median of {args.rounds} rounds, "
                  f"load average {os.getloadavg()[0]:.1f}, fonts subset by {font_subsetter()} where not told")
            for name in names:
                m = statistics.median(times[name])
                print(f"  {name:28s} {m:6.3f} CPU s a section  x{m / base:5.3f}  {pages[name]} pages")
            if args.keep:
                print(f"PDFs in {workdir}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
