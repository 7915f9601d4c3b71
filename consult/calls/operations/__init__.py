"""Every state change of a call, its offers, its commission and its results, one module a stage:

    announce.py      a call from draft to announcement, closing, evaluation, cancellation
    card.py          its evaluation card and formal criteria
    sections.py      an offer's task section (task, dates, place, schedule, expected results): reusable
    budget.py        an offer's budget (cost lines, contributions, sums, within the funds): reusable
    offers.py        drafting an offer section by section, what it lacks, submitting, withdrawing
    formal.py        the formal check, corrections, the formal decision
    evaluation.py    the commission, conflicts of interest, score sheets
    decision.py      a grant with its amount or a refusal with its reason, under the call's lock
    results.py       publishing the results
    confirmations.py what a confirmation page says before it offers the button
    guards.py        what the workflows' guards ask at one instant (the 21-day rule, grounds for cancelling)
    _common.py       typed input, words for points and instants, the clock, who runs a call

Small grants (art. 19a) reuse sections.py, budget.py and decision.py's `weigh_decision` without a call.
Every public name is re-exported here: `from consult.calls.operations import X` works as before.

Views, CLI commands and imports call these; they do not commit (the caller wraps them in
`consult.core.operations.transaction()`). Each one checks ownership (consult.calls.access), fires
the workflow transition (consult.core.operations.fire, which checks the role and the guard and
writes the audit event) and refuses bad input with `Refused(reason, field=...)` in Polish.

Time: every rule about time reads the clock (`_common._clock`, which is `utcnow` of this package) once per
operation, compares aware UTC instants, and speaks to the user in Europe/Warsaw. Tests replace
`consult.calls.operations.utcnow` to stand at a boundary.
"""
from __future__ import annotations

from consult.calls.operations._common import MAX_TEXT, POINTS_BELOW, QUANTITY_BELOW, parse_amount, text_value
from consult.calls.operations.announce import (
    ANNOUNCEMENT_FIELDS,
    announce_call,
    announcement_missing,
    cancel_call,
    close_call_for_offers,
    close_calls_past_deadline,
    create_call,
    start_evaluation,
    update_call,
)
from consult.calls.operations.budget import (
    FUNDING_FIELDS,
    CostLine,
    Funding,
    budget_missing,
    check_grant_within,
    line_total,
    parse_cost_lines,
    parse_funding,
    total_costs,
)
from consult.calls.operations.card import (
    DEFAULT_CARD,
    DEFAULT_FORMAL_CRITERIA,
    reset_evaluation_card,
    set_evaluation_card,
    set_formal_criteria,
)
from consult.calls.operations.confirmations import refused_reason
from consult.calls.operations.decision import Verdict, record_decision, weigh_decision
from consult.calls.operations.evaluation import (
    appoint_member,
    declare_conflict,
    dismiss_member,
    save_scores,
    scores_missing,
    submit_scores,
)
from consult.calls.operations.formal import (
    accept_offer_formally,
    finish_correction,
    record_formal_check,
    reject_offer_formally,
    request_correction,
)
from consult.calls.operations.guards import (
    MIN_OFFER_DAYS,
    cancel_ground,
    earliest_offers_deadline,
    formal_check_gaps,
)
from consult.calls.operations.offers import (
    DECLARATIONS,
    SECTIONS,
    create_offer,
    offer_missing,
    save_offer_section,
    submit_offer,
    withdraw_offer,
)
from consult.calls.operations.results import publish_results
from consult.calls.operations.sections import (
    ExpectedResult,
    TaskSection,
    parse_expected_results,
    parse_task_section,
    task_section_missing,
)
from consult.core.types import utcnow

__all__ = [
    "ANNOUNCEMENT_FIELDS",
    "DECLARATIONS",
    "DEFAULT_CARD",
    "DEFAULT_FORMAL_CRITERIA",
    "FUNDING_FIELDS",
    "MAX_TEXT",
    "MIN_OFFER_DAYS",
    "POINTS_BELOW",
    "QUANTITY_BELOW",
    "SECTIONS",
    "CostLine",
    "ExpectedResult",
    "Funding",
    "TaskSection",
    "Verdict",
    "accept_offer_formally",
    "announce_call",
    "announcement_missing",
    "appoint_member",
    "budget_missing",
    "cancel_call",
    "cancel_ground",
    "check_grant_within",
    "close_call_for_offers",
    "close_calls_past_deadline",
    "create_call",
    "create_offer",
    "declare_conflict",
    "dismiss_member",
    "earliest_offers_deadline",
    "finish_correction",
    "formal_check_gaps",
    "line_total",
    "offer_missing",
    "parse_amount",
    "parse_cost_lines",
    "parse_expected_results",
    "parse_funding",
    "parse_task_section",
    "publish_results",
    "record_decision",
    "record_formal_check",
    "refused_reason",
    "reject_offer_formally",
    "request_correction",
    "reset_evaluation_card",
    "save_offer_section",
    "save_scores",
    "scores_missing",
    "set_evaluation_card",
    "set_formal_criteria",
    "start_evaluation",
    "submit_offer",
    "submit_scores",
    "task_section_missing",
    "text_value",
    "total_costs",
    "update_call",
    "utcnow",
    "weigh_decision",
    "withdraw_offer",
]
