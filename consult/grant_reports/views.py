"""Pages of reports after the award, for a call's granted offer (/oferty/<id>/...) and a small grant
(/male-granty/sprawy/<id>/...) alike: the NGO's form, the report page (the NGO, the responsible unit, coordinators)
with the unit's decision, the partial reports the unit schedules (from the final report's page), and the unit's list
of reports, overdue first. The final report is at .../sprawozdanie, partial report n at
.../sprawozdanie-czesciowe/<n>."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.calls.models import Offer
from consult.core.access import acting_user, has_role, roles, signed_in
from consult.core.errors import Forbidden, Refused
from consult.core.forms import show_refusal
from consult.core.operations import in_transaction
from consult.core.types import today_in_warsaw
from consult.extensions import db
from consult.grant_reports import operations as ops
from consult.grant_reports import queries
from consult.grant_reports.forms import PartialReportForm, ReportForm, ReviewForm
from consult.grant_reports.subjects import Subject, subject_of
from consult.smallgrants.models import SmallGrantOffer

bp = Blueprint("grant_reports", __name__)

OFFER = "/oferty/<int:offer_id>"
SMALL = "/male-granty/sprawy/<int:small_grant_id>"


def _routes(tail: str, **options):
    """The four addresses of one page: of a call's offer and of a small grant, the final report and a partial one."""
    def register(view):
        # the partial reports' addresses first: url_for with a number builds one of them, without it the final's
        for base in (OFFER, SMALL):
            bp.add_url_rule(f"{base}/sprawozdanie-czesciowe/<int:number>{tail}", view_func=view, **options)
        for base in (OFFER, SMALL):
            bp.add_url_rule(f"{base}/sprawozdanie{tail}", view_func=view, **options)
        return view
    return register


def _subject(offer_id: int | None, small_grant_id: int | None, number: int = 0) -> Subject:
    if number < 0 or (number == 0 and "/sprawozdanie-czesciowe/" in request.path):
        abort(404)  # partial reports are numbered from 1
    offer = (db.get_or_404(Offer, offer_id) if offer_id is not None
             else db.get_or_404(SmallGrantOffer, small_grant_id))
    subject = subject_of(offer)
    if not subject.may_see(current_user):
        abort(403)
    if not subject.reportable:
        abort(404)
    return subject


def _version(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 9 else None


def _report_or_404(subject: Subject, number: int):
    report = ops.report_of(subject, number)
    if number and report is None:
        abort(404)
    return report


def _page(subject: Subject, report, number: int, *, form=None, partial_form=None, extra=(), status=200):
    return render_template(
        "grant_reports/report.html", subject=subject, report=report, number=number,
        form=form or ReviewForm(), partial_form=partial_form or PartialReportForm(),
        partials=ops.partial_reports(subject) if not number else [],
        may_file=subject.may_file(current_user), may_review=subject.may_review(current_user),
        due_on=report.due_on if report is not None else ops.due_on(subject), today=today_in_warsaw(),
        extra=list(extra), page_error=bool(extra or (form and form.errors) or (partial_form and partial_form.errors)),
        url_args={**subject.url_args, **({"number": number} if number else {})}), status


@roles("ngo")
def edit(offer_id: int | None = None, small_grant_id: int | None = None, number: int = 0):
    subject = _subject(offer_id, small_grant_id, number)
    if not subject.may_file(current_user):
        abort(403)
    report = _report_or_404(subject, number) or ops.new_report(subject)
    args = {**subject.url_args, **({"number": number} if number else {})}
    if not report.is_open:
        return redirect(url_for("grant_reports.report", **args))
    form = ReportForm(obj=report if request.method == "GET" else None)
    extra: list = []
    if form.validate_on_submit():
        data = request.form.to_dict()
        submitting = request.form.get("action") == "submit"

        def run(actor):
            stored = ops.report_of(subject, number) if number else ops.start_report(actor, subject)
            version = _version(form.version.data) or stored.version
            if submitting:
                return ops.submit_report(actor, stored, data, version=version)
            return ops.save_report(actor, stored, data, version=version)

        try:
            in_transaction(run, acting_user())
        except Forbidden:
            abort(403)
        except Refused as exc:
            db.session.expire_all()
            extra = show_refusal(form, exc)
        else:
            flash(_("Złożono sprawozdanie.") if submitting else _("Zapisano szkic sprawozdania."), "success")
            return redirect(url_for("grant_reports.report" if submitting else "grant_reports.edit", **args))
    values = request.form if request.method == "POST" else {}
    return render_template("grant_reports/edit.html", form=form, subject=subject, report=report, extra=extra,
                           errors=dict(extra), values=values, page_error=bool(extra or form.errors), url_args=args)


@signed_in
def report(offer_id: int | None = None, small_grant_id: int | None = None, number: int = 0):
    subject = _subject(offer_id, small_grant_id, number)
    return _page(subject, _report_or_404(subject, number), number)


@roles("unit", "coordinator")
def review(offer_id: int | None = None, small_grant_id: int | None = None, number: int = 0):
    subject = _subject(offer_id, small_grant_id, number)
    if not subject.may_review(current_user):
        abort(403)
    report = ops.report_of(subject, number)
    if report is None:
        abort(404)
    form = ReviewForm()
    extra: list = []
    if form.validate_on_submit():
        accept = request.form.get("action") == "accept"
        version = _version(form.version.data) or report.version
        try:
            if accept:
                in_transaction(ops.accept_report, acting_user(), report, version=version)
            else:
                in_transaction(ops.request_corrections, acting_user(), report, note=form.note.data, version=version)
        except Forbidden:
            abort(403)
        except Refused as exc:
            db.session.expire_all()
            extra = show_refusal(form, exc)
        else:
            flash(_("Przyjęto sprawozdanie.") if accept else _("Wezwano do poprawienia sprawozdania."), "success")
            return redirect(url_for("grant_reports.report", **report.url_args))
    return _page(subject, report, number, form=form, extra=extra, status=400)


_routes("/formularz", methods=["GET", "POST"], endpoint="edit")(edit)
_routes("", endpoint="report")(report)
_routes("/ocena", methods=["POST"], endpoint="review")(review)


@bp.route(f"{OFFER}/sprawozdania-czesciowe", methods=["POST"])
@bp.route(f"{SMALL}/sprawozdania-czesciowe", methods=["POST"])
@roles("unit", "coordinator")
def schedule_partial(offer_id: int | None = None, small_grant_id: int | None = None):
    subject = _subject(offer_id, small_grant_id)
    if not subject.may_review(current_user):
        abort(403)
    form = PartialReportForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            report = in_transaction(ops.schedule_partial_report, acting_user(), subject,
                                    period_from=form.period_from.data, period_to=form.period_to.data,
                                    due=form.due_on.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            db.session.expire_all()
            extra = show_refusal(form, exc)
        else:
            flash(_("Wyznaczono sprawozdanie częściowe nr %(n)s.", n=report.number), "success")
            return redirect(url_for("grant_reports.report", **subject.url_args) + "#czesciowe")
    return _page(subject, ops.report_of(subject), 0, partial_form=form, extra=extra, status=400)


@bp.route("/sprawozdania-z-dotacji")
@roles("unit", "coordinator")
def unit_list():
    today = today_in_warsaw()
    unit_id = None if has_role(current_user, "coordinator") else current_user.unit_id
    return render_template("grant_reports/list.html", rows=queries.rows_for(unit_id, today), today=today)
