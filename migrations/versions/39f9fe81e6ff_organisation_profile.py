"""organisation profile: address, district, contact, spheres of public benefit (organisation_spheres), verification
status and who may submit on the organisation's behalf; organisations registered so far count as verified

Revision ID: 39f9fe81e6ff
Revises: 604fd86961a2
Create Date: 2026-12-03 16:46:22.283944

"""
from alembic import op
import sqlalchemy as sa

import consult.core.types  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = '39f9fe81e6ff'
down_revision = '604fd86961a2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_spheres',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('sphere', sa.String(length=4), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_spheres_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'sphere', name=op.f('pk_organisation_spheres'))
    )
    with op.batch_alter_table('organisation_spheres', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_spheres_sphere'), ['sphere'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('district', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('website', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='verified', nullable=False))
        batch_op.add_column(sa.Column('verified_at', consult.core.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('submit_policy', sa.String(length=15), server_default='members', nullable=False))
        batch_op.create_check_constraint('status_known', "status IN ('pending', 'verified', 'refused')")
        batch_op.create_check_constraint('submit_policy_known', "submit_policy IN ('members', 'administrators')")



def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint('submit_policy_known', type_='check')
        batch_op.drop_constraint('status_known', type_='check')
        batch_op.drop_column('submit_policy')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('status')
        batch_op.drop_column('website')
        batch_op.drop_column('phone')
        batch_op.drop_column('email')
        batch_op.drop_column('district')
        batch_op.drop_column('address')

    with op.batch_alter_table('organisation_spheres', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_spheres_sphere'))

    op.drop_table('organisation_spheres')
