"""The report on a programme (sprawozdanie z realizacji programu, art. 5a ust. 3) as a document kind: publishing it
compiles its PDF in every document language, kept as versions, so that what was published stays as it was published
while the page and the XLSX keep reading the calls live. Registered with the documents service when the app is made."""
from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l

from consult.documents.registry import Built, DocumentKind, register

PUBLISHED_BY = "automatycznie, z publikacją sprawozdania z realizacji programu"


def _compile(job) -> Built:
    """The PDF of the numbers as they are now, in the job's language (the runner sets it)."""
    from consult.extensions import db
    from consult.programme_report.document import report_html
    from consult.programme_report.queries import programme_numbers
    from consult.programmes.models import Programme
    from worker.pdf import render_pdf

    programme = db.session.get(Programme, job.subject_id)
    if programme is None:
        raise LookupError(f"no programme {job.subject_id}")
    html = report_html(programme_numbers(programme))
    rendered = render_pdf(html, base_url=current_app.root_path)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=hashlib.sha256(html.encode()).hexdigest())


def _published_or_coordinator(user, version) -> bool:
    from consult.core.access import has_role

    return version.published_at is not None or (user is not None and has_role(user, "coordinator"))


IMPLEMENTATION_SUMMARY = register(DocumentKind(
    name="implementation_summary", subject_type="programme", compile=_compile,
    folder="implementation-summaries", file_stem="sprawozdanie-z-realizacji-programu",
    compiled_action="compile_implementation_summary", may_see=_published_or_coordinator,
    published_on_compile=True, published_by_label=PUBLISHED_BY,
    title=_l("sprawozdanie z realizacji programu współpracy")))
