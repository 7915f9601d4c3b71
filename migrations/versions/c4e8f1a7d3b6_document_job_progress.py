"""document job progress: how many of a long job's steps (a consultation report's sections) are done

Revision ID: c4e8f1a7d3b6
Revises: b7d41e2c9a05
Create Date: 2026-12-02 01:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4e8f1a7d3b6'
down_revision = 'b7d41e2c9a05'
branch_labels = None
depends_on = None

PROGRESS = ("(progress_done IS NULL) = (progress_total IS NULL) AND "
            "(progress_done IS NULL OR progress_done BETWEEN 0 AND progress_total)")


def upgrade():
    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_done', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('progress_total', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_document_jobs_progress_within_total'), PROGRESS)


def downgrade():
    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_document_jobs_progress_within_total'), type_='check')
        batch_op.drop_column('progress_total')
        batch_op.drop_column('progress_done')
