"""After-commit hooks of reports after the award: the NGO told of the unit's decision, in a transaction of its own
once the decision is durable; a hook that fails logs it and leaves the decision as it is."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def notify(kind: str, report_id: int, event_id: int, app) -> None:
    from consult.core.operations import transaction
    from consult.grant_reports.notices import notify_decision

    try:
        with app.app_context(), transaction():
            notify_decision(kind, report_id, event_id)
    except Exception:
        log.exception("notice %s of grant report %s failed", kind, report_id)
