"""indexes for the registers of postulates at city scale

The public register lists published postulates newest first (state, id), often within one programme
(programme_id, state, id), and filters by the category of a published position (category, status,
postulate_id). Measured with bench/web.py on 10,000 postulates.

Revision ID: 05c40ac71bef
Revises: 41e0e108aef8
Create Date: 2026-11-22 07:25:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '05c40ac71bef'
down_revision = '2992ce6d968f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_postulates_state_id", "postulates", ["state", "id"])
    op.create_index("ix_postulates_programme_state_id", "postulates", ["programme_id", "state", "id"])
    op.create_index("ix_positions_category_status", "positions", ["category", "status", "postulate_id"])


def downgrade():
    op.drop_index("ix_positions_category_status", table_name="positions")
    op.drop_index("ix_postulates_programme_state_id", table_name="postulates")
    op.drop_index("ix_postulates_state_id", table_name="postulates")
