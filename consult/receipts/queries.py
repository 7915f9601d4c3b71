"""Where the PDFs of what an organisation filed are: a subject's versions, and every filing of an organisation (its
members' page), each list in one query per kind."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from consult.documents.models import DocumentVersion
from consult.extensions import db
from consult.receipts.documents import GRANT_REPORT_FILED, OFFER_FILED, SMALL_GRANT_OFFER_FILED


@dataclass(frozen=True)
class FiledRow:
    version: DocumentVersion
    reference: str
    title: str


def organisation_filings(organisation_id: int) -> list[FiledRow]:
    """Every version of every offer, small grant's offer and report the organisation filed, the newest first."""
    from consult.calls.models import Call, Offer
    from consult.grant_reports.models import GrantReport
    from consult.receipts.content import report_reference
    from consult.smallgrants.models import SmallGrantOffer

    rows: list[FiledRow] = []
    offers = db.session.execute(
        db.select(DocumentVersion, Offer).join(Offer, Offer.id == DocumentVersion.subject_id)
        .where(DocumentVersion.kind == OFFER_FILED, Offer.organisation_id == organisation_id)
        .options(selectinload(Offer.call).selectinload(Call.programme))).all()
    rows += [FiledRow(v, o.reference, o.title) for v, o in offers]
    small = db.session.execute(
        db.select(DocumentVersion, SmallGrantOffer).join(SmallGrantOffer, SmallGrantOffer.id == DocumentVersion.subject_id)
        .where(DocumentVersion.kind == SMALL_GRANT_OFFER_FILED, SmallGrantOffer.organisation_id == organisation_id)).all()
    rows += [FiledRow(v, o.reference, o.title) for v, o in small]
    reports = db.session.execute(  # of a call's offer or of a small grant
        db.select(DocumentVersion, GrantReport, Offer, SmallGrantOffer)
        .join(GrantReport, GrantReport.id == DocumentVersion.subject_id)
        .outerjoin(Offer, Offer.id == GrantReport.offer_id)
        .outerjoin(SmallGrantOffer, SmallGrantOffer.id == GrantReport.small_grant_offer_id)
        .where(DocumentVersion.kind == GRANT_REPORT_FILED,
               or_(Offer.organisation_id == organisation_id, SmallGrantOffer.organisation_id == organisation_id))
    ).all()
    rows += [FiledRow(v, report_reference(r), (o or s).title) for v, r, o, s in reports]
    return sorted(rows, key=lambda row: (row.version.created_at, row.version.id), reverse=True)
