"""What an NGO filed, as document kinds: an offer in a call, a small grant's simplified offer and a report on a grant,
each compiled (in Polish, the official language) when it is filed and again when it is filed anew after corrections,
each filing a new version with the earlier ones kept. Who may download a version is who may see what was filed:
the organisation's members and the staff who see it (the unit, coordinators, the commission of an offer). When a
version is recorded, its receipt is written (consult/receipts/notices.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.core import audit
from consult.core import operations as _core_operations
from consult.documents.models import DocumentJob, DocumentVersion
from consult.documents.operations import queue_job
from consult.documents.registry import DocumentKind, register
from consult.extensions import db
from consult.receipts import content

OFFER_FILED = "offer_filed"
SMALL_GRANT_OFFER_FILED = "small_grant_offer_filed"
GRANT_REPORT_FILED = "grant_report_filed"


def _offer_may_see(user, version) -> bool:
    from consult.calls.access import can_view_offer
    from consult.calls.models import Offer

    offer = db.session.get(Offer, version.subject_id)
    return user is not None and offer is not None and can_view_offer(user, offer)


def _small_grant_may_see(user, version) -> bool:
    from consult.smallgrants.models import SmallGrantOffer
    from consult.smallgrants.operations import can_see_case

    offer = db.session.get(SmallGrantOffer, version.subject_id)
    return user is not None and offer is not None and can_see_case(user, offer)


def _report_may_see(user, version) -> bool:
    """Who sees the report (of a call's offer or of a small grant): its organisation and those who review it."""
    from consult.grant_reports.models import GrantReport

    report = db.session.get(GrantReport, version.subject_id)
    return user is not None and report is not None and report.subject.may_see(user)


def _write_receipt(version_id: int) -> None:
    from consult.receipts.notices import send_receipt

    send_receipt(version_id)


OFFER_DOCUMENT = register(DocumentKind(
    name=OFFER_FILED, subject_type="offer", compile=content.compile_offer, folder="offers-filed",
    file_stem="oferta", compiled_action="compile_filed_offer", may_see=_offer_may_see, audit_as_job=True,
    after_compile=_write_receipt, title=_l("oferta realizacji zadania publicznego")))
SMALL_GRANT_OFFER_DOCUMENT = register(DocumentKind(
    name=SMALL_GRANT_OFFER_FILED, subject_type="small_grant_offer", compile=content.compile_small_grant_offer,
    folder="small-grant-offers-filed", file_stem="uproszczona-oferta", compiled_action="compile_filed_offer",
    may_see=_small_grant_may_see, audit_as_job=True, after_compile=_write_receipt,
    title=_l("uproszczona oferta realizacji zadania publicznego")))
GRANT_REPORT_DOCUMENT = register(DocumentKind(
    name=GRANT_REPORT_FILED, subject_type="grant_report", compile=content.compile_report,
    folder="grant-reports-filed", file_stem="sprawozdanie", compiled_action="compile_filed_report",
    may_see=_report_may_see, audit_as_job=True, after_compile=_write_receipt,
    title=_l("sprawozdanie z wykonania zadania publicznego")))
FILED_KINDS = (OFFER_FILED, SMALL_GRANT_OFFER_FILED, GRANT_REPORT_FILED)

# the audit log's words for the compiles (audited as the job's own, the filing's id in the details)
_core_operations.COMMON_ACTION_LABELS.update({
    "compile_filed_offer": _l("skompilowanie złożonej oferty (PDF)"),
    "compile_filed_offer_failed": _l("nieudana kompilacja złożonej oferty"),
    "compile_filed_report": _l("skompilowanie złożonego sprawozdania (PDF)"),
    "compile_filed_report_failed": _l("nieudana kompilacja złożonego sprawozdania"),
})
_core_operations.ACTION_LABELS.setdefault("document_job", {})["request_filed_document"] = _l(
    "zlecenie kompilacji złożonej oferty lub sprawozdania")


def file_document(actor, kind: str, subject_id: int) -> DocumentJob:
    """Queue the PDF of what `actor` has just filed (within the operation that filed it, which checked who files
    what): it is compiled after the commit, a new version each filing, and its receipt follows."""
    if kind not in FILED_KINDS:
        raise ValueError(f"not a filed document: {kind}")
    job = queue_job(actor, kind, subject_id, language="pl")
    audit.record(actor, "document_job", job.id, "request_filed_document", kind=kind,
                 **{f"{job.document_kind.subject_type}_id": subject_id})
    return job


def filed_versions(kind: str, subject_id: int) -> list[DocumentVersion]:
    """Every version of what was filed, the newest first."""
    return db.session.scalars(
        db.select(DocumentVersion).where(DocumentVersion.kind == kind, DocumentVersion.subject_id == subject_id)
        .order_by(DocumentVersion.number.desc())).all()


def filed_versions_of(kind: str, subject_ids) -> dict[int, list[DocumentVersion]]:
    """The versions of many subjects of the kind at once (a list's rows), the newest first: one query."""
    ids = set(subject_ids)
    out: dict[int, list[DocumentVersion]] = {i: [] for i in ids}
    if not ids:
        return out
    for version in db.session.scalars(
            db.select(DocumentVersion).where(DocumentVersion.kind == kind, DocumentVersion.subject_id.in_(ids))
            .order_by(DocumentVersion.number.desc())):
        out[version.subject_id].append(version)
    return out
