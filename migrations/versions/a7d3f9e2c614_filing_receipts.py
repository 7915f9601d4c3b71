"""the receipt of a filing (an offer, a small grant's offer, a report): the notification kind filing_receipt; the
PDFs themselves are document versions of the kinds offer_filed, small_grant_offer_filed and grant_report_filed, which
need no column of their own (document_versions.subject_type / subject_id)

Revision ID: a7d3f9e2c614
Revises: e4a7c2b9d513
Create Date: 2026-12-04 01:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7d3f9e2c614'
down_revision = 'e4a7c2b9d513'
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
KINDS = "kind IN (" + OLD_KIND_LIST + ", 'filing_receipt')"


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'filing_receipt'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
