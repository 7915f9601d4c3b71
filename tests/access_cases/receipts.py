"""The PDFs of what NGO A filed: its offer in a call of unit X (the unit and coordinators see it; so does the
commission's member from NGO B once the offer is under evaluation and NGO B declared no conflict), its small grant's
offer to unit X, and its report on a grant of a call of unit X. Nobody else, and nobody signed out."""
from tests.access_cases import Case

OFFER_READERS = frozenset({"ngo_a", "unit_x", "coordinator"})
COMMISSION_READERS = OFFER_READERS | {"ngo_b"}
SMALL_GRANT_READERS = frozenset({"ngo_a", "unit_x", "coordinator", "admin"})


def _version_of(kind: str, subject_id: int) -> int:
    """The newest version of what was filed (compiled by the filing's own job: in process at commit, or by the
    session's worker, waited for here)."""
    from flask import current_app

    from consult.documents.models import DocumentVersion
    from consult.extensions import db
    from tests.conftest import _wait_for_pending_jobs

    _wait_for_pending_jobs(current_app)
    db.session.rollback()
    return db.session.scalar(db.select(DocumentVersion.id).where(DocumentVersion.kind == kind,
                                                                 DocumentVersion.subject_id == subject_id)
                             .order_by(DocumentVersion.number.desc()).limit(1))


def _offer_pdf(kind: str):
    def url(w):
        from tests.access_cases.calls import offer_of

        return f"/dokumenty-zlozone/{_version_of('offer_filed', offer_of(w, kind).id)}.pdf"
    return url


def _small_grant_pdf(w):
    from tests.smallgrant_support import enter_law, file_offer

    enter_law(w)
    return f"/dokumenty-zlozone/{_version_of('small_grant_offer_filed', file_offer(w).id)}.pdf"


def _report_pdf(w):
    from consult.core.operations import transaction
    from consult.grant_reports import operations as ops
    from tests.grant_report_support import granted_offer, report_form

    offer = granted_offer(w, title="Sprawozdane")
    with transaction():
        report = ops.start_report(w.user("ngo_a"), offer)
        ops.submit_report(w.user("ngo_a"), report, report_form())
    return f"/dokumenty-zlozone/{_version_of('grant_report_filed', report.id)}.pdf"


CASES = [
    Case("receipts.download", _offer_pdf("submitted"), OFFER_READERS, name="offer"),
    Case("receipts.download", _offer_pdf("evaluation"), COMMISSION_READERS, name="offer-in-evaluation"),
    Case("receipts.download", _offer_pdf("conflict"), OFFER_READERS, name="offer-in-conflict"),
    Case("receipts.download", _small_grant_pdf, SMALL_GRANT_READERS, name="small-grant"),
    Case("receipts.download", _report_pdf, OFFER_READERS, name="report"),
]
