"""The consolidated consultation report: coordinators compile and publish it from the programme's page; anyone
downloads its published versions (listed on the programme's public page)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from consult.consultation_report import queries
from consult.consultation_report.operations import KIND, publish_report, request_report
from consult.core.access import acting_user, public, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.operations import in_transaction, transaction
from consult.core.submissions import posted_token
from consult.core.paging import choice_arg, page_number, search_term
from consult.documents.queries import VERSION_KINDS
from consult.documents import storage
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from consult.programmes.models import Programme
from consult.documents.status import JobStatus

bp = Blueprint("consultation_report", __name__)


@bp.app_template_global("published_programme_reports")
def published_programme_reports(programme_id: int) -> list[DocumentVersion]:
    return queries.published_versions(programme_id)


def _of_kind(model, object_id: int):
    row = db.get_or_404(model, object_id)
    if row.kind != KIND:  # another kind's job or version has its own routes
        abort(404)
    return row


@bp.route("/koordynacja/programy/<int:programme_id>/raport")
@roles("coordinator")
def programme(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    return render_template("consultation_report/programme.html", programme=programme,
                           versions=queries.versions_page(programme.id, search=search_term(),
                                                          kind=choice_arg("rodzaj", VERSION_KINDS), page=page_number()),
                           jobs=queries.jobs_of(programme.id))


@bp.route("/koordynacja/programy/<int:programme_id>/raport/kompilacja", methods=["POST"])
@roles("coordinator")
def compile_report(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    try:
        job = in_transaction(request_report, acting_user(), programme, language=request.form.get("language"),
                             form_token=posted_token())
    except AlreadyDone as done:
        flash(_("Ta kompilacja została już zlecona (zadanie nr %(id)s) – oto jej stan.", id=done.record_id), "success")
        return redirect(url_for("consultation_report.job", job_id=done.record_id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(url_for("consultation_report.programme", programme_id=programme_id))
    return redirect(url_for("consultation_report.job", job_id=job.id))


@bp.route("/koordynacja/raporty/zadania/<int:job_id>")
@roles("coordinator")
def job(job_id: int):
    job = _of_kind(DocumentJob, job_id)
    return render_template("consultation_report/job.html", job=job, status=_job_status(job),
                           programme=db.session.get(Programme, job.subject_id),
                           rendered=queries.sections_rendered_by(job.id))


def _job_status(job: DocumentJob) -> JobStatus:
    if job.version is None:
        return JobStatus(job)
    return JobStatus(job, download_url=url_for("consultation_report.download_version", version_id=job.version.id),
                     download_label=_("Pobierz PDF wersji %(n)s", n=job.version.number))


@bp.route("/koordynacja/raporty/zadania/<int:job_id>/stan")
@roles("coordinator")
def job_state(job_id: int):
    """What the job page polls (consult/static/app.js) to update itself."""
    job = _of_kind(DocumentJob, job_id)
    response = jsonify(_job_status(job).as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/koordynacja/raporty/wersje/<int:version_id>/publikacja", methods=["POST"])
@roles("coordinator")
def publish(version_id: int):
    version = _of_kind(DocumentVersion, version_id)
    try:
        with transaction():
            publish_report(acting_user(), version)
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
    else:
        flash(_("Opublikowano wersję %(n)s raportu z konsultacji. Jest dostępna na stronie publicznej programu.",
                n=version.number), "success")
    return redirect(url_for("consultation_report.programme", programme_id=version.subject_id))


@bp.route("/koordynacja/raporty/wersje/<int:version_id>/pdf")
@roles("coordinator")
def download_version(version_id: int):
    return _send(_of_kind(DocumentVersion, version_id))


@bp.route("/raporty/<int:version_id>.pdf")
@public
def published_pdf(version_id: int):
    version = _of_kind(DocumentVersion, version_id)
    if not version.published:
        abort(404)  # an unpublished version does not exist for the public
    return _send(version)


def _send(version: DocumentVersion):
    path = storage.path_of(version.storage_key)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=version.filename, as_attachment=False,
                     etag=version.sha256, max_age=0 if not version.published else 3600)
