"""Writing notifications: who is told what when a call's results are published or a correction is asked for.

These are called by the call workflow's after-commit hooks (consult/calls/jobs.py), in their own
transaction, once the change they tell about is durable. Each is idempotent: a user gets one notification
of a kind about one object, however many times the hook runs.

The notification rows are their own record (who was told what, when); they are not audit events, so that the
trail of a call or an offer stays the trail of its decisions.

Delivery: rows stay `queued`. Nothing sends e-mail yet (no SMTP this far; that is issue 6); a signed-in
user reads their notifications at /powiadomienia.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import selectinload

from consult.auth.models import User
from consult.calls.models import Call, CorrectionWindow, Offer, format_pln
from consult.core.types import to_warsaw, utcnow
from consult.extensions import db
from consult.notifications.models import Notification


def _path(endpoint: str, **values) -> str:
    """A path of this application without needing a request (hooks also run from the CLI and the worker)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _members(organisation_ids: set[int]) -> list[User]:
    if not organisation_ids:
        return []
    return db.session.scalars(
        db.select(User).where(User.organisation_id.in_(organisation_ids), User.role == "ngo", User.active)
        .order_by(User.id)).all()


def _write(recipient: User, *, kind: str, related_type: str, related_id: int, subject: str, body: str,
           link: str | None) -> Notification | None:
    exists = db.session.scalar(
        db.select(Notification.id).where(Notification.recipient_id == recipient.id, Notification.kind == kind,
                                         Notification.related_type == related_type,
                                         Notification.related_id == related_id))
    if exists is not None:
        return None
    note = Notification(recipient_id=recipient.id, kind=kind, related_type=related_type, related_id=related_id,
                        subject=subject[:300], body=body, link=link, created_at=utcnow(), state="queued")
    db.session.add(note)
    return note


def _applicant_organisations(offer: Offer) -> set[int]:
    ids = {offer.organisation_id}
    ids.update(p.organisation_id for p in offer.partners if p.organisation_id is not None)
    return ids


def notify_results(call_id: int) -> list[Notification]:
    """One notification to each member of each applicant organisation (lead and registered partners) of each
    decided offer: the call, their offer, and the decision (the grant and its amount, or the refusal).

    Nothing before the results are published.
    """
    call = db.session.get(Call, call_id)
    if call is None or call.state != "results_published":
        return []
    offers = db.session.scalars(
        db.select(Offer).where(Offer.call_id == call_id, Offer.state.in_(("granted", "not_granted")))
        .options(selectinload(Offer.partners), selectinload(Offer.decision)).order_by(Offer.id)).all()
    written = []
    for offer in offers:
        if offer.state == "granted":
            decision = f"Przyznano dotację w kwocie {format_pln(offer.decision.amount)}."
        else:
            decision = "Nie przyznano dotacji. Uzasadnienie rozstrzygnięcia jest na stronie oferty."
        link = _path("calls.offer", offer_id=offer.id)
        subject = f"Wyniki konkursu „{call.title}”: oferta {offer.reference}"
        body = (f"Ogłoszono wyniki otwartego konkursu ofert „{call.title}” ({call.reference}).\n\n"
                f"Oferta: {offer.reference} „{offer.title}”.\n"
                f"Rozstrzygnięcie: {decision}\n\n"
                f"Szczegóły: {link}\n"
                f"Wyniki konkursu: {_path('calls.results', call_id=call.id)}")
        for user in _members(_applicant_organisations(offer)):
            note = _write(user, kind="call_results", related_type="offer", related_id=offer.id, subject=subject,
                          body=body, link=link)
            if note is not None:
                written.append(note)
    db.session.flush()
    return written


def notify_correction(offer_id: int) -> list[Notification]:
    """Tell the members of the offer's organisation what to correct and by when (the latest open window)."""
    window = db.session.scalar(
        db.select(CorrectionWindow)
        .where(CorrectionWindow.offer_id == offer_id, CorrectionWindow.finished_at.is_(None),
               CorrectionWindow.closed_at.is_(None))
        .order_by(CorrectionWindow.id.desc()).limit(1))
    if window is None:
        return []
    offer = window.offer
    deadline = to_warsaw(window.deadline)
    link = _path("calls.offer_tasks", offer_id=offer.id)
    subject = f"Oferta {offer.reference} do poprawy do {deadline:%d.%m.%Y %H:%M}"
    body = (f"W konkursie „{offer.call.title}” ({offer.call.reference}) osoby prowadzące konkurs poprosiły o "
            f"poprawienie oferty {offer.reference} „{offer.title}”.\n\n"
            f"Braki do uzupełnienia:\n{window.deficiencies}\n\n"
            f"Termin na poprawki: {deadline:%d.%m.%Y %H:%M} (czasu warszawskiego).\n"
            f"Popraw ofertę: {link}")
    written = []
    for user in _members({offer.organisation_id}):
        note = _write(user, kind="correction_requested", related_type="correction_window", related_id=window.id,
                      subject=subject, body=body, link=link)
        if note is not None:
            written.append(note)
    db.session.flush()
    return written
