"""The PDFs of what was filed, built from fresh rows: an offer in a call (the 2018 offer template), a small grant's
simplified offer (art. 19a) and a report on a grant (the 2018 report template). Each carries its reference and the
time of its filing; user text is escaped by the templates' autoescape."""
from __future__ import annotations

import hashlib
from datetime import date

from flask import current_app
from sqlalchemy.orm import selectinload

from consult.documents.registry import Built
from consult.extensions import db
from worker.pdf import render_pdf

OFFER_TEMPLATE = "pdf/filed_offer.html"
SMALL_GRANT_TEMPLATE = "pdf/filed_small_grant_offer.html"
REPORT_TEMPLATE = "pdf/filed_grant_report.html"


def _iso_date(value) -> str:
    from consult.i18n import format_day

    return format_day(date.fromisoformat(value)) if value else "—"


def _built(html: str) -> Built:
    rendered = render_pdf(html, base_url=current_app.root_path)
    # the HTML is made from the filed data alone (in the job's language): its digest is that of the data
    return Built(pdf=rendered.pdf, pages=rendered.pages, source_digest=hashlib.sha256(html.encode()).hexdigest())


def _render(template: str, **context) -> str:
    return current_app.jinja_env.get_template(template).render(iso_date=_iso_date, **context)


# --- an offer in a call ----------------------------------------------------------------------------------------

def offer_html(offer_id: int) -> str:
    from consult.calls.models import Call, Offer, OfferCostLine
    from consult.calls.operations.offers import DECLARATIONS

    offer = db.session.scalar(
        db.select(Offer).where(Offer.id == offer_id)
        .options(selectinload(Offer.call).selectinload(Call.unit), selectinload(Offer.call).selectinload(Call.programme),
                 selectinload(Offer.organisation), selectinload(Offer.partners), selectinload(Offer.results),
                 selectinload(Offer.cost_lines).selectinload(OfferCostLine.partner), selectinload(Offer.corrections)))
    if offer is None or offer.submitted_at is None:
        raise LookupError(f"no submitted offer {offer_id}")
    finished = [w.finished_at for w in offer.corrections if w.finished_at is not None]
    return _render(OFFER_TEMPLATE, offer=offer, call=offer.call, organisation=offer.organisation,
                   reference=offer.reference, filed_at=offer.submitted_at, corrected_at=max(finished, default=None),
                   declarations=DECLARATIONS,
                   categories=(("activity", _category("activity")), ("administrative", _category("administrative"))))


def _category(code: str) -> str:
    from flask_babel import gettext as _

    return {"activity": _("Koszty realizacji działań"), "administrative": _("Koszty administracyjne")}[code]


def compile_offer(job) -> Built:
    return _built(offer_html(job.subject_id))


# --- a small grant's simplified offer ------------------------------------------------------------------------

def small_grant_offer_html(offer_id: int) -> str:
    from consult.smallgrants.models import SmallGrantOffer

    offer = db.session.scalar(
        db.select(SmallGrantOffer).where(SmallGrantOffer.id == offer_id)
        .options(selectinload(SmallGrantOffer.organisation), selectinload(SmallGrantOffer.unit)))
    if offer is None:
        raise LookupError(f"no small grant's offer {offer_id}")
    return _render(SMALL_GRANT_TEMPLATE, offer=offer, reference=offer.reference, filed_at=offer.filed_at)


def compile_small_grant_offer(job) -> Built:
    return _built(small_grant_offer_html(job.subject_id))


# --- a report on a grant ----------------------------------------------------------------------------------------

def report_reference(report) -> str:
    """What the NGO quotes about its report: the year it was filed and the report's number."""
    year = (report.submitted_at or report.created_at).year
    return f"SPR/{year}/{report.id:05d}"


def report_html(report_id: int) -> str:
    from consult.grant_reports.models import GrantReport

    report = db.session.scalar(
        db.select(GrantReport).where(GrantReport.id == report_id)
        .options(selectinload(GrantReport.costs), selectinload(GrantReport.results)))
    if report is None or report.submitted_at is None:
        raise LookupError(f"no submitted report {report_id}")
    subject = report.subject  # a call's offer or a small grant's: the report reads its own rows either way
    return _render(REPORT_TEMPLATE, report=report, reference=report_reference(report), task_title=subject.title,
                   organisation_name=subject.organisation.name, offer_reference=subject.reference,
                   mode=subject.mode, task_starts=subject.task_starts, task_ends=subject.task_ends)


def compile_report(job) -> Built:
    return _built(report_html(job.subject_id))
