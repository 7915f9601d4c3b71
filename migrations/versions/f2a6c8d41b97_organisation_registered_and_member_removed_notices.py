"""notices of a newly registered organisation (to the city) and of a member removed from an organisation

Revision ID: f2a6c8d41b97
Revises: c2f7a9d41e63
Create Date: 2026-12-03 21:50:00

"""
from alembic import op

# Every kind so far (the CHECK constraint's list is cumulative), then the two this revision adds.
OLD_KIND_LIST = ("'call_results', 'correction_requested', 'postulate_assigned', 'position_published', 'summary_published', "
                 "'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due', 'email_confirmation', "
                 "'join_requested', 'join_decided', 'organisation_decided', 'password_reset', 'email_change', "
                 "'email_changed', 'invitation', 'booking_accepted', 'booking_changes_requested', 'booking_refused', "
                 "'booking_reminder', 'postulate_carried', 'booking_cancelled'")
OLD_KINDS = "kind IN (" + OLD_KIND_LIST + ")"
KINDS = "kind IN (" + OLD_KIND_LIST + ", 'organisation_registered', 'member_removed')"

# revision identifiers, used by Alembic.
revision = 'f2a6c8d41b97'
down_revision = 'c2f7a9d41e63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind IN ('organisation_registered', 'member_removed')")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
