"""The migration c5e1a9d7b3f2 gives attachments two more parents, a grant report and a small-grant offer: a file on
either is taken after it, a file on none (or on two) is still refused by the one-parent CHECK; the way back removes
the files of the new parents (the old CHECK cannot hold them) and keeps the others' schema."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.migration_support import upgraded_from
from tests.test_migrations_and_demo import _cli, fresh_database

__all__ = ["fresh_database"]

BEFORE = "e5c1a9f3b207"  # the head before this migration
ROWS = [
    "INSERT INTO organisations (id, name, legal_form) VALUES (1, 'Fundacja A', 'fundacja')",
    "INSERT INTO units (id, name, code) VALUES (101, 'Wydział Polityki Społecznej', 'WPS')",
    "INSERT INTO small_grant_offers (id, organisation_id, unit_id, state, title, description, place, starts, ends, "
    "expected_results, budget, amount, total_cost, filed_at, judge_by, version) VALUES (1, 1, 101, 'filed', "
    "'Warsztaty', 'Opis', 'Kraków', '2030-07-01', '2030-07-31', '40 uczestników', '[]', 3000.00, 4000.00, "
    "'2030-06-01 10:00:00', '2030-06-08', 1)",
]


def _attachment(parents: str, values: str, sha: str) -> str:
    return (f"INSERT INTO attachments ({parents}annex, filename, extension, media_type, size, sha256, uploaded_at) "
            f"VALUES ({values}'other', 'statut.pdf', 'pdf', 'application/pdf', 10, '{sha * 64}', "
            f"'2030-06-01 10:00:00')")


def test_the_new_parents_come_and_go_with_the_migration(fresh_database):
    with upgraded_from(fresh_database, BEFORE, ROWS) as (engine, _upgrade):
        with engine.begin() as conn:
            conn.execute(text(_attachment("small_grant_offer_id, ", "1, ", "a")))
        with pytest.raises(IntegrityError), engine.begin() as conn:  # a file of no record
            conn.execute(text(_attachment("", "", "b")))
        with pytest.raises(IntegrityError), engine.begin() as conn:  # the same content twice on one offer
            conn.execute(text(_attachment("small_grant_offer_id, ", "1, ", "a")))

        downgrade = _cli(["db", "downgrade", BEFORE], fresh_database)
        assert downgrade.returncode == 0, downgrade.stderr
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM attachments")).scalar() == 0
        engine.dispose()
        columns = {c["name"] for c in inspect(engine).get_columns("attachments")}
        assert "postulate_id" in columns and not columns & {"grant_report_id", "small_grant_offer_id"}
        assert _cli(["db", "upgrade"], fresh_database).returncode == 0
