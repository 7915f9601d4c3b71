"""Meeting summaries: compiling (a job whose state the page follows), versions, publishing, importing
a summary as JSON (coordinators), and the public list and download of published summaries."""
from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from consult.core.access import acting_user, public, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.operations import in_transaction, transaction
from consult.core.paging import choice_arg, page_number, search_term
from consult.core.submissions import posted_token
from consult.documents import storage
from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.queries import VERSION_KINDS
from consult.documents.status import JOB_STATE_LABELS, JobStatus
from consult.extensions import db
from consult.meetings.interchange import export_meeting, import_meeting, parse
from consult.meetings.models import Meeting
from consult.programmes.models import Programme
from consult.summaries import queries
from consult.summaries.document import source_digest
from consult.summaries.documents import publish_version, request_compile
from consult.summaries.forms import ImportForm

bp = Blueprint("summaries", __name__)


@bp.app_template_global("job_state_label")
def job_state_label(state: str) -> str:
    return str(JOB_STATE_LABELS.get(state, state))


@bp.route("/koordynacja/podsumowania")
@roles("coordinator")
def index():
    from consult.core.paging import choice_arg, id_arg, page_number, search_term
    from consult.organisations.queries import units
    from consult.programmes.queries import programmes
    from workflows import MEETING

    meetings = queries.meetings_page(search=search_term(), programme_id=id_arg("program"), unit_id=id_arg("komorka"),
                                     state=choice_arg("stan", MEETING.states), page=page_number())
    ids = [m.id for m in meetings]
    return render_template("summaries/index.html", meetings=meetings, page=meetings, units=units(),
                           programmes=programmes(), meeting_states=MEETING.states,
                           published=queries.published_versions_by_meeting(ids),
                           latest_job=queries.latest_job_by_meeting(ids))


@bp.route("/koordynacja/podsumowania/import", methods=["GET", "POST"])
@roles("coordinator")
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            data = parse(form.file.data.read())
            meeting = in_transaction(import_meeting, acting_user(), data, form_token=posted_token())
        except AlreadyDone as done:
            flash(_("Ten formularz został już wysłany – oto zaimportowane spotkanie."), "success")
            return redirect(url_for("summaries.meeting", meeting_id=done.record_id))
        except Forbidden:
            abort(403)
        except Refused as exc:
            # A file that breaks the schema gets a heading line, then one line per field and its problem:
            # each problem becomes an error of its own, as the error summary lists them.
            lines = [line for line in exc.reason.splitlines() if line.strip()]
            form.file.errors = [*form.file.errors, *(lines[1:] if len(lines) > 1 else lines)]
        else:
            flash(_("Zaimportowano spotkanie „%(title)s” z %(n)s postulatami.", title=meeting.title,
                    n=len(data["postulates"])), "success")
            return redirect(url_for("summaries.meeting", meeting_id=meeting.id))
    return render_template("summaries/import.html", form=form)


@bp.route("/koordynacja/spotkania/<int:meeting_id>/podsumowanie")
@roles("coordinator")
def meeting(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    versions = queries.meeting_versions_page(meeting.id, search=search_term(),
                                             kind=choice_arg("rodzaj", VERSION_KINDS), page=page_number())
    return render_template("summaries/meeting.html", meeting=meeting, versions=versions,
                           jobs=queries.jobs_of(meeting.id), current=queries.current_published(meeting.id),
                           digest=source_digest(meeting.id, preview=False))


@bp.route("/koordynacja/spotkania/<int:meeting_id>/podsumowanie/kompilacja", methods=["POST"])
@roles("coordinator")
def compile_summary(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    preview = request.form.get("preview") == "1"
    try:
        job = in_transaction(request_compile, acting_user(), meeting, preview=preview,
                             language=request.form.get("language"), form_token=posted_token())
    except AlreadyDone as done:
        flash(_("Ta kompilacja została już zlecona (zadanie nr %(id)s) – oto jej stan.", id=done.record_id), "success")
        return redirect(url_for("summaries.job", job_id=done.record_id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(url_for("summaries.meeting", meeting_id=meeting_id))
    return redirect(url_for("summaries.job", job_id=job.id))


@bp.route("/koordynacja/podsumowania/zadania/<int:job_id>")
@roles("coordinator")
def job(job_id: int):
    job = db.get_or_404(DocumentJob, job_id)
    if job.kind != "meeting_summary":  # a call's PDF job is not a summary's
        abort(404)
    return render_template("summaries/job.html", job=job, meeting=db.session.get(Meeting, job.subject_id), status=_job_status(job))


def _job_status(job: DocumentJob) -> JobStatus:
    version = job.version
    if version is None:
        return JobStatus(job)
    return JobStatus(job, download_url=url_for("summaries.download_version", version_id=version.id),
                     download_label=_("Pobierz PDF wersji %(n)s", n=version.number))


@bp.route("/koordynacja/podsumowania/zadania/<int:job_id>/stan")
@roles("coordinator")
def job_state(job_id: int):
    """What the job page polls (consult/static/app.js) to update itself."""
    job = db.get_or_404(DocumentJob, job_id)
    if job.kind != "meeting_summary":  # a call's PDF job is not a summary's
        abort(404)
    response = jsonify(_job_status(job).as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/koordynacja/podsumowania/wersje/<int:version_id>/publikacja", methods=["POST"])
@roles("coordinator")
def publish(version_id: int):
    version = db.get_or_404(DocumentVersion, version_id)
    if version.kind != "meeting_summary":  # a call's PDFs have their own routes
        abort(404)
    try:
        with transaction():
            publish_version(acting_user(), version)
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
    else:
        flash(_("Opublikowano wersję %(n)s podsumowania. Jest dostępna na stronie publicznej programu.",
                n=version.number), "success")
    return redirect(url_for("summaries.meeting", meeting_id=version.subject_id))


@bp.route("/koordynacja/podsumowania/wersje/<int:version_id>/pdf")
@roles("coordinator")
def download_version(version_id: int):
    version = db.get_or_404(DocumentVersion, version_id)
    if version.kind != "meeting_summary":  # a call's PDFs have their own routes
        abort(404)
    return _send(version)


@bp.route("/koordynacja/spotkania/<int:meeting_id>/podsumowanie.json")
@roles("coordinator")
def export(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    body = json.dumps(export_meeting(meeting), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="spotkanie-{meeting.id}.json"'})


@bp.route("/programy/<int:programme_id>/podsumowania")
@public
def programme_summaries(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    meetings = queries.meetings_of_programme(programme.id)
    return render_template("summaries/programme.html", programme=programme, meetings=meetings,
                           published=queries.published_versions_by_meeting([m.id for m in meetings]))


@bp.route("/podsumowania/<int:version_id>.pdf")
@public
def published_pdf(version_id: int):
    version = db.get_or_404(DocumentVersion, version_id)
    if version.kind != "meeting_summary":  # a call's PDFs have their own routes
        abort(404)
    if not version.published:
        abort(404)  # an unpublished version does not exist for the public
    return _send(version)


def _send(version: DocumentVersion):
    path = storage.path_of(version.storage_key)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=version.filename, as_attachment=False,
                     etag=version.sha256, max_age=0 if not version.published else 3600)

