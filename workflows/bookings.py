"""A request to book a room of a place of activity (MAM's regulations, § 3–5).

A resident or an NGO member sends it; the place's operator accepts it (a confirmation goes out), asks for changes
(the requester edits it and sends it again) or refuses it with a reason. The requester may withdraw it while it
waits or is to be changed, and an accepted booking while its first time has not come. Ownership (the requester's
own request, the operator's own place) is checked by the operations; the workflow only knows roles. A
coordinator or administrator may decide for any place.
"""
from __future__ import annotations

from workflows.engine import Transition, Workflow

REQUESTERS = {"resident", "ngo"}
OPERATORS = {"ngo", "unit", "coordinator", "admin"}

BOOKING_REQUEST = Workflow(
    name="booking_request",
    states=["sent", "changes_requested", "accepted", "refused", "withdrawn"],
    transitions=[
        Transition("resend", source=["changes_requested"], target="sent", roles=REQUESTERS),
        Transition("accept", source=["sent"], target="accepted", roles=OPERATORS),
        Transition("ask_for_changes", source=["sent"], target="changes_requested", roles=OPERATORS),
        Transition("refuse", source=["sent"], target="refused", roles=OPERATORS),
        Transition("withdraw", source=["sent", "changes_requested", "accepted"], target="withdrawn",
                   roles=REQUESTERS),
    ],
)
