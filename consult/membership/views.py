"""Signing up (/rejestracja), one's organisation (/organizacja) and the city's verification of organisations that
registered themselves (/rejestry/organizacje/do-weryfikacji)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import i18n
from consult.auth.models import User
from consult.core import tokens
from consult.core.access import acting_user, ensure, has_role, is_org_admin_of, public, roles
from consult.core.errors import AlreadyDone, Forbidden, Refused
from consult.core.forms import show_refusal
from consult.core.input import id_value
from consult.core.operations import in_transaction
from consult.core.paging import like_any, search_term
from consult.core.submissions import posted_token
from consult.extensions import db
from consult.membership import operations as ops
from consult.membership.forms import (DecisionForm, MemberRoleForm, ProfileForm, RegisterOrganisationForm,
                                      ResendForm, SignUpForm, SubmitPolicyForm, VerificationForm)
from consult.membership.models import JoinRequest
from consult.organisations.models import Organisation
from consult.organisations.register_data import ORGANISATION_STATUSES, SUBMIT_POLICIES

bp = Blueprint("membership", __name__)


def _get(model, ident):
    ident = id_value(ident)
    return db.session.get(model, ident) if ident is not None else None


# --- signing up -------------------------------------------------------------------------------------------------

@bp.route("/rejestracja", methods=["GET", "POST"])
@public
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("membership.organisation") if has_role(current_user, "ngo", "newcomer")
                        else url_for("public.home"))
    form = SignUpForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(ops.sign_up, name=form.name.data, email=form.email.data, password=form.password.data,
                           locale=i18n.current_locale())
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            return redirect(url_for("membership.sent"))
    return render_template("membership/sign_up.html", form=form, extra=extra, page_error=bool(extra))


@bp.route("/rejestracja/wyslano")
@public
def sent():
    return render_template("membership/sent.html", form=ResendForm())


@bp.route("/rejestracja/ponow", methods=["POST"])
@public
def resend():
    form = ResendForm()
    if form.validate_on_submit():
        try:
            in_transaction(ops.resend_confirmation, form.email.data)
        except Refused as exc:
            show_refusal(form, exc)
        else:
            flash(_("Jeśli konto z tym adresem czeka na potwierdzenie, wysłaliśmy nowy link."), "info")
            return redirect(url_for("membership.sent"))
    return render_template("membership/sent.html", form=form, page_error=True)


@bp.route("/rejestracja/potwierdz/<token>")
@public
def confirm(token: str):
    try:
        user = in_transaction(ops.confirm_email, token)
    except tokens.TokenExpired:
        return render_template("membership/link_invalid.html", expired=True, form=ResendForm()), 410
    except tokens.TokenInvalid:
        return render_template("membership/link_invalid.html", expired=False, form=ResendForm()), 404
    return render_template("membership/confirmed.html", resident=user.role == "resident")


# --- one's organisation -----------------------------------------------------------------------------------------

def _members(organisation_id: int) -> list[User]:
    return db.session.scalars(db.select(User).where(User.organisation_id == organisation_id)
                              .order_by(User.name, User.id)).all()


@bp.route("/organizacja")
@roles("ngo", "newcomer")
def organisation():
    user = current_user
    if user.organisation_id is None:
        pending = db.session.scalar(db.select(JoinRequest).where(JoinRequest.user_id == user.id,
                                                                 JoinRequest.status == "pending"))
        return render_template("membership/start.html", pending=pending)
    org = user.organisation
    is_admin = is_org_admin_of(user, org.id)
    requests = db.session.scalars(db.select(JoinRequest).where(
        JoinRequest.organisation_id == org.id, JoinRequest.status == "pending").order_by(JoinRequest.id)).all() \
        if is_admin else []
    policy_form = SubmitPolicyForm(data={"submit_policy": org.submit_policy})
    return render_template("membership/organisation.html", org=org, is_admin=is_admin, members=_members(org.id),
                           requests=requests, policy_form=policy_form, decision_form=DecisionForm(),
                           role_form=MemberRoleForm(),
                           status_label=ORGANISATION_STATUSES.get(org.status, org.status),
                           policy_label=SUBMIT_POLICIES.get(org.submit_policy, org.submit_policy))


@bp.route("/organizacja/nowa", methods=["GET", "POST"])
@roles("newcomer")
def register():
    form = RegisterOrganisationForm()
    extra: list = []
    existing = None
    if form.validate_on_submit():
        try:
            in_transaction(ops.register_organisation, acting_user(), name=form.name.data, krs=form.krs.data,
                           nip=form.nip.data, regon=form.regon.data, form_token=posted_token(), **form.profile())
        except AlreadyDone:
            flash(_("Ten formularz został już wysłany – organizacja jest już zarejestrowana."), "success")
            return redirect(url_for("membership.organisation"))
        except ops.AlreadyRegistered as exc:
            existing = db.session.get(Organisation, exc.organisation.id)
            extra = show_refusal(form, exc)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zarejestrowano organizację. Koordynator sprawdzi jej dane; do tego czasu możesz przygotowywać "
                    "szkice, ale nie możesz niczego składać."), "success")
            return redirect(url_for("membership.organisation"))
    return render_template("membership/register.html", form=form, extra=extra, existing=existing,
                           page_error=bool(extra) or bool(form.errors))


@bp.route("/organizacja/dolacz")
@roles("newcomer")
def find():
    term = search_term()
    found = []
    if term:
        digits = "".join(c for c in term if c.isdigit())
        conditions = [like_any(term, Organisation.name)]
        if len(digits) == 10:
            conditions += [Organisation.krs == digits, Organisation.nip == digits]
        found = db.session.scalars(db.select(Organisation).where(db.or_(*conditions),
                                                                 Organisation.status != "refused")
                                   .order_by(Organisation.name).limit(20)).all()
    return render_template("membership/find.html", term=term, found=found)


@bp.route("/organizacja/dolacz/<int:organisation_id>", methods=["POST"])
@roles("newcomer")
def ask_to_join(organisation_id: int):
    org = _get(Organisation, organisation_id) or abort(404)
    try:
        in_transaction(ops.ask_to_join, acting_user(), org, form_token=posted_token())
    except AlreadyDone:
        pass
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
        return redirect(url_for("membership.organisation"))
    flash(_("Wysłano prośbę o dołączenie do organizacji %(name)s. Jej administratorzy zdecydują.", name=org.name),
          "success")
    return redirect(url_for("membership.organisation"))


@bp.route("/organizacja/prosby/<int:request_id>", methods=["POST"])
@roles("org_admin")
def decide(request_id: int):
    join = _get(JoinRequest, request_id) or abort(404)
    ensure(is_org_admin_of(current_user, join.organisation_id))
    form = DecisionForm()
    if form.validate_on_submit() and form.decision.data in ("approve", "refuse"):
        try:
            in_transaction(ops.decide_join_request, acting_user(), join, approve=form.decision.data == "approve",
                           reason=form.reason.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(exc.reason, "error")
        else:
            flash(_("Przyjęto do organizacji: %(name)s.", name=join.user.name) if form.decision.data == "approve"
                  else _("Odrzucono prośbę: %(name)s.", name=join.user.name), "success")
    else:
        flash(_("Wybierz: przyjmij albo odrzuć."), "error")
    return redirect(url_for("membership.organisation"))


@bp.route("/organizacja/zasady", methods=["POST"])
@roles("org_admin")
def submit_policy():
    form = SubmitPolicyForm()
    if form.validate_on_submit():
        try:
            in_transaction(ops.set_submit_policy, acting_user(), current_user.organisation, form.submit_policy.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(exc.reason, "error")
        else:
            flash(_("Zapisano, kto może składać w imieniu organizacji."), "success")
    return redirect(url_for("membership.organisation"))


@bp.route("/organizacja/czlonkowie/<int:user_id>/rola", methods=["POST"])
@roles("org_admin")
def member_role(user_id: int):
    member = _get(User, user_id) or abort(404)
    ensure(member.organisation_id == current_user.organisation_id)
    form = MemberRoleForm()
    if form.validate_on_submit():
        try:
            in_transaction(ops.set_member_role, acting_user(), member, form.role.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(exc.reason, "error")
        else:
            flash(_("Zapisano rolę: %(name)s.", name=member.name), "success")
    return redirect(url_for("membership.organisation"))


@bp.route("/organizacja/czlonkowie/<int:user_id>/usun", methods=["GET", "POST"])
@roles("org_admin")
def remove_member(user_id: int):
    """The confirmation page (GET), then the removal (POST): the person keeps the account, loses the organisation."""
    from consult.auth.forms import ButtonForm

    member = _get(User, user_id) or abort(404)
    ensure(member.organisation_id == current_user.organisation_id)
    form = ButtonForm()
    extra: list = []
    if form.validate_on_submit():
        name, myself = member.name, member.id == current_user.id
        try:
            in_transaction(ops.remove_member, acting_user(), member)
        except Forbidden:
            abort(403)
        except Refused as exc:
            db.session.rollback()
            extra = [("confirm", exc.reason)]
        else:
            flash(_("Opuściłeś lub opuściłaś organizację.") if myself
                  else _("Usunięto z organizacji: %(name)s. Ta osoba dostanie o tym wiadomość.", name=name),
                  "success")
            return redirect(url_for("membership.organisation"))
    member = db.session.get(User, user_id)
    return render_template("membership/remove_member.html", member=member, org=current_user.organisation,
                           form=form, extra=extra, page_error=bool(extra))


@bp.route("/organizacja/profil", methods=["GET", "POST"])
@roles("org_admin")
def profile():
    org = current_user.organisation
    form = ProfileForm(obj=None if request.method == "POST" else org,
                       data=None if request.method == "POST" else {"spheres": org.sphere_codes,
                                                                   "district": org.district or ""})
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(ops.update_profile, acting_user(), org, **form.profile())
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Zapisano profil organizacji."), "success")
            return redirect(url_for("membership.organisation"))
    return render_template("membership/profile.html", form=form, org=org, extra=extra,
                           page_error=bool(extra) or bool(form.errors))


# --- the city verifies ------------------------------------------------------------------------------------------

@bp.route("/rejestry/organizacje/do-weryfikacji")
@roles("coordinator", "admin")
def pending():
    orgs = db.session.scalars(db.select(Organisation).where(Organisation.status == "pending")
                              .order_by(Organisation.id)).all()
    admins = {o.id: [u for u in _members(o.id) if u.organisation_role == "administrator"] for o in orgs}
    return render_template("membership/pending.html", orgs=orgs, admins=admins, form=VerificationForm())


@bp.route("/rejestry/organizacje/<int:organisation_id>/weryfikacja", methods=["POST"])
@roles("coordinator", "admin")
def verify(organisation_id: int):
    org = _get(Organisation, organisation_id) or abort(404)
    form = VerificationForm()
    if form.validate_on_submit() and form.decision.data in ("verify", "refuse"):
        try:
            if form.decision.data == "verify":
                in_transaction(ops.verify_organisation, acting_user(), org)
            else:
                in_transaction(ops.refuse_organisation, acting_user(), org, reason=form.reason.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            flash(_("%(name)s: %(reason)s", name=org.name, reason=exc.reason), "error")
        else:
            flash(_("Zweryfikowano organizację %(name)s.", name=org.name) if form.decision.data == "verify"
                  else _("Odmówiono weryfikacji organizacji %(name)s.", name=org.name), "success")
    else:
        flash(_("Wybierz: zweryfikuj albo odmów."), "error")
    return redirect(url_for("membership.pending"))
