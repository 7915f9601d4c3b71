"""self-registration and membership: users.email_confirmed_at (accounts so far count as confirmed when they were
made), users.organisation_role (the NGO accounts so far administer their organisation), an NGO account may have no
organisation yet (it may only register one or ask to join), join_requests, and the notification kinds of both

Revision ID: 68c38572d833
Revises: d643b5419b60
Create Date: 2026-12-03 16:56:17.154216

"""
from alembic import op
import sqlalchemy as sa

import consult.core.types  # noqa: F401  (UTCDateTime columns)


OLD_KINDS = ("kind IN ('call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
             "'summary_published', 'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due')")
KINDS = ("kind IN ('call_results', 'correction_requested', 'postulate_assigned', 'position_published', "
         "'summary_published', 'consultation_closing', 'offers_deadline', 'position_due', 'commitment_due', "
         "'email_confirmation', 'join_requested', 'join_decided', 'organisation_decided')")
ROLE_KNOWN = ("(organisation_id IS NULL AND organisation_role IS NULL) OR "
              "(role = 'ngo' AND organisation_id IS NOT NULL AND organisation_role IN ('administrator', 'member'))")

# revision identifiers, used by Alembic.
revision = '68c38572d833'
down_revision = 'd643b5419b60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('join_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', consult.core.types.UTCDateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', consult.core.types.UTCDateTime(), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name=op.f('ck_join_requests_decided_has_time')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'refused')", name=op.f('ck_join_requests_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_join_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_join_requests_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_join_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_requests'))
    )
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.create_index('ix_join_requests_organisation', ['organisation_id', 'status'], unique=False)
        batch_op.create_index('uq_join_requests_pending', ['user_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_role', sa.String(length=15), nullable=True))
        batch_op.add_column(sa.Column('email_confirmed_at', consult.core.types.UTCDateTime(), nullable=True))

    # Nothing breaks: every account so far was made by an administrator or the CLI, who vouched for its address, and
    # the NGO accounts so far were their organisation's only people: they administer it.
    op.execute("UPDATE users SET email_confirmed_at = created_at")
    op.execute("UPDATE users SET organisation_role = 'administrator' WHERE role = 'ngo' AND organisation_id IS NOT NULL")
    op.execute("UPDATE users SET organisation_id = NULL WHERE role <> 'ngo'")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_ngo_has_organisation'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_organisation_role_known'), ROLE_KNOWN)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), KINDS)


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind IN ('email_confirmation', 'join_requested', 'join_decided', "
               "'organisation_decided')")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind_known'), OLD_KINDS)
    # An account without an organisation (signed up, never joined) cannot exist in the old schema.
    op.execute("DELETE FROM users WHERE role = 'ngo' AND organisation_id IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_organisation_role_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_ngo_has_organisation'),
                                         "role <> 'ngo' OR organisation_id IS NOT NULL")
        batch_op.drop_column('email_confirmed_at')
        batch_op.drop_column('organisation_role')

    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_join_requests_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_join_requests_organisation')

    op.drop_table('join_requests')
