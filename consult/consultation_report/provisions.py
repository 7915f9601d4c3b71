"""The report's part "what changed, and why", grouped by provision of the programme's text: each provision that
postulates in the report concern (or that a position says it changed) → each postulate → its published positions
→ the change made in the provision between the first published version of the text and the newest, word by word
(consult.programme_text). Rendered as one tagged PDF part after the sections, kept in the front matter's cache
(report-front/<programme>/provisions-<digest>-<pages>.pdf) so that a compile with the same content reuses it.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict

from flask import current_app
from flask_babel import lazy_gettext as _l

from consult.documents import storage
from consult.extensions import db
from consult.i18n import current_locale
from consult.postulates.models import Postulate

TEMPLATE = "pdf/consultation_report_provisions.html"
TITLE = _l("Przepisy programu: postulaty, stanowiska i wprowadzone zmiany")


def public_condition(programme_id: int):
    """The postulates the public page shows: the programme's published ones."""
    return db.and_(Postulate.programme_id == programme_id, Postulate.state == "published")


def provisions_part(programme_id: int, in_report):
    """The rendered part (consult.consultation_report.document.FrontPart), or None when no postulate in the report
    concerns a provision."""
    from consult.consultation_report.document import FrontPart, _canonical, _front_files
    from consult.programme_text.queries import report_by_provision
    from worker.pdf import render_pdf
    from worker.pdf_tags import fold_spans_of

    rows = [asdict(r) for r in report_by_provision(programme_id, in_report)]
    if not rows:
        return None
    env = current_app.jinja_env
    digest = hashlib.sha256(_canonical({"part": "provisions", "rows": rows, "language": current_locale(), "layout": [
        env.loader.get_source(env, name)[0] for name in (TEMPLATE, "pdf/meeting_summary.css")]})).hexdigest()
    found = _front_files(programme_id, f"provisions-{digest}-*")
    if found:
        return found[0]
    html = env.get_template(TEMPLATE).render(rows=rows, title=str(TITLE))
    rendered = render_pdf(html, base_url=current_app.root_path)
    key = f"report-front/{programme_id}/provisions-{digest}-{rendered.pages}.pdf"
    storage.write(key, fold_spans_of(rendered.pdf))
    return FrontPart(key, rendered.pages, rendered=True)
