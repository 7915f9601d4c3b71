"""Recovering and changing access: a forgotten password (a link by e-mail), one's own password and address, and
the link of an invitation. The links' pages (public) show what the link does and change it only on a POST, so
that a mail program that opens links to look at them uses nothing up."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from consult.auth import operations, throttle
from consult.auth.forms import (
    ButtonForm,
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    NewPasswordForm,
)
from consult.auth.models import User
from consult.core import tokens
from consult.core.access import acting_user, public, signed_in
from consult.core.errors import Forbidden, Refused
from consult.core.forms import show_refusal
from consult.core.operations import in_transaction
from consult.extensions import db

bp = Blueprint("account", __name__)


def _link_gone(exc: tokens.TokenInvalid, what: str):
    """The page of a link that works no more: expired (410) or used, replaced or never ours (404)."""
    expired = isinstance(exc, tokens.TokenExpired)
    return render_template("account/link_gone.html", expired=expired, what=what), 410 if expired else 404


def _sign_in_again(user) -> None:
    """Sign this browser in with the account's new session generation (the others stay ended)."""
    session.clear()
    login_user(user)


@bp.route("/haslo/nie-pamietam", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        in_transaction(operations.request_password_reset, form.email.data, throttle.client_address())
        # The same page whether or not an account has the address.
        return render_template("account/reset_sent.html", email=operations.normal_email(form.email.data))
    return render_template("account/forgot_password.html", form=form)


@bp.route("/haslo/nowe/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        user = operations.user_to_reset(token)
    except tokens.TokenInvalid as exc:
        db.session.rollback()
        return _link_gone(exc, "reset")
    form = NewPasswordForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            user = in_transaction(operations.reset_password, token, form.password.data)
        except tokens.TokenInvalid as exc:
            return _link_gone(exc, "reset")
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            _sign_in_again(user)
            flash(_("Ustawiono nowe hasło. Wszystkie inne sesje Twojego konta zostały zakończone."), "success")
            return redirect(url_for("public.home"))
    return render_template("account/new_password.html", form=form, extra=extra, page_error=bool(extra),
                           user=user, invitation=False)


@bp.route("/zaproszenie/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    try:
        user = operations.invitee(token)
    except tokens.TokenInvalid as exc:
        db.session.rollback()
        return _link_gone(exc, "invitation")
    form = NewPasswordForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            user = in_transaction(operations.accept_invitation, token, form.password.data)
        except tokens.TokenInvalid as exc:
            return _link_gone(exc, "invitation")
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            _sign_in_again(user)
            flash(_("Witamy w consult! Hasło zostało ustawione, jesteś zalogowany."), "success")
            return redirect(url_for("public.home"))
    return render_template("account/new_password.html", form=form, extra=extra, page_error=bool(extra),
                           user=user, invitation=True)


@bp.route("/konto")
@signed_in
def settings():
    return render_template("account/settings.html", user=acting_user())


@bp.route("/konto/haslo", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(operations.change_password, acting_user(), current=form.current.data, new=form.new.data)
        except Forbidden:
            abort(403)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            _sign_in_again(db.session.get(User, acting_user().id))
            flash(_("Hasło zostało zmienione. Wszystkie inne sesje Twojego konta zostały zakończone."), "success")
            return redirect(url_for("account.settings"))
    return render_template("account/change_password.html", form=form, extra=extra, page_error=bool(extra))


@bp.route("/konto/adres", methods=["GET", "POST"])
@signed_in
def change_email():
    form = ChangeEmailForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(operations.request_email_change, acting_user(), new_email=form.email.data,
                           password=form.password.data)
        except Refused as exc:
            extra = show_refusal(form, exc)
        else:
            flash(_("Wysłaliśmy link na adres %(email)s. Adres konta zmieni się, gdy go otworzysz.",
                    email=operations.normal_email(form.email.data)), "success")
            return redirect(url_for("account.settings"))
    return render_template("account/change_email.html", form=form, extra=extra, page_error=bool(extra))


@bp.route("/konto/adres/<token>", methods=["GET", "POST"])
@public
def confirm_email(token: str):
    try:
        user, new_email = operations.email_change_of(token)
    except tokens.TokenInvalid as exc:
        db.session.rollback()
        return _link_gone(exc, "email")
    form = ButtonForm()
    extra: list = []
    if form.validate_on_submit():
        try:
            in_transaction(operations.confirm_email_change, token)
        except tokens.TokenInvalid as exc:
            return _link_gone(exc, "email")
        except Refused as exc:
            extra = [("confirm", exc.reason)]
        else:
            flash(_("Adres e-mail konta to teraz %(email)s.", email=new_email), "success")
            return redirect(url_for("account.settings") if _is_signed_in_as(user) else url_for("public.home"))
    return render_template("account/confirm_email.html", form=form, extra=extra, page_error=bool(extra), user=user,
                           new_email=new_email)


def _is_signed_in_as(user) -> bool:
    from flask_login import current_user

    return current_user.is_authenticated and current_user.id == user.id
