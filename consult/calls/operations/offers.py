"""An offer in a call: drafting it section by section (the sections themselves are in sections.py and
budget.py, which small grants reuse), what it lacks, submitting and withdrawing it.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.calls.access import is_applicant
from consult.calls.models import (
    Call,
    Offer,
    OfferCostLine,
    OfferPartner,
    OfferResult,
)
from consult.calls.operations._common import _clock, _id, text_value
from consult.calls.operations.budget import (
    FUNDING_FIELDS,
    budget_missing,
    check_grant_within,
    parse_cost_lines,
    parse_funding,
)
from consult.calls.operations.guards import _OfferAt
from consult.calls.operations.sections import parse_task_section, task_section_missing
from consult.core import audit
from consult.core.access import has_role, submit_refusal
from consult.core.errors import Forbidden, Refused
from consult.core.input import is_email_address
from consult.core.locks import lock_for_update
from consult.core.operations import check_version, fire
from consult.core.submissions import once
from consult.extensions import db
from consult.organisations.models import Organisation
from workflows import OFFER

SECTIONS = ("basic", "applicants", "task", "resources", "costs", "other", "declarations")


DECLARATIONS = {
    "non_profit": _l("zadanie publiczne będzie realizowane wyłącznie w zakresie działalności pożytku "
    "publicznego "
    "oferenta(-tów)"),
    "no_profit": _l("pobieranie świadczeń pieniężnych będzie się odbywać wyłącznie w ramach prowadzonej "
    "odpłatnej "
    "działalności pożytku publicznego"),
    "no_arrears": _l("oferent(-ci) nie zalega(-ją) z opłacaniem należności z tytułu zobowiązań podatkowych ani "
    "składek na ubezpieczenia społeczne"),
    "register": _l("dane zawarte w części II niniejszej oferty są zgodne z Krajowym Rejestrem Sądowym lub "
    "inną właściwą ewidencją"),
    "truthful": _l("wszystkie informacje podane w ofercie oraz załącznikach są zgodne z aktualnym stanem "
    "prawnym "
    "i faktycznym"),
    "personal_data": _l("w zakresie przetwarzania danych osobowych zawartych w ofercie dopełniono obowiązków "
    "wynikających z przepisów o ochronie danych osobowych"),
}


def _require_applicant(actor, offer: Offer) -> None:
    if not is_applicant(actor, offer):
        raise Forbidden(_("Ofertę zmieniają tylko członkowie organizacji, która ją składa."))


@once("offer")
def create_offer(actor, call: Call) -> Offer:
    """An NGO member starts an offer in an announced call (a draft, saved section by section)."""
    if not has_role(actor, "ngo") or actor.organisation_id is None:
        raise Forbidden(_("Oferty składają członkowie organizacji pozarządowych."))
    reason = call.offers_closed_reason(_clock())
    if reason:
        raise Refused(reason)
    offer = Offer(
        call=call,
        organisation_id=actor.organisation_id,
        state="draft",
        created_by_id=actor.id,
        basic={"task_type": call.task_type},
    )
    db.session.add(offer)
    db.session.flush()
    audit.record(
        actor,
        "offer",
        offer.id,
        "create",
        to_state="draft",
        call_id=call.id,
        organisation_id=actor.organisation_id,
    )
    return offer


def save_offer_section(
    actor, offer: Offer, section: str, data: dict, *, expected_version: int | None = None
) -> Offer:
    """Save one section of an offer: partial content is fine; completeness is checked on submission.

    A draft is edited until the offers deadline; a submitted offer only within an open correction window.
    """
    _require_applicant(actor, offer)
    if section not in SECTIONS:
        raise Refused(_("Nieznana część oferty."), field="section")
    check_version(offer, expected_version)
    transition = "amend" if offer.state == "correction" else "edit_draft"
    fire(OFFER, offer, transition, actor, context=_OfferAt(offer, _clock()), action="edit", section=section)
    _SECTION_SAVERS[section](offer, data)
    db.session.flush()
    return offer


def _save_basic(offer: Offer, data: dict) -> None:
    offer.basic = {"task_type": text_value(data.get("task_type"), "task_type", _("rodzaj zadania"), limit=2000)}


def _save_applicants(offer: Offer, data: dict) -> None:
    applicant = {}
    for key, label, limit in (
        ("contact_name", _("osobę do kontaktu"), 200),
        ("contact_email", _("e-mail"), 254),
        ("contact_phone", _("telefon"), 40),
        ("address", _("adres oferenta"), 1000),
    ):
        applicant[key] = text_value(data.get(key), key, label, limit=limit)
    if applicant["contact_email"] and not is_email_address(applicant["contact_email"]):
        raise Refused(_("Wpisz adres e-mail w postaci nazwa@domena.pl."), field="contact_email")
    offer.applicant = applicant
    partners = data.get("partners")
    if partners is None:
        return
    cleaned = []
    for i, row in enumerate(partners):
        field = f"partners-{i}"
        org_id = _id(row.get("organisation_id"))
        organisation = db.session.get(Organisation, org_id) if org_id else None
        if org_id is not None and organisation is None:
            raise Refused(_("Partner %(n)s: nie ma takiej organizacji.", n=i + 1), field=field)
        if organisation is not None and organisation.id == offer.organisation_id:
            raise Refused(_("Partner %(n)s: oferent nie może być swoim partnerem.", n=i + 1), field=field)
        name = (
            organisation.name
            if organisation
            else text_value(row.get("name"), field, _("nazwę partnera"), limit=300)
        )
        cleaned.append((organisation, name, text_value(row.get("role"), field, _("zakres działań partnera"))))
    # Keep partners' ids (cost lines point at them) where the position and organisation stay.
    existing = list(offer.partners)
    for i, (organisation, name, role) in enumerate(cleaned):
        if i < len(existing):
            p = existing[i]
            p.organisation, p.name, p.role = organisation, name, role
        else:
            offer.partners.append(
                OfferPartner(position=i + 1, organisation=organisation, name=name, role=role)
            )
    for p in existing[len(cleaned) :]:
        for line in offer.cost_lines:
            if line.partner_id == p.id:
                line.partner_id = None
        offer.partners.remove(p)


def _save_task(offer: Offer, data: dict) -> None:
    section = parse_task_section(data)
    offer.title = section.title
    offer.task_starts, offer.task_ends = section.starts, section.ends
    offer.task = section.task
    if section.results is not None:
        offer.results.clear()
        db.session.flush()  # the old rows' positions are free before the new ones take them
        offer.results.extend(
            OfferResult(position=i, result=r.result, target_value=r.target_value, monitoring=r.monitoring)
            for i, r in enumerate(section.results, start=1)
        )


def _save_resources(offer: Offer, data: dict) -> None:
    offer.resources = {
        key: text_value(data.get(key), key, label)
        for key, label in (
            ("staff", _("zasoby kadrowe")),
            ("material", _("zasoby rzeczowe")),
            ("experience", _("doświadczenie w realizacji podobnych zadań")),
        )
    }


def _save_costs(offer: Offer, data: dict) -> None:
    lines = parse_cost_lines(data.get("cost_lines"), partner_ids=[p.id for p in offer.partners])
    funding = parse_funding(data)
    check_grant_within(funding.grant_requested, offer.call.funds)
    offer.cost_lines.clear()
    db.session.flush()
    offer.cost_lines.extend(
        OfferCostLine(position=i, category=line.category, name=line.name, unit=line.unit, unit_cost=line.unit_cost,
                      quantity=line.quantity, partner_id=line.partner_id)
        for i, line in enumerate(lines, start=1)
    )
    for key in FUNDING_FIELDS:
        setattr(offer, key, getattr(funding, key))


def _save_other(offer: Offer, data: dict) -> None:
    offer.other = {"text": text_value(data.get("text"), "text", _("inne informacje"))}


def _save_declarations(offer: Offer, data: dict) -> None:
    offer.declarations = {key: bool(data.get(key)) for key in DECLARATIONS}


_SECTION_SAVERS = {
    "basic": _save_basic,
    "applicants": _save_applicants,
    "task": _save_task,
    "resources": _save_resources,
    "costs": _save_costs,
    "other": _save_other,
    "declarations": _save_declarations,
}


def offer_missing(offer: Offer) -> list[tuple[str, str, str]]:
    """What an offer lacks to be submitted: (section, field, message), in the order of the template."""
    out: list[tuple[str, str, str]] = []
    call = offer.call
    applicant = offer.applicant or {}
    if not (offer.basic or {}).get("task_type"):
        out.append(("basic", "task_type", _("Wpisz rodzaj zadania publicznego.")))
    for key, message in (
        ("contact_name", _("Wpisz osobę do kontaktu.")),
        ("contact_email", _("Wpisz e-mail do kontaktu.")),
        ("address", _("Wpisz adres oferenta.")),
    ):
        if not applicant.get(key):
            out.append(("applicants", key, message))
    for i, p in enumerate(offer.partners):
        if not p.name or not p.role:
            out.append(
                (
                    "applicants",
                    f"partners-{i}",
                    _("Partner %(n)s: wpisz nazwę i zakres jego działań.", n=i + 1),
                )
            )
    out.extend(
        ("task", field, message)
        for field, message in task_section_missing(
            title=offer.title, starts=offer.task_starts, ends=offer.task_ends, task=offer.task,
            results_count=len(offer.results), allowed_starts=call.task_starts, allowed_ends=call.task_ends,
        )
    )
    resources = offer.resources or {}
    if not resources.get("staff") and not resources.get("material"):
        out.append(("resources", "staff", _("Opisz zasoby kadrowe lub rzeczowe, które zostaną użyte.")))
    out.extend(
        ("costs", field, message)
        for field, message in budget_missing(
            has_lines=bool(offer.cost_lines), grant_requested=offer.grant_requested, funds=call.funds,
            total_funding=offer.total_funding, total_costs=offer.total_costs,
        )
    )
    out.extend(("other", "attachments", message) for message in _missing_annexes(offer))
    declarations = offer.declarations or {}
    if not all(declarations.get(k) for k in DECLARATIONS):
        out.append(("declarations", "declarations", _("Zaznacz wszystkie oświadczenia.")))
    return out


def _missing_annexes(offer: Offer) -> list[str]:
    """What to attach still: each annex the call requires of every offer (a joint offer's partnership agreement
    when it has partners) that none of the offer's files is marked as, named."""
    from consult.attachments.forms import ANNEX_LABELS
    from consult.attachments.queries import missing_annexes

    out = []
    for row in missing_annexes(offer):
        name = str(ANNEX_LABELS[row.annex]) + (f" ({row.description})" if row.description else "")
        out.append(_("Dołącz załącznik wymagany w konkursie: %(annex)s (strona „Załączniki” oferty).", annex=name))
    return out


