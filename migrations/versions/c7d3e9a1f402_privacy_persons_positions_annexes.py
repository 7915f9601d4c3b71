"""privacy: private persons on a meeting's attendance list with their consent to publication (meeting_persons);
words redacted from a position's public text (position_redactions, positions.public_text); whether a call's
annex is required (call_annexes.required: those declared so far were all required)

Revision ID: c7d3e9a1f402
Revises: c5e8a1f3b7d2
Create Date: 2026-12-04 01:10:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = 'c7d3e9a1f402'
down_revision = 'c5e8a1f3b7d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'meeting_persons',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_consent', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('consent_recorded_at', consult.core.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint('NOT name_consent OR (consent_recorded_at IS NOT NULL)',
                           name=op.f('ck_meeting_persons_consent_has_time')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE',
                                name=op.f('fk_meeting_persons_meeting_id_meetings')),
        sa.ForeignKeyConstraint(['consent_recorded_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_meeting_persons_consent_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_persons')),
    )
    with op.batch_alter_table('meeting_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_persons_meeting_id'), ['meeting_id'], unique=False)
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_text', sa.Text(), nullable=True))
    op.create_table(
        'position_redactions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position_id', sa.Integer(), nullable=False),
        sa.Column('words', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', consult.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_position_redactions_created_by_id_users')),
        sa.ForeignKeyConstraint(['position_id'], ['positions.id'], ondelete='CASCADE',
                                name=op.f('fk_position_redactions_position_id_positions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_position_redactions')),
    )
    with op.batch_alter_table('position_redactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_redactions_position_id'), ['position_id'], unique=False)
    with op.batch_alter_table('call_annexes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required', sa.Boolean(), server_default=sa.text('true'), nullable=False))


def downgrade():
    with op.batch_alter_table('call_annexes', schema=None) as batch_op:
        batch_op.drop_column('required')
    with op.batch_alter_table('position_redactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_redactions_position_id'))
    op.drop_table('position_redactions')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('public_text')
    with op.batch_alter_table('meeting_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_persons_meeting_id'))
    op.drop_table('meeting_persons')
