"""The consultation workflows as data, tested without a database or Flask."""
from __future__ import annotations

import pytest

from workflows import MEETING, POSTULATE, Transition, TransitionRefused, Workflow


class Window:
    def __init__(self, reason=None):
        self.reason = reason

    def consultation_closed_reason(self):
        return self.reason


OPEN, CLOSED = Window(), Window("Konsultacje zakończyły się.")


def walk(workflow, steps, state=None):
    state = state or workflow.initial
    for name, roles in steps:
        state = workflow.fire(name, state, roles, OPEN)
    return state


def test_postulate_happy_path_ngo_to_published():
    assert walk(POSTULATE, [("submit", {"ngo"}), ("assign", {"coordinator"}), ("answer", {"unit"}),
                            ("publish", {"unit"})]) == "published"


def test_every_postulate_state_is_reachable():
    assert POSTULATE.reachable() == set(POSTULATE.states)
    assert MEETING.reachable() == set(MEETING.states)


@pytest.mark.parametrize("state", ["draft", "submitted", "assigned"])
def test_ngo_withdraws_until_answered(state):
    assert POSTULATE.fire("withdraw", state, {"ngo"}) == "withdrawn"


@pytest.mark.parametrize("state", ["answered", "published", "withdrawn"])
def test_ngo_cannot_withdraw_once_answered(state):
    with pytest.raises(TransitionRefused) as exc:
        POSTULATE.fire("withdraw", state, {"ngo"})
    assert exc.value.code == "state"


@pytest.mark.parametrize("state", ["submitted", "assigned"])
def test_ngo_edits_until_answered_while_open(state):
    assert POSTULATE.fire("edit", state, {"ngo"}, OPEN) == state
    with pytest.raises(TransitionRefused) as exc:
        POSTULATE.fire("edit", state, {"ngo"}, CLOSED)
    assert exc.value.code == "guard" and exc.value.reason == "Konsultacje zakończyły się."


def test_submission_refused_after_consultation_closed():
    with pytest.raises(TransitionRefused) as exc:
        POSTULATE.fire("submit", "draft", {"ngo"}, CLOSED)
    assert "zakończyły" in exc.value.reason
    # a coordinator entering what was filed at a meeting is not bound by the online window
    assert POSTULATE.fire("submit_on_behalf", "draft", {"coordinator"}, CLOSED) == "submitted"


@pytest.mark.parametrize("role", ["ngo", "unit", "admin"])
def test_only_coordinators_assign_and_forward(role):
    with pytest.raises(TransitionRefused) as exc:
        POSTULATE.fire("assign", "submitted", {role})
    assert exc.value.code == "role"
    assert not POSTULATE.can("forward", "assigned", {role})
    assert POSTULATE.fire("forward", "assigned", {"coordinator"}) == "assigned"


def test_forwarding_an_answered_postulate_sends_it_back_for_an_answer():
    assert POSTULATE.fire("forward", "answered", {"coordinator"}) == "assigned"


def test_ngo_cannot_answer_or_publish():
    assert not POSTULATE.can("answer", "assigned", {"ngo"})
    assert not POSTULATE.can("publish", "answered", {"ngo"})


def test_allowed_lists_what_the_ui_offers():
    names = {t.name for t in POSTULATE.allowed("submitted", {"ngo"}, OPEN)}
    assert names == {"edit", "withdraw"}
    names_closed = {t.name for t in POSTULATE.allowed("submitted", {"ngo"}, CLOSED)}
    assert names_closed == {"withdraw"}
    assert {t.name for t in POSTULATE.allowed("submitted", {"coordinator"})} == {"assign", "correct"}


def test_meeting_workflow():
    state = MEETING.fire("mark_held", "planned", {"coordinator"})
    assert state == "held"
    assert MEETING.fire("publish_summary", state, {"coordinator"}) == "summary_published"
    with pytest.raises(TransitionRefused):
        MEETING.fire("publish_summary", "planned", {"coordinator"})
    with pytest.raises(TransitionRefused):
        MEETING.fire("record_postulate", "summary_published", {"coordinator"})
    assert not MEETING.can("mark_held", "planned", {"unit"})


def test_a_workflow_with_an_unknown_state_is_refused_when_defined():
    with pytest.raises(ValueError):
        Workflow("broken", states=["a"], transitions=[Transition("go", source=["a"], target="b", roles={"x"})])
    with pytest.raises(ValueError):
        Workflow("twice", states=["a", "b"], transitions=[
            Transition("go", source=["a"], target="b", roles={"x"}),
            Transition("go", source=["b"], target="a", roles={"x"})])


def test_workflows_import_no_flask_or_sqlalchemy():
    import subprocess
    import sys

    code = ("import sys, workflows; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'sqlalchemy', 'consult')]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
