"""form_submissions: the token of each create form sent (with a digest of what it carried) and the record it
made, so that the form sent again (a double click, a replayed page) shows that record instead of making another

Revision ID: 604fd86961a2
Revises: 5d4db56daaa0
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = '604fd86961a2'
down_revision = '5d4db56daaa0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('created_at', consult.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_submissions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions')),
    sa.UniqueConstraint('user_id', 'kind', 'token', 'digest', name='uq_form_submissions_once')
    )


def downgrade():
    op.drop_table('form_submissions')
