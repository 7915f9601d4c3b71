"""users.locale: the language a person chose (pl, en, uk) for their pages and the e-mails sent to them

Revision ID: 6dc026133734
Revises: 41e0e108aef8
Create Date: 2026-11-22 06:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6dc026133734'
down_revision = '9c3e57a1d2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
