"""After-commit hooks of the consultation that tell people about a change (consult/notifications/operations.py).

Each receives ids only and runs in an application context (and so a database session) of its own, because the
session that scheduled it has just committed; a hook that fails logs it and leaves the committed change as it is.
"""
from __future__ import annotations

import logging

from flask import current_app

log = logging.getLogger(__name__)


def _run(what: str, fn, *args) -> None:
    from consult.core.operations import transaction

    app = current_app._get_current_object()
    try:
        with app.app_context(), transaction():
            fn(*args)
    except Exception:
        log.exception("%s%s failed", what, args)


def notify_unit_of_assignment(postulate_id: int) -> None:
    from consult.notifications.operations import notify_assignment

    _run("notice of the assignment of postulate", notify_assignment, postulate_id)


def notify_submitters_of_positions(postulate_ids: list[int]) -> None:
    from consult.notifications.operations import notify_positions_published

    _run("notices of positions published on postulates", notify_positions_published, postulate_ids)


def notify_attendees_of_summary(version_id: int) -> None:
    from consult.notifications.operations import notify_summary_published

    _run("notices of the summary version", notify_summary_published, version_id)


def notify_submitters_of_carrying(postulate_id: int) -> None:
    from consult.notifications.operations import notify_postulate_carried

    _run("notice of the postulate carried into the next year", notify_postulate_carried, postulate_id)
