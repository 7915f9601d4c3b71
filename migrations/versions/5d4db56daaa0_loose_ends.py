"""loose ends: a draft withdrawn without being submitted stays unfiled; partners of an activity are no units;
notifications keep what their in-app message is written from

A postulate withdrawn while it was a draft was never filed: it keeps no filing time (submitted_at) and so stays its
organisation's own, as a draft is. The rows withdrawn so before are found by their audit event (a `withdraw` from
`draft`) and lose the filing time the withdrawal gave them.

An implementation report's activity may name partners that are no unit of the city ("organizacje pozarządowe"):
implementation_activity_units.unit_id becomes nullable (a partner: its name, no unit). The links an earlier import
made from such names to units it registered for them are cut; the units stay in the register (an administrator
may have given them staff), now answering for nothing in the reports.

A notification keeps `params` (references, titles, dates: JSON), from which the application writes its short message
in the reader's language when it is shown; rows written before have none and show their e-mail's subject.

Revision ID: 5d4db56daaa0
Revises: d7a3f9b25e61
Create Date: 2026-12-03 15:00:00

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d4db56daaa0'
down_revision = 'd7a3f9b25e61'
branch_labels = None
depends_on = None

OLD_SUBMITTED = "state = 'draft' OR submitted_at IS NOT NULL"
SUBMITTED = "state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL"
# consult/implementation/partners.txt as it was when this migration was written, compared without case and
# punctuation (the file may change; this migration must not).
PARTNERS = {"organizacje pozarządowe", "organizacja pozarządowa", "organizacji pozarządowych",
            "organizacjami pozarządowymi", "ngo", "ngos", "partner", "partnerzy", "partnerzy zewnętrzni",
            "partnerzy społeczni", "partnerzy projektu", "placówki oświatowe", "instytucje kultury",
            "miejskie jednostki organizacyjne", "wolontariusze", "mieszkańcy"}


def _plain(name: str) -> str:
    return " ".join(re.sub(r"[,.;:„”“\"'«»]", " ", name.casefold()).split())


def upgrade():
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_postulates_submitted_has_time'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_postulates_submitted_has_time'), SUBMITTED)
    op.execute("UPDATE postulates SET submitted_at = NULL WHERE state = 'withdrawn' AND EXISTS ("
               "SELECT 1 FROM audit_events e WHERE e.subject_type = 'postulate' AND e.subject_id = postulates.id "
               "AND e.action = 'withdraw' AND e.from_state = 'draft')")

    with op.batch_alter_table('implementation_activity_units', schema=None) as batch_op:
        batch_op.alter_column('unit_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    connection = op.get_bind()
    partners = [row.id for row in connection.execute(sa.text("SELECT id, name FROM units"))
                if _plain(row.name) in PARTNERS]
    if partners:
        connection.execute(sa.text("UPDATE implementation_activity_units SET unit_id = NULL "
                                   "WHERE unit_id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
                           {"ids": partners})


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('params')
    # A partner needs a unit in the old schema: the one of its name, registered again if it has to be.
    connection = op.get_bind()
    labels = {row.label for row in connection.execute(
        sa.text("SELECT DISTINCT label FROM implementation_activity_units WHERE unit_id IS NULL"))}
    for label in sorted(labels):
        name = " ".join(label.split())[:300]
        unit_id = connection.execute(sa.text("SELECT id FROM units WHERE name = :name"), {"name": name}).scalar()
        if unit_id is None:
            code, n = "PARTNER", 1
            while connection.execute(sa.text("SELECT 1 FROM units WHERE code = :code"), {"code": code}).scalar():
                n += 1
                code = f"PARTNER{n}"
            connection.execute(sa.text("INSERT INTO units (name, code) VALUES (:name, :code)"),
                               {"name": name, "code": code})
            unit_id = connection.execute(sa.text("SELECT id FROM units WHERE name = :name"), {"name": name}).scalar()
        connection.execute(sa.text("UPDATE implementation_activity_units SET unit_id = :unit "
                                   "WHERE unit_id IS NULL AND label = :label"), {"unit": unit_id, "label": label})
    with op.batch_alter_table('implementation_activity_units', schema=None) as batch_op:
        batch_op.alter_column('unit_id', existing_type=sa.Integer(), nullable=False)
    # The old schema wants a filing time on every withdrawn postulate: a withdrawn draft gets the withdrawal's.
    op.execute("UPDATE postulates SET submitted_at = (SELECT MAX(e.occurred_at) FROM audit_events e "
               "WHERE e.subject_type = 'postulate' AND e.subject_id = postulates.id AND e.action = 'withdraw') "
               "WHERE state = 'withdrawn' AND submitted_at IS NULL")
    op.execute("UPDATE postulates SET submitted_at = created_at WHERE state = 'withdrawn' AND submitted_at IS NULL")
    with op.batch_alter_table('postulates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_postulates_submitted_has_time'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_postulates_submitted_has_time'), OLD_SUBMITTED)
