"""The report on carrying out the programme (sprawozdanie z realizacji) as a document kind, registered with the
documents service when the app is made."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.documents.registry import DocumentKind, register


def _compile(job):
    from consult.implementation.document import compile_report_for_job

    return compile_report_for_job(job)


IMPLEMENTATION_REPORT = register(DocumentKind(
    name="implementation_report", subject_type="implementation_report",
    compile=_compile, folder="implementation-reports", file_stem="sprawozdanie-z-realizacji",
    compiled_action="compile_report", title=_l("sprawozdanie z realizacji programu współpracy")))
