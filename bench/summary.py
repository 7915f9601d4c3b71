"""Benchmark of the meeting summary PDF: time and peak memory, in one run.

    python bench/summary.py [--rows 500]

Cases, each in a fresh process (spawned) so that its peak memory is its own:
  compile   what a worker does for a job: read the meeting, build the HTML, render the tagged PDF/UA-1
            with the table laid out fixed and the process's FontConfiguration made beforehand (as a
            worker does when it starts)
  naive     the same HTML rendered in one plain call, HTML(string=...).write_pdf(), with nothing reused
  naive+auto  the same, with the table's automatic layout (what the HTML would cost without fixed widths)
for the fixture meeting (14 postulates) and a synthetic meeting of --rows postulates whose texts are as
long as the fixture's (its rows repeated). Peak memory is the process's peak resident set size (includes
~the interpreter, Flask and WeasyPrint themselves: see "base", measured before the case starts).
"""
from __future__ import annotations

import argparse
import copy
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "consult" / "demo" / "meeting-2025-06-17-wddkko.json"
AUTO_LAYOUT = "table.postulates { table-layout: auto !important; } col { width: auto !important; }"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(workdir: str):
    os.environ["CONSULT_INSTANCE"] = str(Path(workdir) / "instance")
    from consult import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench.db",
                       "CONSULT_STORAGE": f"{workdir}/storage"})


def _case(kind: str, workdir: str, meeting_id: int, html_path: str, queue) -> None:
    """Runs in a spawned process; puts (seconds, base MB, peak MB, pages, bytes) on the queue."""
    if kind == "compile":
        from flask_babel import force_locale

        from consult.summaries.document import compile_summary
        from worker.pdf import font_config

        app = _app(workdir)
        font_config()
        with app.app_context(), force_locale("pl"):
            base = _rss_mb()
            start = time.perf_counter()
            built = compile_summary(meeting_id, preview=False)
            seconds = time.perf_counter() - start
        queue.put((seconds, base, _peak_mb(), built.pages, len(built.pdf)))
        return
    from weasyprint import CSS, HTML

    html = Path(html_path).read_text(encoding="utf-8")
    base = _rss_mb()
    start = time.perf_counter()
    if kind == "naive":
        document = HTML(string=html).render()
    else:
        document = HTML(string=html).render(stylesheets=[CSS(string=AUTO_LAYOUT)])
    pdf = document.write_pdf()
    seconds = time.perf_counter() - start
    queue.put((seconds, base, _peak_mb(), len(document.pages), len(pdf)))


def _run(kind: str, workdir: str, meeting_id: int, html_path: str):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_case, args=(kind, workdir, meeting_id, html_path, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def _prepare(workdir: str, rows: int) -> list[tuple[str, int, str]]:
    """Import the fixture and the synthetic meeting through the operations; write their HTML."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.meetings.interchange import import_meeting, parse
    from consult.summaries.document import build_summary, summary_html

    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    synthetic = copy.deepcopy(fixture)
    synthetic["meeting"]["date"] = "2025-06-18"
    synthetic["postulates"] = []
    for i in range(rows):
        item = copy.deepcopy(fixture["postulates"][i % len(fixture["postulates"])])
        item["number"] = i + 1
        synthetic["postulates"].append(item)
    app = _app(workdir)
    out = []
    with app.app_context():
        db.create_all()
        for label, data in ((f"fixture ({len(fixture['postulates'])} postulates)", fixture),
                            (f"synthetic ({rows} postulates)", synthetic)):
            with transaction():
                meeting_id = import_meeting(SYSTEM, parse(json.dumps(data, ensure_ascii=False))).id
            html_path = f"{workdir}/meeting-{meeting_id}.html"
            Path(html_path).write_text(summary_html(build_summary(meeting_id, preview=False)), encoding="utf-8")
            out.append((label, meeting_id, html_path))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=500, help="postulates in the synthetic meeting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as workdir:
        meetings = _prepare(workdir, args.rows)
        print(f"{'meeting':<28} {'case':<11} {'seconds':>8} {'ms/row':>7} {'base MB':>8} {'peak MB':>8} "
              f"{'pages':>6} {'PDF kB':>7}")
        for label, meeting_id, html_path in meetings:
            rows = int(label.split("(")[1].split()[0])
            for kind in ("compile", "naive", "naive+auto"):
                seconds, base, peak, pages, size = _run(kind, workdir, meeting_id, html_path)
                print(f"{label:<28} {kind:<11} {seconds:8.2f} {1000 * seconds / rows:7.1f} {base:8.0f} {peak:8.0f} "
                      f"{pages:6d} {size / 1024:7.0f}", flush=True)
    print("compile: tagged PDF/UA-1, fixed table layout, FontConfiguration made before the timing (once per "
          "worker process);\nnaive: one plain HTML(string).write_pdf() on the same HTML, untagged, nothing reused; "
          "naive+auto: naive with the automatic table layout.")


if __name__ == "__main__":
    main()
