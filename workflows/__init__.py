"""State machines of consult, written as data.

A workflow names its states and transitions; each transition says from which states it may fire, the
state it leads to, which roles may fire it and an optional guard. The same definition drives the
buttons shown in the UI, the checks made by operations, the CLI and the tests. Nothing here imports
Flask or SQLAlchemy: guards receive whatever context object the caller passes.
"""
from workflows.engine import Transition, TransitionRefused, Workflow
from workflows.definitions import MEETING, POSTULATE
from workflows.calls import CALL, OFFER, SCORE_SHEET
from workflows.implementation import REPORTING_ROUND
from workflows.bookings import BOOKING_REQUEST
from workflows.smallgrants import SMALL_GRANT_OFFER
from workflows.grant_reports import GRANT_REPORT

__all__ = ["Transition", "TransitionRefused", "Workflow", "MEETING", "POSTULATE", "CALL", "OFFER", "SCORE_SHEET",
           "REPORTING_ROUND", "BOOKING_REQUEST",
           "SMALL_GRANT_OFFER", "GRANT_REPORT"]
