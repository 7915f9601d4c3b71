"""A person's own data: what consult holds about them (a JSON download) and the erasure of their account.

Erasure is the person's own step, confirmed with their password: their name becomes a neutral label, their e-mail
an unusable unique placeholder, their password unusable, the account deactivated; the messages addressed to them
are deleted, and their name, e-mail and phone are taken out of the audit log's details and out of the contact of
their organisation's offers. What their organisation filed (postulates, offers) stays, as do the records of what
they did, now by "osoba usunięta". The last active administrator of consult cannot erase their account (nobody
could then run the system), nor can the only administrator of an organisation that has other members (nobody could
then let people in or choose who submits): they name another administrator first, on the organisation's page. A
person who is the only member of their organisation may, and is told that the organisation then has nobody who can
sign in for it until an administrator adds someone.
"""
from __future__ import annotations

from flask_babel import gettext as _

from consult.auth.models import User
from consult.core import audit
from consult.core.errors import Forbidden, Refused
from consult.extensions import db

ERASED_NAME = "osoba usunięta"
ERASED_DOMAIN = "usunieto.invalid"  # .invalid never resolves (RFC 2606): no e-mail can reach it
UNUSABLE_PASSWORD = "!"  # no hash werkzeug writes looks like this: no password matches it


def _instant(value):
    return value.isoformat() if value else None


def personal_data(user: User) -> dict:
    """Everything consult holds about `user`, as plain JSON values."""
    from consult.calls.models import Offer
    from consult.core.models import AuditEvent
    from consult.notifications.models import Notification
    from consult.postulates.models import Postulate

    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.actor_id == user.id)
                                .order_by(AuditEvent.id)).all()
    about = db.session.scalars(db.select(AuditEvent).where(AuditEvent.subject_type == "user",
                                                           AuditEvent.subject_id == user.id)
                               .order_by(AuditEvent.id)).all()
    postulates = db.session.scalars(db.select(Postulate).where(Postulate.created_by_id == user.id)
                                    .order_by(Postulate.id)).all()
    offers = db.session.scalars(db.select(Offer).where(Offer.created_by_id == user.id).order_by(Offer.id)).all()
    notes = db.session.scalars(db.select(Notification).where(Notification.recipient_id == user.id)
                               .order_by(Notification.id)).all()

    def event(e):
        return {"at": _instant(e.occurred_at), "subject_type": e.subject_type, "subject_id": e.subject_id,
                "action": e.action, "from_state": e.from_state, "to_state": e.to_state, "details": e.details}

    return {
        "format": "consult.personal-data/1",
        "account": {
            "id": user.id, "email": user.email, "name": user.name, "role": user.role, "active": user.active,
            "locale": user.locale, "created_at": _instant(user.created_at),
            "organisation": ({"id": user.organisation.id, "name": user.organisation.name}
                             if user.organisation else None),
            "unit": {"id": user.unit.id, "name": user.unit.name} if user.unit else None,
        },
        "audit_events_made": [event(e) for e in events],
        "audit_events_about_account": [event(e) for e in about],
        "postulates_filed": [{"id": p.id, "reference": p.reference, "state": p.state, "content": p.content,
                              "justification": p.justification, "created_at": _instant(p.created_at),
                              "submitted_at": _instant(p.submitted_at)} for p in postulates],
        "offers_filed": [{"id": o.id, "reference": o.reference, "state": o.state, "title": o.title,
                          "applicant": o.applicant, "created_at": _instant(o.created_at),
                          "submitted_at": _instant(o.submitted_at)} for o in offers],
        "notifications": [{"id": n.id, "kind": n.kind, "subject": n.subject, "body": n.body, "link": n.link,
                           "created_at": _instant(n.created_at), "address": n.address, "state": n.state}
                          for n in notes],
        "files_uploaded": files_uploaded(user),
    }


def files_uploaded(user: User) -> list[dict]:
    """The files the person attached (what they are and what they belong to, not their bytes): the records they
    belong to read in one query per kind of record."""
    from consult.attachments.models import Attachment
    from consult.attachments.parents import PARENTS

    files = db.session.scalars(db.select(Attachment).where(Attachment.uploaded_by_id == user.id)
                               .order_by(Attachment.id)).all()
    records = {}
    for parent in PARENTS.values():
        ids = {getattr(f, parent.column) for f in files} - {None}
        if ids:
            model = parent.model()
            for record in db.session.scalars(db.select(model).where(model.id.in_(ids))):
                records[(parent.kind, record.id)] = record
    out = []
    for f in files:
        parent = next(p for p in PARENTS.values() if getattr(f, p.column) is not None)
        record_id = getattr(f, parent.column)
        record = records.get((parent.kind, record_id))
        out.append({"id": f.id, "filename": f.filename, "size": f.size, "sha256": f.sha256,
                    "media_type": f.media_type, "uploaded_at": _instant(f.uploaded_at),
                    "annex": f.annex if parent.annexes else None,
                    "attached_to": {"kind": parent.kind, "id": record_id,
                                    "title": str(parent.title(record)) if record is not None else None}})
    return out


