"""After-commit hooks of room bookings: tell the requester about the operator's decision, and the operator about
a booking its requester cancelled."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def notify_requester(request_id: int, kind: str, app) -> None:
    from consult.core.operations import transaction
    from consult.places.notices import notify_decision

    try:
        with app.app_context(), transaction():
            notify_decision(request_id, kind)
    except Exception:
        log.exception("notice %s of booking request %s failed", kind, request_id)


def notify_operator(request_id: int, app) -> None:
    from consult.core.operations import transaction
    from consult.places.notices import notify_cancellation

    try:
        with app.app_context(), transaction():
            notify_cancellation(request_id)
    except Exception:
        log.exception("notice of the cancelled booking request %s failed", request_id)
