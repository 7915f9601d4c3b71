"""Accounts, for administrators: one account's page (its state, last sign-in and trail) where its name, role and
organisation or unit are edited, its invitation sent again, and the account deactivated or reactivated. The list
and the invitation form are in consult/admin/views.py."""
from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _

from consult.admin.forms import AccountForm
from consult.admin.views import bp
from consult.auth import operations
from consult.auth.forms import ButtonForm
from consult.auth.models import User
from consult.core import audit
from consult.core.access import acting_user, roles
from consult.core.forms import press_button, submit_form
from consult.core.operations import action_label, in_transaction
from consult.extensions import db
from consult.organisations.queries import active_units, organisations


def _page(user: User, form: AccountForm, extra: list):
    return render_template("admin/user.html", user=user, form=form, extra=extra, page_error=bool(extra),
                           button=ButtonForm(), trail=audit.trail("user", user.id), action_label=action_label)


@bp.route("/rejestry/konta/<int:user_id>", methods=["GET", "POST"])
@roles("admin")
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    form = AccountForm(data={"name": user.name, "role": user.role, "organisation": str(user.organisation_id or ""),
                             "unit": str(user.unit_id or "")}, organisations=organisations(), units=active_units(keep=[user.unit_id]))
    sent = submit_form(form, lambda: in_transaction(operations.edit_user, acting_user(), user, **form.values()),
                       success=lambda _result: _("Zapisano zmiany konta %(email)s.", email=user.email),
                       then=url_for("admin.user_detail", user_id=user_id))
    return sent.response or _page(user, form, sent.extra)


def _button(user_id: int, operation, done: str, *args):
    user = db.get_or_404(User, user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return press_button(lambda: in_transaction(operation, acting_user(), user, *args), success=done,
                        then=url_for("admin.user_detail", user_id=user_id))


@bp.route("/rejestry/konta/<int:user_id>/zaproszenie", methods=["POST"])
@roles("admin")
def resend_invitation(user_id: int):
    return _button(user_id, operations.resend_invitation,
                   _("Wysłano nowe zaproszenie. Link z poprzedniego już nie działa."))


@bp.route("/rejestry/konta/<int:user_id>/dezaktywacja", methods=["POST"])
@roles("admin")
def deactivate_user(user_id: int):
    return _button(user_id, operations.set_active,
                   _("Konto zostało dezaktywowane, a wszystkie jego sesje zakończone."), False)


@bp.route("/rejestry/konta/<int:user_id>/aktywacja", methods=["POST"])
@roles("admin")
def reactivate_user(user_id: int):
    return _button(user_id, operations.set_active, _("Konto jest znowu aktywne."), True)
