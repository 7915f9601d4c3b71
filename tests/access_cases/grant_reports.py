"""Reports after the award (art. 18), of a call's granted offer and of a small grant alike: the NGO of the granted
offer (A) fills and submits its final and partial reports; the responsible unit (X: running the call, or the one
the small-grant offer is addressed to) and coordinators read them, decide, and schedule partial reports; every unit's
staff and coordinators list the reports of their offers."""
from datetime import date

from tests.access_cases import Case

FILER = frozenset({"ngo_a"})
READERS = frozenset({"ngo_a", "unit_x", "coordinator"})
REVIEWERS = frozenset({"unit_x", "coordinator"})


def _offer_id(w):
    if not hasattr(w, "_granted_offer"):
        from tests.grant_report_support import granted_offer

        w._granted_offer = granted_offer(w)
    return w._granted_offer.id


def _submitted_offer_id(w):
    """A granted offer whose final report NGO A has submitted."""
    if not hasattr(w, "_reported_offer"):
        from consult.core.operations import transaction
        from consult.grant_reports import operations as ops
        from tests.grant_report_support import granted_offer, report_form

        offer = granted_offer(w, title="Sprawozdane")
        with transaction():
            report = ops.start_report(w.user("ngo_a"), offer)
            ops.submit_report(w.user("ngo_a"), report, report_form())
        w._reported_offer = offer
    return w._reported_offer.id


def _partial_offer_id(w):
    """A granted offer with partial report 1 scheduled by unit X and submitted by NGO A."""
    if not hasattr(w, "_partial_offer"):
        from consult.core.operations import transaction
        from consult.grant_reports import operations as ops
        from tests.grant_report_support import granted_offer, report_form

        offer = granted_offer(w, title="Z częściowym")
        with transaction():
            report = ops.schedule_partial_report(w.user("unit_x"), offer, period_from=date(2030, 1, 1),
                                                 period_to=date(2030, 3, 31), due=date(2030, 4, 30))
            ops.submit_report(w.user("ngo_a"), report, report_form())
        w._partial_offer = offer
    return w._partial_offer.id


def _small_grant_id(w):
    """The small grant given to NGO A by unit X, its final report submitted."""
    if not hasattr(w, "_reported_small_grant"):
        from consult.core.operations import transaction
        from consult.grant_reports import operations as ops
        from tests.smallgrant_support import journey_of
        from tests.test_small_grant_reports import small_grant_report_form

        offer = journey_of(w)["granted"]
        with transaction():
            report = ops.start_report(w.user("ngo_a"), offer)
            ops.submit_report(w.user("ngo_a"), report, small_grant_report_form(report))
        w._reported_small_grant = offer
    return w._reported_small_grant.id


CASES = [
    Case("grant_reports.edit", lambda w: f"/oferty/{_offer_id(w)}/sprawozdanie/formularz", FILER),
    Case("grant_reports.edit", lambda w: f"/oferty/{_offer_id(w)}/sprawozdanie/formularz", FILER, method="POST",
         data=lambda w: {"action": "save", "cost-0-total": "", "own_realised": "", "notes": ""}),
    Case("grant_reports.report", lambda w: f"/oferty/{_submitted_offer_id(w)}/sprawozdanie", READERS),
    Case("grant_reports.review", lambda w: f"/oferty/{_submitted_offer_id(w)}/sprawozdanie/ocena", REVIEWERS,
         method="POST", data=lambda w: {"action": "corrections", "note": ""}),
    Case("grant_reports.unit_list", lambda w: "/sprawozdania-z-dotacji", frozenset({"unit_x", "unit_y",
                                                                                    "coordinator"})),
    # partial reports: scheduled by the unit, filed and reviewed as the final one
    Case("grant_reports.schedule_partial", lambda w: f"/oferty/{_offer_id(w)}/sprawozdania-czesciowe", REVIEWERS,
         method="POST", data=lambda w: {"period_from-day": ""}),
    Case("grant_reports.edit", lambda w: f"/oferty/{_partial_offer_id(w)}/sprawozdanie-czesciowe/1/formularz",
         FILER, name="partial"),
    Case("grant_reports.report", lambda w: f"/oferty/{_partial_offer_id(w)}/sprawozdanie-czesciowe/1", READERS,
         name="partial"),
    Case("grant_reports.review", lambda w: f"/oferty/{_partial_offer_id(w)}/sprawozdanie-czesciowe/1/ocena",
         REVIEWERS, method="POST", data=lambda w: {"action": "corrections", "note": ""}, name="partial"),
    # a small grant's report (art. 19a): the same pages under the small grant's address
    Case("grant_reports.report", lambda w: f"/male-granty/sprawy/{_small_grant_id(w)}/sprawozdanie", READERS,
         name="small_grant"),
    Case("grant_reports.edit", lambda w: f"/male-granty/sprawy/{_small_grant_id(w)}/sprawozdanie/formularz",
         FILER, name="small_grant"),
    Case("grant_reports.review", lambda w: f"/male-granty/sprawy/{_small_grant_id(w)}/sprawozdanie/ocena",
         REVIEWERS, method="POST", data=lambda w: {"action": "corrections", "note": ""}, name="small_grant"),
    Case("grant_reports.schedule_partial",
         lambda w: f"/male-granty/sprawy/{_small_grant_id(w)}/sprawozdania-czesciowe", REVIEWERS, method="POST",
         data=lambda w: {"period_from-day": ""}, name="small_grant"),
]
