"""Writing notifications (who is told what, when) and the one change a person makes to them: sending a failed
e-mail again.

The writers are called by after-commit hooks (consult/notifications/jobs.py, consult/calls/jobs.py) and by
`consult send-reminders`, in a transaction of their own, once the change they tell about is durable; they read
fresh rows and tell only what is still true (a postulate assigned and answered in one import tells its unit
nothing). Each is idempotent: a user gets one notification of a kind about one object, however many times a
hook or the reminders run.

Who is told:
- a postulate assigned or forwarded to a unit: that unit's staff;
- the positions on a postulate published: the members of the organisation that filed it;
- a postulate carried into the next year's consultation: the members of the organisation that filed it;
- a meeting summary (a version of it) published: the members of the organisations present at the meeting;
- a programme's consultation closing within REMINDER_DAYS: every NGO member;
- a position's due date ending within REMINDER_DAYS while the postulate still waits for it: the staff of the unit
  (once per assignment, see consult/postulates/deadlines.py);
- a call's offers deadline within REMINDER_DAYS: the members of the organisations that have a draft offer in it.
  Not every NGO: an announced call is public already, and the ones who lose work when they miss the deadline
  are those who started an offer; telling every NGO of every call would teach people to ignore the messages;
- a call's results: the members of each applicant organisation (lead and registered partners);
- a correction asked for: the members of the offer's organisation.

Each notification is written in the recipient's language and e-mailed after the commit (delivery.py). The
notification rows are their own record (who was told what, when); they are not audit events, so that the
trail of a postulate or a call stays the trail of its decisions. Sending a failed e-mail again is audited.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from consult.auth.models import User
from consult.calls.models import Call, CorrectionWindow, Offer, format_pln
from consult.core import audit
from consult.core import operations as _core_operations
from consult.core.access import has_role
from consult.core.errors import Forbidden, Refused
from consult.core.types import to_warsaw, utcnow
from consult.documents.models import DocumentVersion
from consult.extensions import db
from consult.meetings.models import Meeting, MeetingAttendance
from consult.notifications import delivery
from consult.notifications.mailer import smtp_configured
from consult.notifications.models import Notification
from consult.notifications.rendering import absolute, path_for, recipient_locale, render
from consult.postulates import deadlines
from consult.postulates.models import POSITION_CATEGORY_LABELS, Postulate
from consult.programmes.models import Programme


def _members(organisation_ids) -> list[User]:
    if not organisation_ids:
        return []
    return db.session.scalars(
        db.select(User).where(User.organisation_id.in_(set(organisation_ids)), User.role == "ngo", User.active)
        .order_by(User.id)).all()


def _staff(unit_id: int) -> list[User]:
    return db.session.scalars(
        db.select(User).where(User.unit_id == unit_id, User.role == "unit", User.active).order_by(User.id)).all()


def _write(recipient: User | None, *, kind: str, related_type: str, related_id: int, link: str | None,
           params: dict | None = None, address: str | None = None, detached: bool = False, name: str | None = None,
           locale: str | None = None, **context) -> Notification | None:
    """The notification of `kind` about one object to one user (once): its e-mail rendered from `context` in the
    recipient's language, and `params`, what its in-app message is written from (messages.MESSAGES).

    `recipient` None: to a person without an account (ADDRESS_ONLY_KINDS), at `address`, named `name`, in `locale`
    (the language they wrote in), once per object."""
    exists = db.session.scalar(
        db.select(Notification.id).where(
            Notification.recipient_id.is_(None) if recipient is None else Notification.recipient_id == recipient.id,
            Notification.kind == kind, Notification.related_type == related_type,
            Notification.related_id == related_id))
    if exists is not None:
        return None
    if recipient is None:
        locale = locale if locale in current_app.config.get("LANGUAGES", ["pl"]) else "pl"
        subject, body = render(kind, locale, **context)
    else:
        locale = recipient_locale(recipient)
        subject, body = render(kind, locale, recipient=recipient, **context)
    now = utcnow()
    sending = smtp_configured(current_app.config)
    note = Notification(recipient_id=recipient.id if recipient else None, recipient_name=(name or "")[:200] or None,
                        kind=kind, related_type=related_type, related_id=related_id, subject=subject, body=body,
                        link=link, params=params, created_at=now, locale=locale,
                        address=address or recipient.email, state="queued" if sending else "unsent", attempts=0,
                        next_attempt_at=now if sending else None)
    db.session.add(note)
    db.session.flush()
    if sending:
        delivery.schedule(note, detached=detached)
    return note


def write_account_email(recipient: User, *, kind: str, event_id: int, address: str | None = None,
                        params: dict | None = None, **context) -> Notification:
    """An e-mail about the recipient's account (a link to set a password, to confirm a new address, an invitation,
    the notice of a changed address), in the recipient's language, once per audit event that asked for it
    (`event_id`): asked again, it is a new e-mail. `address`: where it goes when not to the account's address.
    Its delivery never holds up the request (`detached`), so the answer takes as long whatever was sent."""
    note = _write(recipient, kind=kind, related_type="audit_event", related_id=event_id, link=None, params=params,
                  address=address, detached=True, **context)
    db.session.flush()
    return note


def write_to_address(address: str, name: str, *, kind: str, related_type: str, related_id: int, locale: str,
                     params: dict | None = None, **context) -> Notification | None:
    """An e-mail to a person without an account (ADDRESS_ONLY_KINDS), at `address`, in `locale` (the language they
    wrote in), once per object: written, delivered (never holding up the request) and retried as every
    notification, shown in the coordinators' outbox."""
    return _write(None, kind=kind, related_type=related_type, related_id=related_id, link=None, params=params,
                  address=address, name=name, locale=locale, detached=True, **context)


