"""a small grant refused for the limits of art. 19a keeps the rules it rests on

small_grant_offers.refused_under: the rules (code, value, legal basis) a grant would have broken, so that the NGO reads
the refusal's limits and their basis in its own language; empty for every decision made before.

Revision ID: e5c1a9f3b207
Revises: d4b8e2f6a913
Create Date: 2026-12-04 13:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5c1a9f3b207'
down_revision = 'd4b8e2f6a913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("small_grant_offers") as batch_op:
        batch_op.add_column(sa.Column("refused_under", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("small_grant_offers") as batch_op:
        batch_op.drop_column("refused_under")
