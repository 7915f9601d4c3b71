"""The audit log speaks words, not identifiers: every action the code records, every kind of record and every
state of every workflow (postulates, meetings, calls, offers, score sheets, reports) has words in the reader's
language, and the admin's log page shows them ("przyjęta formalnie", not "formally_accepted")."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import workflows
from consult.core.operations import (
    ACTION_LABELS,
    COMMON_ACTION_LABELS,
    STATE_LABELS,
    SUBJECT_LABELS,
    has_action_label,
    transaction,
)
from consult.extensions import db
from tests.conftest import login
from tests.test_calls import _to_evaluation, clock, people

__all__ = ["clock", "people"]

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = [getattr(workflows, name) for name in workflows.__all__
             if isinstance(getattr(workflows, name), workflows.Workflow)]


def _strings(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def recorded_actions() -> set[tuple[str, str, str]]:
    """(kind of record, action, where) for every audit.record(...) and fire(WORKFLOW, ...) in the application
    whose kind and action are written in the call; fire() without `action=` records the transition's name."""
    found = set()
    for path in sorted((ROOT / "consult").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr == "record" and isinstance(func.value, ast.Name)
                    and func.value.id == "audit" and len(node.args) >= 4):
                for subject in _strings(node.args[1]):
                    found.update((subject, action, where) for action in _strings(node.args[3]))
            elif isinstance(func, ast.Name) and func.id == "fire" and len(node.args) >= 3 \
                    and isinstance(node.args[0], ast.Name) and hasattr(workflows, node.args[0].id):
                subject = getattr(workflows, node.args[0].id).name
                named = [kw.value for kw in node.keywords if kw.arg == "action"]
                actions = _strings(named[0]) if named else _strings(node.args[2])
                found.update((subject, action, where) for action in actions)
    return found


def test_the_scan_finds_what_the_operations_record():
    found = {(subject, action) for subject, action, _where in recorded_actions()}
    # a few of each way of recording, so that a scan that finds nothing cannot pass
    assert {("postulate", "create"), ("postulate", "record_position"), ("offer", "declare_no_conflict"),
            ("call", "exclude_member"), ("meeting", "mark_held"), ("notification", "retry_email"),
            ("implementation_report", "revise_realisation"), ("call", "reset_card")} <= found


def test_every_recorded_action_has_words():
    missing = sorted(f"{subject}.{action} ({where})" for subject, action, where in recorded_actions()
                     if not has_action_label(subject, action))
    assert missing == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_transition_state_and_subject_of_every_workflow_has_words(workflow):
    assert workflow.name in SUBJECT_LABELS
    assert [t.name for t in workflow.transitions if not has_action_label(workflow.name, t.name)] == []
    assert [s for s in workflow.states if s not in STATE_LABELS.get(workflow.name, {})] == []


def test_compiles_and_their_failures_have_words(app):  # the app registers the kinds
    from consult.documents.registry import kinds

    assert kinds(), "no document kind registered"
    for action in (kind.compiled_action for kind in kinds()):
        assert action in COMMON_ACTION_LABELS and f"{action}_failed" in COMMON_ACTION_LABELS


def test_every_kind_of_record_the_log_names_has_words():
    assert {subject for subject, _action, _where in recorded_actions()} <= set(SUBJECT_LABELS)
    assert set(ACTION_LABELS) <= set(SUBJECT_LABELS)


def test_the_audit_log_shows_actions_states_and_records_in_words(world, clock, people, app):
    from consult.auth.models import User

    _call, (offer_a, _offer_b), _m = _to_evaluation(world, clock, people)  # both offers accepted formally
    admin = login(app.test_client(), world.user("admin"))
    page = admin.get("/rejestry/dziennik?rodzaj=offer").get_data(as_text=True)
    assert "przyjęcie formalne" in page and "złożona → przyjęta formalnie" in page
    assert f"oferta {offer_a.id}" in page
    for identifier in ("formally_accepted", "accept_formally", "submitted →", ">offer "):
        assert identifier not in page, identifier
    assert '<option value="offer" selected>oferta</option>' in page  # the filter names kinds in words too
    whole = admin.get("/rejestry/dziennik").get_data(as_text=True)
    assert "przypisanie komórce merytorycznej" in whole and "złożony → przekazany komórce" in whole
    assert "ogłoszenie konkursu" in whole and "projekt → ogłoszony, przyjmuje oferty" in whole
    # searching for a word finds the events it names
    found = admin.get("/rejestry/dziennik?q=przyjęcie+formalne").get_data(as_text=True)
    assert f"oferta {offer_a.id}" in found and "ogłoszenie konkursu" not in found
    # in the reader's language
    with transaction():
        db.session.get(User, world.user("admin").id).locale = "en"
    english = admin.get("/rejestry/dziennik?rodzaj=offer").get_data(as_text=True)
    assert "formal acceptance" in english and "submitted → formally accepted" in english
    assert "przyjęcie formalne" not in english and "formally_accepted" not in english
