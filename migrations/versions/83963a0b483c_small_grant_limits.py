"""small grant limits: dated sets of the limits of art. 19a (one row per rule, with its legal basis), the wording consult
starts with loaded as the first set, and the grants planned per year for public tasks (what the 20% share is of)

Revision ID: 83963a0b483c
Revises: 39f9fe81e6ff
Create Date: 2026-12-03 16:53:04.928613

"""
import datetime
import decimal

from alembic import op
import sqlalchemy as sa

import consult.core.types  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = '83963a0b483c'
down_revision = '39f9fe81e6ff'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('planned_public_task_grants',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', consult.core.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_planned_public_task_grants_amount_not_negative')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_planned_public_task_grants_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_planned_public_task_grants'))
    )
    op.create_table('small_grant_limit_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', consult.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_small_grant_limit_sets_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_small_grant_limit_sets')),
    sa.UniqueConstraint('effective_from', name=op.f('uq_small_grant_limit_sets_effective_from'))
    )
    op.create_table('small_grant_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('legal_basis', sa.String(length=200), nullable=False),
    sa.CheckConstraint("rule IN ('max_grant', 'max_days', 'yearly_cap', 'max_share')", name=op.f('ck_small_grant_limits_rule_known')),
    sa.CheckConstraint('value > 0', name=op.f('ck_small_grant_limits_value_positive')),
    sa.ForeignKeyConstraint(['set_id'], ['small_grant_limit_sets.id'], name=op.f('fk_small_grant_limits_set_id_small_grant_limit_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_small_grant_limits')),
    sa.UniqueConstraint('set_id', 'rule', name='one_value_per_rule')
    )
    # The first set: the limits as written in art. 19a when consult was set up (the values are copied here, not
    # imported, so that this migration stays what it was whatever the code says later).
    sets = sa.table('small_grant_limit_sets', sa.column('id', sa.Integer), sa.column('effective_from', sa.Date),
                    sa.column('note', sa.String), sa.column('created_at', consult.core.types.UTCDateTime))
    limits = sa.table('small_grant_limits', sa.column('set_id', sa.Integer), sa.column('rule', sa.String),
                      sa.column('position', sa.Integer), sa.column('value', sa.Numeric(14, 2)),
                      sa.column('legal_basis', sa.String))
    act = 'ustawy o działalności pożytku publicznego i o wolontariacie'
    op.bulk_insert(sets, [{'id': 1, 'effective_from': datetime.date(2020, 1, 1), 'created_at': datetime.datetime.now(datetime.UTC),
                           'note': 'Brzmienie art. 19a w chwili uruchomienia consult.'}])
    op.bulk_insert(limits, [
        {'set_id': 1, 'rule': 'max_grant', 'position': 0, 'value': decimal.Decimal('10000.00'), 'legal_basis': f'art. 19a ust. 1 pkt 1 {act}'},
        {'set_id': 1, 'rule': 'max_days', 'position': 1, 'value': decimal.Decimal('90'), 'legal_basis': f'art. 19a ust. 1 pkt 2 {act}'},
        {'set_id': 1, 'rule': 'yearly_cap', 'position': 2, 'value': decimal.Decimal('20000.00'), 'legal_basis': f'art. 19a ust. 2 {act}'},
        {'set_id': 1, 'rule': 'max_share', 'position': 3, 'value': decimal.Decimal('20'), 'legal_basis': f'art. 19a ust. 3 {act}'},
    ])
    if op.get_bind().dialect.name == 'postgresql':  # the explicit id 1 must not collide with the next set's
        op.execute("SELECT setval(pg_get_serial_sequence('small_grant_limit_sets', 'id'), 1)")


def downgrade():
    op.drop_table('small_grant_limits')
    op.drop_table('small_grant_limit_sets')
    op.drop_table('planned_public_task_grants')
