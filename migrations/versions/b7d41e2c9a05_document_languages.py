"""document languages: each compile job and version says what it is rendered in (pl, en, uk)

Polish is the default and the official version; every existing job and version is Polish. Version numbers
stay per kind and subject (the languages share the sequence), so no unique constraint changes.

Revision ID: b7d41e2c9a05
Revises: 9c3e5a71d2b4
Create Date: 2026-12-02 01:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d41e2c9a05'
down_revision = '9c3e5a71d2b4'
branch_labels = None
depends_on = None

LANGUAGE_KNOWN = "language IN ('pl', 'en', 'uk')"


def upgrade():
    for table in ('document_jobs', 'document_versions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(length=5), server_default='pl', nullable=False))
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_language_known'), LANGUAGE_KNOWN)


def downgrade():
    for table in ('document_versions', 'document_jobs'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_language_known'), type_='check')
            batch_op.drop_column('language')
