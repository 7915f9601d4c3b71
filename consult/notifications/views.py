"""A signed-in user's own notifications (nobody sees anyone else's), and the outbox of e-mails, where
coordinators and administrators see every e-mail, what failed and why, and send a failed one again."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.core.access import acting_user, roles, signed_in
from consult.core.errors import Forbidden, Refused
from consult.core.operations import transaction
from consult.core.paging import page_number
from consult.extensions import db
from consult.notifications import queries
from consult.notifications.forms import OutboxFilters, RetryForm
from consult.notifications.mailer import smtp_configured
from consult.notifications.messages import message_of
from consult.notifications.models import NOTIFICATION_STATES, SECRET_KINDS, Notification
from consult.notifications.operations import retry_email, state_label
from consult.notifications.rendering import email_text

bp = Blueprint("notifications", __name__)

# The token at the end of a link that gives access (consult/core/tokens.py: URL-safe base64 with dots).
_SECRET_LINK = re.compile(r"(https?://\S+/)[A-Za-z0-9_.-]{24,}")


@bp.app_template_global("mail_state_label")
def mail_state_label(state: str) -> str:
    return state_label(state)


@bp.app_template_global("notification_message")
def notification_message(note: Notification) -> str:
    """The notification's short message in the reader's language (consult/notifications/messages.py)."""
    return message_of(note)


@bp.route("/powiadomienia")
@signed_in
def index():
    from consult.core.paging import choice_arg, search_term

    page = queries.notifications_page(current_user, search=search_term(),
                                      kind=choice_arg("rodzaj", queries.KIND_LABELS), page=page_number())
    return render_template("notifications/index.html", notifications=page, page=page, kinds=queries.KIND_LABELS)


@bp.route("/koordynacja/poczta")
@roles("coordinator", "admin")
def outbox():
    filters = OutboxFilters(request.args, states=[(s, state_label(s)) for s in NOTIFICATION_STATES])
    page = queries.outbox(state=filters.state.data, search=filters.recipient.data,
                          page=page_number(), size=current_app.config["PAGE_SIZE"])
    return render_template("notifications/outbox.html", filters=filters, page=page, counts=queries.outbox_counts(),
                           smtp=smtp_configured(current_app.config), form=RetryForm())


@bp.route("/koordynacja/poczta/<int:notification_id>")
@roles("coordinator", "admin")
def email(notification_id: int):
    note = db.get_or_404(Notification, notification_id)
    text, hidden = email_text(note), note.kind in SECRET_KINDS
    if hidden:  # a link that gives access to someone's account is the addressee's alone
        text = _SECRET_LINK.sub(r"\1…", text)
    return render_template("notifications/email.html", note=note, text=text, hidden=hidden, form=RetryForm(),
                           smtp=smtp_configured(current_app.config), sender=current_app.config["MAIL_FROM"])


@bp.route("/koordynacja/poczta/<int:notification_id>/ponow", methods=["POST"])
@roles("coordinator", "admin")
def retry(notification_id: int):
    note = db.get_or_404(Notification, notification_id)
    form = RetryForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction():
            retry_email(acting_user(), note)
    except Forbidden:
        abort(403)
    except Refused as exc:
        flash(exc.reason, "error")
    else:
        flash(_("E-mail do %(address)s został ponownie przekazany do wysłania.", address=note.address), "success")
    return redirect(url_for("notifications.email", notification_id=notification_id))
