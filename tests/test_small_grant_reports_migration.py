"""The migration a7d3c1f0b952 moves the simplified reports small grants had (small_grant_offers.report) onto reports
after the award: a submitted final report of the small grant, its budget's lines planned, the sum spent from the
grant kept on a line of its own (so the grant to be returned stays what it was), the results achieved; and back."""
from __future__ import annotations

import json

from sqlalchemy import text

from tests.migration_support import upgraded_from
from tests.test_migrations_and_demo import _cli, fresh_database

__all__ = ["fresh_database"]

BEFORE = "e4a7c2b9d513"  # the head before this migration
NOW = "2026-06-01 10:00:00"
BUDGET = json.dumps([{"name": "Honoraria", "total": "3000.00", "from_grant": "2500.00"},
                     {"name": "Materiały", "total": "1000.00", "from_grant": "500.00"}])
REPORT = json.dumps({"realised": "Cztery warsztaty", "results": "42 uczestników", "spent": "2950.00",
                     "notes": "Bez uwag"})

ROWS = [
    "INSERT INTO organisations (id, name, legal_form) VALUES (1, 'Fundacja A', 'fundacja')",
    "INSERT INTO units (id, name, code) VALUES (101, 'Wydział Polityki Społecznej', 'WPS')",
    *(f"INSERT INTO small_grant_offers (id, organisation_id, unit_id, state, title, description, place, starts, ends, "
      f"expected_results, budget, amount, total_cost, filed_at, judge_by, granted_amount, decision_year, report, "
      f"reported_at, version) VALUES ({i}, 1, 101, '{state}', 'Warsztaty {i}', 'Opis', 'Kraków', '2026-07-01', "
      f"'2026-07-31', '40 uczestników', '{BUDGET}', 3000.00, 4000.00, '{NOW}', '2026-06-08', 3000.00, 2026, "
      f"{report}, {reported_at}, 1)"
      for i, state, report, reported_at in ((1, "reported", f"'{REPORT}'", "'2026-08-20 09:00:00'"),
                                            (2, "granted", "NULL", "NULL"))),
]


def test_the_migration_moves_the_small_grants_reports_onto_grant_reports(fresh_database):
    with upgraded_from(fresh_database, BEFORE, ROWS) as (engine, _upgrade):
        with engine.connect() as conn:
            reports = conn.execute(text(
                "SELECT id, offer_id, small_grant_offer_id, kind, number, state, due_on, grant_amount, notes "
                "FROM grant_reports")).all()
            assert len(reports) == 1  # the offer without a report has none
            report_id, offer_id, small_id, kind, number, state, due_on, grant, notes = reports[0]
            assert (offer_id, small_id, kind, number, state) == (None, 1, "final", 0, "submitted")
            assert str(due_on) == "2026-08-30" and float(grant) == 3000.0
            assert "Cztery warsztaty" in notes and "Bez uwag" in notes
            costs = conn.execute(text("SELECT name, planned_total, realised_total, realised_grant "
                                      "FROM grant_report_costs WHERE report_id = :id ORDER BY position"),
                                 {"id": report_id}).all()
            assert [(name, float(planned)) for name, planned, _t, _g in costs[:2]] == [("Honoraria", 3000.0),
                                                                                     ("Materiały", 1000.0)]
            assert float(costs[2].realised_grant) == 2950.0  # the grant to be returned: 50,00 zł
            assert conn.execute(text("SELECT achieved FROM grant_report_results WHERE report_id = :id"),
                                {"id": report_id}).scalar() == "42 uczestników"
            columns = conn.execute(text("SELECT * FROM small_grant_offers")).keys()
            assert "report" not in columns and "reported_at" not in columns
        # and back: the simplified report is the small grant's again
        downgrade = _cli(["db", "downgrade", BEFORE], fresh_database)
        assert downgrade.returncode == 0, downgrade.stderr
        with engine.connect() as conn:
            old = conn.execute(text("SELECT report FROM small_grant_offers WHERE id = 1")).scalar()
            old = json.loads(old) if isinstance(old, str) else old
            assert old["spent"] == "2950.00" and old["results"] == "42 uczestników"
            assert conn.execute(text("SELECT count(*) FROM grant_reports")).scalar() == 0
