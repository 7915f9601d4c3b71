"""loose ends: a draft withdrawn without being submitted stays unfiled

A postulate withdrawn while it was a draft was never filed: it keeps no filing time (submitted_at) and so stays its
organisation's own, as a draft is. The rows withdrawn so before are found by their audit event (a `withdraw` from
`draft`) and lose the filing time the withdrawal gave them.

Revision ID: 5d4db56daaa0
Revises: c4e8f1a7d3b6
Create Date: 2026-12-03 15:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d4db56daaa0'
down_revision = 'c4e8f1a7d3b6'
branch_labels = None
depends_on = None

OLD_SUBMITTED = "state = 'draft' OR submitted_at IS NOT NULL"
SUBMITTED = "state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL"


def upgrade():
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_postulates_submitted_has_time'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_postulates_submitted_has_time'), SUBMITTED)
    op.execute("UPDATE postulates SET submitted_at = NULL WHERE state = 'withdrawn' AND EXISTS ("
               "SELECT 1 FROM audit_events e WHERE e.subject_type = 'postulate' AND e.subject_id = postulates.id "
               "AND e.action = 'withdraw' AND e.from_state = 'draft')")


def downgrade():
    # The old schema wants a filing time on every withdrawn postulate: a withdrawn draft gets the withdrawal's.
    op.execute("UPDATE postulates SET submitted_at = (SELECT MAX(e.occurred_at) FROM audit_events e "
               "WHERE e.subject_type = 'postulate' AND e.subject_id = postulates.id AND e.action = 'withdraw') "
               "WHERE state = 'withdrawn' AND submitted_at IS NULL")
    op.execute("UPDATE postulates SET submitted_at = created_at WHERE state = 'withdrawn' AND submitted_at IS NULL")
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_postulates_submitted_has_time'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_postulates_submitted_has_time'), OLD_SUBMITTED)