def submit_offer(actor, offer: Offer) -> Offer:
    """File the offer: complete, before the deadline (server time; the deadline instant itself is too late).

    Nominees of the call's commission whose organisation filed it (as applicant or partner) are
    excluded from the commission at once (serialised on the call with appoint_member, which refuses them).
    """
    _require_applicant(actor, offer)
    refusal = submit_refusal(actor, offer.organisation)
    if refusal:
        raise Refused(refusal)
    lock_for_update(Call, offer.call_id)
    now = _clock()
    context = _OfferAt(offer, now)
    # The deadline is the first thing an applicant needs to hear about: check it before completeness.
    if offer.state == "draft" and context.offers_closed_reason():
        raise Refused(context.offers_closed_reason())
    missing = offer_missing(offer)
    if missing:
        _section, field, message = missing[0]
        more = _(" (pozostałe braki: %(n)s)", n=len(missing) - 1) if len(missing) > 1 else ""
        raise Refused(
            _("Oferta nie jest kompletna: %(first)s%(more)s", first=message, more=more), field=field
        )
    fire(
        OFFER,
        offer,
        "submit",
        actor,
        context=context,
        grant_requested=str(offer.grant_requested),
        total_costs=str(offer.total_costs),
    )
    offer.submitted_at = now
    _exclude_nominees(actor, offer, now)
    from consult.receipts.documents import OFFER_FILED, file_document

    file_document(actor, OFFER_FILED, offer.id)  # the offer as filed, in PDF, and its receipt
    return offer


def _exclude_nominees(actor, offer: Offer, now: datetime) -> None:
    orgs = offer.organisation_ids
    reason = _("Organizacja członka komisji złożyła ofertę w tym konkursie (%(ref)s).", ref=offer.reference)
    for member in offer.call.members:
        if member.kind == "nominee" and not member.is_excluded and member.user.organisation_id in orgs:
            member.excluded_at, member.exclusion_reason = now, reason
            audit.record(
                actor,
                "call",
                offer.call_id,
                "exclude_member",
                member_id=member.id,
                user_id=member.user_id,
                offer_id=offer.id,
            )


def withdraw_offer(actor, offer: Offer, *, reason: str | None = None) -> Offer:
    _require_applicant(actor, offer)
    reason = text_value(reason, "reason", _("powód wycofania oferty"), limit=2000) or None
    fire(OFFER, offer, "withdraw", actor, reason=reason)
    window = offer.open_correction
    if window is not None:
        window.closed_at = _clock()
    return offer
