"""Follow-up work of the call workflow, scheduled by the operations to run after commit.

Each hook receives an id only and runs in an application context (and so a database session) of its own,
because the session that scheduled it has just committed. Each is idempotent, so a hook that runs twice
makes one PDF and one notification per person:
- the announcement's PDF and the results' PDF are compiled by a document job (consult/documents/): a
  Celery worker runs it when REDIS_URL is set, this process otherwise; its version is published when
  compiled, because the announcement and the results are public the moment they are published;
- notifications are written to the outbox (consult/notifications/) and e-mailed after their own commit.

A hook that fails logs it and leaves the committed change as it is: the call is announced or its
results published whatever happens to the PDF or to the notices.
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


def _document(kind: str):
    def request(call_id: int) -> None:
        from consult.calls.documents import request_call_document
        from consult.calls.models import Call
        from consult.core.actors import SYSTEM
        from consult.extensions import db

        call = db.session.get(Call, call_id)
        if call is not None:
            request_call_document(SYSTEM, call, kind)

    return request


def enqueue_announcement_document(call_id: int) -> None:
    """Compile the announcement PDF of the call (published when compiled)."""
    _run("announcement document of call", _document("call_announcement"), call_id)


def enqueue_results_document(call_id: int) -> None:
    """Compile the results PDF (applicant, task, amount) by a document job (published when compiled)."""
    _run("results document of call", _document("call_results"), call_id)


def notify_applicants_of_results(call_id: int) -> None:
    """Tell each member of each applicant organisation that the results are published, and their decision."""
    from consult.notifications.operations import notify_results

    _run("notices of the results of call", notify_results, call_id)


def notify_correction_requested(offer_id: int) -> None:
    """Tell the members of the offer's organisation that a correction window opened, what to fix and by when."""
    from consult.notifications.operations import notify_correction

    _run("notice of a correction of offer", notify_correction, offer_id)
