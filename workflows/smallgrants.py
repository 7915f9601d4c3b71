"""A small-grant offer (art. 19a of the Act on Public Benefit Activity and Volunteering).

An NGO files it outside any call; the responsible unit (or a coordinator) judges whether the task is purposeful
(celowość) or refuses with reasons; a purposeful offer is open for public comments for 7 days; after them the unit
grants (an amount) or refuses (reasons); the NGO files the simplified report after the task (a report after the
award, consult/grant_reports: its first submission of the final report fires `report`). Ownership (the NGO's
own offer, the unit's own queue) is checked by the operations; the guard of the decision is the comment term.
"""
from __future__ import annotations

from workflows.engine import Transition, Workflow

DECIDERS = {"unit", "coordinator"}


def _comments_over(context) -> str | None:
    """The context is the reason the comment term still runs (None when it is over)."""
    return context


SMALL_GRANT_OFFER = Workflow(
    name="small_grant_offer",
    states=["filed", "purpose_refused", "open_for_comments", "granted", "not_granted", "reported"],
    transitions=[
        Transition("find_purposeful", source=["filed"], target="open_for_comments", roles=DECIDERS),
        Transition("refuse_purpose", source=["filed"], target="purpose_refused", roles=DECIDERS),
        Transition("reassign", source=["filed"], target=None, roles={"coordinator"}),
        Transition("grant", source=["open_for_comments"], target="granted", roles=DECIDERS, guard=_comments_over),
        Transition("refuse", source=["open_for_comments"], target="not_granted", roles=DECIDERS,
                   guard=_comments_over),
        Transition("report", source=["granted"], target="reported", roles={"ngo"}),
    ],
)
