"""The consultation report after one edit: the edited section is rendered at once in the background (a burst of edits
renders it twice at most: at once, and once after REPORT_WARM_DEBOUNCE), and a compile that needs a section another
process is rendering right now waits for that render instead of rendering its own copy (report_section_renders,
consult.consultation_report.inflight); a claim left by a render that died does not hold a compile up.

Runs in process without REDIS_URL (the compile in the test's process, the other render in a thread of it); with it
(CI's second pass) the compiles run on the session's Celery worker, which sees the test process's claims. The
scheduling of the background is checked against a Redis server of the test's own, its tasks recorded instead of sent.
"""
from __future__ import annotations

import logging
import subprocess
import threading
import time
from datetime import timedelta

import pytest

from tests.service_support import own_redis  # noqa: F401  (the fixture)
from tests.summary_support import import_data, large_meeting_data, page_texts, squeeze
from tests.test_consultation_report import _compile, _rendered_by
from tests.test_consultation_report_warm import _publish

WAITED_LINE = "0 rendered here, 1 by another process's render in flight"


def _programme(without_position: dict[int, tuple[int, ...]]):
    """Two meetings of four postulates; in meeting i (1 or 2) the postulates `without_position[i]` have none yet."""
    ids = []
    for i in (1, 2):
        data = large_meeting_data(4, date=f"2025-06-{10 + i}")
        data["meeting"]["title"] = f"Spotkanie branżowe nr {i}"
        for number in without_position.get(i, ()):
            data["postulates"][number - 1]["positions"] = []
        ids.append(import_data(data))
    from consult.extensions import db
    from consult.meetings.models import Meeting

    return db.session.get(Meeting, ids[0]).programme_id, ids


def _postulate(meeting_id: int, number: int):
    from consult.extensions import db
    from consult.postulates.models import Postulate

    return db.session.scalar(db.select(Postulate).where(Postulate.meeting_id == meeting_id,
                                                        Postulate.number == number))


def _compiled_and_unmarked(programme_id: int) -> None:
    """The first compile (every section rendered), and the marks the import left dropped: the compile rendered
    what they name."""
    from consult.consultation_report.models import StaleReportSection
    from consult.extensions import db

    first, _data = _compile(programme_id)
    assert _rendered_by(first.id) == 2
    db.session.execute(db.delete(StaleReportSection))
    db.session.commit()


def _background_rows(meeting_id: int) -> int:
    from consult.consultation_report.models import ReportSection
    from consult.extensions import db

    db.session.rollback()
    return db.session.scalar(db.select(db.func.count(ReportSection.id)).where(
        ReportSection.meeting_id == meeting_id, ReportSection.rendered_by_job_id.is_(None)))


def _claims() -> list[tuple[str, str]]:
    from consult.consultation_report.models import SectionRender
    from consult.extensions import db

    db.session.rollback()
    return [tuple(r) for r in db.session.execute(db.select(SectionRender.key, SectionRender.worker))]


class _Recorder:
    """Stands for the Celery client: what would have been sent, with its countdown."""

    def __init__(self):
        self.sent: list[tuple[str, list, float | None]] = []

    def send_task(self, name, args=None, countdown=None, **_kwargs):
        self.sent.append((name, list(args or ()), countdown))

    def warm(self) -> list[tuple[str, float]]:
        from consult.consultation_report.warm import TASK_NAME

        return [(args[0], countdown) for name, args, countdown in self.sent if name == TASK_NAME]


