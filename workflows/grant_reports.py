"""The final report after the award (art. 18 of the Act on Public Benefit Activity and Volunteering).

The NGO of a granted offer fills the draft and submits it; the unit running the call (or a coordinator) accepts it or
asks for corrections with a note, after which the NGO corrects and submits it again, as often as it takes. Ownership
(the NGO of the offer, the unit of the call) is checked by the operations; completeness is the submit's own check.
"""
from __future__ import annotations

from workflows.engine import Transition, Workflow

REVIEWERS = {"unit", "coordinator"}

GRANT_REPORT = Workflow(
    name="grant_report",
    states=["draft", "submitted", "accepted", "corrections_requested"],
    transitions=[
        Transition("submit", source=["draft", "corrections_requested"], target="submitted", roles={"ngo"}),
        Transition("accept", source=["submitted"], target="accepted", roles=REVIEWERS),
        Transition("request_corrections", source=["submitted"], target="corrections_requested", roles=REVIEWERS),
    ],
)
