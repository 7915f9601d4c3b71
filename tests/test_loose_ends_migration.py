"""The loose ends' migration (5d4db56daaa0) mends what was written before it: a draft withdrawn without being
submitted loses the filing time the withdrawal gave it, and an implementation report's partners ("organizacje
pozarządowe") stop being answered for by the "unit" an earlier import registered for them."""
from __future__ import annotations

from sqlalchemy import text

from tests.migration_support import upgraded_from
from tests.test_migrations_and_demo import _cli, fresh_database

__all__ = ["fresh_database"]

BEFORE = "d7a3f9b25e61"  # the head before this migration (c4e8f1a7d3b6 when it was written)
NOW = "2026-06-01 10:00:00"

ROWS = [
    ("INSERT INTO programmes (id, year, title, consultation_opens, consultation_closes) "
     f"VALUES (1, 2027, 'Program 2027', '{NOW}', '2026-12-01 10:00:00')"),
    "INSERT INTO organisations (id, name, legal_form) VALUES (1, 'Fundacja A', 'fundacja')",
    # 1: withdrawn as a draft; 2: withdrawn after it was submitted; 3: submitted
    *(f"INSERT INTO postulates (id, programme_id, submitter_kind, organisation_id, content, state, created_at, "
      f"submitted_at, version) VALUES ({i}, 1, 'organisation', 1, 'Postulat {i}', '{state}', '{NOW}', '{NOW}', 1)"
      for i, state in ((1, "withdrawn"), (2, "withdrawn"), (3, "submitted"))),
    *(f"INSERT INTO audit_events (occurred_at, subject_type, subject_id, action, from_state, to_state, details) "
      f"VALUES ('{NOW}', 'postulate', {i}, '{action}', '{before}', '{after}', '{{}}')"
      for i, action, before, after in ((1, "withdraw", "draft", "withdrawn"), (2, "submit", "draft", "submitted"),
                                       (2, "withdraw", "submitted", "withdrawn"), (3, "submit", "draft", "submitted"))),
    # ids far from where a sequence starts (PostgreSQL's does not move for ids given): the way back registers one
    ("INSERT INTO units (id, name, code) VALUES (101, 'Wydział Polityki Społecznej', 'WPS'), "
     "(102, 'Organizacje Pozarządowe', 'OP')"),
    ("INSERT INTO implementation_reports (id, programme_title, from_year, to_year, report_year, title, state, "
     f"opened_at) VALUES (1, 'Program', 2024, 2026, 2024, 'Sprawozdanie 2024', 'open', '{NOW}')"),
    "INSERT INTO implementation_goals (id, report_id, position, code, title) VALUES (1, 1, 1, 'I', 'Cel')",
    ("INSERT INTO implementation_tasks (id, goal_id, position, code, kind, title) "
     "VALUES (1, 1, 1, 'I.1', 'basic', 'Zadanie')"),
    "INSERT INTO implementation_areas (id, task_id, position, title, has_funds) VALUES (1, 1, 1, 'Obszar', false)",
    ("INSERT INTO implementation_activities (id, area_id, report_id, position, name, planned, not_carried_out, "
     "version) VALUES (1, 1, 1, 1, 'Działanie', '', false, 1)"),
    ("INSERT INTO implementation_activity_units (id, activity_id, position, label, unit_id) "
     "VALUES (1, 1, 1, 'Wydział Polityki Społecznej UMK', 101), (2, 1, 2, 'organizacje pozarządowe', 102)"),
]


def test_the_migration_mends_withdrawn_drafts_and_partners_registered_as_units(fresh_database):
    with upgraded_from(fresh_database, BEFORE, ROWS) as (engine, _upgrade):
        with engine.connect() as conn:
            filed = dict(conn.execute(text("SELECT id, submitted_at IS NOT NULL FROM postulates")).all())
            links = dict(conn.execute(text("SELECT label, unit_id FROM implementation_activity_units")).all())
            units = conn.execute(text("SELECT count(*) FROM units")).scalar()
        assert {k: bool(v) for k, v in filed.items()} == {1: False, 2: True, 3: True}
        assert links == {"Wydział Polityki Społecznej UMK": 101, "organizacje pozarządowe": None}
        assert units == 2  # the register keeps its rows
        # and back: the old schema's rules hold again
        downgrade = _cli(["db", "downgrade", BEFORE], fresh_database)
        assert downgrade.returncode == 0, downgrade.stderr
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM postulates WHERE submitted_at IS NULL")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM implementation_activity_units "
                                     "WHERE unit_id IS NULL")).scalar() == 0
