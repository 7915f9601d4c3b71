"""Pages of implementation reports: coordinators open a round from a file, follow which units have not reported,
close and reopen it, compile the PDF and export XLSX and JSON; unit staff report on their activities."""
from __future__ import annotations

import json

from flask import (Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from consult.core.access import acting_user, ensure, has_role, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused, StaleEdit
from consult.core.forms import show_refusal
from consult.core.operations import in_transaction, transaction
from consult.core.submissions import posted_token
from consult.core.paging import choice_arg, id_arg, page_number, search_term
from consult.documents import storage
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db
from consult.implementation import queries
from consult.implementation.document import report_xlsx, rows_of
from consult.implementation.forms import ActionForm, CloseForm, ImportForm, NextRoundForm, RealisationForm
from consult.implementation.interchange import export_report, import_report, open_round_like, parse
from consult.implementation.models import ImplementationReport
from consult.implementation.operations import (
    answers_for,
    close_round,
    record_realisation,
    reopen_round,
    request_report_compile,
)

from consult.documents.status import JobStatus  # noqa: E402

bp = Blueprint("implementation", __name__)



def _report_or_404(report_id: int) -> ImplementationReport:
    return db.get_or_404(ImplementationReport, report_id)


# --- coordinators ---------------------------------------------------------------------------------------

@bp.route("/koordynacja/sprawozdania")
@roles("coordinator")
def index():
    page = queries.reports_page(**_report_filters(), page=page_number())
    return render_template("implementation/index.html", page=page, years=queries.report_years())


def _report_filters() -> dict:
    """The filters of the lists of reports, from the query string (nonsense turns a filter off)."""
    return {"search": search_term(), "state": choice_arg("stan", queries.ROUND_STATES), "year": id_arg("rok")}


@bp.route("/koordynacja/sprawozdania/nowe", methods=["GET", "POST"])
@roles("coordinator")
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            data = parse(form.file.data.read())
            report = in_transaction(import_report, acting_user(), data, form_token=posted_token())
            report_id, year = report.id, report.report_year
        except AlreadyDone as done:
            flash(_("Ten formularz został już wysłany – oto otwarta runda sprawozdawcza."), "success")
            return redirect(url_for("implementation.detail", report_id=done.record_id))
        except Forbidden:
            abort(403)
        except Refused as exc:
            lines = [line for line in exc.reason.splitlines() if line.strip()]
            form.file.errors = [*form.file.errors, *(lines[1:] if len(lines) > 1 else lines)]
        else:
            flash(_("Otwarto rundę sprawozdawczą za rok %(year)s. Komórki mogą wpisywać realizację swoich działań.",
                    year=year), "success")
            return redirect(url_for("implementation.detail", report_id=report_id))
    return render_template("implementation/upload.html", form=form)


@bp.route("/koordynacja/sprawozdania/<int:report_id>")
@roles("coordinator")
def detail(report_id: int):
    report = _report_or_404(report_id)
    activities = queries.report_activities_page(
        report_id, search=search_term(), state=choice_arg("stan", queries.REALISATION_STATES),
        unit_id=id_arg("komorka"), page=page_number())
    return render_template("implementation/detail.html", report=report, rows_of=rows_of, activities=activities,
                           sections=queries.sections_of(activities.items),
                           progress=queries.progress(report_id), units=queries.units_progress(report_id),
                           totals=queries.funds_totals(report_id),
                           close_form=CloseForm(), action_form=ActionForm(), next_form=NextRoundForm(),
                           versions=_versions(report_id), jobs=_jobs(report_id))


def _versions(report_id: int) -> list[DocumentVersion]:
    return db.session.scalars(db.select(DocumentVersion).where(DocumentVersion.about("implementation_report", report_id))
                              .order_by(DocumentVersion.number.desc())).all()


def _jobs(report_id: int) -> list[DocumentJob]:
    return db.session.scalars(db.select(DocumentJob).where(DocumentJob.about("implementation_report", report_id))
                              .order_by(DocumentJob.id.desc()).limit(5)).all()


@bp.route("/koordynacja/sprawozdania/<int:report_id>/kolejna-runda", methods=["POST"])
@roles("coordinator")
def next_round(report_id: int):
    report = _report_or_404(report_id)
    form = NextRoundForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("implementation.detail", report_id=report_id) + "#kolejna-runda")
    try:
        new_id = in_transaction(open_round_like, acting_user(), report.id, form.year.data,
                                form_token=posted_token()).id
    except AlreadyDone as done:
        flash(_("Ten formularz został już wysłany – oto otwarta runda sprawozdawcza."), "success")
        return redirect(url_for("implementation.detail", report_id=done.record_id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(url_for("implementation.detail", report_id=report_id) + "#kolejna-runda")
    flash(_("Otwarto rundę sprawozdawczą za rok %(year)s z planem sprawozdania za rok %(old)s.",
            year=form.year.data, old=report.report_year), "success")
    return redirect(url_for("implementation.detail", report_id=new_id))


@bp.route("/koordynacja/sprawozdania/<int:report_id>/zamkniecie", methods=["POST"])
@roles("coordinator")
def close(report_id: int):
    report = _report_or_404(report_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            with transaction():
                close_round(acting_user(), report, despite_missing=bool(form.despite_missing.data))
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(exc.reason, "error")
        else:
            flash(_("Runda sprawozdawcza za rok %(year)s została zamknięta.", year=report.report_year), "success")
    return redirect(url_for("implementation.detail", report_id=report_id))


@bp.route("/koordynacja/sprawozdania/<int:report_id>/ponowne-otwarcie", methods=["POST"])
@roles("coordinator")
def reopen(report_id: int):
    report = _report_or_404(report_id)
    if ActionForm().validate_on_submit():
        try:
            with transaction():
                reopen_round(acting_user(), report)
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(exc.reason, "error")
        else:
            flash(_("Runda sprawozdawcza za rok %(year)s jest znów otwarta.", year=report.report_year), "success")
    return redirect(url_for("implementation.detail", report_id=report_id))


@bp.route("/koordynacja/sprawozdania/<int:report_id>/kompilacja", methods=["POST"])
@roles("coordinator")
def compile_pdf(report_id: int):
    report = _report_or_404(report_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("implementation.detail", report_id=report_id))
    try:
        job_id = in_transaction(request_report_compile, acting_user(), report, language=request.form.get("language"),
                                form_token=posted_token()).id
    except AlreadyDone as done:
        flash(_("Ta kompilacja została już zlecona (zadanie nr %(id)s) – oto jej stan.", id=done.record_id), "success")
        return redirect(url_for("implementation.job", job_id=done.record_id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(url_for("implementation.detail", report_id=report_id))
    return redirect(url_for("implementation.job", job_id=job_id))


def _job_or_404(job_id: int) -> DocumentJob:
    job = db.get_or_404(DocumentJob, job_id)
    if job.kind != "implementation_report":
        abort(404)
    return job


@bp.route("/koordynacja/sprawozdania/zadania/<int:job_id>")
@roles("coordinator")
def job(job_id: int):
    job = _job_or_404(job_id)
    return render_template("implementation/job.html", job=job,
                           report=db.session.get(ImplementationReport, job.subject_id),
                           status=_job_status(job))


def _job_status(job: DocumentJob) -> JobStatus:
    if job.version is None:
        return JobStatus(job)
    return JobStatus(job, download_url=url_for("implementation.download_version", version_id=job.version.id),
                     download_label=_("Pobierz PDF wersji %(n)s", n=job.version.number))


@bp.route("/koordynacja/sprawozdania/zadania/<int:job_id>/stan")
@roles("coordinator")
def job_state(job_id: int):
    """What the job page polls (consult/static/app.js) to update itself."""
    job = _job_or_404(job_id)
    response = jsonify(_job_status(job).as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/koordynacja/sprawozdania/wersje/<int:version_id>.pdf")
@roles("coordinator")
def download_version(version_id: int):
    version = db.get_or_404(DocumentVersion, version_id)
    if version.kind != "implementation_report":
        abort(404)
    path = storage.path_of(version.storage_key)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=version.filename, as_attachment=False,
                     etag=version.sha256, max_age=0)


@bp.route("/koordynacja/sprawozdania/<int:report_id>.xlsx")
@roles("coordinator")
def xlsx(report_id: int):
    report = _report_or_404(report_id)
    return Response(report_xlsx(report.id),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition":
                             f'attachment; filename="sprawozdanie-{report.id}-{report.report_year}.xlsx"'})


@bp.route("/koordynacja/sprawozdania/<int:report_id>.json")
@roles("coordinator")
def export(report_id: int):
    report = _report_or_404(report_id)
    body = json.dumps(export_report(report.id), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="sprawozdanie-{report.id}.json"'})


# --- unit staff -----------------------------------------------------------------------------------------

@bp.route("/sprawozdania")
@roles("unit")
def mine():
    page = queries.reports_of_unit_page(current_user.unit_id, **_report_filters(), page=page_number())
    return render_template("implementation/mine.html", page=page, years=queries.report_years())


@bp.route("/sprawozdania/<int:report_id>")
@roles("unit")
def unit_report(report_id: int):
    report = _report_or_404(report_id)
    activities = queries.unit_activities_page(
        report.id, current_user.unit_id, search=search_term(), state=choice_arg("stan", queries.REALISATION_STATES),
        page=page_number())
    return render_template("implementation/unit_report.html", report=report, activities=activities)


@bp.route("/sprawozdania/dzialania/<int:activity_id>", methods=["GET", "POST"])
@roles("unit", "coordinator")
def realisation(activity_id: int):
    activity = queries.get_activity(activity_id)
    if activity is None:
        abort(404)
    ensure(has_role(current_user, "coordinator") or answers_for(current_user, activity))
    report = activity.area.task.goal.report
    form = RealisationForm(with_funds=activity.area.has_funds)
    if not form.is_submitted():
        _fill(form, activity)
    extra, status, yours = [], 200, None
    if form.validate_on_submit():
        try:
            with transaction():
                record_realisation(acting_user(), activity, carried_out=form.outcome.data == "done",
                                   realised=form.realised.data,
                                   funds=form.funds.data if "funds" in form else None,
                                   expected_version=form.version.data)
        except Forbidden:
            abort(403)
        except StaleEdit as exc:
            yours = {"realised": form.realised.data, "funds": form.funds.data if "funds" in form else None}
            activity = queries.get_activity(activity_id)
            form = RealisationForm(formdata=None, with_funds=activity.area.has_funds)
            _fill(form, activity)
            extra, status = [("realised", exc.reason)], 409
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano informację o realizacji działania „%(name)s”.", name=_short(activity.name)), "success")
            if has_role(current_user, "coordinator"):
                number = queries.activity_page_number(activity, current_app.config["PAGE_SIZE"])
                return redirect(url_for("implementation.detail", report_id=report.id,
                                        **({"strona": number} if number > 1 else {})) + f"#dzialanie-{activity.id}")
            return redirect(url_for("implementation.unit_report", report_id=report.id))
    return render_template("implementation/realisation.html", activity=activity, report=report, form=form,
                           extra=extra, yours=yours, page_error=bool(extra)), status


def _fill(form: RealisationForm, activity) -> None:
    if activity.reported:
        form.outcome.data = "not_done" if activity.not_carried_out else "done"
        form.realised.data = activity.realised
    if "funds" in form:
        form.funds.data = activity.funds or ""
    form.version.data = activity.version


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
