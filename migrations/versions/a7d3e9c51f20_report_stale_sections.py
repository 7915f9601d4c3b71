"""report_stale_sections: the consultation report's sections waiting to be rendered again in the background

An edit that changes a section's content (a published position, an edited meeting) marks the section here, once per
burst of edits; a Celery task renders it after a short delay so that the coordinator's next compile finds it cached.

Revision ID: a7d3e9c51f20
Revises: a7d3c1f0b952
Create Date: 2026-12-04 01:00:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = 'a7d3e9c51f20'
down_revision = 'a7d3c1f0b952'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_stale_sections',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('marked_at', consult.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_report_stale_sections')),
    )


def downgrade():
    op.drop_table('report_stale_sections')
