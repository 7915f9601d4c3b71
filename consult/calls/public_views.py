"""The public pages of calls: the list, an announcement and the published results.

Only what an announcement publishes is public: the call, the running unit, the card and the
same-type tasks of past years; no person's name. A draft call exists only for those who run it.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from consult.calls import queries
from consult.calls.access import can_view_call
from consult.calls.models import Call
from consult.calls.views import bp
from consult.core.access import public
from consult.core.paging import choice_arg, page_number, search_term
from consult.extensions import db, login_manager


@bp.route("/konkursy")
@public
def public_index():
    from consult.calls.access import PUBLIC_CALL_STATES
    from consult.core.paging import choice_arg, id_arg, page_number, search_term
    from consult.organisations.queries import units
    from consult.programmes.queries import programmes

    page = queries.public_calls_page(search=search_term(), state=choice_arg("stan", PUBLIC_CALL_STATES),
                                     unit_id=id_arg("komorka"), programme_id=id_arg("program"), page=page_number())
    return render_template("calls/public_index.html", calls=page, page=page, states=PUBLIC_CALL_STATES,
                           units=units(), programmes=programmes())


@bp.route("/konkursy/<int:call_id>")
@public
def announcement(call_id: int):
    call = db.get_or_404(Call, call_id)
    if not can_view_call(current_user, call):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(403)
    return render_template("calls/announcement.html", call=call, card=queries.card(call))


@bp.route("/konkursy/<int:call_id>/wyniki")
@public
def results(call_id: int):
    call = db.get_or_404(Call, call_id)
    if not can_view_call(current_user, call):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(403)
    page = queries.published_results_page(call, search=search_term(),
                                          outcome=choice_arg("wynik", queries.RESULT_OUTCOMES), page=page_number())
    return render_template(
        "calls/results.html",
        call=call,
        page=page,
        granted=[r for r in page if r.granted],
        not_granted=[r for r in page if not r.granted],
        any_granted=queries.any_granted(call) if call.state == "results_published" else False,
    )
