"""After-commit hooks of reports after the award: the unit told of a submitted report and the NGO of the unit's
decision, in a transaction of their own once the step is durable; a hook that fails logs it and leaves the step
as it is."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def notify(kind: str, report_id: int, event_id: int, app) -> None:
    from consult.core.operations import transaction
    from consult.grant_reports.notices import notify_step

    try:
        with app.app_context(), transaction():
            notify_step(kind, report_id, event_id)
    except Exception:
        log.exception("notice %s of grant report %s failed", kind, report_id)
