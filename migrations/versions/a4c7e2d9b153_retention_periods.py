"""retention periods of personal data

retention_periods: how long each kind of record keeps personal data (months) and why (legal basis), set by an
administrator; seeded here with the defaults of consult/retention/kinds.py as they were when it was written
(copied, so that a later change of the defaults does not change what this migration did).

Revision ID: a4c7e2d9b153
Revises: 495b6dd0ff8d
Create Date: 2026-12-03 22:40:00

"""
import sqlalchemy as sa
from alembic import op

import consult.core.types  # UTCDateTime columns

# revision identifiers, used by Alembic.
revision = 'a4c7e2d9b153'
down_revision = '495b6dd0ff8d'
branch_labels = None
depends_on = None

DEFAULTS = [
    ("unconfirmed_accounts", 3,
     "art. 5 ust. 1 lit. e RODO (ograniczenie przechowywania): konto, którego adresu nikt nie potwierdził, "
     "nie służy do udziału w konsultacjach."),
    ("deactivated_accounts", 24,
     "art. 6 ust. 1 lit. e RODO (zadanie publiczne: konsultacje programu współpracy, art. 5 ust. 5 ustawy "
     "o działalności pożytku publicznego i o wolontariacie); po tym czasie dane osoby nie są potrzebne."),
    ("join_requests", 12, "art. 6 ust. 1 lit. e RODO; rozpatrzona prośba potrzebna tylko do wyjaśnienia decyzji."),
    ("booking_requests", 12,
     "art. 6 ust. 1 lit. b i e RODO (udostępnienie sali); po rozliczeniu korzystania z sali kontakt z osobą "
     "odpowiedzialną nie jest potrzebny."),
    ("access_attempts", 1,
     "art. 6 ust. 1 lit. f i art. 32 RODO (bezpieczeństwo kont): zapis służy tylko do spowolnienia prób "
     "odgadnięcia hasła."),
    ("notifications", 12,
     "art. 5 ust. 1 lit. e RODO: treść wysłanego e-maila potrzebna tylko do wyjaśnienia reklamacji doręczenia."),
]


def upgrade():
    table = op.create_table(
        'retention_periods',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.Column('legal_basis', sa.Text(), nullable=False),
        sa.Column('updated_at', consult.core.types.UTCDateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('months >= 1 AND months <= 1200', name=op.f('ck_retention_periods_months_in_range')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_periods')),
        sa.UniqueConstraint('kind', name=op.f('uq_retention_periods_kind')),
    )
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    op.bulk_insert(table, [{"kind": kind, "months": months, "legal_basis": basis, "updated_at": now, "version": 1}
                           for kind, months, basis in DEFAULTS])


def downgrade():
    op.drop_table('retention_periods')
