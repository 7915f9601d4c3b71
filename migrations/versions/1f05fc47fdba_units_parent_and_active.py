"""units: the parent unit (units.parent_id) and whether a unit is active (units.active; an inactive unit takes no
new assignment or meeting but keeps its history); every unit registered so far is active

Revision ID: 1f05fc47fdba
Revises: a453f2006567
Create Date: 2026-12-03 16:58:16.965447

"""
from alembic import op
import sqlalchemy as sa

import consult.core.types  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = '1f05fc47fdba'
down_revision = 'a453f2006567'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_units_parent_id_units'), 'units', ['parent_id'], ['id'])
        batch_op.create_check_constraint('not_own_parent', "parent_id IS NULL OR parent_id <> id")


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint('not_own_parent', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_units_parent_id_units'), type_='foreignkey')
        batch_op.drop_column('active')
        batch_op.drop_column('parent_id')
