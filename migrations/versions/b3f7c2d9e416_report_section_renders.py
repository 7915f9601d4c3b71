"""report_section_renders: the consultation report's parts being rendered right now

A render of a section (or of the front matter's statistics) writes its claim here when it starts and deletes it when it
ends, so that a compile needing that part waits for it instead of rendering its own copy.

Revision ID: b3f7c2d9e416
Revises: c5e1a9d7b3f2
Create Date: 2026-12-04 14:10:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = 'b3f7c2d9e416'
down_revision = 'c5e1a9d7b3f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_section_renders',
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('started_at', consult.core.types.UTCDateTime(), nullable=False),
        sa.Column('worker', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'],
                                name=op.f('fk_report_section_renders_programme_id_programmes'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key', 'language', name=op.f('pk_report_section_renders')),
    )


def downgrade():
    op.drop_table('report_section_renders')
