"""report sections of postulates filed online: a section is a meeting's, or a unit's within a programme

The consolidated consultation report gets one section per responsible unit for the published postulates filed
online (outside any meeting). report_sections.meeting_id becomes nullable, unit_id is added, and CHECK one_subject
asks for exactly one of them; a unit's section is unique per programme, unit and digest.

Revision ID: e5b19d7c2a48
Revises: c4e8f1a7d3b6
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5b19d7c2a48'
down_revision = 'c4e8f1a7d3b6'
branch_labels = None
depends_on = None

ONE_SUBJECT = "(meeting_id IS NULL) <> (unit_id IS NULL)"


def upgrade():
    with op.batch_alter_table('report_sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_report_sections_unit_id_units'), 'units', ['unit_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_unique_constraint('uq_report_sections_online_digest', ['programme_id', 'unit_id', 'digest'])
        batch_op.create_check_constraint(batch_op.f('ck_report_sections_one_subject'), ONE_SUBJECT)


def downgrade():
    # The sections of online postulates have no meeting: they are only a cache, the next compile renders again.
    op.execute("DELETE FROM report_sections WHERE meeting_id IS NULL")
    with op.batch_alter_table('report_sections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_report_sections_one_subject'), type_='check')
        batch_op.drop_constraint('uq_report_sections_online_digest', type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_report_sections_unit_id_units'), type_='foreignkey')
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('unit_id')
