"""postulate redactions and private submitters: postulates.public_content and public_justification,
postulate_redactions,
postulates.submitter_private and name_consent

A coordinator hides words (a private person's name) from the public text of a postulate: each redaction is a
row with the words and the reason; postulates.public_content (public_justification) holds the content (the
justification) with them replaced (NULL while
nothing is redacted, and for every postulate before this revision). A postulate filed at a meeting by a private
person (not an office holder) says so (submitter_private) and whether they agreed to their name being published
(name_consent); every postulate before this revision is neither.

Revision ID: b8e2d4f61a37
Revises: 9b2ce204d4da
Create Date: 2026-12-03 22:30:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types

# revision identifiers, used by Alembic.
revision = 'b8e2d4f61a37'
down_revision = '9b2ce204d4da'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_content', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('public_justification', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('submitter_private', sa.Boolean(), server_default=sa.text('false'),
                                      nullable=False))
        batch_op.add_column(sa.Column('name_consent', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_postulates_private_submitter_named'),
                                         "NOT submitter_private OR submitter_kind = 'official'")
        batch_op.create_check_constraint(batch_op.f('ck_postulates_consent_of_private_submitter'),
                                         "NOT name_consent OR submitter_private")
    op.create_table(
        'postulate_redactions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('postulate_id', sa.Integer(), nullable=False),
        sa.Column('words', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', consult.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_postulate_redactions_created_by_id_users')),
        sa.ForeignKeyConstraint(['postulate_id'], ['postulates.id'], ondelete='CASCADE',
                                name=op.f('fk_postulate_redactions_postulate_id_postulates')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_postulate_redactions')),
    )
    with op.batch_alter_table('postulate_redactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postulate_redactions_postulate_id'), ['postulate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('postulate_redactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postulate_redactions_postulate_id'))
    op.drop_table('postulate_redactions')
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_postulates_consent_of_private_submitter'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_postulates_private_submitter_named'), type_='check')
        batch_op.drop_column('name_consent')
        batch_op.drop_column('submitter_private')
        batch_op.drop_column('public_justification')
        batch_op.drop_column('public_content')
