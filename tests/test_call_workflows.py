"""The call, offer and score sheet workflows as data: no application, no database."""

from __future__ import annotations

import pytest

from workflows import CALL, OFFER, SCORE_SHEET, TransitionRefused


class Ctx:
    """A context whose every guard question answers with the message given (None: allowed)."""

    def __init__(self, **answers):
        self.answers = answers

    def __getattr__(self, name):
        if name.endswith("_reason"):
            return lambda: self.answers.get(name)
        raise AttributeError(name)


def test_every_state_is_reachable():
    assert CALL.reachable() == set(CALL.states)
    assert OFFER.reachable() == set(OFFER.states)
    assert SCORE_SHEET.reachable() == set(SCORE_SHEET.states)


def test_the_whole_call_path():
    state = "draft"
    for name, roles in (
        ("announce", {"unit"}),
        ("close_for_offers", {"unit"}),
        ("start_evaluation", {"coordinator"}),
        ("record_decision", {"coordinator"}),
        ("publish_results", {"coordinator"}),
    ):
        state = CALL.fire(name, state, roles, Ctx())
    assert state == "results_published"


@pytest.mark.parametrize(
    "transition,guard",
    [
        ("announce", "announcement_refused_reason"),
        ("close_for_offers", "deadline_not_passed_reason"),
        ("start_evaluation", "formal_checks_pending_reason"),
        ("publish_results", "decisions_missing_reason"),
        ("cancel", "cancel_refused_reason"),
    ],
)
def test_call_guards_refuse_with_the_message_of_the_context(transition, guard):
    source = CALL.transition(transition).source[0]
    with pytest.raises(TransitionRefused) as exc:
        CALL.check(transition, source, {"coordinator"}, Ctx(**{guard: "nie teraz"}))
    assert exc.value.code == "guard" and exc.value.reason == "nie teraz"


def test_only_drafts_are_edited_and_cards_fixed_on_announcement():
    assert CALL.can("edit", "draft", {"unit"})
    assert CALL.can("edit_card", "draft", {"coordinator"})
    for state in CALL.states[1:]:
        assert not CALL.can("edit", state, {"coordinator"})
        assert not CALL.can("edit_card", state, {"coordinator"})


def test_ngo_and_members_run_nothing_on_the_call():
    for t in CALL.transitions:
        assert not t.roles & {"ngo", "member"}, t.name


def test_commission_and_decisions_are_the_coordinators():
    for name in ("appoint_member", "dismiss_member", "record_decision", "publish_results", "cancel"):
        assert CALL.transition(name).roles == {"coordinator"}


def test_cancel_is_not_possible_after_results_or_from_a_draft():
    assert not CALL.can("cancel", "draft", {"coordinator"})
    assert not CALL.can("cancel", "results_published", {"coordinator"})
    assert CALL.can("cancel", "closed", {"coordinator"}, Ctx())


def test_offer_is_edited_while_offers_are_open_and_frozen_after_submission():
    assert OFFER.can("edit_draft", "draft", {"ngo"}, Ctx())
    assert not OFFER.can("edit_draft", "draft", {"ngo"}, Ctx(offers_closed_reason="po terminie"))
    assert not OFFER.can("submit", "draft", {"ngo"}, Ctx(offers_closed_reason="po terminie"))
    for state in (
        "submitted",
        "formally_accepted",
        "formally_rejected",
        "granted",
        "not_granted",
        "withdrawn",
    ):
        assert not any(OFFER.can(t, state, {"ngo"}, Ctx()) for t in ("edit_draft", "amend")), state


def test_offer_is_amended_only_within_an_open_correction_window():
    assert OFFER.can("amend", "correction", {"ngo"}, Ctx())
    assert not OFFER.can("amend", "correction", {"ngo"}, Ctx(correction_closed_reason="minął termin"))
    assert not OFFER.can("amend", "correction", {"unit", "coordinator"}, Ctx())


def test_formal_decision_waits_for_the_correction_window():
    assert not OFFER.can("accept_formally", "correction", {"unit"}, Ctx(correction_pending_reason="trwa"))
    assert OFFER.can("reject_formally", "correction", {"unit"}, Ctx())
    assert OFFER.fire("request_correction", "submitted", {"unit"}) == "correction"
    assert not OFFER.can("accept_formally", "submitted", {"ngo"}, Ctx())


def test_formal_acceptance_needs_every_criterion_assessed_and_met():
    """The guard of accept_formally asks both questions; the first that refuses speaks. Rejection and
    correction do not depend on the formal check's outcome."""
    with pytest.raises(TransitionRefused) as exc:
        OFFER.check("accept_formally", "submitted", {"unit"}, Ctx(formal_check_failed_reason="kryterium 3"))
    assert exc.value.code == "guard" and exc.value.reason == "kryterium 3"
    with pytest.raises(TransitionRefused) as exc:
        OFFER.check("accept_formally", "correction", {"unit"},
                    Ctx(correction_pending_reason="trwa", formal_check_failed_reason="kryterium 3"))
    assert exc.value.reason == "trwa"
    assert OFFER.can("accept_formally", "submitted", {"unit"}, Ctx())
    for name in ("reject_formally", "request_correction"):
        assert OFFER.can(name, "submitted", {"unit"}, Ctx(formal_check_failed_reason="kryterium 3")), name


def test_offer_outcomes_follow_formal_acceptance_only():
    assert OFFER.fire("grant", "formally_accepted", {"coordinator"}) == "granted"
    assert OFFER.fire("refuse", "formally_accepted", {"coordinator"}) == "not_granted"
    assert not OFFER.can("grant", "formally_rejected", {"coordinator"})
    assert not OFFER.can("grant", "submitted", {"coordinator"})


def test_score_sheet_is_the_members_and_final_once_submitted():
    assert SCORE_SHEET.fire("save", "draft", {"member"}) == "draft"
    assert SCORE_SHEET.fire("submit", "draft", {"member"}) == "submitted"
    assert not SCORE_SHEET.can("save", "submitted", {"member"})
    assert not SCORE_SHEET.can("save", "draft", {"coordinator", "unit", "ngo"})
