"""The records files may be attached to, and who may see and change their files.

Whoever may see a record may download its files (the record's own access rule, asked of its domain), and only
its author while it is being prepared may attach or remove them:

- a postulate: its organisation while it is a draft; its files are seen by whoever may see the postulate
  (its organisation and the city's staff once submitted, everyone once published);
- a meeting: coordinators attach the materials presented; everyone sees them, as the meeting's public page;
- an offer: its organisation while it is a draft or a correction window is open (statute, partnership
  agreement, other annexes); its files are
  seen as the offer is: the organisation, the unit running the call, coordinators and the commission's sitting
  members without a conflict of interest, never the public;
- an implementation report: while the round is open, coordinators and the staff of the units that answer for
  its activities attach (a unit removes its own unit's files, a coordinator any); coordinators and units see
  them, as they see the report.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.core.access import can_view_postulate, has_role, is_member_of
from consult.extensions import db


@dataclass(frozen=True)
class Parent:
    kind: str  # the audit log's kind of record
    slug: str  # in the address: /zalaczniki/<slug>/<id>
    column: str  # Attachment's column naming it
    model: Callable[[], type]
    can_view: Callable  # (user, record) -> bool
    can_manage: Callable  # (user, record) -> bool
    url: Callable  # record -> the record's own page for the one managing its files
    title: Callable  # record -> its name on the attachments page
    annexes: bool = False  # whether a file says which annex it is (offers)
    # (user, record, attachment) -> bool: who may remove a file, when not everyone who may attach
    can_remove: Callable | None = None

    def get(self, record_id: int):
        return db.session.get(self.model(), record_id)

    def may_remove(self, user, record, attachment) -> bool:
        if self.can_remove is not None:
            return self.can_remove(user, record, attachment)
        return self.can_manage(user, record)


def _postulate():
    from consult.postulates.models import Postulate

    return Postulate


def _meeting():
    from consult.meetings.models import Meeting

    return Meeting


def _offer():
    from consult.calls.models import Offer

    return Offer


def _report():
    from consult.implementation.models import ImplementationReport

    return ImplementationReport


def _can_change_offer(user, offer) -> bool:
    """The applicant while drafting, and while a correction window is open (a missing statute is the commonest
    formal deficiency)."""
    from consult.core.types import utcnow

    if not is_member_of(user, offer.organisation_id):
        return False
    if offer.state == "draft":
        return True
    window = offer.open_correction if offer.state == "correction" else None
    return window is not None and window.is_open(utcnow())


def _answers_in_report(user, report) -> bool:
    """Staff of a unit that answers for one of the report's activities (the unit responsible)."""
    from consult.implementation.models import Activity, ActivityUnit

    if not has_role(user, "unit") or getattr(user, "unit_id", None) is None:
        return False
    return db.session.scalar(db.select(ActivityUnit.id).join(Activity, Activity.id == ActivityUnit.activity_id)
                             .where(Activity.report_id == report.id, ActivityUnit.unit_id == user.unit_id)
                             .limit(1)) is not None


def _can_change_report(user, report) -> bool:
    return report.state == "open" and (has_role(user, "coordinator") or _answers_in_report(user, report))


def _can_remove_report_file(user, report, attachment) -> bool:
    """A coordinator any file; a unit's staff the files their unit's staff attached."""
    if not _can_change_report(user, report):
        return False
    if has_role(user, "coordinator"):
        return True
    from consult.auth.models import User

    uploader = db.session.get(User, attachment.uploaded_by_id) if attachment.uploaded_by_id else None
    return uploader is not None and uploader.unit_id == user.unit_id


def _can_view_offer(user, offer) -> bool:
    from consult.calls.access import can_view_offer

    return can_view_offer(user, offer)


PARENTS = {
    "postulate": Parent(
        "postulate", "postulat", "postulate_id", _postulate,
        can_view=can_view_postulate,
        can_manage=lambda user, p: p.state == "draft" and is_member_of(user, p.organisation_id),
        url=lambda p: url_for("postulates.detail", postulate_id=p.id),
        title=lambda p: _("Postulat %(ref)s", ref=p.reference)),
    "meeting": Parent(
        "meeting", "spotkanie", "meeting_id", _meeting,
        can_view=lambda user, m: True,
        can_manage=lambda user, m: has_role(user, "coordinator"),
        url=lambda m: url_for("meetings.detail", meeting_id=m.id),
        title=lambda m: m.title),
    "offer": Parent(
        "offer", "oferta", "offer_id", _offer,
        can_view=_can_view_offer,
        can_manage=_can_change_offer,
        url=lambda o: url_for("calls.offer", offer_id=o.id),
        title=lambda o: _("Oferta %(ref)s", ref=o.reference), annexes=True),
    "implementation_report": Parent(
        "implementation_report", "sprawozdanie", "report_id", _report,
        can_view=lambda user, r: has_role(user, "coordinator", "unit"),
        can_manage=_can_change_report, can_remove=_can_remove_report_file,
        url=lambda r: url_for("implementation.detail" if has_role(current_user, "coordinator")
                              else "implementation.unit_report", report_id=r.id),
        title=lambda r: _("Sprawozdanie za rok %(year)s", year=r.report_year)),
}
BY_SLUG = {p.slug: p for p in PARENTS.values()}


def parent_of(attachment) -> tuple[Parent, object]:
    for parent in PARENTS.values():
        record_id = getattr(attachment, parent.column)
        if record_id is not None:
            return parent, parent.get(record_id)
    raise LookupError(attachment.id)
