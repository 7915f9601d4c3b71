"""The pages of the small-grant journey (art. 19a): the public list and page of each offer open for comments (with
the comment form and the confirmation link), the Atom feed; the NGO's offers and the filing form; the unit's queue;
the case of one offer (judgement, decision, moderation of comments) and its agreement as PDF; its reports after
the award are consult/grant_reports."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from consult.core import tokens
from consult.core.access import acting_user, ensure, has_role, public, roles, signed_in
from consult.core.errors import Forbidden, Refused
from consult.core.forms import show_refusal
from consult.core.operations import in_transaction
from consult.core.operations import state_label as core_state_label
from consult.core.types import today_in_warsaw
from consult.documents import storage
from consult.documents.models import DocumentVersion
from consult.extensions import db
from consult.grant_reports.subjects import subject_of
from consult.i18n import format_day
from consult.organisations.models import Unit
from consult.organisations.register_data import SPHERES, sphere_label
from consult.smallgrants import operations as ops
from consult.smallgrants.forms import (
    BUDGET_LINES,
    CommentForm,
    DecisionForm,
    HideCommentForm,
    JudgeForm,
    ReassignForm,
    SmallGrantOfferForm,
)
from consult.smallgrants.models import SmallGrantComment, SmallGrantOffer
from consult.smallgrants.queries import open_for_comments, public_offer_or_none
from consult.smallgrants.views import bp


def state_label(state: str) -> str:
    return core_state_label("small_grant_offer", state)


def _offer_or_404(offer_id: int) -> SmallGrantOffer:
    return db.session.get(SmallGrantOffer, offer_id) or abort(404)


def _units():
    return db.session.scalars(db.select(Unit).where(Unit.active).order_by(Unit.name)).all()


# --- public ---------------------------------------------------------------------------------------------------

@bp.route("/male-granty")
@public
def public_list():
    from consult.smallgrants.queries import granted

    return render_template("smallgrants/public_list.html", offers=open_for_comments(), days_left=ops.days_left,
                           today=today_in_warsaw(), granted=granted())


@bp.route("/male-granty/uwagi.atom")
@public
def feed():
    offers = open_for_comments()
    body = render_template("smallgrants/feed.xml", offers=offers, days_left=ops.days_left)
    return Response(body, mimetype="application/atom+xml")


@bp.route("/male-granty/oferty/<int:offer_id>", methods=["GET", "POST"])
@public
def public_offer(offer_id: int):
    offer = public_offer_or_none(offer_id) or abort(404)
    form = CommentForm()
    extra: list = []
    # after a comment is taken the page is asked for again (its address says so), so that reloading it does not
    # send the comment, and its link, a second time
    sent = request.args.get("wyslano") == "1"
    if form.validate_on_submit():
        try:
            in_transaction(ops.add_comment, offer, name=form.name.data, email=form.email.data, text=form.text.data)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            return redirect(url_for("smallgrants.public_offer", offer_id=offer.id, wyslano=1, _anchor="zglos-uwage"))
    return render_template("smallgrants/public_offer.html", offer=offer, form=form, extra=extra, sent=sent,
                           page_error=bool(extra or form.errors), open=ops.comments_open(offer),
                           days_left=ops.days_left(offer), state_label=state_label)


@bp.route("/male-granty/uwagi/potwierdzenie/<token>", methods=["GET", "POST"])
@public
def confirm_comment(token: str):
    from consult.auth.forms import ButtonForm

    try:
        comment = ops.comment_of(token)
    except tokens.TokenExpired:
        return render_template("smallgrants/comment_link.html", gone="expired"), 410
    except tokens.TokenInvalid:
        return render_template("smallgrants/comment_link.html", gone="invalid"), 404
    form = ButtonForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(ops.confirm_comment, token)
        except tokens.TokenInvalid:
            return render_template("smallgrants/comment_link.html", gone="invalid"), 404
        except Refused as exc:
            extra = [("main", exc.reason)]
        else:
            flash(_("Dziękujemy: uwaga jest dołączona do oferty."), "success")
            return redirect(url_for("smallgrants.public_offer", offer_id=comment.offer_id))
    return render_template("smallgrants/comment_link.html", gone=None, form=form, comment=comment, extra=extra,
                           page_error=bool(extra))


# --- the NGO -----------------------------------------------------------------------------------------------------

@bp.route("/male-granty/moje")
@roles("ngo")
def mine():
    user = acting_user()
    offers = db.session.scalars(db.select(SmallGrantOffer).where(
        SmallGrantOffer.organisation_id == user.organisation_id).order_by(SmallGrantOffer.id.desc())).all() \
        if user.organisation_id else []
    return render_template("smallgrants/mine.html", offers=offers, state_label=state_label)


@bp.route("/male-granty/nowa", methods=["GET", "POST"])
@roles("ngo")
def new_offer():
    user = acting_user()
    if user.organisation_id is None:
        abort(403)
    form = SmallGrantOfferForm()
    form.unit.choices = ([SelectChoice("", _("– wybierz –"))]
                         + [SelectChoice(str(u.id), u.name) for u in _units()])
    form.sphere.choices = [SelectChoice("", _("– wybierz –"))] + [SelectChoice(code, sphere_label(code))
                                                                    for code in SPHERES]
    extra: list = []
    if form.validate_on_submit():
        unit_id = int(form.unit.data) if (form.unit.data or "").isdigit() and len(form.unit.data) < 10 else None
        lines = [{"name": form[f"line{i}_name"].data, "total": form[f"line{i}_total"].data,
                  "from_grant": form[f"line{i}_from_grant"].data} for i in range(BUDGET_LINES)]
        try:
            offer = in_transaction(
                ops.file_small_grant_offer, user, unit_id=unit_id, title=form.title.data,
                description=form.description.data, place=form.place.data, starts=form.starts.data,
                ends=form.ends.data, expected_results=form.expected_results.data, budget_lines=lines,
                sphere=form.sphere.data or None)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Złożono ofertę %(ref)s. Komórka oceni celowość zadania do %(day)s.", ref=offer.reference,
                    day=format_day(offer.judge_by)), "success")
            return redirect(url_for("smallgrants.case", offer_id=offer.id))
    return render_template("smallgrants/offer_form.html", form=form, extra=extra, lines=BUDGET_LINES,
                           page_error=bool(extra or form.errors))


# --- the unit and coordinators -----------------------------------------------------------------------------------

@bp.route("/male-granty/kolejka")
@roles("unit", "coordinator")
def queue():
    user = acting_user()
    query = db.select(SmallGrantOffer).where(SmallGrantOffer.state.in_(("filed", "open_for_comments", "granted")))
    if not has_role(user, "coordinator"):
        query = query.where(SmallGrantOffer.unit_id == user.unit_id)
    offers = db.session.scalars(query.options(selectinload(SmallGrantOffer.organisation),
                                              selectinload(SmallGrantOffer.unit))
                                .order_by(SmallGrantOffer.judge_by, SmallGrantOffer.id)).all()
    today = today_in_warsaw()
    overdue = [o for o in offers if o.judge_overdue(today)]
    return render_template("smallgrants/queue.html", offers=offers, state_label=state_label, today=today,
                           overdue=overdue, days_left=ops.days_left, comments_open=ops.comments_open)


def _render_case(offer, *, status: int = 200, **forms):
    user = acting_user()
    forms.setdefault("judge_form", JudgeForm(formdata=None))
    forms.setdefault("decision_form", DecisionForm(formdata=None))
    forms.setdefault("reassign_form", ReassignForm(formdata=None))
    forms["reassign_form"].unit.choices = [SelectChoice(str(u.id), u.name) for u in _units() if u.id != offer.unit_id]
    forms.setdefault("hide_form", HideCommentForm(formdata=None))
    extra = forms.pop("extra", [])
    page_error = bool(extra) or any(f.errors for f in forms.values())
    # the links to the agreement and the report only for those who may open them (the checks of their routes)
    report_subject = subject_of(offer)
    may_open_report = report_subject.reportable and report_subject.may_see(user)
    return render_template("smallgrants/case.html", offer=offer, state_label=state_label,
                           may_open_agreement=ops.can_see_agreement(user, offer), may_open_report=may_open_report,
                           can_decide=ops.can_decide(user, offer), is_coordinator=has_role(user, "coordinator"),
                           is_member=ops.is_member_of(user, offer.organisation_id),
                           comments_open=ops.comments_open(offer), days_left=ops.days_left(offer), extra=extra,
                           today=today_in_warsaw(),
                           page_error=page_error, **forms), status


@bp.route("/male-granty/sprawy/<int:offer_id>")
@signed_in
def case(offer_id: int):
    offer = _offer_or_404(offer_id)
    ensure(ops.can_see_case(acting_user(), offer))
    return _render_case(offer)


def _act(offer, form_name: str, form, operation, *args, success: str, **kwargs):
    if form.validate_on_submit():
        try:
            in_transaction(operation, acting_user(), *args, **kwargs)
        except Forbidden:
            abort(403)
        except Refused as exc:
            return _render_case(offer, extra=show_refusal(form, exc), **{form_name: form})
        flash(success, "success")
        return redirect(url_for("smallgrants.case", offer_id=offer.id))
    return _render_case(offer, **{form_name: form})


@bp.route("/male-granty/sprawy/<int:offer_id>/celowosc", methods=["POST"])
@roles("unit", "coordinator")
def judge(offer_id: int):
    offer = _offer_or_404(offer_id)
    ensure(ops.can_decide(acting_user(), offer))
    form = JudgeForm()
    if form.is_submitted() and form.verdict.data not in ("purposeful", "refused"):
        form.verdict.errors = [_("Wybierz, czy zadanie jest celowe.")]
        return _render_case(offer, judge_form=form)
    return _act(offer, "judge_form", form, ops.judge_purpose, offer, purposeful=form.verdict.data == "purposeful",
                reason=form.reason.data, success=_("Zapisano ocenę celowości."))


@bp.route("/male-granty/sprawy/<int:offer_id>/komorka", methods=["POST"])
@roles("coordinator")
def reassign(offer_id: int):
    offer = _offer_or_404(offer_id)
    form = ReassignForm()
    data = form.unit.data or ""
    unit_id = int(data) if data.isdigit() and len(data) < 10 else None
    return _act(offer, "reassign_form", form, ops.reassign_small_grant_offer, offer, unit_id=unit_id,
                success=_("Przekazano ofertę innej komórce."))


@bp.route("/male-granty/sprawy/<int:offer_id>/decyzja", methods=["POST"])
@roles("unit", "coordinator")
def decide(offer_id: int):
    offer = _offer_or_404(offer_id)
    ensure(ops.can_decide(acting_user(), offer))
    form = DecisionForm()
    if form.is_submitted() and form.verdict.data not in ("grant", "refuse", "refuse_limit"):
        form.verdict.errors = [_("Wybierz rozstrzygnięcie.")]
        return _render_case(offer, decision_form=form)
    return _act(offer, "decision_form", form, ops.decide_small_grant, offer, grant=form.verdict.data == "grant",
                for_limits=form.verdict.data == "refuse_limit", amount=form.amount.data, reason=form.reason.data,
                success=_("Zapisano rozstrzygnięcie."))


@bp.route("/male-granty/uwagi/<int:comment_id>/ukrycie", methods=["POST"])
@roles("coordinator")
def hide_comment(comment_id: int):
    comment = db.session.get(SmallGrantComment, comment_id) or abort(404)
    form = HideCommentForm()
    return _act(comment.offer, "hide_form", form, ops.hide_comment, comment, reason=form.reason.data,
                success=_("Uwaga jest ukryta."))


@bp.route("/male-granty/sprawy/<int:offer_id>/umowa.pdf")
@signed_in
def agreement(offer_id: int):
    from consult.smallgrants.agreement import agreement_pdf

    offer = _offer_or_404(offer_id)
    user = acting_user()
    ensure(ops.can_see_agreement(user, offer))
    if offer.state not in ("granted", "reported"):
        abort(404)
    filename = f'umowa-{offer.reference.replace("/", "-")}.pdf'
    kept = db.session.scalar(db.select(DocumentVersion).where(
        DocumentVersion.kind == "small_grant_agreement", DocumentVersion.subject_id == offer.id)
        .order_by(DocumentVersion.number.desc()).limit(1))
    if kept is not None:  # the agreement as compiled when the grant was decided
        return send_file(storage.path_of(kept.storage_key), mimetype="application/pdf", download_name=filename,
                         as_attachment=False)
    pdf = agreement_pdf(offer)  # its compile is still running (or the grant predates it)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"'})
