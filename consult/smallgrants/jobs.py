"""After-commit hooks of small grants: the notices of each step (consult/smallgrants/notices.py) and the e-mail
with the link a commenter confirms the address by. Each runs in an application context and a transaction of its
own, once the change is durable; a hook that fails logs it and leaves the committed change as it is."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def notify(kind: str, offer_id: int, app) -> None:
    from consult.core.operations import transaction
    from consult.smallgrants.notices import notify_step

    try:
        with app.app_context(), transaction():
            notify_step(kind, offer_id)
    except Exception:
        log.exception("notice %s of small-grant offer %s failed", kind, offer_id)


def send_comment_link(comment_id: int, token: str, locale: str, app) -> None:
    """Write the e-mail with the confirmation link into the outbox (consult/notifications), which delivers it and
    retries it when refused; in the language the comment was written in."""
    from consult.core.operations import transaction
    from consult.smallgrants.notices import comment_link_email

    try:
        with app.app_context(), transaction():
            comment_link_email(comment_id, token, locale)
    except Exception:
        log.exception("confirmation link of small-grant comment %s failed", comment_id)
