"""Commitments: recorded on a position, recorded done, listed while open (overdue first)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from consult.commitments import queries
from consult.commitments.forms import CommitmentForm, CompleteCommitmentForm
from consult.commitments.models import Commitment
from consult.commitments.operations import add_commitment, complete_commitment, may_manage
from consult.core.access import acting_user, has_role, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.forms import show_refusal
from consult.core.operations import in_transaction
from consult.core.paging import page_number
from consult.core.submissions import posted_token
from consult.core.types import today_in_warsaw
from consult.extensions import db
from consult.postulates.models import Position

bp = Blueprint("commitments", __name__)


@bp.app_context_processor
def _commitments_of():
    """`commitments_of(position)` for the pages that show positions (the postulate's page)."""
    def commitments_of(position):
        return queries.of_positions([position.id])[position.id]
    return {"commitments_of": commitments_of, "today_in_warsaw": today_in_warsaw, "may_manage_commitments": lambda p: may_manage(current_user, p)
            if current_user.is_authenticated else False}


def _position(postulate_id: int, position_id: int) -> Position:
    position = db.get_or_404(Position, position_id)
    if position.postulate_id != postulate_id:
        abort(404)
    if not may_manage(current_user, position):
        abort(403)
    return position


def _units():
    from consult.organisations.queries import active_units

    return active_units()  # an inactive unit takes on no new commitment


@bp.route("/postulaty/<int:postulate_id>/stanowiska/<int:position_id>/zobowiazania/nowe", methods=["GET", "POST"])
@roles("unit", "coordinator")
def new(postulate_id: int, position_id: int):
    position = _position(postulate_id, position_id)
    form = CommitmentForm()
    form.unit_id.choices = ([SelectChoice("", _("– kto inny (wpisz poniżej) –"))]
                            + [SelectChoice(str(u.id), u.name) for u in _units()])
    if not form.is_submitted():
        form.unit_id.data = position.unit_id
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(add_commitment, acting_user(), position, what=form.what.data, unit_id=form.unit_id.data,
                           operator=form.operator.data, due_on=form.due_on.data, form_token=posted_token())
            saved = True
        except AlreadyDone:  # the form sent again: the commitment it made is on the postulate's page
            saved = True
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra, saved = show_refusal(form, exc), False
        if saved:
            flash(_("Zapisano zobowiązanie."), "success")
            return redirect(url_for("postulates.detail", postulate_id=postulate_id) + f"#position-{position.id}")
    return render_template("commitments/new.html", form=form, position=position, extra=extra,
                           page_error=bool(extra or form.errors))


@bp.route("/zobowiazania/<int:commitment_id>/wykonane", methods=["GET", "POST"])
@roles("unit", "coordinator")
def complete(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    if not (may_manage(current_user, commitment.position)
            or (has_role(current_user, "unit") and current_user.unit_id == commitment.unit_id)):
        abort(403)
    form = CompleteCommitmentForm()
    extra: list = []
    if commitment.done and request.method == "GET":
        flash(_("To zobowiązanie zapisano już jako wykonane."), "success")
        return redirect(url_for("postulates.detail", postulate_id=commitment.position.postulate_id))
    if form.validate_on_submit():
        try:
            in_transaction(complete_commitment, acting_user(), commitment, note=form.note.data,
                           evidence_url=form.evidence_url.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano wykonanie zobowiązania."), "success")
            return redirect(url_for("postulates.detail", postulate_id=commitment.position.postulate_id)
                            + f"#position-{commitment.position_id}")
    return render_template("commitments/complete.html", form=form, commitment=commitment, extra=extra,
                           page_error=bool(extra or form.errors))


@bp.route("/zobowiazania")
@roles("unit", "coordinator")
def open_list():
    overdue_only = request.args.get("po_terminie") == "1"
    unit_id = None if has_role(current_user, "coordinator") else current_user.unit_id
    today = today_in_warsaw()
    page = queries.open_page(unit_id=unit_id, overdue_only=overdue_only, today=today, page=page_number())
    return render_template("commitments/open.html", page=page, today=today, overdue_only=overdue_only)
