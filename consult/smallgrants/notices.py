"""What people are told on the journey of a small-grant offer, through the outbox (consult/notifications), each in
the recipient's language: the NGO at each step (the offer received, purposefulness judged, the grant decided), the
unit's staff when an offer waits for their judgement, and a commenter (who has no account) the link confirming the
address. Each reaches a recipient once per offer (and per unit for the
unit's notice), and only while it is still true."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from consult.extensions import db
from consult.smallgrants.models import SmallGrantComment, SmallGrantOffer

log = logging.getLogger(__name__)

STILL_TRUE = {
    "small_grant_received": ("filed", "purpose_refused", "open_for_comments", "granted", "not_granted", "reported"),
    "small_grant_to_judge": ("filed",),
    "small_grant_judged": ("purpose_refused", "open_for_comments", "granted", "not_granted", "reported"),
    "small_grant_decided": ("granted", "not_granted", "reported"),
}


def notify_step(kind: str, offer_id: int):
    from consult.notifications.operations import _members, _staff, _write, _written
    from consult.notifications.rendering import absolute, path_for

    offer = db.session.get(SmallGrantOffer, offer_id)
    if offer is None or offer.state not in STILL_TRUE[kind]:
        return []
    link = path_for("smallgrants.case", offer_id=offer.id)
    params = {"ref": offer.reference, "title": offer.title, "state": offer.state,
              "amount": str(offer.granted_amount) if offer.granted_amount is not None else None,
              "until": offer.comments_until.isoformat() if offer.comments_until else None}
    context = {"offer": offer, "url": absolute(link),
               "public_url": absolute(path_for("smallgrants.public_offer", offer_id=offer.id))}
    if kind == "small_grant_to_judge":
        # a reassigned offer tells its new unit's staff, who were never told about it
        return _written(_write(user, kind=kind, related_type="small_grant_offer", related_id=offer.id, link=link,
                               params=params, **context) for user in _staff(offer.unit_id))
    return _written(_write(user, kind=kind, related_type="small_grant_offer", related_id=offer.id, link=link,
                           params=params, **context) for user in _members({offer.organisation_id}))


def comment_link_email(comment_id: int, token: str, locale: str):
    """The e-mail with the link the commenter confirms the address by, in the language the comment was written in:
    through the outbox as every e-mail (shown to the coordinators without the link, retried when refused), to the
    address the commenter gave, who has no account."""
    from consult.notifications.operations import write_to_address
    from consult.notifications.rendering import absolute, path_for

    comment = db.session.get(SmallGrantComment, comment_id)
    if comment is None or comment.confirmed_at is not None:
        return None
    url = absolute(path_for("smallgrants.confirm_comment", token=token))
    return write_to_address(comment.email, comment.author_name, kind="small_grant_comment_link",
                            related_type="small_grant_comment", related_id=comment.id, locale=locale,
                            params={"ref": comment.offer.reference}, comment=comment, offer=comment.offer, url=url)


def judge_term_offers(today: date, horizon: date) -> list[SmallGrantOffer]:
    """The offers still waiting for the judgement of purposefulness whose term ends by `horizon` (or has ended)."""
    from sqlalchemy.orm import selectinload

    return db.session.scalars(
        db.select(SmallGrantOffer).where(SmallGrantOffer.state == "filed", SmallGrantOffer.judge_by <= horizon)
        .options(selectinload(SmallGrantOffer.organisation), selectinload(SmallGrantOffer.unit))
        .order_by(SmallGrantOffer.judge_by, SmallGrantOffer.id)).all()


def send_judge_reminders(today: date, days: int):
    """Before the last day of the unit's term for judging purposefulness (within `days`, the last day included)
    its staff are reminded, once per offer; once the term has passed the coordinators are told, once per offer."""
    from consult.auth.models import User
    from consult.notifications.operations import _staff, _write, _written
    from consult.notifications.rendering import absolute, path_for

    written = []
    coordinators = None
    for offer in judge_term_offers(today, today + timedelta(days=days)):
        link = path_for("smallgrants.case", offer_id=offer.id)
        params = {"ref": offer.reference, "title": offer.title, "judge_by": offer.judge_by.isoformat(),
                  "unit": offer.unit.name}
        context = {"offer": offer, "url": absolute(link), "queue_url": absolute(path_for("smallgrants.queue"))}
        if offer.judge_overdue(today):
            if coordinators is None:
                coordinators = db.session.scalars(db.select(User).where(User.role == "coordinator", User.active)
                                                  .order_by(User.id)).all()
            kind, recipients = "small_grant_judge_overdue", coordinators
        else:
            kind, recipients = "small_grant_judge_due", _staff(offer.unit_id)
        written += _written(_write(user, kind=kind, related_type="small_grant_offer", related_id=offer.id, link=link,
                                   params=params, **context) for user in recipients)
    return written
