"""Reports after the award (art. 18): the NGO of the granted offer (A) fills and submits its final report; the unit
running the call (X) and coordinators read it and decide; every unit's staff and coordinators list the reports of
their calls."""
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


CASES = [
    Case("grant_reports.edit", lambda w: f"/oferty/{_offer_id(w)}/sprawozdanie/formularz", FILER),
    Case("grant_reports.edit", lambda w: f"/oferty/{_offer_id(w)}/sprawozdanie/formularz", FILER, method="POST",
         data=lambda w: {"action": "save", "cost-0-total": "", "own_realised": "", "notes": ""}),
    Case("grant_reports.report", lambda w: f"/oferty/{_submitted_offer_id(w)}/sprawozdanie", READERS),
    Case("grant_reports.review", lambda w: f"/oferty/{_submitted_offer_id(w)}/sprawozdanie/ocena", REVIEWERS,
         method="POST", data=lambda w: {"action": "corrections", "note": ""}),
    Case("grant_reports.unit_list", lambda w: "/sprawozdania-z-dotacji", frozenset({"unit_x", "unit_y",
                                                                                    "coordinator"})),
]
