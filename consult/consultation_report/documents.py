"""The programme's consolidated consultation report as a document kind, registered with the documents service
when the app is made. A Celery worker hands its missing sections to other tasks (worker.tasks.fan_out_report)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.consultation_report import warm  # noqa: F401  (marks the sections an edit makes stale)
from consult.documents.registry import DocumentKind, register


def _compile(job):
    from consult.consultation_report.document import compile_report_for_job

    return compile_report_for_job(job)


def _fan_out(job) -> bool:
    from worker.tasks import fan_out_report

    return fan_out_report(job)


PROGRAMME_REPORT = register(DocumentKind(
    name="programme_report", subject_type="programme", compile=_compile,
    folder="programme-reports", file_stem="raport-z-konsultacji", compiled_action="compile_programme_report",
    fan_out=_fan_out, title=_l("raport z konsultacji programu współpracy")))
