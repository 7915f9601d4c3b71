"""commitments made in positions (what, by whom, by when; done with a note or a link), and the notification kind
commitment_due for their reminders

Revision ID: ab63d6fd87c8
Revises: 83963a0b483c
Create Date: 2026-12-03 17:11:40.108644

"""
from alembic import op
import sqlalchemy as sa

import consult.core.types  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'ab63d6fd87c8'
down_revision = '83963a0b483c'
branch_labels = None
depends_on = None

OLD_KINDS = ("kind IN ('call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
             "'summary_published', 'consultation_closing', 'offers_deadline', 'position_due')")
KINDS = ("kind IN ('call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
         "'summary_published', 'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due')")


def upgrade():
    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('operator', sa.String(length=300), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('done_at', consult.core.types.UTCDateTime(), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', consult.core.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("state <> 'done' OR (done_at IS NOT NULL AND (done_note IS NOT NULL OR evidence_url IS NOT NULL))", name=op.f('ck_commitments_done_has_evidence')),
    sa.CheckConstraint("state IN ('open', 'done')", name=op.f('ck_commitments_state_known')),
    sa.CheckConstraint('unit_id IS NOT NULL OR operator IS NOT NULL', name=op.f('ck_commitments_has_someone')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_commitments_created_by_id_users')),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_commitments_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_commitments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'commitment_due'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_commitments_position_id'))
        batch_op.drop_index(batch_op.f('ix_commitments_due_on'))

    op.drop_table('commitments')
