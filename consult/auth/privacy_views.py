"""A signed-in person's own data: what consult holds about them (JSON) and erasing their account."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import logout_user
from wtforms import PasswordField

from consult.auth import privacy
from consult.auth.models import User
from consult.core.access import acting_user, signed_in
from consult.core.errors import Forbidden, Refused
from consult.core.forms import ConsultForm, show_refusal
from consult.core.operations import in_transaction
from consult.extensions import db

bp = Blueprint("privacy", __name__)


class ErasureForm(ConsultForm):
    password = PasswordField(_l("Twoje hasło"))


@bp.route("/konto/dane")
@signed_in
def index():
    user = acting_user()
    return render_template("auth/personal_data.html", user=user)


@bp.route("/konto/dane.json", methods=["POST"])
@signed_in
def download():
    """The download is a POST (a button with its CSRF token): it leaves an audit event, and a GET changes nothing."""
    user = acting_user()
    data = in_transaction(privacy.export_personal_data, user, db.session.get(User, user.id))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="moje-dane-consult-{user.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/konto/usun", methods=["GET", "POST"])
@signed_in
def erase():
    user = acting_user()
    form = ErasureForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(privacy.erase_account, user, db.session.get(User, user.id), password=form.password.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            db.session.rollback()
            extra = show_refusal(form, exc)
        else:
            logout_user()
            session.clear()
            flash(_("Twoje dane osobowe zostały usunięte, a konto zamknięte."), "success")
            return redirect(url_for("public.home"))
    user = db.session.get(User, user.id)
    return render_template("auth/erase.html", form=form, user=user, extra=extra, page_error=bool(extra),
                           only_member=privacy.only_member_of_organisation(user),
                           last_admin=privacy.last_administrator(user),
                           sole_org_admin=privacy.sole_organisation_administrator(user))
