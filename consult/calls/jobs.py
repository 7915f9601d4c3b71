"""Follow-up work of the call workflow, scheduled by the operations to run after commit.

These are the hooks the worker package plugs into (PDF of the announcement and of the results,
notifications). Until it does, they record nothing and do nothing: the operations and their tests
only rely on them being scheduled once, after the transaction commits, with the call's id.
Each receives ids only, so that a Celery task can load fresh rows and be run twice safely.
"""

from __future__ import annotations


def enqueue_announcement_document(call_id: int) -> None:
    """Hook: render and publish the announcement PDF of the call (worker package, later)."""


def enqueue_results_document(call_id: int) -> None:
    """Hook: render and publish the results PDF (applicant, task, amount) by a Celery job (later)."""


def notify_applicants_of_results(call_id: int) -> None:
    """Hook: tell each applicant of the call that results are published (notifications, later)."""


def notify_correction_requested(offer_id: int) -> None:
    """Hook: tell the applicant that a correction window opened for their offer (notifications, later)."""
