"""Read-side helpers for notifications: a user's own, newest first."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.extensions import db
from consult.notifications.models import Notification

# The kinds a user can filter their notifications by, as the filter names them (gettext msgids).
KIND_LABELS = {
    "postulate_assigned": _l("postulaty przekazane komórce"),
    "position_due": _l("przypomnienia o terminie stanowiska"),
    "commitment_due": _l("przypomnienia o terminie zobowiązania"),
    "position_published": _l("opublikowane stanowiska"),
    "postulate_carried": _l("postulaty przeniesione do kolejnego roku"),
    "summary_published": _l("podsumowania spotkań"),
    "consultation_closing": _l("przypomnienia o końcu konsultacji"),
    "offers_deadline": _l("przypomnienia o terminie ofert"),
    "call_results": _l("wyniki konkursów"),
    "correction_requested": _l("prośby o poprawienie ofert"),
    "password_reset": _l("linki do ustawienia nowego hasła"),
    "email_change": _l("potwierdzenia nowego adresu e-mail"),
    "email_changed": _l("zmiany adresu e-mail"),
    "invitation": _l("zaproszenia do założenia konta"),
    "booking_accepted": _l("przyjęte rezerwacje sal"),
    "booking_changes_requested": _l("rezerwacje sal do poprawienia"),
    "booking_refused": _l("odrzucone rezerwacje sal"),
    "booking_reminder": _l("przypomnienia o rezerwacjach sal"),
    "booking_cancelled": _l("odwołane rezerwacje sal (dla operatora miejsca)"),
}


def notifications_of(user, limit: int = 200) -> list[Notification]:
    return db.session.scalars(
        db.select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()


def outbox(*, state: str | None = None, search: str | None = None, page: int = 1, size: int = 50):
    """Every e-mail, newest first, for the coordinators' outbox: by delivery state, by recipient (a fragment of
    the name or the address), a page at a time."""
    from sqlalchemy.orm import joinedload

    from consult.auth.models import User
    from consult.core.paging import like_any
    from consult.notifications.models import NOTIFICATION_STATES
    from consult.postulates.queries import Page

    # an outer join: an e-mail to a person without an account (a commenter) has no recipient row
    query = db.select(Notification).outerjoin(User, Notification.recipient_id == User.id)
    if state in NOTIFICATION_STATES:
        query = query.where(Notification.state == state)
    if search and search.strip():
        query = query.where(like_any(search.strip(), User.name, User.email, Notification.address,
                                    Notification.recipient_name))
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery()))
    number = min(max(1, page), max(1, -(-total // size)))
    items = db.session.scalars(query.options(joinedload(Notification.recipient))
                               .order_by(Notification.created_at.desc(), Notification.id.desc())
                               .limit(size).offset((number - 1) * size)).all()
    return Page(items=list(items), number=number, size=size, total=total)


def outbox_counts() -> dict[str, int]:
    """How many e-mails are in each delivery state."""
    return dict(db.session.execute(db.select(Notification.state, db.func.count(Notification.id))
                                   .group_by(Notification.state)).all())


def notifications_page(user, *, search: str = "", kind: str = "", page: int = 1, size: int | None = None):
    """A page of the user's own notifications, newest first; `search` looks in the subject and the text."""
    from consult.core.paging import like_any, paginate

    query = db.select(Notification).where(Notification.recipient_id == user.id)
    if search:
        query = query.where(like_any(search, Notification.subject, Notification.body))
    if kind:
        query = query.where(Notification.kind == kind)
    return paginate(query.order_by(Notification.created_at.desc(), Notification.id.desc()), page, size)