def test_a_burst_of_edits_renders_its_section_at_once_and_then_once_after_the_debounce(app, monkeypatch,
                                                                                       own_redis):  # noqa: F811
    from consult.consultation_report import warm
    from consult.consultation_report.models import meeting_key

    programme_id, (_first, second) = _programme({2: (1, 2, 3, 4)})
    _compiled_and_unmarked(programme_id)
    key = meeting_key(second)

    # From here the web process sends its tasks to a Redis of the test's own, recorded instead of sent: each is run
    # below as the worker would run it, when its countdown says.
    recorder = _Recorder()
    monkeypatch.setattr("worker.celery_app.client_for", lambda url: recorder)
    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)
    monkeypatch.setitem(app.config, "REPORT_WARM_DELAY", 0.0)
    monkeypatch.setitem(app.config, "REPORT_WARM_DEBOUNCE", 5.0)

    started = time.monotonic()
    _publish(_postulate(second, 1), "Pierwsze stanowisko serii.")
    assert recorder.warm() == [(key, 0.0)]  # the first edit of the burst: at once, not after the debounce
    assert warm.warm_section(key) is True
    assert _background_rows(second) == 1

    _publish(_postulate(second, 2), "Drugie stanowisko serii.")
    _publish(_postulate(second, 3), "Trzecie stanowisko serii.")
    later = recorder.warm()[1:]
    elapsed = time.monotonic() - started
    assert len(later) == 1, later  # the third edit found the section marked: nothing more sent
    assert later[0][0] == key
    assert 5.0 - elapsed - 0.5 <= later[0][1] <= 5.0  # the trailing render: when the debounce window ends
    assert warm.warm_section(key) is True  # the trailing task renders the second and third edits together
    assert warm.warm_section(key) is False  # and there is no third task: the mark is gone
    assert _background_rows(second) == 2  # the burst of three edits: two renders

    # An edit after that window's render waits for the next window, still one task for it.
    _publish(_postulate(second, 4), "Czwarte stanowisko, po serii.")
    assert len(recorder.warm()) == 3 and recorder.warm()[2][1] > 0

    monkeypatch.setitem(app.config, "REDIS_URL", None)  # the compile in process, not sent to the recorder
    assert warm.warm_section(key) is True
    second_job, data = _compile(programme_id)
    assert _rendered_by(second_job.id) == 0
    text = squeeze(" ".join(page_texts(data)))
    for words in ("Pierwsze stanowisko serii.", "Trzecie stanowisko serii.", "Czwarte stanowisko, po serii."):
        assert squeeze(words) in text


def test_with_a_worker_the_first_edit_is_rendered_without_waiting_the_debounce(app, monkeypatch):
    """End to end (CI's second pass): the session's worker renders the first edit's section at once."""
    if not app.config.get("REDIS_URL"):
        pytest.skip("the background renders only with REDIS_URL (a Celery worker)")
    from consult.consultation_report.document import _cached_row, content_of
    from consult.consultation_report.models import meeting_key
    from consult.consultation_report.warm import SLOT_PREFIX
    from consult.extensions import db

    programme_id, (_first, second) = _programme({2: (1,)})
    _compiled_and_unmarked(programme_id)
    key = meeting_key(second)
    import redis

    slots = redis.Redis.from_url(app.config["REDIS_URL"])
    slots.delete(SLOT_PREFIX + key)  # no window of an earlier session (whose meeting had the same id)
    monkeypatch.setitem(app.config, "REPORT_WARM_DELAY", 0.0)
    monkeypatch.setitem(app.config, "REPORT_WARM_DEBOUNCE", 30.0)  # sent with the task: the worker's render opens it
    started = time.monotonic()
    _publish(_postulate(second, 1), "Stanowisko opublikowane po kompilacji.")
    while True:
        db.session.rollback()
        if _cached_row(key, content_of(key).digest) is not None:
            break
        assert time.monotonic() - started < 25, "the first edit was not rendered at once"
        time.sleep(0.1)
    assert _background_rows(second) == 1
    while _claims():  # the statistics, rendered after the section; their claim goes with their render
        assert time.monotonic() - started < 60, _claims()
        time.sleep(0.1)
    window = float(slots.get(SLOT_PREFIX + key)) - time.time()
    assert 0 < window <= 30.0  # the render opened the edit's debounce window: a next edit waits for its end
    slots.delete(SLOT_PREFIX + key)  # none left for a later session's meeting of the same id


def _render_elsewhere(app, key: str, programme_id: int, delay: float, done: list) -> threading.Thread:
    """Another process rendering the section `key`, whose claim the test holds: `delay` seconds after the
    programme's compile is running (its job claimed; waited for at most 30 s) it caches the section and deletes the
    claim, so that a worker slow to pick the job up under load does not find the section rendered already."""
    def run():
        from flask_babel import force_locale

        from consult.consultation_report import document, inflight
        from consult.consultation_report.operations import KIND
        from consult.documents.models import DocumentJob
        from consult.extensions import db

        with app.app_context(), force_locale("pl"):
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    db.session.rollback()  # see the compile's commits
                    if db.session.scalar(db.select(DocumentJob.id).where(
                            DocumentJob.kind == KIND, DocumentJob.about("programme", programme_id),
                            DocumentJob.state == "running").limit(1)) is not None:
                        break
                    time.sleep(0.05)
                time.sleep(delay)
                content = document.content_of(key)
                done.append(document._render(None, key, content).id)
                inflight.release(key, "pl")
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _compile_log(summary_worker, caplog) -> str:
    return summary_worker.whole_log() if summary_worker is not None else caplog.text


