"""The page of a signed-in user's own notifications (nobody sees anyone else's)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from consult.core.access import signed_in
from consult.notifications import queries

bp = Blueprint("notifications", __name__)


@bp.route("/powiadomienia")
@signed_in
def index():
    from consult.core.paging import choice_arg, page_number, search_term

    page = queries.notifications_page(current_user, search=search_term(),
                                      kind=choice_arg("rodzaj", queries.KIND_LABELS), page=page_number())
    return render_template("notifications/index.html", notifications=page, page=page, kinds=queries.KIND_LABELS)
