"""attachments on grant reports (art. 18) and small-grant offers (art. 19a)

attachments: two more parents, grant_report_id and small_grant_offer_id (removed with their record), each with its
unique (parent, sha256) as the others; the CHECK that a file has exactly one parent is rebuilt to count them too.

The way back removes the rows of the two new parents first (the old CHECK cannot hold them); their bytes stay under
CONSULT_STORAGE, where no row names them.

Revision ID: c5e1a9d7b3f2
Revises: e5c1a9f3b207
Create Date: 2026-12-04 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e1a9d7b3f2'
down_revision = 'e5c1a9f3b207'
branch_labels = None
depends_on = None

OLD_PARENTS = ("postulate_id", "meeting_id", "offer_id", "report_id")
NEW_PARENTS = (*OLD_PARENTS, "grant_report_id", "small_grant_offer_id")


def _one_parent(columns) -> str:
    # as consult.attachments.models._one_parent wrote it then (copied: a later change there must not change this)
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns) + " = 1"


def upgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grant_report_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('small_grant_offer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attachments_grant_report_id_grant_reports'), 'grant_reports',
                                    ['grant_report_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_attachments_small_grant_offer_id_small_grant_offers'),
                                    'small_grant_offers', ['small_grant_offer_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint('uq_attachments_grant_report_id_sha256', ['grant_report_id', 'sha256'])
        batch_op.create_unique_constraint('uq_attachments_small_grant_offer_id_sha256',
                                          ['small_grant_offer_id', 'sha256'])
        batch_op.drop_constraint(batch_op.f('ck_attachments_one_parent'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_attachments_one_parent'), _one_parent(NEW_PARENTS))


def downgrade():
    op.execute("DELETE FROM attachments WHERE grant_report_id IS NOT NULL OR small_grant_offer_id IS NOT NULL")
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_attachments_one_parent'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_attachments_one_parent'), _one_parent(OLD_PARENTS))
        batch_op.drop_constraint('uq_attachments_small_grant_offer_id_sha256', type_='unique')
        batch_op.drop_constraint('uq_attachments_grant_report_id_sha256', type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_attachments_small_grant_offer_id_small_grant_offers'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_attachments_grant_report_id_grant_reports'), type_='foreignkey')
        batch_op.drop_column('small_grant_offer_id')
        batch_op.drop_column('grant_report_id')