def _written(notes) -> list[Notification]:
    written = [n for n in notes if n is not None]
    db.session.flush()
    return written


# --- postulates and meetings -------------------------------------------------------------------------

def notify_assignment(postulate_id: int) -> list[Notification]:
    """Tell the staff of the unit a postulate is assigned to that it waits for their position (while it does)."""
    postulate = db.session.get(Postulate, postulate_id)
    if postulate is None or postulate.state != "assigned" or postulate.responsible_unit is None:
        return []
    unit = postulate.responsible_unit
    link = path_for("postulates.position", postulate_id=postulate.id)
    assignment = deadlines.current_assignment(postulate.id)
    context = {"postulate": postulate, "unit": unit, "url": absolute(link),
               "queue_url": absolute(path_for("postulates.queue")),
               "due_on": assignment.due_on if assignment is not None and assignment.unit_id == unit.id else None}
    params = {"ref": postulate.reference, "unit": unit.name,
              "due_on": context["due_on"].isoformat() if context["due_on"] else None}
    return _written(_write(user, kind="postulate_assigned", related_type="postulate", related_id=postulate.id,
                           link=link, params=params, **context) for user in _staff(unit.id))


def notify_positions_published(postulate_ids) -> list[Notification]:
    """Tell the members of the organisation that filed each postulate that the positions on it are published."""
    written = []
    for postulate_id in postulate_ids:
        postulate = db.session.get(Postulate, postulate_id)
        if postulate is None or postulate.state != "published" or postulate.submitter_kind != "organisation":
            continue
        link = path_for("postulates.detail", postulate_id=postulate.id)
        context = {"postulate": postulate, "positions": postulate.published_positions, "url": absolute(link),
                   "category_label": lambda c: str(POSITION_CATEGORY_LABELS.get(c, c))}
        written += _written(_write(user, kind="position_published", related_type="postulate",
                                   related_id=postulate.id, link=link, params={"ref": postulate.reference},
                                   **context)
                            for user in _members({postulate.organisation_id}))
    return written


def notify_postulate_carried(postulate_id: int) -> list[Notification]:
    """Tell the members of the organisation that filed last year's postulate that it was carried into the next
    year's consultation, and under which reference it goes on."""
    postulate = db.session.get(Postulate, postulate_id)
    if postulate is None or postulate.carried_from is None or postulate.submitter_kind != "organisation":
        return []
    previous = postulate.carried_from
    link = path_for("postulates.detail", postulate_id=postulate.id)
    context = {"postulate": postulate, "previous": previous, "url": absolute(link)}
    params = {"ref": postulate.reference, "ref_from": previous.reference, "year": postulate.programme.year}
    return _written(_write(user, kind="postulate_carried", related_type="postulate", related_id=postulate.id,
                           link=link, params=params, **context) for user in _members({postulate.organisation_id}))


