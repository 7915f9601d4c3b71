"""The workflows of an open competition for offers (otwarty konkurs ofert, art. 11-15 of the Act on
Public Benefit Activity and Volunteering): the call, an offer filed in it, and a member's score sheet.

Roles: "coordinator", "unit" (staff of the unit that runs the call; which unit is an ownership check
made by consult.calls.access), "ngo" (a member of the applicant organisation, again checked by
ownership) and "member" (a member of the call's commission: commission membership is per call, so
consult.calls.operations adds this role to the actor only for calls on whose commission they sit).

Guards receive a context object from the operation; each guard asks it one question that returns
None when the transition may fire, or a message for the user when it may not.
"""
from __future__ import annotations

from typing import Any

from workflows.engine import Transition, Workflow

RUNNERS = {"coordinator", "unit"}


def _ask(question: str):
    def guard(context: Any) -> str | None:
        if context is None:
            return None
        return getattr(context, question)()

    guard.__name__ = question
    return guard


def _all(*guards):
    """A guard made of several: the first that refuses speaks."""
    def guard(context: Any) -> str | None:
        for g in guards:
            reason = g(context)
            if reason:
                return reason
        return None

    guard.__name__ = "_and_".join(g.__name__ for g in guards)
    return guard


# The offers deadline is at least 21 full days after the day of the announcement (art. 13 ust. 1).
deadline_far_enough = _ask("announcement_refused_reason")
# An NGO files and edits its offer only while the call accepts offers (before the deadline).
offers_open = _ask("offers_closed_reason")
# The call closes for offers only once its deadline has passed.
deadline_passed = _ask("deadline_not_passed_reason")
# Evaluation starts when no offer is still waiting for its formal check.
formal_checks_done = _ask("formal_checks_pending_reason")
# Results are published when every formally accepted offer has a decision.
decisions_complete = _ask("decisions_missing_reason")
# A call is cancelled only when no offer was filed or none is valid (art. 18a).
cancellable = _ask("cancel_refused_reason")
# An NGO amends its offer only while the correction window is open.
correction_open = _ask("correction_closed_reason")
# Staff decide on the formal side once the correction window has ended (or the NGO said it is done).
correction_over = _ask("correction_pending_reason")
# An offer is accepted formally only when every formal criterion was assessed and all are met: one that fails
# a criterion goes to correction or is rejected.
formal_criteria_met = _ask("formal_check_failed_reason")

CALL = Workflow(
    name="call",
    states=["draft", "announced", "closed", "evaluation", "results_published", "cancelled"],
    transitions=[
        Transition("edit", source=["draft"], target=None, roles=RUNNERS),
        Transition("edit_card", source=["draft"], target=None, roles=RUNNERS),
        Transition("announce", source=["draft"], target="announced", roles=RUNNERS,
                   guard=deadline_far_enough),
        # Closing for offers is what the passing of the deadline means; a scheduled job or staff record it.
        Transition("close_for_offers", source=["announced"], target="closed", roles=RUNNERS,
                   guard=deadline_passed),
        # The commission is appointed by the coordinator (the Mayor's order, in practice) until results.
        Transition("appoint_member", source=["draft", "announced", "closed", "evaluation"], target=None,
                   roles={"coordinator"}),
        Transition("dismiss_member", source=["draft", "announced", "closed", "evaluation"], target=None,
                   roles={"coordinator"}),
        Transition("start_evaluation", source=["closed"], target="evaluation", roles=RUNNERS,
                   guard=formal_checks_done),
        Transition("record_decision", source=["evaluation"], target=None, roles={"coordinator"}),
        Transition("publish_results", source=["evaluation"], target="results_published",
                   roles={"coordinator"}, guard=decisions_complete),
        Transition("cancel", source=["announced", "closed", "evaluation"], target="cancelled",
                   roles={"coordinator"}, guard=cancellable),
    ],
)

OFFER = Workflow(
    name="offer",
    states=["draft", "submitted", "correction", "formally_accepted", "formally_rejected", "withdrawn",
            "granted", "not_granted"],
    transitions=[
        Transition("edit_draft", source=["draft"], target=None, roles={"ngo"}, guard=offers_open),
        Transition("submit", source=["draft"], target="submitted", roles={"ngo"}, guard=offers_open),
        Transition("withdraw", source=["draft", "submitted", "correction"], target="withdrawn",
                   roles={"ngo"}),
        # The formal check: each formal criterion is checked; a deficiency opens a correction window.
        Transition("check_formal", source=["submitted", "correction"], target=None, roles=RUNNERS),
        Transition("request_correction", source=["submitted"], target="correction", roles=RUNNERS),
        Transition("amend", source=["correction"], target=None, roles={"ngo"}, guard=correction_open),
        Transition("finish_correction", source=["correction"], target=None, roles={"ngo"},
                   guard=correction_open),
        Transition("accept_formally", source=["submitted", "correction"], target="formally_accepted",
                   roles=RUNNERS, guard=_all(correction_over, formal_criteria_met)),
        Transition("reject_formally", source=["submitted", "correction"], target="formally_rejected",
                   roles=RUNNERS, guard=correction_over),
        # Decisions are recorded on the call and become the offer's outcome when results are published.
        Transition("grant", source=["formally_accepted"], target="granted", roles={"coordinator"}),
        Transition("refuse", source=["formally_accepted"], target="not_granted", roles={"coordinator"}),
    ],
)

SCORE_SHEET = Workflow(
    name="score_sheet",
    states=["draft", "submitted"],
    transitions=[
        Transition("save", source=["draft"], target=None, roles={"member"}),
        Transition("submit", source=["draft"], target="submitted", roles={"member"}),
    ],
)
