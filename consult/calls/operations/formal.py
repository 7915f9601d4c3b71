"""The formal check of an offer: criteria met or not, a call for corrections, the formal decision.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from consult.calls import jobs
from consult.calls.models import CorrectionWindow, FormalCheck, Offer
from consult.calls.operations._common import _clock, _require_runner, text_value
from consult.calls.operations.guards import _OfferAt
from consult.calls.operations.offers import _require_applicant
from consult.core.errors import Refused
from consult.core.jobs import after_commit
from consult.core.locks import lock_for_update
from consult.core.operations import fire
from consult.extensions import db
from workflows import OFFER


def record_formal_check(actor, offer: Offer, results: dict[int, tuple[bool, str | None]]) -> Offer:
    """Record, per formal criterion of the call, whether the offer meets it: `results` maps a criterion's id
    to (met, note); a criterion not met needs a note saying what is missing. Criteria left out keep what was
    recorded before (none at first), so the check may be saved in parts; the offer can be accepted formally
    only once every criterion is assessed and met (see accept_offer_formally).

    Serialised on the offer with its formal decision, so that an acceptance never passes over a criterion
    someone is marking as not met at the same moment.
    """
    _require_runner(actor, offer.call)
    offer = lock_for_update(Offer, offer.id)
    known = {c.id: c for c in offer.call.formal_criteria}
    unknown = set(results) - set(known)
    if unknown:
        raise Refused(_("Nieznane kryterium formalne."), field="formal_criteria")
    if not results and known:
        first = offer.call.formal_criteria[0]
        raise Refused(
            _("Oceń kryteria formalne: przy każdym zaznacz „spełnione” albo „niespełnione”."),
            field=f"formal-{first.id}",
        )
    fire(
        OFFER,
        offer,
        "check_formal",
        actor,
        context=_OfferAt(offer, _clock()),
        action="check_formal",
        unmet=sorted(cid for cid, (met, _n) in results.items() if not met),
    )
    by_criterion = {c.criterion_id: c for c in offer.formal_checks}
    for cid, (met, note) in results.items():
        note = text_value(note, f"formal-{cid}", _("uwagę"), limit=2000) or None
        if not met and not note:
            raise Refused(
                _("Opisz brak przy kryterium „%(text)s”.", text=known[cid].text), field=f"formal-{cid}"
            )
        check = by_criterion.get(cid)
        if check is None:
            offer.formal_checks.append(
                FormalCheck(
                    criterion_id=cid, met=bool(met), note=note, checked_by_id=actor.id, checked_at=_clock()
                )
            )
        else:
            check.met, check.note, check.checked_by_id, check.checked_at = bool(met), note, actor.id, _clock()
    return offer


def request_correction(actor, offer: Offer, *, deficiencies: str, deadline: datetime) -> CorrectionWindow:
    """Open a correction window: the applicant may amend the offer until `deadline`."""
    _require_runner(actor, offer.call)
    deficiencies = text_value(deficiencies, "deficiencies", _("braki formalne do uzupełnienia"), required=True)
    now = _clock()
    if deadline is None or deadline.tzinfo is None or deadline <= now:
        raise Refused(_("Termin na poprawki musi przypadać w przyszłości."), field="deadline")
    fire(OFFER, offer, "request_correction", actor, deadline=deadline.isoformat(), deficiencies=deficiencies)
    window = CorrectionWindow(
        deficiencies=deficiencies, deadline=deadline, opened_by_id=actor.id, opened_at=now
    )
    offer.corrections.append(window)
    after_commit(db.session, jobs.notify_correction_requested, offer.id)
    return window


def finish_correction(actor, offer: Offer) -> Offer:
    """The applicant says the corrections are done; the offer is frozen again."""
    _require_applicant(actor, offer)
    now = _clock()
    fire(OFFER, offer, "finish_correction", actor, context=_OfferAt(offer, now))
    offer.open_correction.finished_at = now
    from consult.receipts.documents import OFFER_FILED, file_document

    file_document(actor, OFFER_FILED, offer.id)  # the corrected offer is a new version of its PDF
    return offer


def _decide_formally(actor, offer: Offer, transition: str, reason: str | None) -> Offer:
    _require_runner(actor, offer.call)
    offer = lock_for_update(Offer, offer.id)
    now = _clock()
    fire(OFFER, offer, transition, actor, context=_OfferAt(offer, now), reason=reason)
    window = offer.open_correction
    if window is not None:
        window.closed_at = now
    offer.formal_reason = reason
    offer.formally_decided_at = now
    return offer


def accept_offer_formally(actor, offer: Offer) -> Offer:
    """Accept the offer on the formal side (it goes to the commission). Irreversible.

    Refused until every formal criterion of the call has been assessed with record_formal_check and all are
    met: an offer that fails one goes to request_correction or reject_offer_formally instead. Refused too
    while a correction window is open. A script accepting offers that meet everything does:

        record_formal_check(actor, offer, {c.id: (True, None) for c in offer.call.formal_criteria})
        accept_offer_formally(actor, offer)
    """
    return _decide_formally(actor, offer, "accept_formally", None)


def reject_offer_formally(actor, offer: Offer, *, reason: str) -> Offer:
    """Reject the offer on formal grounds, with the reason the applicant will read. Irreversible."""
    reason = text_value(reason, "reason", _("powód odrzucenia oferty"), required=True)
    return _decide_formally(actor, offer, "reject_formally", reason)
