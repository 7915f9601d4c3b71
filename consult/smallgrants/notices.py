"""What people are told on the journey of a small-grant offer, through the outbox (consult/notifications), each in
the recipient's language: the NGO at each step (the offer received, purposefulness judged, the grant decided), the
unit's staff when an offer waits for their judgement. Each reaches a recipient once per offer (and per unit for the
unit's notice), and only while it is still true."""
from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale

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


def comment_link_email(comment_id: int, token: str, locale: str) -> None:
    from consult.notifications.mailer import DeliveryError, build_message, send, smtp_configured
    from consult.notifications.rendering import absolute, path_for

    comment = db.session.get(SmallGrantComment, comment_id)
    if comment is None:
        return
    url = absolute(path_for("smallgrants.confirm_comment", token=token))
    config = current_app.config
    template = current_app.jinja_env.get_template("mail/small_grant_comment_link.txt")
    with force_locale(locale):
        ctx = template.new_context({"comment": comment, "offer": comment.offer, "url": url})
        subject = " ".join("".join(template.blocks["subject"](ctx)).split())
        body = "".join(template.blocks["body"](ctx)).strip()
    if not smtp_configured(config):
        log.info("small-grant comment %s: no SMTP, confirmation link not sent", comment_id)
        return
    message = build_message(config, to_address=comment.email, to_name=comment.author_name, subject=subject,
                            text=body + "\n", locale=locale)
    try:
        send(config, message)
    except DeliveryError as exc:
        log.warning("confirmation link of small-grant comment %s: %s", comment_id, exc)
