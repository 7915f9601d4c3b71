"""The receipt of a filing: once the PDF of what was filed is recorded as a version, an e-mail (through the
notifications outbox, in each reader's language) tells the organisation's contact that it was received, with its
reference, the time of filing and the link to download the PDF, which the e-mail also carries as an attachment.

Who gets it: the person who filed it and the members of the organisation whose account's address is the contact's
(the contact e-mail of an offer in a call; the organisation's public address for a small grant or a report); when no
member's account has the contact's address, the contact gets it at that address all the same (in Polish, the
language of the filing). A receipt is about one version: a filing anew after corrections sends a new one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consult.documents.models import DocumentVersion
from consult.extensions import db


@dataclass(frozen=True)
class Filing:
    reference: str
    title: str
    organisation_id: int
    contact_email: str | None
    contact_name: str
    filed_at: datetime
    page: str  # the path of what was filed


def filing_of(version: DocumentVersion) -> Filing | None:
    from consult.notifications.rendering import path_for
    from consult.receipts import content
    from consult.receipts.documents import GRANT_REPORT_FILED, OFFER_FILED, SMALL_GRANT_OFFER_FILED

    if version.kind == OFFER_FILED:
        from consult.calls.models import Offer

        offer = db.session.get(Offer, version.subject_id)
        if offer is None:
            return None
        finished = [w.finished_at for w in offer.corrections if w.finished_at is not None]
        applicant = offer.applicant or {}
        return Filing(offer.reference, offer.title, offer.organisation_id, applicant.get("contact_email"),
                      applicant.get("contact_name") or offer.organisation.name,
                      max(finished, default=offer.submitted_at), path_for("calls.offer", offer_id=offer.id))
    if version.kind == SMALL_GRANT_OFFER_FILED:
        from consult.smallgrants.models import SmallGrantOffer

        offer = db.session.get(SmallGrantOffer, version.subject_id)
        if offer is None:
            return None
        return Filing(offer.reference, offer.title, offer.organisation_id, offer.organisation.email,
                      offer.organisation.name, offer.filed_at, path_for("smallgrants.case", offer_id=offer.id))
    if version.kind == GRANT_REPORT_FILED:
        from consult.grant_reports.models import GrantReport

        report = db.session.get(GrantReport, version.subject_id)
        if report is None:
            return None
        subject = report.subject  # a call's offer or a small grant's
        return Filing(content.report_reference(report), subject.title, subject.organisation_id,
                      subject.organisation.email, subject.organisation.name, report.submitted_at,
                      path_for(subject.page_endpoint, offer_id=subject.id))
    return None


def recipients(version: DocumentVersion, filing: Filing) -> tuple[list, str | None]:
    """The member who filed it and the members whose address is the contact's (active NGO accounts of the
    organisation, each once), and the contact's address when no member's account has it (else None)."""
    from consult.notifications.operations import _members

    contact = (filing.contact_email or "").strip()
    members = _members({filing.organisation_id})
    has_account = any((user.email or "").lower() == contact.lower() for user in members)
    return ([user for user in members
             if user.id == version.created_by_id or (contact and (user.email or "").lower() == contact.lower())],
            contact if contact and not has_account else None)


def send_receipt(version_id: int) -> list:
    """Write the receipt of the version (once per person), in a transaction of its own; a failure is logged and
    leaves the version as it is (the PDF is on the page whatever happens to the e-mail)."""
    from consult.notifications.jobs import _run

    written: list = []
    _run("receipt of the filed document", lambda: written.extend(write_receipt(version_id)))
    return written


def write_receipt(version_id: int) -> list:
    from consult.notifications.operations import _write, _written, write_to_address
    from consult.notifications.rendering import absolute, path_for

    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.preview:
        return []
    filing = filing_of(version)
    if filing is None:
        return []
    link = path_for("receipts.download", version_id=version.id)
    context = {"version": version, "filing": filing, "document": version.document_kind.title,
               "url": absolute(link), "page_url": absolute(filing.page)}
    params = {"kind": version.kind, "ref": filing.reference, "title": filing.title,
              "filed_at": filing.filed_at.isoformat(), "version": version.number}
    users, address = recipients(version, filing)
    notes = [_write(user, kind="filing_receipt", related_type="document_version", related_id=version.id, link=link,
                    params=params, **context) for user in users]
    if address is not None:  # the contact has no account here: at the address the filing gives
        notes.append(write_to_address(address, filing.contact_name, kind="filing_receipt",
                                      related_type="document_version", related_id=version.id, locale="pl",
                                      params=params, **context))
    return _written(notes)
