"""position due dates: programmes.position_days, postulate_assignments, the notification kind position_due

Every assignment or forward of a postulate to a unit is a row of postulate_assignments with the date the unit's
position is due (one in force per postulate: a partial unique index). Postulates assigned before this revision
get no row: they have no due date and count as never late. Programmes get the default number of days a unit has
for a position (14). Notifications may be reminders of a position's due date.

Revision ID: d7a3f9b25e61
Revises: e5b19d7c2a48
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = 'd7a3f9b25e61'
down_revision = 'e5b19d7c2a48'
branch_labels = None
depends_on = None

OLD_KINDS = ("kind IN ('call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
             "'summary_published', 'consultation_closing', 'offers_deadline')")
KINDS = ("kind IN ('call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
         "'summary_published', 'consultation_closing', 'offers_deadline', 'position_due')")


def upgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_days', sa.Integer(), server_default='14', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_programmes_position_days_range'),
                                         'position_days BETWEEN 1 AND 365')

    op.create_table(
        'postulate_assignments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('postulate_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('how', sa.String(length=10), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('assigned_at', consult.core.types.UTCDateTime(), nullable=False),
        sa.Column('assigned_by_id', sa.Integer(), nullable=True),
        sa.Column('ended_at', consult.core.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint("how IN ('assign', 'forward', 'due_date')",
                           name=op.f('ck_postulate_assignments_how_known')),
        sa.CheckConstraint('ended_at IS NULL OR ended_at >= assigned_at',
                           name=op.f('ck_postulate_assignments_ends_after_start')),
        sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'],
                                name=op.f('fk_postulate_assignments_assigned_by_id_users')),
        sa.ForeignKeyConstraint(['postulate_id'], ['postulates.id'], ondelete='CASCADE',
                                name=op.f('fk_postulate_assignments_postulate_id_postulates')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_postulate_assignments_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_postulate_assignments')),
    )
    with op.batch_alter_table('postulate_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_postulate_assignments_postulate', ['postulate_id', 'id'], unique=False)
        batch_op.create_index('ix_postulate_assignments_unit_due', ['unit_id', 'due_on'], unique=False)
        batch_op.create_index('uq_postulate_assignments_current', ['postulate_id'], unique=True,
                              sqlite_where=sa.text('ended_at IS NULL'),
                              postgresql_where=sa.text('ended_at IS NULL'))

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    # Reminders of due dates are a kind the old schema does not know: they cannot survive the way back.
    op.execute("DELETE FROM notifications WHERE kind = 'position_due'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)

    with op.batch_alter_table('postulate_assignments', schema=None) as batch_op:
        batch_op.drop_index('uq_postulate_assignments_current', sqlite_where=sa.text('ended_at IS NULL'),
                            postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index('ix_postulate_assignments_unit_due')
        batch_op.drop_index('ix_postulate_assignments_postulate')
    op.drop_table('postulate_assignments')

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_programmes_position_days_range'), type_='check')
        batch_op.drop_column('position_days')
