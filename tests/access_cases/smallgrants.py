"""Small grants (art. 19a): the list, feed and page of an offer open for comments are public, and so are commenting
and the confirmation link; an NGO files its own offers (its reports: access_cases/grant_reports.py); the unit the
offer is addressed to (X) and coordinators judge and decide; coordinators reassign and hide comments; the agreement goes to the NGO, the unit and
coordinators only."""
from tests.access_cases import ALL, Case
from tests.smallgrant_support import journey_of

NGOS = frozenset({"ngo_a", "ngo_b"})
DECIDERS_X = frozenset({"unit_x", "coordinator"})
CASE_A = frozenset({"ngo_a", "unit_x", "coordinator", "admin"})


def _id(name):
    return lambda w: journey_of(w)[name].id


CASES = [
    Case("smallgrants.public_list", lambda w: "/male-granty", ALL),
    Case("smallgrants.feed", lambda w: "/male-granty/uwagi.atom", ALL),
    Case("smallgrants.public_offer", lambda w: f"/male-granty/oferty/{_id('open')(w)}", ALL),
    Case("smallgrants.public_offer", lambda w: f"/male-granty/oferty/{_id('open')(w)}", ALL, method="POST",
         data=lambda w: {"name": "Ewa", "email": "ewa@example.org", "text": "Popieram."}),
    Case("smallgrants.confirm_comment",
         lambda w: f"/male-granty/uwagi/potwierdzenie/{journey_of(w)['waiting_token']}", ALL),
    Case("smallgrants.confirm_comment",
         lambda w: f"/male-granty/uwagi/potwierdzenie/{journey_of(w)['waiting_token']}", ALL, method="POST"),
    Case("smallgrants.mine", lambda w: "/male-granty/moje", NGOS),
    Case("smallgrants.new_offer", lambda w: "/male-granty/nowa", NGOS),
    Case("smallgrants.new_offer", lambda w: "/male-granty/nowa", NGOS, method="POST",
         data=lambda w: {"title": ""}),
    Case("smallgrants.queue", lambda w: "/male-granty/kolejka", frozenset({"unit_x", "unit_y", "coordinator"})),
    Case("smallgrants.case", lambda w: f"/male-granty/sprawy/{_id('filed')(w)}", CASE_A),
    Case("smallgrants.judge", lambda w: f"/male-granty/sprawy/{_id('filed')(w)}/celowosc", DECIDERS_X,
         method="POST", data=lambda w: {"verdict": "refused", "reason": ""}),
    Case("smallgrants.reassign", lambda w: f"/male-granty/sprawy/{_id('filed')(w)}/komorka",
         frozenset({"coordinator"}), method="POST", data=lambda w: {"unit": ""}),
    Case("smallgrants.decide", lambda w: f"/male-granty/sprawy/{_id('closed')(w)}/decyzja", DECIDERS_X,
         method="POST", data=lambda w: {"verdict": "refuse", "reason": ""}),
    Case("smallgrants.hide_comment",
         lambda w: f"/male-granty/uwagi/{journey_of(w)['comment'].id}/ukrycie", frozenset({"coordinator"}),
         method="POST", data=lambda w: {"reason": ""}),
    Case("smallgrants.agreement", lambda w: f"/male-granty/sprawy/{_id('granted')(w)}/umowa.pdf",
         frozenset({"ngo_a", "unit_x", "coordinator"})),
]
CASES += [
    Case("api.small_grant_offers", lambda w: "/api/v1/small-grant-offers", ALL),
    Case("api.small_grant_offer", lambda w: f"/api/v1/small-grant-offers/{_id('open')(w)}", ALL),
]
