"""The funds migration (f3a9c1d7e2b8) reads the funds cells written before amounts existed: what it can read gets its
amounts, what it cannot keeps its text only (and is named in the migration's output); the way back drops them."""
from __future__ import annotations

import json

from sqlalchemy import text

from tests.migration_support import upgraded_from
from tests.test_migrations_and_demo import _cli, fresh_database

__all__ = ["fresh_database"]

BEFORE = "7bd00866515a"  # the head before this migration
NOW = "2026-06-01 10:00:00"
CELLS = {1: "3 431 443,00 zł \n\n820 208,00 zł.", 2: "według potrzeb", 3: None, 4: "1 000 zł (budżet Miasta)"}

ROWS = [
    ("INSERT INTO implementation_reports (id, programme_title, from_year, to_year, report_year, title, state, "
     f"opened_at) VALUES (1, 'Program', 2024, 2026, 2024, 'Sprawozdanie 2024', 'open', '{NOW}')"),
    "INSERT INTO implementation_goals (id, report_id, position, code, title) VALUES (1, 1, 1, 'I', 'Cel')",
    ("INSERT INTO implementation_tasks (id, goal_id, position, code, kind, title) "
     "VALUES (1, 1, 1, 'I.1', 'basic', 'Zadanie')"),
    "INSERT INTO implementation_areas (id, task_id, position, title, has_funds) VALUES (1, 1, 1, 'Obszar', true)",
]


def test_the_migration_reads_what_it_can_and_keeps_the_text_where_it_cannot(fresh_database):
    def activities(conn):
        for i, funds in CELLS.items():
            conn.execute(text("INSERT INTO implementation_activities (id, area_id, report_id, position, name, "
                              "planned, not_carried_out, funds, realised, version) VALUES (:id, 1, 1, :id, "
                              "'Działanie', '', false, :funds, 'Zrobione', 1)"), {"id": i, "funds": funds})

    with upgraded_from(fresh_database, BEFORE, ROWS, activities) as (engine, upgrade):
        assert "implementation_activities 2: funds 'według potrzeb' kept as text only" in upgrade.stderr
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT id, funds_amounts FROM implementation_activities")).all())
            texts = dict(conn.execute(text("SELECT id, funds FROM implementation_activities")).all())
        rows = {k: json.loads(v) if isinstance(v, str) else v for k, v in rows.items()}
        assert rows == {1: [{"grosze": 343144300, "source": ""}, {"grosze": 82020800, "source": ""}], 2: None,
                        3: None, 4: [{"grosze": 100000, "source": "budżet Miasta"}]}
        assert texts == CELLS  # the text as written stays
        downgrade = _cli(["db", "downgrade", BEFORE], fresh_database)
        assert downgrade.returncode == 0, downgrade.stderr