def notify_summary_published(version_id: int) -> list[Notification]:
    """Tell the members of the organisations present at a meeting that a version of its summary is published."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.kind != "meeting_summary" or not version.published or version.preview:
        return []
    meeting = db.session.get(Meeting, version.subject_id)
    present = db.session.scalars(
        db.select(MeetingAttendance.organisation_id).where(MeetingAttendance.meeting_id == meeting.id)).all()
    link = path_for("public.meeting", meeting_id=meeting.id)
    context = {"meeting": meeting, "version": version, "url": absolute(link),
               "pdf_url": absolute(path_for("summaries.published_pdf", version_id=version.id))}
    params = {"title": meeting.title, "date": meeting.date.isoformat(), "version": version.number}
    # the in-app link leads to the meeting page's list of the published summaries (PDF)
    return _written(_write(user, kind="summary_published", related_type="document_version", related_id=version.id,
                           link=f"{link}#podsumowanie", params=params, **context) for user in _members(present))


# --- calls -----------------------------------------------------------------------------------------------

def notify_results(call_id: int) -> list[Notification]:
    """One notification to each member of each applicant organisation (lead and registered partners) of each
    decided offer: the call, their offer, and the decision (the grant and its amount, or the refusal).

    Nothing before the results are published.
    """
    call = db.session.get(Call, call_id)
    if call is None or call.state != "results_published":
        return []
    offers = db.session.scalars(
        db.select(Offer).where(Offer.call_id == call_id, Offer.state.in_(("granted", "not_granted")))
        .options(selectinload(Offer.partners), selectinload(Offer.decision)).order_by(Offer.id)).all()
    written = []
    results_url = absolute(path_for("calls.results", call_id=call.id))
    for offer in offers:
        granted = offer.state == "granted"
        link = path_for("calls.offer", offer_id=offer.id)
        context = {"call": call, "offer": offer, "granted": granted, "offer_url": absolute(link),
                   "amount": format_pln(offer.decision.amount) if granted else None, "results_url": results_url}
        params = {"call": call.title, "offer": offer.reference, "granted": granted,
                  "amount": str(offer.decision.amount) if granted else None}
        written += _written(_write(user, kind="call_results", related_type="offer", related_id=offer.id, link=link,
                                   params=params, **context) for user in _members(offer.organisation_ids))
    return written


def notify_correction(offer_id: int) -> list[Notification]:
    """Tell the members of the offer's organisation what to correct and by when (the latest open window)."""
    window = db.session.scalar(
        db.select(CorrectionWindow)
        .where(CorrectionWindow.offer_id == offer_id, CorrectionWindow.finished_at.is_(None),
               CorrectionWindow.closed_at.is_(None))
        .order_by(CorrectionWindow.id.desc()).limit(1))
    if window is None:
        return []
    offer = window.offer
    link = path_for("calls.offer_tasks", offer_id=offer.id)
    context = {"call": offer.call, "offer": offer, "deadline": window.deadline,
               "deficiencies": window.deficiencies, "url": absolute(link)}
    params = {"offer": offer.reference, "call": offer.call.title, "deadline": window.deadline.isoformat()}
    return _written(_write(user, kind="correction_requested", related_type="correction_window",
                           related_id=window.id, link=link, params=params, **context)
                    for user in _members({offer.organisation_id}))


# --- reminders before deadlines ------------------------------------------------------------------------

def send_reminders(now: datetime | None = None) -> list[Notification]:
    """Write the reminders that are due: consultations closing, offers deadlines and positions' due dates within
    REMINDER_DAYS, rooms booked for tomorrow (consult/places/notices.py), final reports of grants due or overdue
    (consult/grant_reports/notices.py), small-grant offers whose term for judging purposefulness ends soon or has
    passed (consult/smallgrants/notices.py).

    Run it as often as you like (cron, Celery beat): each person gets each reminder once.
    """
    now = now or utcnow()
    horizon = now + timedelta(days=int(current_app.config["REMINDER_DAYS"]))
    from consult.grant_reports.notices import send_report_reminders
    from consult.places.notices import send_booking_reminders
    from consult.smallgrants.notices import send_judge_reminders

    today, days = to_warsaw(now).date(), int(current_app.config["REMINDER_DAYS"])
    return (send_report_reminders(today, days) + _consultation_reminders(now, horizon)
            + _offers_deadline_reminders(now, horizon) + _position_due_reminders(now) + _commitment_due_reminders(now)
            + send_booking_reminders(now) + send_judge_reminders(today, days))


def _consultation_reminders(now: datetime, horizon: datetime) -> list[Notification]:
    programmes = db.session.scalars(
        db.select(Programme).where(Programme.consultation_opens <= now, Programme.consultation_closes > now,
                                   Programme.consultation_closes <= horizon).order_by(Programme.id)).all()
    written = []
    for programme in programmes:
        drafts = dict(db.session.execute(
            db.select(Postulate.organisation_id, db.func.count(Postulate.id))
            .where(Postulate.programme_id == programme.id, Postulate.state == "draft")
            .group_by(Postulate.organisation_id)).all())
        members = db.session.scalars(db.select(User).where(User.role == "ngo", User.active).order_by(User.id))
        link = path_for("postulates.new", programme_id=programme.id)
        context = {"programme": programme, "closes": programme.consultation_closes, "url": absolute(link),
                   "mine_url": absolute(path_for("postulates.mine"))}
        written += _written(_write(user, kind="consultation_closing", related_type="programme",
                                   related_id=programme.id, link=link,
                                   params={"programme": programme.title,
                                           "closes": programme.consultation_closes.isoformat(),
                                           "drafts": drafts.get(user.organisation_id, 0)},
                                   drafts=drafts.get(user.organisation_id, 0), **context) for user in members)
    return written


