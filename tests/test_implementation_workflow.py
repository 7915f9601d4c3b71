"""The reporting round as data: who may do what in which state (no database)."""
from workflows import REPORTING_ROUND


def test_units_report_only_while_the_round_is_open_and_only_coordinators_close_and_reopen():
    assert REPORTING_ROUND.can("record_realisation", "open", {"unit"})
    assert not REPORTING_ROUND.can("record_realisation", "closed", {"unit"})
    assert not REPORTING_ROUND.can("record_realisation", "open", {"ngo"})
    assert REPORTING_ROUND.fire("close", "open", {"coordinator"}) == "closed"
    assert not REPORTING_ROUND.can("close", "open", {"unit"})
    assert REPORTING_ROUND.fire("reopen", "closed", {"coordinator"}) == "open"
    assert not REPORTING_ROUND.can("edit_plan", "closed", {"coordinator"})
    assert REPORTING_ROUND.reachable() == {"open", "closed"}
