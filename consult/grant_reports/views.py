"""Pages of the final report after the award: the NGO's form (from its offer's page), the report page (the NGO,
the unit running the call, coordinators) with the unit's decision, and the unit's list of reports, overdue first."""
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
from consult.grant_reports.forms import ReportForm, ReviewForm

bp = Blueprint("grant_reports", __name__)


def _offer(offer_id: int) -> Offer:
    offer = db.get_or_404(Offer, offer_id)
    if not ops.may_see(current_user, offer):
        abort(403)
    if not ops.reportable(offer):
        abort(404)
    return offer


def _version(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 9 else None


@bp.route("/oferty/<int:offer_id>/sprawozdanie/formularz", methods=["GET", "POST"])
@roles("ngo")
def edit(offer_id: int):
    offer = _offer(offer_id)
    if not ops.may_file(current_user, offer):
        abort(403)
    report = ops.report_of(offer) or ops.new_report(offer)
    if not report.is_open:
        return redirect(url_for("grant_reports.report", offer_id=offer.id))
    form = ReportForm(obj=report if request.method == "GET" else None)
    extra: list = []
    if form.validate_on_submit():
        data = request.form.to_dict()
        submitting = request.form.get("action") == "submit"

        def run(actor):
            stored = ops.start_report(actor, offer)
            if submitting:
                return ops.submit_report(actor, stored, data, version=_version(form.version.data) or stored.version)
            return ops.save_report(actor, stored, data, version=_version(form.version.data) or stored.version)

        try:
            in_transaction(run, acting_user())
        except Forbidden:
            abort(403)
        except Refused as exc:
            db.session.expire_all()
            extra = show_refusal(form, exc)
        else:
            flash(_("Złożono sprawozdanie.") if submitting else _("Zapisano szkic sprawozdania."), "success")
            return redirect(url_for("grant_reports.report" if submitting else "grant_reports.edit", offer_id=offer.id))
    values = request.form if request.method == "POST" else {}
    return render_template("grant_reports/edit.html", form=form, offer=offer, report=report, extra=extra,
                           errors=dict(extra), values=values, page_error=bool(extra or form.errors))


@bp.route("/oferty/<int:offer_id>/sprawozdanie")
@signed_in
def report(offer_id: int):
    offer = _offer(offer_id)
    report = ops.report_of(offer)
    return render_template("grant_reports/report.html", offer=offer, report=report, form=ReviewForm(),
                           may_file=ops.may_file(current_user, offer),
                           may_review=ops.may_review(current_user, offer),
                           due_on=ops.due_on(offer), today=today_in_warsaw(), extra=[], page_error=False)


@bp.route("/oferty/<int:offer_id>/sprawozdanie/ocena", methods=["POST"])
@roles("unit", "coordinator")
def review(offer_id: int):
    offer = _offer(offer_id)
    if not ops.may_review(current_user, offer):
        abort(403)
    report = ops.report_of(offer)
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
            return redirect(url_for("grant_reports.report", offer_id=offer.id))
    return render_template("grant_reports/report.html", offer=offer, report=report, form=form,
                           may_file=False, may_review=True, due_on=ops.due_on(offer), today=today_in_warsaw(),
                           extra=extra, page_error=True), 400


@bp.route("/sprawozdania-z-dotacji")
@roles("unit", "coordinator")
def unit_list():
    today = today_in_warsaw()
    unit_id = None if has_role(current_user, "coordinator") else current_user.unit_id
    return render_template("grant_reports/list.html", rows=queries.rows_for(unit_id, today), today=today)
