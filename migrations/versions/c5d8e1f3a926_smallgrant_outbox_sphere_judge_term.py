"""small grants: the commenter's confirmation link through the outbox (a notification addressed to an e-mail
address without an account), the sphere of public benefit of an offer, and the unit's term for judging
purposefulness reminded and overdue (notification kinds small_grant_comment_link, small_grant_judge_due,
small_grant_judge_overdue)

Revision ID: c5d8e1f3a926
Revises: c7d3e9a1f402
Create Date: 2026-12-04 01:00:00

"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5d8e1f3a926'
down_revision = 'c7d3e9a1f402'
branch_labels = None
depends_on = None

# the notification kinds this revision adds (the CHECK is rebuilt from the chain: migrations/kinds.py)
NOTIFICATION_KINDS_ADDED = ("small_grant_comment_link", "small_grant_judge_due", "small_grant_judge_overdue")
_spec = importlib.util.spec_from_file_location("migration_kinds", Path(__file__).parent.parent / "kinds.py")
kinds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds)


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_name', sa.String(length=200), nullable=True))
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(batch_op.f('ck_notifications_addressed'),
                                         "recipient_id IS NOT NULL OR address IS NOT NULL")
    kinds.rebuild_check(op, revision)
    with op.batch_alter_table('small_grant_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sphere', sa.String(length=10), nullable=True))


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind IN ('small_grant_comment_link', 'small_grant_judge_due', "
               "'small_grant_judge_overdue') OR recipient_id IS NULL")
    with op.batch_alter_table('small_grant_offers', schema=None) as batch_op:
        batch_op.drop_column('sphere')
    kinds.rebuild_check(op, down_revision)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_addressed'), type_='check')
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('recipient_name')
