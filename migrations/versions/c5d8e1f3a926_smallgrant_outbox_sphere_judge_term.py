"""small grants: the commenter's confirmation link through the outbox (a notification addressed to an e-mail
address without an account), the sphere of public benefit of an offer, and the unit's term for judging
purposefulness reminded and overdue (notification kinds small_grant_comment_link, small_grant_judge_due,
small_grant_judge_overdue)

Revision ID: c5d8e1f3a926
Revises: c7d3e9a1f402
Create Date: 2026-12-04 01:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5d8e1f3a926'
down_revision = 'c7d3e9a1f402'
branch_labels = None
depends_on = None

OLD_KIND_LIST = ("'call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
                 "'summary_published', 'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due', "
                 "'email_confirmation', 'join_requested', 'join_decided', 'organisation_decided', 'password_reset', "
                 "'email_change', 'email_changed', 'invitation', 'booking_accepted', 'booking_changes_requested', "
                 "'booking_refused', 'booking_reminder', 'postulate_carried', 'booking_cancelled', "
                 "'organisation_registered', 'member_removed', 'small_grant_received', 'small_grant_to_judge', "
                 "'small_grant_judged', 'small_grant_decided', 'grant_report_accepted', 'grant_report_corrections', "
                 "'grant_report_due', 'grant_report_overdue'")
OLD_KINDS = "kind IN (" + OLD_KIND_LIST + ")"
KINDS = ("kind IN (" + OLD_KIND_LIST + ", 'small_grant_comment_link', 'small_grant_judge_due', "
         "'small_grant_judge_overdue')")


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_name', sa.String(length=200), nullable=True))
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(batch_op.f('ck_notifications_addressed'),
                                         "recipient_id IS NOT NULL OR address IS NOT NULL")
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)
    with op.batch_alter_table('small_grant_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sphere', sa.String(length=10), nullable=True))


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind IN ('small_grant_comment_link', 'small_grant_judge_due', "
               "'small_grant_judge_overdue') OR recipient_id IS NULL")
    with op.batch_alter_table('small_grant_offers', schema=None) as batch_op:
        batch_op.drop_column('sphere')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
        batch_op.drop_constraint(batch_op.f('ck_notifications_addressed'), type_='check')
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('recipient_name')
