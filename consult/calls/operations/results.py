"""Publishing a call's results: every decision at once, within the call's funds.
"""
from __future__ import annotations

from flask_babel import gettext as _

from consult.calls import jobs
from consult.calls.models import Call, money
from consult.calls.models import format_pln as _pln
from consult.calls.operations._common import _clock, _require_runner
from consult.calls.operations.decision import _granted_in_call
from consult.calls.operations.guards import _CallAt
from consult.core.errors import Refused
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import fire
from consult.extensions import db
from workflows import CALL, OFFER


def _results_excess_reason(call: Call) -> str | None:
    granted = _granted_in_call(call.id)
    if granted > money(call.funds):
        return _(
            "Nie można ogłosić wyników: suma przyznanych dotacji (%(total)s) przekracza środki konkursu "
            "(%(funds)s) o %(excess)s. Zmień rozstrzygnięcia tak, aby mieściły się w środkach.",
            total=_pln(granted),
            funds=_pln(call.funds),
            excess=_pln(granted - money(call.funds)),
        )
    return None


def publish_results(actor, call: Call) -> Call:
    """Publish every decision at once; schedule the results PDF and the applicants' notices after commit.

    Serialised on the call like the decisions, and the granted total is checked against the call's funds
    once more: results whose grants exceed the funds (however they came about) are refused, naming the
    excess, and nothing is published.
    """
    _require_runner(actor, call)
    call = lock_for_update(Call, call.id)
    now = _clock()
    excess = _results_excess_reason(call)
    if excess:
        raise Refused(excess)
    fire(
        CALL,
        call,
        "publish_results",
        actor,
        context=_CallAt(call, now),
        granted=sum(1 for o in call.offers if o.decision is not None and o.decision.kind == "grant"),
    )
    for offer in call.offers:
        decision = offer.decision
        if offer.state != "formally_accepted" or decision is None:
            continue
        fire(
            OFFER,
            offer,
            "grant" if decision.kind == "grant" else "refuse",
            actor,
            amount=str(decision.amount) if decision.amount is not None else None,
        )
        decision.published, decision.published_at = True, now
    call.results_published_at = now
    after_commit(db.session, jobs.enqueue_results_document, call.id)
    after_commit(db.session, jobs.notify_applicants_of_results, call.id)
    return call
