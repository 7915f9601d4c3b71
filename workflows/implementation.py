"""The reporting round of a programme implementation report (sprawozdanie z realizacji programu).

A coordinator opens the round for a year (the report's plan: goals, tasks, areas and activities); the staff
of each responsible unit record what was realised while it is open; a coordinator closes it, and may reopen
it to let a unit correct its entry. Ownership (which unit answers for which activity) is checked by the
operations; the workflow only knows roles.
"""
from __future__ import annotations

from workflows.engine import Transition, Workflow

REPORTING_ROUND = Workflow(
    name="implementation_report",
    states=["open", "closed"],
    transitions=[
        Transition("edit_plan", source=["open"], target=None, roles={"coordinator"}),
        Transition("record_realisation", source=["open"], target=None, roles={"unit", "coordinator"}),
        Transition("close", source=["open"], target="closed", roles={"coordinator"}),
        Transition("reopen", source=["closed"], target="open", roles={"coordinator"}),
    ],
)