def export_personal_data(actor, user: User) -> dict:
    if actor is None or actor.id != user.id:
        raise Forbidden(_("Swoje dane pobiera tylko ich właściciel."))
    data = personal_data(user)
    audit.record(actor, "user", user.id, "export_personal_data")
    return data


def only_member_of_organisation(user: User) -> bool:
    """True when nobody else can sign in for the person's organisation."""
    if user.organisation_id is None:
        return False
    return not db.session.scalar(db.select(db.exists().where(User.organisation_id == user.organisation_id,
                                                             User.id != user.id, User.active.is_(True))))


def sole_organisation_administrator(user: User) -> bool:
    """True when the person is the only active administrator of an organisation in which others remain."""
    if user.organisation_id is None or user.organisation_role != "administrator":
        return False
    others = db.select(User).where(User.organisation_id == user.organisation_id, User.id != user.id,
                                   User.active.is_(True))
    if not db.session.scalar(db.select(others.exists())):
        return False
    return not db.session.scalar(db.select(others.where(User.organisation_role == "administrator").exists()))


def last_administrator(user: User) -> bool:
    if user.role != "admin":
        return False
    return not db.session.scalar(db.select(db.exists().where(User.role == "admin", User.id != user.id,
                                                             User.active.is_(True))))


def _scrubbed(value, secrets: list[str]):
    if isinstance(value, str):
        for secret in secrets:
            if secret and secret in value:
                value = value.replace(secret, ERASED_NAME)
        return value
    if isinstance(value, list):
        return [_scrubbed(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v, secrets) for k, v in value.items()}
    return value


def erase_account(actor, user: User, *, password: str) -> None:
    """Erase the person's personal data (see the module's docstring); they confirm with their password."""
    if actor is None or actor.id != user.id:
        raise Forbidden(_("Konto usuwa tylko jego właściciel."))
    if not password or not user.check_password(password):
        raise Refused(_("Hasło jest nieprawidłowe."), field="password")
    if last_administrator(user):
        raise Refused(_("Jesteś jedynym aktywnym administratorem: najpierw załóż konto innemu administratorowi."),
                      field="password")
    if user.organisation_id is not None:
        from consult.core.locks import lock_for_update
        from consult.organisations.models import Organisation

        # The same lock as a change of roles in the organisation: two of its administrators erasing at once, or one
        # made a member while the other erases, cannot both pass the check below.
        lock_for_update(Organisation, user.organisation_id)
    if sole_organisation_administrator(user):
        raise Refused(_("Jesteś jedynym administratorem organizacji %(name)s, a należą do niej inne osoby. Najpierw "
                        "uczyń administratorem kogoś z jej członków (strona organizacji, lista „Członkowie”), "
                        "potem usuń konto.", name=user.organisation.name), field="members-first")
    anonymise_account(user)
    audit.record(actor, "user", user.id, "erase")


def anonymise_account(user: User) -> None:
    """Take the person's personal data out of consult (the account's name, e-mail and password, the messages to
    them, their name and e-mail in the audit log's details and in their organisation's offers' contact), keeping
    what they and their organisation did. No check and no audit: the person's own erasure (above) and the
    retention of accounts past their period (consult/retention) check and record it, each in its own way."""
    from sqlalchemy import String, cast, or_

    from consult.calls.models import Offer
    from consult.core.models import AuditEvent
    from consult.notifications.models import Notification

    secrets = [s for s in (user.email, user.name) if s and len(s) >= 3]
    # The audit log keeps what was done, not who the person was: their name and e-mail leave its details.
    candidates = db.session.scalars(db.select(AuditEvent).where(or_(
        AuditEvent.actor_id == user.id,
        (AuditEvent.subject_type == "user") & (AuditEvent.subject_id == user.id),
        cast(AuditEvent.details, String).like(f"%{user.email}%")))).all()
    for event in candidates:
        cleaned = _scrubbed(event.details or {}, secrets)
        if cleaned != event.details:
            event.details = cleaned
    # Their organisation's offers stay; the contact person they named themselves as does not.
    for offer in db.session.scalars(db.select(Offer).where(Offer.organisation_id == user.organisation_id)) \
            if user.organisation_id else ():
        contact = dict(offer.applicant or {})
        if (contact.get("contact_email") or "").strip().lower() == user.email or \
                (contact.get("contact_name") or "").strip() == user.name:
            contact.update({"contact_name": ERASED_NAME, "contact_email": "", "contact_phone": ""})
            offer.applicant = contact
    db.session.execute(db.delete(Notification).where(Notification.recipient_id == user.id))
    user.name = ERASED_NAME
    user.email = f"usunieto-{user.id}@{ERASED_DOMAIN}"
    user.password_hash = UNUSABLE_PASSWORD
    user.active = False
    user.locale = None
    db.session.flush()
