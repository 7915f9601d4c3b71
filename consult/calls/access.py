"""Who may see and do what in a call: ownership checks on top of the roles of consult.core.access.

- The call is run by a unit: its staff and every coordinator are its "runners".
- An offer belongs to its applicant organisation; a draft offer is theirs alone.
- Commission membership is per call: a member sees the offers of calls they sit on, once the
  evaluation begins, except when they are excluded from the call or declared a conflict of interest
  for that offer.
- Nobody reads other members' scores before submitting their own sheet for the offer; applicants
  never read scores of other offers, nor anyone's name on a sheet.
"""

from __future__ import annotations

from consult.core.access import has_role, is_member_of, is_staff_of
from consult.extensions import db

# States in which a call is public (its announcement page can be read by anyone).
PUBLIC_CALL_STATES = ("announced", "closed", "evaluation", "results_published", "cancelled")
# States of a call in which its commission reads and scores offers.
COMMISSION_STATES = ("evaluation", "results_published")


class ActingAs:
    """The actor with the extra workflow roles it holds for one subject (e.g. "member" of a commission).

    Passed to `consult.core.operations.fire`, which reads `.roles` and `.id` only.
    """

    is_authenticated = True

    def __init__(self, user, *extra_roles: str):
        self.user = user
        self.id = getattr(user, "id", None)
        self.roles = set(getattr(user, "roles", ())) | set(extra_roles)


def can_run_call(user, call) -> bool:
    """Coordinators run every call; unit staff run the calls of their own unit."""
    return has_role(user, "coordinator") or is_staff_of(user, call.unit_id)


def can_view_call(user, call) -> bool:
    return call.state in PUBLIC_CALL_STATES or can_run_call(user, call)


def membership(user, call):
    """The user's seat on the call's commission (excluded or not), or None."""
    from consult.calls.models import CommissionMember

    user_id = getattr(user, "id", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return None
    for member in call.members:  # usually loaded already; a handful of rows
        if member.user_id == user_id:
            return member
    return db.session.scalar(
        db.select(CommissionMember).where(
            CommissionMember.call_id == call.id, CommissionMember.user_id == user_id
        )
    )


def sitting_member(user, call):
    """The user's seat on the commission if they sit on it and are not excluded from the call."""
    member = membership(user, call)
    return member if member is not None and not member.is_excluded else None


def has_conflict(member, offer) -> bool:
    from consult.calls.models import ConflictDeclaration

    declaration = db.session.scalar(
        db.select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.offer_id == offer.id
        )
    )
    return declaration is not None and declaration.has_conflict


def is_applicant(user, offer) -> bool:
    return is_member_of(user, offer.organisation_id)


def can_view_offer(user, offer) -> bool:
    if is_applicant(user, offer):
        return True
    if offer.state == "draft":
        return False  # a draft is the applicant's own until it is submitted
    if can_run_call(user, offer.call):
        return True
    member = sitting_member(user, offer.call)
    if member is None or offer.call.state not in COMMISSION_STATES:
        return False
    if offer.state not in ("formally_accepted", "granted", "not_granted"):
        return False
    return not has_conflict(member, offer)


def can_see_member_names(user, call) -> bool:
    """Who sat on the commission is known to the runners and the members; applicants learn it with results."""
    return can_run_call(user, call) or membership(user, call) is not None or call.state == "results_published"
