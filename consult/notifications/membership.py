"""The e-mails of membership (consult/membership/operations.py), written after the commit of the change they tell
about, in the recipient's language, through the outbox like every notification:

- the link that confirms a new account's address (to the person; each sending is a notification of its own);
- a person asks to join an organisation: to its administrators;
- the administrators decided: to the person who asked;
- the city verified or refused a self-registered organisation: to its administrators;
- a new organisation registered itself and waits for verification: to every coordinator and administrator;
- an organisation's administrator removed a member: to that person.
"""
from __future__ import annotations

import logging

from flask import current_app

from consult.auth.models import User
from consult.extensions import db
from consult.notifications.models import Notification
from consult.notifications.operations import _write, _written
from consult.notifications.rendering import absolute, path_for

log = logging.getLogger(__name__)


def run(fn, *args) -> None:
    """Run a writer in a transaction of its own (the change it tells about is committed); log a failure."""
    from consult.core.operations import transaction

    app = current_app._get_current_object()
    try:
        with app.app_context(), transaction():
            fn(*args)
    except Exception:
        log.exception("membership notice %s%s failed", getattr(fn, "__name__", fn), args)


def _administrators(organisation_id: int) -> list[User]:
    return db.session.scalars(db.select(User).where(
        User.organisation_id == organisation_id, User.organisation_role == "administrator", User.active)
        .order_by(User.id)).all()


def send_confirmation(user_id: int) -> list[Notification]:
    from consult.membership.operations import RESENDS_PER_HOUR, confirmation_token, recent_confirmations

    user = db.session.get(User, user_id)
    if user is None or user.email_confirmed_at is not None or not user.active:
        return []
    if recent_confirmations(user.id) >= RESENDS_PER_HOUR:
        return []
    sent = db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.recipient_id == user.id, Notification.kind == "email_confirmation")) or 0
    url = absolute(path_for("membership.confirm", token=confirmation_token(user)))
    # No link in the application: the link is for the mailbox, and whoever reads the outbox needs no second copy.
    return _written([_write(user, kind="email_confirmation", related_type="email_confirmation",
                            related_id=sent + 1, link=None, params={"email": user.email}, url=url, user=user)])


def tell_administrators_of_request(request_id: int) -> list[Notification]:
    from consult.membership.models import JoinRequest

    request = db.session.get(JoinRequest, request_id)
    if request is None or request.status != "pending":
        return []
    link = path_for("membership.organisation")
    params = {"person": request.user.name, "organisation": request.organisation.name}
    return _written(_write(admin, kind="join_requested", related_type="join_request", related_id=request.id,
                           link=link, params=params, request=request, url=absolute(link))
                    for admin in _administrators(request.organisation_id))


def tell_requester_of_decision(request_id: int) -> list[Notification]:
    from consult.membership.models import JoinRequest

    request = db.session.get(JoinRequest, request_id)
    if request is None or request.status == "pending":
        return []
    link = path_for("membership.organisation")
    params = {"organisation": request.organisation.name, "approved": request.status == "approved",
              "reason": request.reason}
    return _written([_write(request.user, kind="join_decided", related_type="join_request", related_id=request.id,
                            link=link, params=params, request=request, url=absolute(link))])


def tell_organisation_decided(organisation_id: int, reason: str | None = None) -> list[Notification]:
    from consult.organisations.models import Organisation

    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.status == "pending":
        return []
    link = path_for("membership.organisation")
    params = {"organisation": organisation.name, "verified": organisation.is_verified, "reason": reason}
    return _written(_write(admin, kind="organisation_decided", related_type="organisation",
                           related_id=organisation.id, link=link, params=params, organisation=organisation,
                           reason=reason, url=absolute(link))
                    for admin in _administrators(organisation.id))


def tell_city_of_registration(organisation_id: int, person_id: int) -> list[Notification]:
    """A new organisation waits for verification: every active coordinator and administrator gets the link to the
    list of organisations to verify, each in their own language."""
    from consult.organisations.models import Organisation

    organisation = db.session.get(Organisation, organisation_id)
    person = db.session.get(User, person_id)
    if organisation is None or organisation.status != "pending" or person is None:
        return []
    link = path_for("membership.pending")
    readers = db.session.scalars(db.select(User).where(User.role.in_(("coordinator", "admin")), User.active)
                                 .order_by(User.id)).all()
    return _written(_write(reader, kind="organisation_registered", related_type="organisation",
                           related_id=organisation.id, link=link, params={"organisation": organisation.name},
                           organisation=organisation, person=person, url=absolute(link))
                    for reader in readers)


def tell_member_removed(user_id: int, organisation_id: int, event_id: int) -> list[Notification]:
    """The person removed from an organisation (audit event `event_id`: removed again later, told again)."""
    from consult.organisations.models import Organisation

    user = db.session.get(User, user_id)
    organisation = db.session.get(Organisation, organisation_id)
    if user is None or organisation is None or not user.active or user.organisation_id == organisation_id:
        return []
    link = path_for("membership.organisation")
    return _written([_write(user, kind="member_removed", related_type="audit_event", related_id=event_id,
                            link=link, params={"organisation": organisation.name}, organisation=organisation,
                            url=absolute(link))])
