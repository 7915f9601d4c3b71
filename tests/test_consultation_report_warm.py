"""The consultation report kept warm: an edit that changes a section marks it, once per burst of edits, and the
background renders it again, so that the coordinator's next compile renders nothing.

Without REDIS_URL nothing runs in the background (the request is not slowed down): the test runs the sweep itself,
as the beat would. With it (CI's second pass) the session's Celery worker renders the section after the delay."""
from __future__ import annotations

import time

import pytest

from tests.summary_support import UNIT_DIALOGUE, import_data, large_meeting_data, page_texts, squeeze


def _programme_with_two_meetings():
    """Two meetings; in the second, postulates 1 and 2 have no position yet."""
    ids = []
    for i in (1, 2):
        data = large_meeting_data(4, date=f"2025-06-{10 + i}")
        data["meeting"]["title"] = f"Spotkanie branżowe nr {i}"
        if i == 2:
            data["postulates"][0]["positions"] = []
            data["postulates"][1]["positions"] = []
        ids.append(import_data(data))
    from consult.extensions import db
    from consult.meetings.models import Meeting

    return db.session.get(Meeting, ids[0]).programme_id, ids


def _publish(postulate, text: str) -> None:
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.extensions import db
    from consult.organisations.models import Unit
    from consult.postulates.operations import assign_postulate, publish_positions, save_position

    unit = db.session.scalar(db.select(Unit).where(Unit.name == UNIT_DIALOGUE))
    with transaction():
        assign_postulate(SYSTEM, postulate, unit)
        save_position(SYSTEM, postulate, category="accepted", text=text)
        publish_positions(SYSTEM, [postulate])


def _statistics_files(programme_id: int) -> list[str]:
    from tests.test_consultation_report import _front_files

    return [f for f in _front_files(programme_id) if f.startswith("statistics-")]


def _wait_for_background(app, key: str, programme_id: int, timeout: float = 60) -> None:
    """Until the section `key` is cached with its current content, and the statistics it changed are rendered
    beside the first compile's: the worker's task (with REDIS_URL) or the sweep run here (without it)."""
    from consult.consultation_report.document import _cached_row, content_of
    from consult.consultation_report.warm import warm_stale
    from consult.extensions import db

    if not app.config.get("REDIS_URL"):
        assert warm_stale() == 1  # one section rendered again for the whole burst
        return
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        if _cached_row(key, content_of(key).digest) is not None and len(_statistics_files(programme_id)) == 2:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the background did not render {key} within {timeout} s")
        time.sleep(0.2)


@pytest.mark.usefixtures("summary_worker")
def test_a_burst_of_published_positions_is_rendered_once_in_the_background_and_the_compile_renders_none(
        app, monkeypatch):
    from consult.consultation_report import warm
    from consult.consultation_report.models import ReportSection, StaleReportSection, meeting_key
    from consult.extensions import db
    from consult.postulates.models import Postulate
    from tests.test_consultation_report import _compile, _rendered_by

    monkeypatch.setitem(app.config, "REPORT_WARM_DELAY", 3.0)  # longer than the burst takes
    programme_id, meeting_ids = _programme_with_two_meetings()
    first, _data = _compile(programme_id)
    assert _rendered_by(first.id) == 2
    db.session.execute(db.delete(StaleReportSection))  # the import's marks: the compile has rendered them
    db.session.commit()

    scheduled = []
    original = warm.schedule
    monkeypatch.setattr(warm, "schedule", lambda keys, a: (scheduled.append(list(keys)), original(keys, a)))
    postulates = db.session.scalars(db.select(Postulate).where(Postulate.meeting_id == meeting_ids[1],
                                                               Postulate.number.in_((1, 2)))
                                    .order_by(Postulate.number)).all()
    _publish(postulates[0], "Pierwsze stanowisko opublikowane po kompilacji.")
    _publish(postulates[1], "Drugie stanowisko opublikowane zaraz potem.")
    key = meeting_key(meeting_ids[1])
    assert scheduled == [[key]]  # the second edit found the section marked: one render for the burst
    if not app.config.get("REDIS_URL"):  # in process nothing renders it until the sweep
        assert db.session.scalars(db.select(StaleReportSection.key)).all() == [key]

    _wait_for_background(app, key, programme_id)
    rendered_in_background = db.session.scalars(db.select(ReportSection).where(
        ReportSection.meeting_id == meeting_ids[1], ReportSection.rendered_by_job_id.is_(None))).all()
    assert len(rendered_in_background) == 1

    from tests.test_consultation_report import _front_files, _part

    # The background rendered the statistics the compile shows too (beside the first compile's, still cached).
    statistics_ready = _statistics_files(programme_id)
    assert len(statistics_ready) == 2
    second, data = _compile(programme_id)
    assert _rendered_by(second.id) == 0
    assert _part(_front_files(programme_id), "statistics") in statistics_ready
    text = squeeze(" ".join(page_texts(data)))
    assert squeeze("Pierwsze stanowisko opublikowane po kompilacji.") in text
    assert squeeze("Drugie stanowisko opublikowane zaraz potem.") in text


def test_a_programme_never_compiled_is_not_rendered_in_the_background(app):
    from consult.consultation_report.models import ReportSection, StaleReportSection
    from consult.consultation_report.warm import warm_stale
    from consult.extensions import db

    _programme_with_two_meetings()
    assert len(db.session.scalars(db.select(StaleReportSection)).all()) == 2  # the import marked both meetings
    assert warm_stale() == 0  # nobody compiles this programme's report: no work for the worker
    assert db.session.scalar(db.select(db.func.count(ReportSection.id))) == 0
    assert db.session.scalar(db.select(db.func.count(StaleReportSection.key))) == 0
