"""documents: kinds registered by their domains, not listed in the schema

document_jobs and document_versions no longer list the kinds (CHECK kind_known) nor which subject column each kind
sets (CHECK one_subject by kind, report_subject): a kind is registered by its domain (consult.documents.registry),
which names its subject column, and the app checks a row against its kind before writing it. The database keeps
what needs no kind's name: exactly one subject column is set (each a real foreign key) and the kind is named.
A new kind about a meeting, a call, a programme or an implementation report needs no migration.

Revision ID: b7d4c1e9a203
Revises: a4c7e2d9b153
Create Date: 2026-12-03 22:10:00.000000

"""
from alembic import op

SUBJECT_COLUMNS = ("meeting_id", "call_id", "programme_id", "implementation_report_id")
ONE_SUBJECT = " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in SUBJECT_COLUMNS) + " = 1"
KIND_NAMED = "kind <> ''"

# As the consultation report's migration (9c3e5a71d2b4) and the implementation reports' (9c3e57a1d2b4) left them.
KIND_KNOWN_OLD = ("kind IN ('meeting_summary', 'call_announcement', 'call_results', 'implementation_report', "
                  "'programme_report')")
ONE_SUBJECT_OLD = ("(kind = 'meeting_summary' AND meeting_id IS NOT NULL AND call_id IS NULL AND programme_id IS NULL) OR "
                   "(kind IN ('call_announcement', 'call_results') AND call_id IS NOT NULL AND meeting_id IS NULL "
                   "AND programme_id IS NULL) OR "
                   "(kind = 'programme_report' AND programme_id IS NOT NULL AND meeting_id IS NULL AND call_id IS NULL) OR "
                   "(kind = 'implementation_report' AND meeting_id IS NULL AND call_id IS NULL AND programme_id IS NULL)")
REPORT_SUBJECT_OLD = "(implementation_report_id IS NOT NULL) = (kind = 'implementation_report')"

# revision identifiers, used by Alembic.
revision = 'b7d4c1e9a203'
down_revision = 'a4c7e2d9b153'
branch_labels = None
depends_on = None

TABLES = ('document_jobs', 'document_versions')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_report_subject'), type_='check')
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_one_subject'), type_='check')
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_kind_known'), type_='check')
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_kind_named'), KIND_NAMED)
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_one_subject'), ONE_SUBJECT)


def downgrade():
    # Documents of kinds the old lists do not know cannot survive the way back.
    known = "('meeting_summary', 'call_announcement', 'call_results', 'implementation_report', 'programme_report')"
    op.execute(f"DELETE FROM document_versions WHERE kind NOT IN {known}")
    op.execute(f"DELETE FROM document_jobs WHERE kind NOT IN {known}")
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_one_subject'), type_='check')
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_kind_named'), type_='check')
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_kind_known'), KIND_KNOWN_OLD)
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_one_subject'), ONE_SUBJECT_OLD)
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_report_subject'), REPORT_SUBJECT_OLD)
