"""The pages of commission members: the commissions they sit on, the offers they score in a call, the
conflict-of-interest declaration and the scoring card.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from consult.calls import operations as ops
from consult.calls import queries
from consult.calls.access import can_view_offer, sitting_member
from consult.calls.models import Call
from consult.calls.views import bp
from consult.core.access import acting_user, ensure, signed_in
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.operations import in_transaction, transaction
from consult.core.submissions import posted_token
from consult.extensions import db


def _member_or_403(call: Call):
    member = sitting_member(current_user, call)
    ensure(member is not None)
    return member


@bp.app_context_processor
def _commission_nav():
    # A function, so that the query runs only on pages whose nav asks (signed-in users).
    return {"sits_on_commission": lambda: queries.sits_on_commission(current_user)}


@bp.route("/komisja")
@signed_in
def seats():
    """The commissions the user sits on, with the offers left to declare and to score in each."""
    from consult.calls.models import CALL_STATES
    from consult.core.paging import choice_arg, page_number, search_term

    page = queries.seats_page(current_user, search=search_term(), state=choice_arg("stan", CALL_STATES),
                              page=page_number())
    return render_template("calls/seats.html", seats=page, page=page, states=CALL_STATES)


@bp.route("/komisja/konkursy/<int:call_id>")
@signed_in
def commission(call_id: int):
    """A member's list of the offers they score in a call, with the state of their own sheet."""
    call = db.get_or_404(Call, call_id)
    _member_or_403(call)
    from consult.core.paging import choice_arg, page_number, search_term

    page = queries.offers_to_score_page(current_user, call, search=search_term(),
                                        sheet=choice_arg("ocena", queries.SHEET_FILTERS), page=page_number())
    return render_template("calls/commission.html", call=call, page=page)


def _score_page(
    offer,
    form: FlaskForm,
    extra: list,
    errors: dict | None = None,
    values: dict | None = None,
    status: int = 200,
):
    call = offer.call
    sheet = queries.own_sheet(current_user, offer)
    declaration = queries.declaration_of(current_user, offer)
    return render_template(
        "calls/score.html",
        offer=offer,
        call=call,
        card=queries.card(call),
        sheet=sheet,
        declaration=declaration,
        others=[s for s in queries.visible_sheets(current_user, offer) if s is not sheet],
        standing=queries.visible_score(current_user, offer),
        form=form,
        extra=extra,
        page_error=bool(extra),
        errors=errors or {},
        values=values or {},
        can_score=call.state == "evaluation" and (sheet is None or sheet.state == "draft"),
    ), status


def _member_offer(offer_id: int):
    """The offer, for a member sitting on its call who may read it (404, 403 otherwise)."""
    offer = queries.offer_with_sections(offer_id)
    if offer is None:
        abort(404)
    _member_or_403(offer.call)
    ensure(can_view_offer(current_user, offer))
    return offer


