"""Signing in and out, and choosing the language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from consult import i18n
from consult.auth import operations, throttle
from consult.auth.forms import LoginForm
from consult.core.access import acting_user, public, signed_in
from consult.core.errors import Refused
from consult.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """A path on this site to go back to; None for anything else. Whitespace and control characters (a line break
    would end the Location header: an error, or a header of the attacker's) and backslashes (browsers read
    "/\\evil.example" as "//evil.example", another site) are no part of a path the site links to."""
    if not target or any(c.isspace() or c < " " or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/logowanie", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = operations.sign_in(form.email.data, form.password.data, throttle.client_address())
        except operations.Throttled as exc:
            db.session.commit()  # the failure that started the wait, and its audit event, count
            form.email.errors.append(exc.reason)
            status = 429
        except Refused as exc:
            db.session.commit()  # a failure is recorded: it counts towards the wait
            form.email.errors.append(exc.reason)
        else:
            if user.email_confirmed_at is None:
                # The right password of an account whose address is not confirmed yet: say so (only to whoever
                # knows the password) and offer the link again.
                from consult.membership.forms import ResendForm

                db.session.rollback()
                return render_template("auth/login.html", form=form, unconfirmed=user.email,
                                       resend_form=ResendForm(data={"email": user.email}))
            if user.locale is None and i18n.valid(request.cookies.get(i18n.COOKIE)):
                user.locale = request.cookies[i18n.COOKIE]  # the language chosen before signing in
            db.session.commit()
            session.clear()
            login_user(user)
            if user.role == "ngo" and user.organisation_id is None:  # a newcomer: register or join an organisation
                return redirect(url_for("membership.organisation"))
            return redirect(_safe_next(request.args.get("next")) or url_for("public.home"))
    return render_template("auth/login.html", form=form), status


@bp.route("/wyloguj", methods=["POST"])
@signed_in
def logout():
    """Sign out everywhere: the account's session generation moves on, so that a copy of this session's cookie
    (or any other browser's) signs nobody in any more."""
    operations.sign_out(acting_user())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Wylogowano."), "info")
    return redirect(url_for("public.home"))


@bp.route("/jezyk/<lang>", methods=["GET", "POST"])
@public
def set_language(lang: str):
    """Remember the language chosen with the switcher: in a cookie, and on the account of a signed-in user."""
    response = redirect(_safe_next(request.values.get("next")) or url_for("public.home"))
    if i18n.valid(lang):
        response.set_cookie(i18n.COOKIE, lang, max_age=i18n.COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    return response
