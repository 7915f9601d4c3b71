"""documents: a generic subject (subject_type, subject_id) instead of one foreign-key column per domain

document_jobs and document_versions held one nullable subject column per domain (meeting_id, call_id,
programme_id, implementation_report_id) with a CHECK that exactly one is set, so every new domain with documents
(small-grant offers, call offers, grant reports, ...) needed a column, an index, a unique constraint and a change to
consult/documents. Now a row holds what its kind is about, as the kind's registration names it, and the subject's id.
The version numbers stay unique per kind and subject. The foreign keys to the subjects go: the documents service
knows no domain's table; subjects that have documents are never deleted (they are closed, withdrawn or anonymised).

Revision ID: c5e8a1f3b7d2
Revises: e4a7c2b9d513
Create Date: 2026-12-04 01:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = 'c5e8a1f3b7d2'
down_revision = 'e4a7c2b9d513'
branch_labels = None
depends_on = None

# the old subject columns and what the audit log calls each kind of subject
SUBJECTS = {"meeting_id": "meeting", "call_id": "call", "programme_id": "programme",
            "implementation_report_id": "implementation_report"}
ONE_SUBJECT_OLD = " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in SUBJECTS) + " = 1"
JOB_INDEXES = {"meeting_id": "ix_document_jobs_meeting", "call_id": "ix_document_jobs_call",
               "implementation_report_id": "ix_document_jobs_implementation_report",
               "programme_id": "ix_document_jobs_programme"}
VERSION_INDEXES = {"meeting_id": "ix_document_versions_meeting", "call_id": "ix_document_versions_call",
                   "implementation_report_id": "ix_document_versions_implementation_report",
                   "programme_id": "ix_document_versions_programme"}
VERSION_UNIQUES = {"meeting_id": "uq_document_versions_number", "call_id": "uq_document_versions_call_number",
                   "implementation_report_id": "uq_document_versions_report_number",
                   "programme_id": "uq_document_versions_programme_number"}
TABLES = ('document_jobs', 'document_versions')


def _fill(table: str) -> None:
    for column, subject_type in SUBJECTS.items():
        op.execute(f"UPDATE {table} SET subject_type = '{subject_type}', subject_id = {column} "
                   f"WHERE {column} IS NOT NULL")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('subject_type', sa.String(length=40), nullable=True))
            batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        _fill(table)

    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_document_jobs_one_subject'), type_='check')
        for index in JOB_INDEXES.values():
            batch_op.drop_index(index)
        for column in SUBJECTS:
            batch_op.drop_column(column)  # its foreign key goes with it
        batch_op.alter_column('subject_type', existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_document_jobs_subject_named'), "subject_type <> ''")
        batch_op.create_index('ix_document_jobs_subject', ['subject_type', 'subject_id', 'id'], unique=False)

    with op.batch_alter_table('document_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_document_versions_one_subject'), type_='check')
        for index in VERSION_INDEXES.values():
            batch_op.drop_index(index)
        for unique in VERSION_UNIQUES.values():
            batch_op.drop_constraint(unique, type_='unique')
        for column in SUBJECTS:
            batch_op.drop_column(column)  # its foreign key goes with it
        batch_op.alter_column('subject_type', existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column('subject_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_document_versions_subject_named'), "subject_type <> ''")
        batch_op.create_unique_constraint('uq_document_versions_number', ['kind', 'subject_id', 'number'])
        batch_op.create_index('ix_document_versions_subject', ['subject_type', 'subject_id', 'number'], unique=False)


def downgrade():
    # Documents about subjects the old columns cannot name cannot survive the way back.
    known = "(" + ", ".join(f"'{t}'" for t in SUBJECTS.values()) + ")"
    op.execute(f"DELETE FROM document_versions WHERE subject_type NOT IN {known}")
    op.execute(f"DELETE FROM document_jobs WHERE subject_type NOT IN {known}")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in SUBJECTS:
                batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        for column, subject_type in SUBJECTS.items():
            op.execute(f"UPDATE {table} SET {column} = subject_id WHERE subject_type = '{subject_type}'")

    with op.batch_alter_table('document_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_document_versions_subject')
        batch_op.drop_constraint('uq_document_versions_number', type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_document_versions_subject_named'), type_='check')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')
        for column in SUBJECTS:
            batch_op.create_foreign_key(batch_op.f(f'fk_document_versions_{column}_{column[:-3]}s'),
                                        f'{column[:-3]}s', [column], ['id'])
        for column, unique in VERSION_UNIQUES.items():
            batch_op.create_unique_constraint(unique, ['kind', column, 'number'])
        for column, index in VERSION_INDEXES.items():
            batch_op.create_index(index, [column, 'number'], unique=False)
        batch_op.create_check_constraint(batch_op.f('ck_document_versions_one_subject'), ONE_SUBJECT_OLD)

    with op.batch_alter_table('document_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_document_jobs_subject')
        batch_op.drop_constraint(batch_op.f('ck_document_jobs_subject_named'), type_='check')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')
        for column in SUBJECTS:
            batch_op.create_foreign_key(batch_op.f(f'fk_document_jobs_{column}_{column[:-3]}s'),
                                        f'{column[:-3]}s', [column], ['id'])
        for column, index in JOB_INDEXES.items():
            batch_op.create_index(index, [column, 'id'], unique=False)
        batch_op.create_check_constraint(batch_op.f('ck_document_jobs_one_subject'), ONE_SUBJECT_OLD)
