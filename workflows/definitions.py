"""The workflows of the consultation: a postulate and a sector meeting.

Roles: "ngo" (member of an organisation), "unit" (staff of a city unit), "coordinator", "admin".
Ownership (which NGO, which unit) is checked by consult.core.access; the workflow only knows roles.
"""
from __future__ import annotations

from typing import Any

from workflows.engine import Transition, Workflow


def consultation_open(context: Any) -> str | None:
    """Guard for what an NGO does online: only while the programme's consultation is open.

    The context offers `consultation_closed_reason()`, returning None when the consultation is open
    or a message for the user when it is not (before it opens, or after it closed).
    """
    if context is None:
        return None
    return context.consultation_closed_reason()


POSTULATE = Workflow(
    name="postulate",
    states=["draft", "submitted", "assigned", "answered", "published", "withdrawn"],
    transitions=[
        # An NGO saves and edits its draft; a coordinator enters postulates filed at a meeting on
        # behalf of an organisation or an office holder (they submit them at once).
        Transition("edit_draft", source=["draft"], target=None, roles={"ngo"}, guard=consultation_open),
        Transition("submit", source=["draft"], target="submitted", roles={"ngo"}, guard=consultation_open),
        Transition("submit_on_behalf", source=["draft"], target="submitted", roles={"coordinator"}),
        # Until it is answered an NGO may still change what it filed, while the consultation is open.
        Transition("edit", source=["submitted", "assigned"], target=None, roles={"ngo"}, guard=consultation_open),
        Transition("correct", source=["draft", "submitted", "assigned"], target=None, roles={"coordinator"}),
        Transition("withdraw", source=["draft", "submitted", "assigned"], target="withdrawn", roles={"ngo"}),
        Transition("assign", source=["submitted"], target="assigned", roles={"coordinator"}),
        # Forwarding moves the responsibility to another unit; positions already given stay.
        Transition("forward", source=["assigned", "answered"], target="assigned", roles={"coordinator"}),
        # A coordinator may give the unit another due date for its position while it is still awaited.
        Transition("set_due_date", source=["assigned"], target=None, roles={"coordinator"}),
        # The responsible unit answers by recording its position (coordinators may transcribe a
        # position given on paper, as when a meeting summary is imported).
        Transition("answer", source=["assigned"], target="answered", roles={"unit", "coordinator"}),
        Transition("revise_position", source=["answered"], target=None, roles={"unit", "coordinator"}),
        Transition("publish", source=["answered"], target="published", roles={"unit", "coordinator"}),
    ],
)

MEETING = Workflow(
    name="meeting",
    states=["planned", "held", "summary_published"],
    transitions=[
        Transition("edit", source=["planned", "held"], target=None, roles={"coordinator"}),
        Transition("record_attendance", source=["planned", "held"], target=None, roles={"coordinator"}),
        Transition("mark_held", source=["planned"], target="held", roles={"coordinator"}),
        Transition("record_postulate", source=["planned", "held"], target=None, roles={"coordinator"}),
        Transition("publish_summary", source=["held", "summary_published"], target="summary_published",
                   roles={"coordinator"}),
    ],
)
