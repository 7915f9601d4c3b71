"""The simplified agreement of a small grant (art. 19a), compiled from the offer once the grant is decided: the
parties, the task as the offer describes it, the dates, the grant and the simplified budget, the report due after
the task. HTML (templates/pdf/small_grant_agreement.html) and a tagged PDF/UA with WeasyPrint, like the other
documents. The lead registers it as a document kind of consult/documents at merge; until then the case's page
serves it as it is compiled on request."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask_babel import force_locale

from consult.smallgrants.models import SmallGrantOffer

REPORT_DAYS = 30  # the report is due 30 days after the task ends (§ of the simplified agreement's template)


def agreement_html(offer: SmallGrantOffer, locale: str = "pl") -> str:
    if offer.granted_amount is None:
        raise ValueError("an agreement is compiled only for a granted offer")
    with force_locale(locale):
        return render_template("pdf/small_grant_agreement.html", offer=offer, locale=locale,
                               report_due=offer.ends + timedelta(days=REPORT_DAYS))


def agreement_pdf(offer: SmallGrantOffer, locale: str = "pl") -> bytes:
    from worker.pdf import render_pdf

    return render_pdf(agreement_html(offer, locale)).pdf
