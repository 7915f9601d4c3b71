"""The blueprint of calls for offers, its template filters, and the page of one offer that every audience
allowed to read it shares.

The routes live in modules by audience, all on this one blueprint (endpoint names are "calls.<view>"):
public_views (anyone), runner_views and card_views (the coordinator and the running unit),
commission_views (commission members), applicant_views (NGOs filing offers). Importing them at the end
of this module registers their routes.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from consult.calls import queries
from consult.calls.access import can_run_call, can_view_offer
from consult.calls.operations import DECLARATIONS
from consult.core.access import ensure, signed_in
from consult.i18n import format_number, per_request

bp = Blueprint("calls", __name__)
RUNNERS = ("coordinator", "unit")


bp.add_app_template_filter(per_request(format_number), "points")


@bp.route("/oferty/<int:offer_id>")
@signed_in
def offer(offer_id: int):
    """An offer with all its sections: for its applicant, those who run the call, and commission members
    who sit on it, are not excluded from the call and declared no conflict with this offer."""
    offer = queries.offer_with_sections(offer_id)
    if offer is None:
        abort(404)
    ensure(can_view_offer(current_user, offer))
    return render_template(
        "calls/offer.html",
        offer=offer,
        call=offer.call,
        declarations=DECLARATIONS,
        sections=queries.section_statuses(offer),
        decision=queries.visible_decision(current_user, offer),
        standing=queries.visible_score(current_user, offer),
        is_runner=can_run_call(current_user, offer.call),
    )


# Importing the modules registers their routes on `bp`.
from consult.calls import (  # noqa: F401
    applicant_views,
    card_views,
    commission_views,
    public_views,
    runner_views,
)
