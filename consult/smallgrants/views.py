"""The limits of small grants: public list of the sets (which one holds today), and entering them (admins)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from consult.core.access import acting_user, public, roles
from consult.core.errors import Forbidden, Refused
from consult.core.forms import show_refusal
from consult.core.operations import in_transaction
from consult.core.types import today_in_warsaw
from consult.extensions import db
from consult.i18n import format_day, format_input
from consult.smallgrants.forms import LimitSetForm, PlannedGrantsForm
from consult.smallgrants.limits import RULE_KINDS, RULES, limits_in_force, shown
from consult.smallgrants.models import PlannedPublicTaskGrants, SmallGrantLimitSet
from consult.smallgrants.operations import enter_limit_set, set_planned_grants

bp = Blueprint("smallgrants", __name__)


@bp.route("/male-granty/limity")
@public
def limits():
    sets = db.session.scalars(db.select(SmallGrantLimitSet).order_by(SmallGrantLimitSet.effective_from.desc())).all()
    today = today_in_warsaw()
    in_force = limits_in_force(today)
    planned = db.session.scalars(db.select(PlannedPublicTaskGrants).order_by(PlannedPublicTaskGrants.year.desc())).all()
    return render_template("smallgrants/limits.html", sets=sets, in_force=in_force, today=today, rules=RULES,
                           shown=shown, planned=planned)


@bp.route("/male-granty/limity/nowe", methods=["GET", "POST"])
@roles("admin")
def new_limits():
    form = LimitSetForm()
    extra: list = []
    if not form.is_submitted():
        current = limits_in_force(today_in_warsaw())
        if current is not None:  # an amendment usually changes one rule: start from the ones in force
            for limit in current.limits:
                places = 0 if RULE_KINDS[limit.rule] == "days" else None
                getattr(form, f"{limit.rule}_value").data = format_input(limit.value, places)
                getattr(form, f"{limit.rule}_basis").data = limit.legal_basis
    if form.validate_on_submit():
        try:
            limit_set = in_transaction(
                enter_limit_set, acting_user(), effective_from=form.effective_from.data,
                values={rule: getattr(form, f"{rule}_value").data for rule in form.RULE_FIELDS},
                bases={rule: getattr(form, f"{rule}_basis").data for rule in form.RULE_FIELDS},
                note=form.note.data or "")
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Wpisano limity małych grantów obowiązujące od %(day)s.",
                    day=format_day(limit_set.effective_from)), "success")
            return redirect(url_for("smallgrants.limits"))
    return render_template("smallgrants/limit_form.html", form=form, extra=extra, page_error=bool(extra or form.errors))


@bp.route("/male-granty/dotacje-planowane", methods=["GET", "POST"])
@roles("admin")
def planned_grants():
    form = PlannedGrantsForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            row = in_transaction(set_planned_grants, acting_user(), year=form.year.data, amount=form.amount.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano dotacje planowane na rok %(year)s.", year=row.year), "success")
            return redirect(url_for("smallgrants.limits"))
    return render_template("smallgrants/planned_form.html", form=form, extra=extra,
                           page_error=bool(extra or form.errors))

from consult.smallgrants import journey_views  # noqa: F401  (the journey's routes, on this blueprint)
