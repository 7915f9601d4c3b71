"""final reports after the award (art. 18): grant_reports, grant_report_costs, grant_report_results, and their
notifications (grant_report_accepted, grant_report_corrections, grant_report_due, grant_report_overdue)

Revision ID: e4a7c2b9d513
Revises: b8e2d4f61a37
Create Date: 2026-12-03 23:00:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = 'e4a7c2b9d513'
down_revision = 'b8e2d4f61a37'
branch_labels = None
depends_on = None

OLD_KIND_LIST = ("'call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
                 "'summary_published', 'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due', "
                 "'email_confirmation', 'join_requested', 'join_decided', 'organisation_decided', 'password_reset', "
                 "'email_change', 'email_changed', 'invitation', 'booking_accepted', 'booking_changes_requested', "
                 "'booking_refused', 'booking_reminder', 'postulate_carried', 'booking_cancelled', "
                 "'organisation_registered', 'member_removed', 'small_grant_received', 'small_grant_to_judge', "
                 "'small_grant_judged', 'small_grant_decided'")
OLD_KINDS = "kind IN (" + OLD_KIND_LIST + ")"
KINDS = ("kind IN (" + OLD_KIND_LIST + ", 'grant_report_accepted', 'grant_report_corrections', 'grant_report_due', "
         "'grant_report_overdue')")


def upgrade():
    op.create_table(
        'grant_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('offer_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('state', sa.String(length=30), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('grant_amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('own_realised', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('other_realised', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('correction_note', sa.Text(), nullable=True),
        sa.Column('submitted_at', consult.core.types.UTCDateTime(), nullable=True),
        sa.Column('decided_at', consult.core.types.UTCDateTime(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', consult.core.types.UTCDateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("state IN ('draft', 'submitted', 'accepted', 'corrections_requested')",
                           name=op.f('ck_grant_reports_state_known')),
        sa.CheckConstraint("kind IN ('final')", name=op.f('ck_grant_reports_kind_known')),
        sa.CheckConstraint("state = 'draft' OR submitted_at IS NOT NULL",
                           name=op.f('ck_grant_reports_submitted_has_time')),
        sa.CheckConstraint("state <> 'corrections_requested' OR correction_note IS NOT NULL",
                           name=op.f('ck_grant_reports_corrections_have_note')),
        sa.CheckConstraint("grant_amount >= 0 AND own_realised >= 0 AND other_realised >= 0",
                           name=op.f('ck_grant_reports_amounts_nonnegative')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_grant_reports_decided_by_id_users')),
        sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], ondelete='CASCADE',
                                name=op.f('fk_grant_reports_offer_id_offers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_reports')),
        sa.UniqueConstraint('offer_id', 'kind', name='uq_grant_reports_offer_kind'),
    )
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_reports_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_reports_due_on'), ['due_on'], unique=False)
    op.create_table(
        'grant_report_costs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('planned_total', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('realised_total', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('realised_grant', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.CheckConstraint("realised_total IS NULL OR realised_total >= 0",
                           name=op.f('ck_grant_report_costs_total_nonnegative')),
        sa.CheckConstraint("realised_grant IS NULL OR (realised_grant >= 0 AND realised_total IS NOT NULL "
                           "AND realised_grant <= realised_total)",
                           name=op.f('ck_grant_report_costs_grant_within_total')),
        sa.ForeignKeyConstraint(['report_id'], ['grant_reports.id'], ondelete='CASCADE',
                                name=op.f('fk_grant_report_costs_report_id_grant_reports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_report_costs')),
        sa.UniqueConstraint('report_id', 'position', name='uq_grant_report_costs_position'),
    )
    with op.batch_alter_table('grant_report_costs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_report_costs_report_id'), ['report_id'], unique=False)
    op.create_table(
        'grant_report_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('result', sa.Text(), nullable=False),
        sa.Column('target_value', sa.String(length=200), nullable=False),
        sa.Column('achieved', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['grant_reports.id'], ondelete='CASCADE',
                                name=op.f('fk_grant_report_results_report_id_grant_reports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_report_results')),
        sa.UniqueConstraint('report_id', 'position', name='uq_grant_report_results_position'),
    )
    with op.batch_alter_table('grant_report_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_report_results_report_id'), ['report_id'], unique=False)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind LIKE 'grant_report_%'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
    op.drop_table('grant_report_results')
    op.drop_table('grant_report_costs')
    op.drop_table('grant_reports')
