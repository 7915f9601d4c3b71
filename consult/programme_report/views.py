"""The report on a programme: its page, XLSX and PDF (pl/en/uk), for coordinators, and for anyone once a coordinator
has published it (before that they are not found); and the publication."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from consult.core.access import acting_user, has_role, public, roles
from consult.core.errors import Forbidden, Refused
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.documents import storage
from consult.documents.models import DOCUMENT_LANGUAGES
from consult.extensions import db
from consult.implementation.forms import ActionForm
from consult.programme_report.document import COLUMNS, area_label, report_pdf, report_xlsx, title
from consult.programme_report.operations import publish_programme_report, published_pdf
from consult.programme_report.queries import programme_numbers, published_at
from consult.programmes.models import Programme

bp = Blueprint("programme_report", __name__)


@bp.app_template_global("programme_report_published")
def programme_report_published(programme_id: int) -> bool:
    return published_at(programme_id) is not None


def _visible_programme(programme_id: int) -> Programme:
    """The programme whose report the current user may read: coordinators always, others once published."""
    programme = db.get_or_404(Programme, programme_id)
    if published_at(programme.id) is None and not has_role(acting_user(), "coordinator"):
        abort(404)
    return programme


def _filename(programme: Programme, ext: str, language: str | None = None) -> str:
    suffix = f"-{language}" if language else ""
    return f"sprawozdanie-z-realizacji-programu-{programme.year}{suffix}.{ext}"


@bp.route("/programy/<int:programme_id>/sprawozdanie-z-realizacji")
@public
def page(programme_id: int):
    programme = _visible_programme(programme_id)
    numbers = programme_numbers(programme)
    return render_template("programme_report/page.html", n=numbers, columns=COLUMNS, title=title(programme),
                           area_label=area_label, printed_at=utcnow(), languages=DOCUMENT_LANGUAGES,
                           publish_form=ActionForm(), coordinator=has_role(acting_user(), "coordinator"))


@bp.route("/programy/<int:programme_id>/sprawozdanie-z-realizacji.xlsx")
@public
def xlsx(programme_id: int):
    programme = _visible_programme(programme_id)
    return Response(report_xlsx(programme),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(programme, "xlsx")}"'})


@bp.route("/programy/<int:programme_id>/sprawozdanie-z-realizacji.pdf")
@public
def pdf(programme_id: int):
    programme = _visible_programme(programme_id)
    language = request.args.get("jezyk") or "pl"
    if language not in DOCUMENT_LANGUAGES:
        abort(404)
    kept = published_pdf(programme.id, language)
    if kept is not None:  # published: the PDF as it was published, whatever changed since
        return send_file(storage.path_of(kept.storage_key), mimetype="application/pdf",
                         download_name=_filename(programme, "pdf", language), as_attachment=False)
    # before publication (coordinators), or while the published PDF is being compiled: the numbers as they are now
    return Response(report_pdf(programme, language), mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'inline; filename="{_filename(programme, "pdf", language)}"'})


@bp.route("/koordynacja/programy/<int:programme_id>/sprawozdanie-z-realizacji/publikacja", methods=["POST"])
@roles("coordinator")
def publish(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("programme_report.page", programme_id=programme_id))
    try:
        with transaction():
            publish_programme_report(acting_user(), programme)
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
    else:
        flash(_("Opublikowano sprawozdanie z realizacji programu. Jest dostępne dla wszystkich pod tym adresem."),
              "success")
    return redirect(url_for("programme_report.page", programme_id=programme_id))
