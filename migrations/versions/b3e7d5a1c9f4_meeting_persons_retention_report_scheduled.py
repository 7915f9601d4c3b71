"""retention of the private persons on meetings' attendance lists; notification kind grant_report_scheduled

retention_periods: the default period of kind meeting_persons (consult/retention/kinds.py) seeded as the others were
(copied here, so that a later change of the default does not change what this migration did); a row an
administrator already made for it is left as it is. notifications: the kinds CHECK rebuilt from the chain
(migrations/kinds.py) with grant_report_scheduled, the NGO told that the unit scheduled a partial report.

Revision ID: b3e7d5a1c9f4
Revises: a7d3e9c51f20
Create Date: 2026-12-04 02:00:00

"""
import importlib.util
from pathlib import Path

from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3e7d5a1c9f4'
down_revision = 'a7d3e9c51f20'
branch_labels = None
depends_on = None

# the notification kinds this revision adds (the CHECK is rebuilt from the chain: migrations/kinds.py)
NOTIFICATION_KINDS_ADDED = ("grant_report_scheduled",)
_spec = importlib.util.spec_from_file_location("migration_kinds", Path(__file__).parent.parent / "kinds.py")
kinds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds)

KIND, MONTHS = "meeting_persons", 24
BASIS = ("art. 6 ust. 1 lit. a i e RODO (konsultacje programu współpracy, art. 5 ust. 5 ustawy o działalności "
         "pożytku publicznego i o wolontariacie); lista obecności dokumentuje spotkanie branżowe, po tym czasie imię "
         "i nazwisko osoby prywatnej nie jest potrzebne.")

_retention_spec = importlib.util.spec_from_file_location("migration_retention", Path(__file__).parent.parent
                                                         / "retention_periods.py")
retention = importlib.util.module_from_spec(_retention_spec)
_retention_spec.loader.exec_module(retention)


def upgrade():
    retention.seed(op, KIND, MONTHS, BASIS)
    kinds.rebuild_check(op, revision)


def downgrade():
    kinds.rebuild_check(op, down_revision)
    retention.unseed(op, KIND)
