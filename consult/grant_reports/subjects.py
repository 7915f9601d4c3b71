"""What a report after the award is about: a granted offer of a call, or a granted small-grant offer (art. 19a).

`Subject` wraps either and answers what the reports need of it - who files and who reviews, when the task ends,
the grant awarded, the lines of the budget and the expected results the report is measured against, where its pages
are - so that the operations, forms, pages and notices of reports name neither kind of offer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from consult.calls.access import can_run_call
from consult.calls.models import Offer, money
from consult.core.access import has_role, is_member_of, is_staff_of
from consult.smallgrants.models import SmallGrantOffer

# a small-grant offer is granted, and stays so when its final report has been submitted ("reported")
SMALL_GRANT_GRANTED = ("granted", "reported")


@dataclass(frozen=True)
class Subject:
    offer: Offer | SmallGrantOffer

    @property
    def is_small_grant(self) -> bool:
        return isinstance(self.offer, SmallGrantOffer)

    @property
    def id(self) -> int:
        return self.offer.id

    @property
    def url_args(self) -> dict:
        return {"small_grant_id": self.offer.id} if self.is_small_grant else {"offer_id": self.offer.id}

    @property
    def column(self) -> str:
        """The report's column that points at this offer."""
        return "small_grant_offer_id" if self.is_small_grant else "offer_id"

    @property
    def reference(self) -> str:
        return self.offer.reference

    @property
    def title(self) -> str:
        return self.offer.title

    def report_heading(self, number: int = 0) -> str:
        """What the report on this offer is called: the final one (`number` 0) or partial report `number`."""
        if number:
            return _("Sprawozdanie częściowe nr %(n)s z realizacji oferty %(ref)s", n=number, ref=self.reference)
        return _("Sprawozdanie z realizacji oferty %(ref)s", ref=self.reference)

    @property
    def organisation(self):
        return self.offer.organisation

    @property
    def organisation_id(self) -> int:
        return self.offer.organisation_id

    @property
    def call(self):
        """The call of a call's offer; None for a small grant."""
        return None if self.is_small_grant else self.offer.call

    @property
    def unit_id(self) -> int:
        """The responsible unit: the one running the call, or the one a small-grant offer is addressed to."""
        return self.offer.unit_id if self.is_small_grant else self.offer.call.unit_id

    @property
    def mode(self) -> str:
        """How the grant was given, in words: the call's title, or the small-grant path."""
        if self.is_small_grant:
            return _("mały grant (art. 19a)")
        return _("konkurs ofert „%(call)s”", call=self.offer.call.title)

    @property
    def page_endpoint(self) -> str:
        return "smallgrants.case" if self.is_small_grant else "calls.offer"

    @property
    def task_starts(self) -> date | None:
        return self.offer.starts if self.is_small_grant else self.offer.task_starts

    @property
    def task_ends(self) -> date | None:
        return self.offer.ends if self.is_small_grant else self.offer.task_ends

    @property
    def grant_amount(self) -> Decimal | None:
        if self.is_small_grant:
            return money(self.offer.granted_amount) if self.offer.granted_amount is not None else None
        decision = self.offer.decision
        return money(decision.amount) if decision is not None else None

    @property
    def reportable(self) -> bool:
        """A granted offer (a call's with its grant published) whose task has a known end."""
        if self.is_small_grant:
            return (self.offer.state in SMALL_GRANT_GRANTED and self.offer.granted_amount is not None
                    and self.offer.ends is not None)
        decision = self.offer.decision
        return (self.offer.state == "granted" and decision is not None and decision.kind == "grant"
                and decision.published and self.offer.task_ends is not None)

    def cost_lines(self) -> list[tuple[str, Decimal]]:
        """(name, planned total) per line of the offer's budget: the full budget of a call's offer, the
        simplified budget of a small grant."""
        if self.is_small_grant:
            return [(line.get("name") or "", money(Decimal(str(line.get("total") or "0"))))
                    for line in (self.offer.budget or [])]
        return [(line.name, line.total) for line in self.offer.cost_lines]

    def results(self) -> list[tuple[str, str]]:
        """(result, target value) per expected result: the offer's results, or each line of the results a
        small-grant offer describes (its simplified form has no target values)."""
        if self.is_small_grant:
            return [(line.strip(" -•\t"), "") for line in (self.offer.expected_results or "").splitlines()
                    if line.strip(" -•\t")]
        return [(r.result, r.target_value) for r in self.offer.results]

    def may_file(self, user) -> bool:
        return has_role(user, "ngo") and is_member_of(user, self.offer.organisation_id)

    def may_review(self, user) -> bool:
        if self.is_small_grant:
            return has_role(user, "coordinator") or is_staff_of(user, self.offer.unit_id)
        return can_run_call(user, self.offer.call)

    def may_see(self, user) -> bool:
        return self.may_file(user) or self.may_review(user)


def subject_of(offer: Offer | SmallGrantOffer) -> Subject:
    return Subject(offer)
