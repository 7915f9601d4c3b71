"""The simplified agreement of a small grant as a document kind: compiled when the grant is decided and kept, so
that the agreement the parties sign is the one the decision made, whatever is edited later. Registered with the
documents service when the app is made."""
from __future__ import annotations

import hashlib

from flask_babel import lazy_gettext as _l

from consult.documents.registry import Built, DocumentKind, register


def _compile(job) -> Built:
    from consult.extensions import db
    from consult.smallgrants.agreement import agreement_html
    from consult.smallgrants.models import SmallGrantOffer
    from worker.pdf import render_pdf

    offer = db.session.get(SmallGrantOffer, job.subject_id)
    if offer is None or offer.granted_amount is None:
        raise LookupError(f"no granted small-grant offer {job.subject_id}")
    html = agreement_html(offer, job.language)
    rendered = render_pdf(html)
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=hashlib.sha256(html.encode()).hexdigest())


def _parties_or_coordinator(user, version) -> bool:
    """The organisation, the unit that decided, and coordinators: an agreement is not published."""
    if user is None:
        return False
    from consult.core.access import has_role
    from consult.extensions import db
    from consult.smallgrants import operations as ops
    from consult.smallgrants.models import SmallGrantOffer

    offer = db.session.get(SmallGrantOffer, version.subject_id)
    return offer is not None and (has_role(user, "coordinator") or ops.is_member_of(user, offer.organisation_id)
                                  or ops.is_staff_of(user, offer.unit_id))


SMALL_GRANT_AGREEMENT = register(DocumentKind(
    name="small_grant_agreement", subject_type="small_grant_offer", compile=_compile,
    folder="small-grant-agreements", file_stem="umowa-maly-grant", compiled_action="compile_small_grant_agreement",
    may_see=_parties_or_coordinator, title=_l("umowa o realizację zadania publicznego w trybie art. 19a")))