def _offers_deadline_reminders(now: datetime, horizon: datetime) -> list[Notification]:
    calls = db.session.scalars(
        db.select(Call).where(Call.state == "announced", Call.offers_deadline > now,
                              Call.offers_deadline <= horizon).order_by(Call.id)).all()
    written = []
    for call in calls:
        drafts = defaultdict(list)
        for offer in db.session.scalars(db.select(Offer).where(Offer.call_id == call.id, Offer.state == "draft")
                                        .order_by(Offer.id)):
            drafts[offer.organisation_id].append(offer)
        link = path_for("calls.my_offers")
        for user in _members(drafts):
            written += _written([_write(
                user, kind="offers_deadline", related_type="call", related_id=call.id, link=link,
                params={"call": call.title, "deadline": call.offers_deadline.isoformat(),
                        "offers": len(drafts[user.organisation_id])}, call=call,
                deadline=call.offers_deadline, offers=drafts[user.organisation_id],
                offer_url=lambda o: absolute(path_for("calls.offer_tasks", offer_id=o.id)))])
    return written


def _position_due_reminders(now: datetime) -> list[Notification]:
    """One reminder per assignment to each staff member of its unit (the rule: consult/postulates/deadlines.py)."""
    written = []
    for assignment in deadlines.reminders_due(now, int(current_app.config["REMINDER_DAYS"])):
        postulate = assignment.postulate
        link = path_for("postulates.position", postulate_id=postulate.id)
        context = {"postulate": postulate, "unit": assignment.unit, "due_on": assignment.due_on,
                   "url": absolute(link), "queue_url": absolute(path_for("postulates.queue"))}
        params = {"ref": postulate.reference, "unit": assignment.unit.name, "due_on": assignment.due_on.isoformat()}
        written += _written(_write(user, kind="position_due", related_type="postulate_assignment",
                                   related_id=assignment.id, link=link, params=params, **context)
                            for user in _staff(assignment.unit_id))
    return written


def _commitment_due_reminders(now: datetime) -> list[Notification]:
    """One reminder per open commitment due within REMINDER_DAYS, to the staff of the unit that carries it out
    (or, for one an operator outside the city's units carries out, of the unit whose position made it)."""
    from consult.commitments.queries import reminders_due

    written = []
    for commitment in reminders_due(now, int(current_app.config["REMINDER_DAYS"])):
        postulate = commitment.position.postulate
        link = path_for("postulates.detail", postulate_id=postulate.id)
        context = {"commitment": commitment, "postulate": postulate, "url": absolute(link),
                   "list_url": absolute(path_for("commitments.open_list"))}
        params = {"ref": postulate.reference, "what": commitment.what[:200], "due_on": commitment.due_on.isoformat()}
        written += _written(_write(user, kind="commitment_due", related_type="commitment", related_id=commitment.id,
                                   link=link, params=params, **context)
                            for user in _staff(commitment.unit_id or commitment.position.unit_id))
    return written


# --- the outbox --------------------------------------------------------------------------------------

def retry_email(actor, note: Notification) -> Notification:
    """Send again an e-mail that failed (or was written while no SMTP server was configured)."""
    if not has_role(actor, "coordinator", "admin"):
        raise Forbidden(_("E-maile wysyłają ponownie koordynatorzy i administratorzy."))
    if note.state not in ("failed", "unsent"):
        raise Refused(_("Ponownie można wysłać tylko e-mail, którego nie udało się wysłać. Ten ma stan „%(state)s”.",
                        state=state_label(note.state)))
    if not smtp_configured(current_app.config):
        raise Refused(_("Serwer poczty (SMTP) nie jest skonfigurowany, więc nie można wysłać e-maila. "
                        "Administrator ustawia go zmienną środowiskową SMTP_HOST."))
    before = note.state
    recipient = note.recipient
    note.state, note.attempts, note.next_attempt_at, note.sending_since = "queued", 0, utcnow(), None
    if recipient is not None:  # one without an account goes to the address it was written for
        note.address = recipient.email
    audit.record(actor, "notification", note.id, "retry_email", from_state=before, to_state="queued",
                 address=note.address, last_error=(note.error or "")[:500] or None)
    delivery.schedule(note)
    return note


STATE_LABELS = {"queued": _l("czeka na wysłanie"), "sent": _l("wysłany"), "failed": _l("nie udało się wysłać"),
                "unsent": _l("niewysyłany (brak serwera SMTP)")}


_core_operations.STATE_LABELS["notification"] = STATE_LABELS  # the audit log's words for an e-mail's states


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))
