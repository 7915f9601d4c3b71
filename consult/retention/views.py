"""The administrator's pages of retention: every kind of record with its period, legal basis and how many records
are past it (as `consult retention` lists them), and the form that changes one kind's period."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _

from consult.core.access import acting_user, roles
from consult.core.forms import submit_form
from consult.core.operations import in_transaction
from consult.retention.forms import PeriodForm
from consult.retention.kinds import KINDS
from consult.retention.operations import overdue_counts, period_of, periods, set_period

bp = Blueprint("retention", __name__)


@bp.route("/rejestry/retencja")
@roles("admin")
def index():
    return render_template("retention/index.html", periods=periods(), counts=overdue_counts())


@bp.route("/rejestry/retencja/<kind>", methods=["GET", "POST"])
@roles("admin")
def edit(kind: str):
    if kind not in KINDS:
        abort(404)
    period = period_of(kind)
    form = PeriodForm()
    if request.method == "GET":
        form.months.data, form.legal_basis.data = period.months, period.legal_basis
    sent = submit_form(form, lambda: in_transaction(set_period, acting_user(), kind, months=form.months.data,
                                                    legal_basis=form.legal_basis.data),
                       success=lambda _result: _("Zapisano okres przechowywania: %(kind)s.", kind=period.kind.label),
                       then=url_for("retention.index"))
    return sent.response or render_template("retention/edit.html", form=form, period=period, extra=sent.extra,
                                            page_error=bool(sent.extra))
