"""Rows as the JSON the OpenAPI document describes (consult.api.openapi): public fields only.

What is left out on purpose: users (names, e-mails) everywhere; a postulate's author, dates and state
(always "published" here); unpublished positions and their authors; offers' contents, scores, commission
members and the reasons for refusals; a meeting's materials and participant count, which the public
pages do not show. Amounts and points are decimal strings ("12345.67") so that no client rounds them.
Links to pages and PDFs are paths on this host.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from flask import url_for

from consult.calls.models import Call, money
from consult.core.types import to_warsaw
from consult.calls.queries import ResultRow
from consult.documents.models import DocumentVersion
from consult.meetings.models import Meeting
from consult.organisations.models import Organisation, Unit
from consult.postulates.models import Position, Postulate
from consult.programmes.models import Programme


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: time) -> str:
    return value.strftime("%H:%M")


def _amount(value) -> str | None:
    return None if value is None else f"{money(value):.2f}"


def _points(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):.2f}"


def unit(u: Unit) -> dict:
    return {"id": u.id, "code": u.code, "name": u.name}


def organisation(o: Organisation) -> dict:
    return {"id": o.id, "name": o.name}


def programme(p: Programme) -> dict:
    return {
        "id": p.id,
        "year": p.year,
        "title": p.title,
        "consultation_opens": _instant(p.consultation_opens),
        "consultation_closes": _instant(p.consultation_closes),
        "consultation_state": p.consultation_state(),
        "html_url": url_for("public.programme", programme_id=p.id),
    }


def meeting(m: Meeting) -> dict:
    return {
        "id": m.id,
        "programme_id": m.programme_id,
        "title": m.title,
        "date": _date(m.date),
        "starts": _time(m.starts),
        "ends": _time(m.ends),
        "place": m.place,
        "state": m.state,
        "host_unit": unit(m.host_unit),
        "html_url": url_for("public.meeting", meeting_id=m.id),
    }


def summary_document(v: DocumentVersion) -> dict:
    return {
        "id": v.id,
        "number": v.number,
        "published_at": _instant(v.published_at),
        "pages": v.pages,
        "size": v.size,
        "sha256": v.sha256,
        "url": url_for("summaries.published_pdf", version_id=v.id),
        "language": v.language,
    }


def meeting_detail(m: Meeting, summaries: list[DocumentVersion]) -> dict:
    return {
        **meeting(m),
        "scope": m.scope or "",
        "introduction": m.introduction or "",
        "officials": [{"function": o.function, "name": o.name} for o in m.officials],
        "organisations": [organisation(a.organisation) for a in m.attendance],
        "persons": [p.public_name for p in m.persons],
        "summaries": [summary_document(v) for v in summaries],
    }


def position(p: Position) -> dict:
    return {
        "id": p.id,
        "postulate_id": p.postulate_id,
        "unit": unit(p.unit),
        "category": p.category,
        "text": p.text_for_public,
        "published_at": _instant(p.published_at),
    }


def provision_of(p: Postulate) -> dict | None:
    """The provision of the programme's text the postulate concerns: its stable identifier, how the act cites
    it, and its public page."""
    if p.provision is None:
        return None
    return {"key": p.provision.key, "label": p.provision.citation,
            "html_url": url_for("programme_text.provision", programme_id=p.programme_id, key=p.provision.key)}


def postulate(p: Postulate) -> dict:
    by_organisation = p.submitter_kind == "organisation" and p.organisation is not None
    return {
        "id": p.id,
        "reference": p.reference,
        "programme_id": p.programme_id,
        "meeting_id": p.meeting_id,
        "number": p.number,
        "submitter": {
            "kind": p.submitter_kind,
            "name": p.public_submitter_label,
            "organisation_id": p.organisation_id if by_organisation else None,
        },
        "content": p.public_text,
        "justification": p.public_justification_text or None,
        "responsible_unit": unit(p.responsible_unit),
        # the published ones only, whatever the session has loaded
        "positions": [position(pos) for pos in p.positions if pos.status == "published"],
        "provision": provision_of(p),
        "html_url": (url_for("public.meeting", meeting_id=p.meeting_id) if p.meeting_id
                     else url_for("public.programme", programme_id=p.programme_id)),
    }


def call(c: Call) -> dict:
    return {
        "id": c.id,
        "reference": c.reference,
        "title": c.title,
        "state": c.state,
        "programme_id": c.programme_id,
        "unit": unit(c.unit),
        "funds": _amount(c.funds),
        "offers_deadline": _instant(c.offers_deadline),
        "announced_at": _instant(c.announced_at),
        "html_url": url_for("calls.announcement", call_id=c.id),
    }


def _criterion(c) -> dict:
    return {"title": c.title, "max_points": _points(c.max_points),
            "sub_criteria": [{"title": s.title, "max_points": _points(s.max_points)} for s in c.children]}


def call_detail(c: Call, announcement_pdf: DocumentVersion | None, results_pdf: DocumentVersion | None) -> dict:
    published = c.state == "results_published"
    cancelled = c.state == "cancelled"
    return {
        **call(c),
        "task_type": c.task_type or "",
        "sphere": c.sphere or "",
        "award_rules": c.award_rules or "",
        "task_starts": _date(c.task_starts),
        "task_ends": _date(c.task_ends),
        "task_conditions": c.task_conditions or "",
        "procedure": c.procedure or "",
        "criteria": [_criterion(top) for top in c.top_criteria],
        "max_points": _points(c.max_total),
        "criteria_notes": c.criteria_notes or "",
        "selection_date": _date(c.selection_date),
        "previous_tasks": [{"year": int(row["year"]), "task": row["task"], "amount": _amount(row["amount"])}
                           for row in (c.previous_tasks or [])],
        "cancelled_at": _instant(c.cancelled_at) if cancelled else None,
        "cancel_reason": c.cancel_reason if cancelled else None,
        "results_published_at": _instant(c.results_published_at) if published else None,
        "announcement_pdf_url": (url_for("call_documents.announcement_pdf", call_id=c.id)
                                 if announcement_pdf else None),
        "results_pdf_url": url_for("call_documents.results_pdf", call_id=c.id) if results_pdf and published else None,
        "results_url": url_for("api.call_results", call_id=c.id) if published else None,
    }


def call_results(c: Call, rows: list[ResultRow], results_pdf: DocumentVersion | None) -> dict:
    return {
        "call_id": c.id,
        "reference": c.reference,
        "title": c.title,
        "funds": _amount(c.funds),
        "results_published_at": _instant(c.results_published_at),
        "granted_total": _amount(sum((r.amount or 0 for r in rows if r.granted), Decimal(0))),
        "offers": [{"reference": r.reference, "applicant": r.applicant, "task": r.task, "granted": r.granted,
                    "amount": _amount(r.amount) if r.granted else None} for r in rows],
        "results_pdf_url": url_for("call_documents.results_pdf", call_id=c.id) if results_pdf else None,
        "html_url": url_for("calls.results", call_id=c.id),
    }


def register_organisation(o: Organisation) -> dict:
    """An organisation of the public register: its profile and its own contact, never a person's."""
    return {
        "id": o.id,
        "name": o.name,
        "legal_form": o.legal_form,
        "krs": o.krs,
        "nip": o.nip,
        "regon": o.regon,
        "address": o.address,
        "district": o.district,
        "spheres": o.sphere_codes,
        "email": o.email,
        "phone": o.phone,
        "website": o.website,
        "html_url": url_for("organisations.detail", organisation_id=o.id),
    }


