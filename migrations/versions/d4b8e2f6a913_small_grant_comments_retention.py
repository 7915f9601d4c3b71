"""retention of the authors of comments on small-grant offers (their name and e-mail address)

retention_periods: the default period of kind small_grant_comments (consult/retention/kinds.py) seeded as the others
were (copied here, so that a later change of the default does not change what this migration did); a row an
administrator already made for it is left as it is.

Revision ID: d4b8e2f6a913
Revises: a7d3f9e2c614
Create Date: 2026-12-04 07:10:00

"""
import runpy
from pathlib import Path

from alembic import op

KIND, MONTHS = "small_grant_comments", 12
BASIS = ("art. 6 ust. 1 lit. e RODO (uwagi do oferty w trybie art. 19a ust. 3 i 5 ustawy o działalności pożytku "
         "publicznego i o wolontariacie); imię i nazwisko oraz adres e-mail autora uwagi służą jej potwierdzeniu i "
         "rozpatrzeniu oferty, po tym czasie nie są potrzebne.")

# revision identifiers, used by Alembic.
revision = 'd4b8e2f6a913'
down_revision = 'a7d3f9e2c614'
branch_labels = None
depends_on = None

# the period is seeded as the other kinds' were (migrations/retention_periods.py, loaded by its path)
retention = runpy.run_path(str(Path(__file__).parent.parent / "retention_periods.py"))


def upgrade():
    retention["seed"](op, KIND, MONTHS, BASIS)


def downgrade():
    retention["unseed"](op, KIND)
