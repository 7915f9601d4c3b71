"""rooms: equipment, accessibility, withdrawal from booking, version; the operator told of a cancelled booking

Revision ID: c2f7a9d41e63
Revises: f3a8c61d92e7
Create Date: 2026-12-03 21:50:00

"""
from alembic import op
import sqlalchemy as sa

# Every kind that exists (cumulative: the list of f3a8c61d92e7) and the one this revision adds.
OLD_KIND_LIST = ("'call_results', 'correction_requested', 'postulate_assigned', 'position_published', 'summary_published', "
                 "'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due', 'email_confirmation', "
                 "'join_requested', 'join_decided', 'organisation_decided', 'password_reset', 'email_change', "
                 "'email_changed', 'invitation', 'booking_accepted', 'booking_changes_requested', 'booking_refused', "
                 "'booking_reminder', 'postulate_carried'")
OLD_KINDS = "kind IN (" + OLD_KIND_LIST + ")"
KINDS = "kind IN (" + OLD_KIND_LIST + ", 'booking_cancelled')"

# revision identifiers, used by Alembic.
revision = 'c2f7a9d41e63'
down_revision = 'f3a8c61d92e7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('equipment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('accessibility', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'booking_cancelled'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('active')
        batch_op.drop_column('accessibility')
        batch_op.drop_column('equipment')
