"""What a confirmation page says before it offers the button.
"""
from __future__ import annotations

from flask_babel import gettext as _

from consult.calls.models import Call, Offer
from consult.calls.operations._common import _clock
from consult.calls.operations.guards import _CallAt, _OfferAt
from consult.calls.operations.results import _results_excess_reason
from consult.core.access import roles_of
from consult.core.operations import state_label
from workflows import CALL, OFFER, TransitionRefused


def refused_reason(actor, subject: Call | Offer, transition: str) -> str | None:
    """Why `actor` may not fire `transition` on a call or an offer now, in the words its refusal would use (the
    workflow's guard, or the state); None when they may. Confirmation pages ask this before offering the button,
    so the user reads the problem instead of pressing a button that would be refused."""
    if isinstance(subject, Call):
        workflow, context, what = CALL, _CallAt(subject, _clock()), _("konkurs")
    else:
        workflow, context, what = OFFER, _OfferAt(subject, _clock()), _("oferta")
    try:
        workflow.check(transition, subject.state, roles_of(actor), context)
    except TransitionRefused as exc:
        if exc.code == "guard":
            return exc.reason
        if exc.code == "role":
            return _("Nie masz uprawnień do tej czynności.")
        return _(
            "Tej czynności nie można wykonać, gdy %(what)s ma stan „%(state)s”.",
            what=what,
            state=state_label(workflow.name, subject.state),
        )
    if transition == "publish_results":
        return _results_excess_reason(subject)
    return None
