"""Read-side helpers of the consultation report: a programme's versions and jobs, what a job rendered."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from consult.consultation_report.models import ReportSection
from consult.documents.models import DocumentJob, DocumentVersion
from consult.extensions import db

KIND = "programme_report"


def versions_of(programme_id: int) -> list[DocumentVersion]:
    return db.session.scalars(
        db.select(DocumentVersion).where(DocumentVersion.kind == KIND, DocumentVersion.about("programme", programme_id))
        .options(selectinload(DocumentVersion.created_by)).order_by(DocumentVersion.number.desc())).all()


def versions_page(programme_id: int, **filters):
    """A page of `versions_of` (consult.documents.queries.versions_page's filters)."""
    from consult.documents.queries import versions_page as page_of

    return page_of(db.select(DocumentVersion).where(DocumentVersion.kind == KIND,
                                                   DocumentVersion.about("programme", programme_id))
                   .options(selectinload(DocumentVersion.created_by)), **filters)


def published_versions(programme_id: int) -> list[DocumentVersion]:
    """Published versions, the current (last published) first."""
    return db.session.scalars(
        db.select(DocumentVersion)
        .where(DocumentVersion.kind == KIND, DocumentVersion.about("programme", programme_id),
               DocumentVersion.published_at.is_not(None))
        .order_by(DocumentVersion.published_at.desc(), DocumentVersion.number.desc())).all()


def jobs_of(programme_id: int, limit: int = 10) -> list[DocumentJob]:
    return db.session.scalars(
        db.select(DocumentJob).where(DocumentJob.kind == KIND, DocumentJob.about("programme", programme_id))
        .options(selectinload(DocumentJob.requested_by), selectinload(DocumentJob.version))
        .order_by(DocumentJob.id.desc()).limit(limit)).all()


def sections_rendered_by(job_id: int) -> int:
    return db.session.scalar(db.select(db.func.count(ReportSection.id))
                             .where(ReportSection.rendered_by_job_id == job_id)) or 0
