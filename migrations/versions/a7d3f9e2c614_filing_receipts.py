"""the receipt of a filing (an offer, a small grant's offer, a report): the notification kind filing_receipt; the
PDFs themselves are document versions of the kinds offer_filed, small_grant_offer_filed and grant_report_filed, which
need no column of their own (document_versions.subject_type, subject_id)

Revision ID: a7d3f9e2c614
Revises: b3e7d5a1c9f4
Create Date: 2026-12-04 01:45:00

"""
import importlib.util
from pathlib import Path

from alembic import op

_spec = importlib.util.spec_from_file_location("migration_kinds", Path(__file__).parent.parent / "kinds.py")
kinds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds)

# revision identifiers, used by Alembic.
revision = 'a7d3f9e2c614'
down_revision = 'b3e7d5a1c9f4'
branch_labels = None
depends_on = None

NOTIFICATION_KINDS_ADDED = ("filing_receipt",)


def upgrade():
    kinds.rebuild_check(op, revision)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'filing_receipt'")
    kinds.rebuild_check(op, down_revision)