def test_a_compile_started_while_its_section_is_rendered_elsewhere_waits_for_it_and_renders_none(
        app, summary_worker, caplog):
    from consult.consultation_report import inflight
    from consult.consultation_report.models import ReportSection, meeting_key
    from consult.extensions import db

    caplog.set_level(logging.INFO, logger="consult.consultation_report.document")
    programme_id, (_first, second) = _programme({2: (1,)})
    _compiled_and_unmarked(programme_id)
    _publish(_postulate(second, 1), "Stanowisko renderowane w innym procesie.")
    key = meeting_key(second)
    assert inflight.claim(key, programme_id, "pl")  # another process started rendering the section
    done: list[int] = []
    thread = _render_elsewhere(app, key, programme_id, 1.5, done)

    job, data = _compile(programme_id)
    thread.join(timeout=30)
    assert done, "the other render did not finish"
    assert _rendered_by(job.id) == 0  # the compile rendered nothing itself: it waited for the other render
    row = db.session.get(ReportSection, done[0])
    assert row.rendered_by_job_id is None and row.meeting_id == second
    logged = _compile_log(summary_worker, caplog)
    assert WAITED_LINE in logged
    assert f"report section {key}: waited" in logged  # it waited (the other render took 1.5 s), it did not find
    assert squeeze("Stanowisko renderowane w innym procesie.") in squeeze(" ".join(page_texts(data)))
    assert _claims() == []


def test_a_claim_left_by_a_render_that_died_does_not_hold_a_compile_up(app, summary_worker, caplog):
    """One claim older than REPORT_RENDER_WAIT (60 s by default, the worker's too), one of a process gone from this
    host: the compile renders both sections itself, at once."""
    from consult.consultation_report import inflight
    from consult.consultation_report.models import SectionRender, meeting_key
    from consult.core.types import utcnow
    from consult.extensions import db

    programme_id, (first, second) = _programme({1: (1,), 2: (1,)})
    _compiled_and_unmarked(programme_id)
    _publish(_postulate(first, 1), "Stanowisko w pierwszym spotkaniu.")
    _publish(_postulate(second, 1), "Stanowisko w drugim spotkaniu.")
    gone = subprocess.Popen(["true"])
    gone.wait()
    db.session.add_all([
        SectionRender(key=meeting_key(first), language="pl", programme_id=programme_id,
                      started_at=utcnow() - timedelta(hours=1), worker=inflight.me()),
        SectionRender(key=meeting_key(second), language="pl", programme_id=programme_id, started_at=utcnow(),
                      worker=f"{inflight.me().rpartition(':')[0]}:{gone.pid}")])
    db.session.commit()

    started = time.monotonic()
    job, data = _compile(programme_id)
    assert time.monotonic() - started < 40  # not the 60 s a live claim could make it wait
    assert _rendered_by(job.id) == 2
    text = squeeze(" ".join(page_texts(data)))
    assert squeeze("Stanowisko w pierwszym spotkaniu.") in text and squeeze("Stanowisko w drugim spotkaniu.") in text
    assert _claims() == []  # the stale claims were taken over, and deleted when the renders ended


def test_a_render_in_the_background_holds_its_claim_while_it_renders(app, monkeypatch):
    """The claim is there for exactly the time of the render: written before it, gone after it."""
    from consult.consultation_report import document
    from consult.consultation_report.models import meeting_key
    from consult.consultation_report.warm import warm_section

    programme_id, (_first, second) = _programme({2: (1,)})
    _compiled_and_unmarked(programme_id)
    monkeypatch.setitem(app.config, "REDIS_URL", None)  # nothing sent: the task is run here
    _publish(_postulate(second, 1), "Stanowisko w tle.")
    seen = []
    original = document.render_pdf
    monkeypatch.setattr(document, "render_pdf", lambda *a, **kw: (seen.append(_claims()), original(*a, **kw))[1])
    assert warm_section(meeting_key(second)) is True
    from consult.consultation_report.inflight import me

    assert seen[0] == [(meeting_key(second), me())]  # the section's claim while its render ran
    assert (f"statistics:{programme_id}", me()) in seen[1]  # then the statistics', rendered on the edit too
    assert _claims() == []
