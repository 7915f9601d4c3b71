"""funds as amounts; the publication of the report on the programme

implementation_activities.funds_amounts: the funds cell read as amounts, [{"grosze", "source"}]
(consult.implementation.funds). Cells written before it are read here: what can be read gets its amounts,
what cannot keeps its text only (funds_amounts NULL: the report shows it, marked, and leaves it out of the sums),
and each such cell is named in the migration's output.

programme_report_publications: the report on the programme (art. 5a ust. 3) of a programme, once a
coordinator has published it (it is public from then on).

Revision ID: f3a9c1d7e2b8
Revises: f2a6c8d41b97
Create Date: 2026-12-03 21:40:00

"""
import logging

import sqlalchemy as sa
from alembic import op

import consult.core.types  # UTCDateTime columns

# revision identifiers, used by Alembic.
revision = 'f3a9c1d7e2b8'
down_revision = 'f2a6c8d41b97'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    from consult.implementation.funds import FundsError, parse_funds

    with op.batch_alter_table('implementation_activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('funds_amounts', sa.JSON(), nullable=True))

    activities = sa.table('implementation_activities', sa.column('id', sa.Integer), sa.column('funds', sa.String),
                          sa.column('funds_amounts', sa.JSON))
    conn = op.get_bind()
    unread = 0
    for activity_id, funds in conn.execute(sa.select(activities.c.id, activities.c.funds)
                                           .where(activities.c.funds.is_not(None)).order_by(activities.c.id)).all():
        if not funds.strip():
            continue
        try:
            amounts = [a.as_json() for a in parse_funds(funds)]
        except FundsError as exc:
            unread += 1
            log.warning("implementation_activities %s: funds %r kept as text only, not read as amounts (%s: %r)",
                        activity_id, funds, exc.reason, exc.part)
            continue
        conn.execute(activities.update().where(activities.c.id == activity_id)
                     .values(funds_amounts=amounts))
    if unread:
        log.warning("%s funds cells kept as text only: they are shown marked and left out of the sums", unread)

    op.create_table('programme_report_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('published_at', consult.core.types.UTCDateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_report_publications_programme_id_programmes')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_programme_report_publications_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_report_publications')),
    sa.UniqueConstraint('programme_id', name=op.f('uq_programme_report_publications_programme_id'))
    )


def downgrade():
    op.drop_table('programme_report_publications')
    with op.batch_alter_table('implementation_activities', schema=None) as batch_op:
        batch_op.drop_column('funds_amounts')
