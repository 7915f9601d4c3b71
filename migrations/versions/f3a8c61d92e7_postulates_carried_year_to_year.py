"""postulates carried from last year's consultation into the next one; the notice to their organisation

Revision ID: f3a8c61d92e7
Revises: 7bd00866515a
Create Date: 2026-12-03 21:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

OLD_KIND_LIST = ("'call_results', 'correction_requested', 'postulate_assigned', 'position_published', 'summary_published', "
                 "'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due', 'email_confirmation', "
                 "'join_requested', 'join_decided', 'organisation_decided', 'password_reset', 'email_change', "
                 "'email_changed', 'invitation', 'booking_accepted', 'booking_changes_requested', 'booking_refused', "
                 "'booking_reminder'")
OLD_KINDS = "kind IN (" + OLD_KIND_LIST + ")"
KINDS = "kind IN (" + OLD_KIND_LIST + ", 'postulate_carried')"


# revision identifiers, used by Alembic.
revision = 'f3a8c61d92e7'
down_revision = '7bd00866515a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_postulates_carried_from_id_postulates'), 'postulates',
                                    ['carried_from_id'], ['id'])
        # a postulate is carried into the next year's consultation once
        batch_op.create_unique_constraint('uq_postulates_carried_from', ['carried_from_id'])
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'postulate_carried'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.drop_constraint('uq_postulates_carried_from', type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_postulates_carried_from_id_postulates'), type_='foreignkey')
        batch_op.drop_column('carried_from_id')