def register_organisation_detail(o: Organisation, postulates: list[Postulate], grants: list,
                                 small_grants: list = ()) -> dict:
    return {
        **register_organisation(o),
        "postulates": [{"id": p.id, "reference": p.reference, "programme_id": p.programme_id,
                        "url": url_for("api.postulate", postulate_id=p.id)} for p in postulates],
        "grants": [{"call_id": c.id, "call_reference": c.reference, "call_title": c.title, "task": offer.title,
                    "amount": _amount(offer.decision.amount) if offer.decision else None,
                    "results_url": url_for("api.call_results", call_id=c.id)} for c, offer in grants],
        "small_grants": [{"id": g.id, "reference": g.reference, "task": g.title, "amount": _amount(g.granted_amount),
                          "decided_on": to_warsaw(g.decided_at).date().isoformat() if g.decided_at else None,
                          "url": url_for("api.small_grant_offer", offer_id=g.id)} for g in small_grants],
    }


def place(p) -> dict:
    """A place of activity: what its public page shows (the place's own contact, never a person's)."""
    operator = ({"type": "organisation", "id": p.organisation.id, "name": p.organisation.name} if p.organisation
                else {"type": "unit", "id": p.unit.id, "name": p.unit.name})
    return {
        "id": p.id,
        "name": p.name,
        "kind": {"id": p.kind.id, "code": p.kind.code, "name": p.kind.label},
        "address": p.address,
        "district": p.district,
        "district_name": p.district_label or None,
        "operator": operator,
        "programme": p.programme,
        "call_id": p.call_id if p.call is not None and p.call.state != "draft" else None,
        "opening_hours": p.opening_hours,
        "offer": p.offer,
        "accessibility": p.accessibility,
        "email": p.email,
        "phone": p.phone,
        "website": p.website,
        "rooms": [{"id": r.id, "name": r.name, "capacity": r.capacity,
                   "ical_url": url_for("places.room_feed", room_id=r.id)} for r in p.rooms],
        "ical_url": url_for("places.place_feed", place_id=p.id),
        "html_url": url_for("places.detail", place_id=p.id),
    }


def small_grant_offer(o) -> dict:
    """A small-grant offer published for comments: the organisation and the unit are public, the people are not."""
    from consult.smallgrants.operations import days_left

    return {
        "id": o.id, "reference": o.reference, "title": o.title,
        "organisation": {"id": o.organisation.id, "name": o.organisation.name},
        "unit": {"id": o.unit.id, "name": o.unit.name},
        "state": o.state, "place": o.place, "starts": o.starts.isoformat(), "ends": o.ends.isoformat(),
        "sphere": o.sphere, "amount": str(o.amount), "granted_amount": str(o.granted_amount) if o.granted_amount is not None else None,
        "published_on": o.published_on.isoformat(), "comments_until": o.comments_until.isoformat(),
        "days_left": days_left(o), "comments": len(o.visible_comments),
        "html_url": url_for("smallgrants.public_offer", offer_id=o.id),
    }


def small_grant_offer_detail(o) -> dict:
    return {**small_grant_offer(o), "description": o.description, "expected_results": o.expected_results,
            "budget": [{"name": line["name"], "total": line["total"], "from_grant": line["from_grant"]}
                       for line in o.budget]}