@bp.route("/oferty/<int:offer_id>/ocena", methods=["GET", "POST"])
@signed_in
def score(offer_id: int):
    """The member's card for one offer: points per criterion, saved as a draft; "Złóż ocenę" saves them and,
    when every criterion has points, leads to the confirmation page where the sheet is submitted."""
    offer = _member_offer(offer_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return _score_page(offer, form, [])
    values = {c.id: request.form.get(f"points-{c.id}", "") for c in offer.call.scored_criteria}
    submit = request.form.get("action") == "submit"
    try:
        missing = in_transaction(_save_scores, acting_user(), offer, values, request.form.get("comment"),
                                 form_token=posted_token())
    except AlreadyDone:
        # Sent before (a double click): where the first post went.
        if submit:
            return redirect(url_for("calls.submit_score", offer_id=offer.id))
        flash(_("Ten formularz został już wysłany – oto zapisana ocena oferty %(ref)s.", ref=offer.reference),
              "success")
        return redirect(url_for("calls.score", offer_id=offer.id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        field = exc.field or "main"
        return _score_page(offer, form, [(field, exc.reason)], errors={field: exc.reason}, values=values)
    if submit and missing:
        message = _(
            "Zapisano roboczą ocenę. Aby ją złożyć, przyznaj punkty za każde kryterium; brakuje oceny za "
            "„%(title)s”.",
            title=missing[0].title,
        )
        field = f"points-{missing[0].id}"
        return _score_page(offer, form, [(field, message)], errors={field: message})
    if submit:
        return redirect(url_for("calls.submit_score", offer_id=offer.id))
    flash(_("Zapisano roboczą ocenę oferty %(ref)s.", ref=offer.reference), "success")
    return redirect(url_for("calls.score", offer_id=offer.id))


def _save_scores(actor, offer, values: dict, comment: str | None, *, form_token: str | None) -> list:
    """Save the points; the criteria still without any (none: the sheet may be submitted)."""
    sheet = ops.save_scores(actor, offer, values, comment=comment, form_token=form_token)
    return ops.scores_missing(sheet, offer.call)


def _submit_page(offer, form: FlaskForm, extra: list):
    sheet = queries.own_sheet(current_user, offer)
    return render_template(
        "calls/confirm_score.html",
        offer=offer,
        call=offer.call,
        card=queries.card(offer.call),
        sheet=sheet,
        missing=ops.scores_missing(sheet, offer.call),
        form=form,
        extra=extra,
        page_error=bool(extra),
    )


@bp.route("/oferty/<int:offer_id>/ocena/zlozenie", methods=["GET", "POST"])
@signed_in
def submit_score(offer_id: int):
    """Submitting a score sheet: the points as saved, that a submitted sheet cannot change (GET), then the step."""
    offer = _member_offer(offer_id)
    sheet = queries.own_sheet(current_user, offer)
    if sheet is None or sheet.state != "draft":
        return redirect(url_for("calls.score", offer_id=offer.id))
    form = FlaskForm()
    if not form.validate_on_submit():
        return _submit_page(offer, form, [])
    try:
        with transaction():
            ops.submit_scores(acting_user(), offer)
    except Forbidden:
        abort(403)
    except Refused as exc:
        db.session.expire_all()
        return _submit_page(_member_offer(offer_id), form, [("confirm", exc.reason)])
    flash(_("Ocena oferty %(ref)s została złożona.", ref=offer.reference), "success")
    return redirect(url_for("calls.score", offer_id=offer.id))


@bp.route("/oferty/<int:offer_id>/oswiadczenie", methods=["GET", "POST"])
@signed_in
def declare(offer_id: int):
    """The member declares, before scoring, that there is no conflict of interest (or that there is one).
    The form and a refusal are on the scoring page (GET: that page)."""
    offer = _member_offer(offer_id)
    if request.method == "GET":
        return redirect(url_for("calls.score", offer_id=offer.id))
    form = FlaskForm()
    if not form.validate_on_submit():
        return _score_page(offer, form, [])
    choice = request.form.get("has_conflict")
    if choice not in ("yes", "no"):
        message = _("Zaznacz, czy występuje konflikt interesów.")
        return _score_page(offer, form, [("has_conflict", message)], errors={"has_conflict": message})
    try:
        in_transaction(ops.declare_conflict, acting_user(), offer, has_conflict=choice == "yes",
                       note=request.form.get("note"), form_token=posted_token())
    except AlreadyDone:
        flash(_("Ten formularz został już wysłany – oświadczenie dotyczące oferty %(ref)s jest złożone.",
                ref=offer.reference), "success")
        declaration = queries.declaration_of(current_user, offer)
        if declaration is not None and declaration.has_conflict:
            return redirect(url_for("calls.commission", call_id=offer.call_id))
        return redirect(url_for("calls.score", offer_id=offer.id))
    except Forbidden:
        abort(403)
    except Refused as exc:
        return _score_page(offer, form, [(exc.field or "has_conflict", exc.reason)])
    if choice == "yes":
        flash(_("Zgłoszono konflikt interesów: nie oceniasz oferty %(ref)s.", ref=offer.reference), "success")
        return redirect(url_for("calls.commission", call_id=offer.call_id))
    return redirect(url_for("calls.score", offer_id=offer.id))
