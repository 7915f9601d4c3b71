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
  them, as they see the report;
- a grant report (art. 18, after the award of a call's offer or a small grant): the grantee organisation's members
  while the report is theirs to file (a draft, or returned for corrections: OPEN_STATES of grant_reports.models) -
  invoices' lists, photographs, lists of participants; seen by the organisation, and once the report has been
  submitted by those who review it (the unit running the call or the one the small grant is addressed to, and
  coordinators), as the report's page shows them its content; never the public (reports after the award are not
  published);
- a small-grant offer (art. 19a): it is filed at once, with no draft, so its organisation attaches and removes
  files while it is "filed", that is until the unit judges its purposefulness; seen by whoever may see the case
  (the organisation, the unit it is addressed to, coordinators, administrators). While the offer is published for
  comments its files stay NOT public: what is published for comments is the offer's own text (its public page),
  while its files may carry personal data (a statute's signatories, a scan with names) nobody has redacted.
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


def _grant_report():
    from consult.grant_reports.models import GrantReport

    return GrantReport


def _small_grant_offer():
    from consult.smallgrants.models import SmallGrantOffer

    return SmallGrantOffer


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


def _can_change_grant_report(user, report) -> bool:
    """The grantee organisation while the report is theirs to file: a draft, or returned for corrections."""
    return report.is_open and report.subject.may_file(user)


def _can_view_grant_report(user, report) -> bool:
    """The organisation always; its reviewers once it has been submitted (a draft is the organisation's own, as
    the report's page keeps it)."""
    subject = report.subject
    return subject.may_file(user) or (report.state != "draft" and subject.may_review(user))


def _can_view_small_grant_offer(user, offer) -> bool:
    from consult.smallgrants.operations import can_see_case

    return can_see_case(user, offer)


def _can_change_small_grant_offer(user, offer) -> bool:
    """The organisation that filed it, until the unit judges its purposefulness (there is no draft: an offer is
    filed at once)."""
    return offer.state == "filed" and is_member_of(user, offer.organisation_id)


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
    "grant_report": Parent(
        "grant_report", "sprawozdanie-z-dotacji", "grant_report_id", _grant_report,
        can_view=_can_view_grant_report,
        can_manage=_can_change_grant_report,
        url=lambda r: url_for("grant_reports.report", **r.url_args),
        title=lambda r: r.subject.report_heading(r.number)),
    "small_grant_offer": Parent(
        "small_grant_offer", "maly-grant", "small_grant_offer_id", _small_grant_offer,
        can_view=_can_view_small_grant_offer,
        can_manage=_can_change_small_grant_offer,
        url=lambda o: url_for("smallgrants.case", offer_id=o.id),
        title=lambda o: _("Mały grant %(ref)s: %(title)s", ref=o.reference, title=o.title)),
}
BY_SLUG = {p.slug: p for p in PARENTS.values()}


def parent_of(attachment) -> tuple[Parent, object]:
    for parent in PARENTS.values():
        record_id = getattr(attachment, parent.column)
        if record_id is not None:
            return parent, parent.get(record_id)
    raise LookupError(attachment.id)
