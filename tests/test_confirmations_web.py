"""Irreversible steps are deliberate: each has a confirmation page of its own (no JavaScript needed) that says
what will happen and that it cannot be undone, the buttons that used to act at once lead there, the step is
done by the page's confirm button, and after a refused step, reloading the page (a GET of the same URL) shows
a page, never a 405.

Also the formal check as a user does it: nothing assessed in advance, and an offer accepted only once every
criterion is assessed and met."""

from __future__ import annotations

import re

import pytest

from consult.calls import operations as ops
from consult.calls.models import Call, Offer, ScoreSheet
from consult.core.operations import transaction
from consult.extensions import db
from consult.postulates.models import Postulate
from tests.access_cases.calls import _draft_sheet, call_of, offer_of
from tests.conftest import login

CANNOT_BE_UNDONE = re.compile(r'class="warning-text".*?<strong>.*?nie można (cofnąć|zmienić)', re.DOTALL)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def _reload_is_a_page(client, url: str) -> str:
    """What a browser shows when the user reloads (or switches language on) a page a POST rendered: a GET of
    the same URL. Never a 405; a redirect is followed to the page it leads to."""
    response = client.get(url)
    assert response.status_code != 405, f"GET {url}: 405"
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return _html(response)


# --- announcing a call -------------------------------------------------------------------------------------


def test_announcing_is_confirmed_on_a_page_of_its_own(client, world):
    draft = call_of(world, "draft")
    url = f"/koordynacja/konkursy/{draft.id}/ogloszenie"
    login(client, world.user("unit_x"))
    manage = _html(client.get(f"/koordynacja/konkursy/{draft.id}"))
    # the button on the call's page is a link to the confirmation page, not a form that announces
    assert f'<a class="button" id="announce" href="{url}">Ogłoś konkurs</a>' in manage
    assert f'action="{url}"' not in manage
    page = _html(client.get(url))
    assert "<h1>Ogłoszenie konkursu „Konkurs testowy (draft)”</h1>" in page
    assert "Ogłoszenie stanie się publiczne" in page
    assert CANNOT_BE_UNDONE.search(page) and "Ogłoszenia konkursu nie można cofnąć." in page
    assert re.search(r'<form method="post" novalidate>.*?<button type="submit" class="button" id="announce">'
                     r"Ogłoś konkurs</button>", page, re.DOTALL)
    assert f'href="/koordynacja/konkursy/{draft.id}">Nie ogłaszaj' in page
    assert _fresh(Call, draft.id).state == "draft"  # looking is not doing
    assert client.post(url).status_code == 302
    assert _fresh(Call, draft.id).state == "announced"
    # the same page afterwards says so, and offers nothing
    again = _html(client.get(url))
    assert "Konkurs jest już ogłoszony" in again and 'id="announce"' not in again


def test_a_refused_announcement_then_a_reload_shows_the_page(client, world):
    draft = call_of(world, "draft")
    with transaction():
        ops.update_call(world.user("coordinator"), draft, procedure="")
    url = f"/koordynacja/konkursy/{draft.id}/ogloszenie"
    login(client, world.user("coordinator"))
    refused = client.post(url)
    page = _html(refused)
    assert refused.status_code == 200 and "<title>Błąd: " in page and 'href="#procedure"' in page
    assert '<li id="procedure">Wpisz tryb i sposób wyboru ofert.</li>' in page
    assert 'id="announce"' not in page  # nothing to confirm while the draft lacks something
    reloaded = _reload_is_a_page(client, url)
    assert "Wpisz tryb i sposób wyboru ofert." in reloaded
    assert _fresh(Call, draft.id).state == "draft"


# --- the call's steps: close, evaluation, results, cancellation -----------------------------------------------


def _decided(world):
    """The call under evaluation of the access cases with both of NGO A's offers decided."""
    offer = offer_of(world, "evaluation")
    other = offer_of(world, "conflict")
    with transaction():
        ops.record_decision(world.user("coordinator"), offer, kind="grant", amount="800")
        ops.record_decision(world.user("coordinator"), other, kind="refusal", reason="Niska ocena.")
    return offer.call


def test_publishing_results_shows_what_will_be_published_and_cannot_be_undone(client, world):
    call = _decided(world)
    url = f"/koordynacja/konkursy/{call.id}/czynnosc/wyniki"
    login(client, world.user("coordinator"))
    manage = _html(client.get(f"/koordynacja/konkursy/{call.id}"))
    assert f'id="action-wyniki" href="{url}">Ogłoś wyniki</a>' in manage
    page = _html(client.get(url))
    assert "<h1>Ogłoszenie wyników konkursu</h1>" in page
    assert CANNOT_BE_UNDONE.search(page) and "Ogłoszonych wyników nie można zmienić ani wycofać." in page
    assert "Przyznano dotacji na kwotę</dt><dd>800,00 zł" in page and "50 000,00 zł" in page
    table = page.split("Rozstrzygnięcia, które zostaną ogłoszone")[1].split("</table>")[0]
    assert "dotacja 800,00 zł" in table and "odmowa" in table
    assert "Każdy oferent dostanie powiadomienie" in page
    assert _fresh(Call, call.id).state == "evaluation"
    assert client.post(url).status_code == 302
    assert _fresh(Call, call.id).state == "results_published"


def test_a_refused_step_is_told_on_its_page_and_a_reload_is_not_405(client, world):
    offer = offer_of(world, "evaluation")  # no decisions yet: the results cannot be published
    url = f"/koordynacja/konkursy/{offer.call_id}/czynnosc/wyniki"
    login(client, world.user("coordinator"))
    shown = _html(client.get(url))
    assert "Tej czynności nie można teraz wykonać" in shown and "Nie wszystkie oferty mają rozstrzygnięcie" in shown
    assert 'type="submit"' not in shown.split("<h1>")[1]  # no confirm button for a step that would be refused
    refused = client.post(url)
    page = _html(refused)
    assert refused.status_code == 200 and "<title>Błąd: " in page and 'href="#confirm"' in page
    assert "Nie wszystkie oferty mają rozstrzygnięcie" in page
    assert "Nie wszystkie oferty mają rozstrzygnięcie" in _reload_is_a_page(client, url)
    assert _fresh(Call, offer.call_id).state == "evaluation"


def test_cancelling_asks_for_the_reason_on_its_confirmation_page(client, world):
    call = call_of(world, "announced")
    from tests.access_cases.calls import _clock_at

    url = f"/koordynacja/konkursy/{call.id}/czynnosc/uniewaznienie"
    login(client, world.user("coordinator"))
    with _clock_at(call.offers_deadline):
        page = _html(client.get(url))
        assert "Unieważnienia konkursu nie można cofnąć." in page and 'name="reason"' in page
        refused = _html(client.post(url, data={"reason": " "}))
        assert "<title>Błąd: " in refused and 'id="reason-error"' in refused
        assert _fresh(Call, call.id).state == "announced"
        assert client.post(url, data={"reason": "Nie złożono żadnej oferty."}).status_code == 302
    assert _fresh(Call, call.id).state == "cancelled"


def test_unit_staff_do_not_get_the_coordinators_steps(client, world):
    offer = offer_of(world, "evaluation")
    login(client, world.user("unit_x"))
    assert client.get(f"/koordynacja/konkursy/{offer.call_id}/czynnosc/wyniki").status_code == 403
    assert client.post(f"/koordynacja/konkursy/{offer.call_id}/czynnosc/wyniki").status_code == 403


# --- the formal check and the formal decisions -----------------------------------------------------------------


def test_the_formal_check_starts_with_nothing_assessed(client, world):
    offer = offer_of(world, "submitted")
    login(client, world.user("unit_x"))
    page = _html(client.get(f"/koordynacja/oferty/{offer.id}/ocena-formalna"))
    radios = re.findall(r'<input type="radio" id="met-\d+-(?:yes|no)"[^>]*>', page)
    assert len(radios) == 2 * len(offer.call.formal_criteria)
    assert not [r for r in radios if "checked" in r]  # no default answer
    assert page.count(">nie oceniono</span>") == len(offer.call.formal_criteria)
    # the formal decision is a link to its confirmation page, not a button that decides
    assert f'href="/koordynacja/oferty/{offer.id}/ocena-formalna/przyjecie"' in page
    assert 'value="accept"' not in page and 'value="reject"' not in page


def test_a_refused_formal_check_keeps_what_was_marked(client, world):
    offer = offer_of(world, "submitted")
    first, second = offer.call.formal_criteria[:2]
    login(client, world.user("unit_x"))
    url = f"/koordynacja/oferty/{offer.id}/ocena-formalna"
    page = _html(client.post(url, data={"action": "check", f"met-{first.id}": "yes", f"met-{second.id}": "no"}))
    assert "<title>Błąd: " in page and f"Opisz brak przy kryterium „{second.text}”." in page
    assert re.search(rf'id="met-{first.id}-yes"[^>]*checked', page)
    assert re.search(rf'id="met-{second.id}-no"[^>]*checked', page)
    assert _fresh(Offer, offer.id).formal_checks == []


def test_accepting_formally_needs_every_criterion_assessed_and_met(client, world):
    offer = offer_of(world, "submitted")
    criteria = offer.call.formal_criteria
    url = f"/koordynacja/oferty/{offer.id}/ocena-formalna/przyjecie"
    login(client, world.user("unit_x"))
    # nothing assessed: the page says what is missing and offers no button; posting anyway is refused
    page = _html(client.get(url))
    assert "Nie oceniono kryteriów formalnych nr 1, 2, 3, 4, 5, 6, 7." in page and 'id="confirm"' in page
    assert "Przyjmij ofertę pod względem formalnym</button>" not in page
    refused = client.post(url)
    assert refused.status_code == 200 and "<title>Błąd: " in _html(refused)
    assert "Nie oceniono kryteriów formalnych" in _reload_is_a_page(client, url)
    assert _fresh(Offer, offer.id).state == "submitted"
    # one criterion not met: still refused, naming it
    marks = {f"met-{c.id}": "yes" for c in criteria} | {f"met-{criteria[4].id}": "no",
                                                         f"note-{criteria[4].id}": "Zadanie trwa za długo."}
    assert client.post(f"/koordynacja/oferty/{offer.id}/ocena-formalna",
                       data={"action": "check", **marks}).status_code == 302
    page = _html(client.get(url))
    assert f"nie spełnia kryterium formalnego nr 5 („{criteria[4].text}”: Zadanie trwa za długo.)" in page
    assert "Przyjmij ofertę pod względem formalnym</button>" not in page
    assert _html(client.post(url)).count("nie spełnia kryterium formalnego nr 5") >= 1
    assert _fresh(Offer, offer.id).state == "submitted"
    # all met: the page shows the check, says it cannot be undone, and the button accepts
    client.post(f"/koordynacja/oferty/{offer.id}/ocena-formalna",
                data={"action": "check", f"met-{criteria[4].id}": "yes"})
    page = _html(client.get(url))
    assert CANNOT_BE_UNDONE.search(page) and "Przyjęcia oferty pod względem formalnym nie można cofnąć." in page
    assert page.count("<td>spełnione</td>") == len(criteria)
    assert _fresh(Offer, offer.id).state == "submitted"
    assert client.post(url).status_code == 302
    assert _fresh(Offer, offer.id).state == "formally_accepted"


def test_rejecting_formally_is_confirmed_with_the_reason(client, world):
    offer = offer_of(world, "submitted")
    url = f"/koordynacja/oferty/{offer.id}/ocena-formalna/odrzucenie"
    login(client, world.user("unit_x"))
    page = _html(client.get(url))
    assert "Odrzucenia oferty nie można cofnąć." in page and 'name="reason"' in page
    refused = client.post(url, data={"reason": ""})
    assert "<title>Błąd: " in _html(refused) and 'id="reason-error"' in _html(refused)
    assert 'name="reason"' in _reload_is_a_page(client, url)
    assert client.post(url, data={"reason": "Oferta złożona po terminie."}).status_code == 302
    rejected = _fresh(Offer, offer.id)
    assert rejected.state == "formally_rejected" and rejected.formal_reason == "Oferta złożona po terminie."


# --- submitting a score ----------------------------------------------------------------------------------------


def test_submitting_a_score_is_confirmed_with_the_points(client, world):
    offer = offer_of(world, "evaluation")
    criteria = offer.call.scored_criteria
    login(client, world.user("ngo_b"))
    client.post(f"/oferty/{offer.id}/oswiadczenie", data={"has_conflict": "no"})
    url = f"/oferty/{offer.id}/ocena"
    # incomplete: saved as a draft, told what is missing, not led to the confirmation
    partial = client.post(url, data={"action": "submit", f"points-{criteria[0].id}": "7"})
    assert partial.status_code == 200 and f"brakuje oceny za „{criteria[1].title}”" in _html(partial)
    sheet = db.session.scalar(db.select(ScoreSheet).where(ScoreSheet.offer_id == offer.id))
    assert sheet.state == "draft" and sheet.total == 7
    # complete: saved, then the confirmation page
    points = {f"points-{c.id}": "2" for c in criteria}
    response = client.post(url, data={"action": "submit", **points})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/oferty/{offer.id}/ocena/zlozenie")
    page = _html(client.get(response.headers["Location"]))
    assert "Złożonej oceny nie można zmienić ani wycofać." in page and CANNOT_BE_UNDONE.search(page)
    assert f"Twoja ocena ({2 * len(criteria)} pkt)" in page
    assert _fresh(ScoreSheet, sheet.id).state == "draft"
    assert client.post(f"/oferty/{offer.id}/ocena/zlozenie").status_code == 302
    assert _fresh(ScoreSheet, sheet.id).state == "submitted"
    # submitted: a second confirmation (a double click, a reload) leads to the sheet, changes nothing
    assert client.post(f"/oferty/{offer.id}/ocena/zlozenie").status_code == 302
    assert "Złożyłeś ocenę" in _reload_is_a_page(client, f"/oferty/{offer.id}/ocena/zlozenie")


# --- publishing positions --------------------------------------------------------------------------------------


def test_publishing_checked_positions_is_confirmed_on_a_page_of_its_own(client, world):
    answered = world.p["a_answered_x"]
    login(client, world.user("unit_x"))
    queue = _html(client.get("/kolejka?state=answered"))
    form = queue.split('action="/kolejka/publikuj"')[0].rsplit("<form", 1)[1]
    assert 'method="get"' in form  # checking postulates and pressing the button only leads to the page
    page = _html(client.get(f"/kolejka/publikuj?postulates={answered.id}&state=answered"))
    assert answered.reference in page and "Przyjmujemy." in page
    assert "Opublikowanego stanowiska nie można zmienić ani wycofać." in page and CANNOT_BE_UNDONE.search(page)
    assert f'<input type="hidden" name="postulates" value="{answered.id}">' in page
    assert '<input type="hidden" name="state" value="answered">' in page
    assert _fresh(Postulate, answered.id).state == "answered"
    done = client.post("/kolejka/publikuj", data={"postulates": [answered.id], "state": "answered"})
    assert done.status_code == 302 and "state=answered" in done.headers["Location"]
    assert _fresh(Postulate, answered.id).state == "published"


def test_publishing_nothing_or_what_is_not_ready_shows_why(client, world):
    login(client, world.user("unit_x"))
    nothing = client.get("/kolejka/publikuj")
    assert nothing.status_code == 200 and "Zaznacz co najmniej jeden postulat" in _html(nothing)
    assigned = world.p["a_assigned_x"]
    page = _html(client.get(f"/kolejka/publikuj?postulates={assigned.id}&postulates={world.p['a_answered_x'].id}"))
    assert "<title>Błąd: " in page and f"nie mają stanowiska gotowego do publikacji: {assigned.reference}" in page
    assert "Opublikuj stanowiska" not in page
    # a refused publication (posted from a stale page) returns to the queue with the reason
    refused = client.post("/kolejka/publikuj", data={"postulates": [assigned.id]}, follow_redirects=True)
    assert "Nic nie zostało opublikowane" in _html(refused)
    assert _reload_is_a_page(client, "/kolejka/publikuj")
    assert client.get("/kolejka/publikuj?postulates=" + str(world.p["b_published_x"].id)).status_code == 200


def test_publishing_one_postulates_positions_is_confirmed_too(client, world):
    answered = world.p["a_answered_x"]
    login(client, world.user("unit_x"))
    detail = _html(client.get(f"/postulaty/{answered.id}"))
    assert f'href="/postulaty/{answered.id}/publikuj">Opublikuj stanowisko</a>' in detail
    page = _html(client.get(f"/postulaty/{answered.id}/publikuj"))
    assert "Opublikowanego stanowiska nie można zmienić ani wycofać." in page
    assert f'href="/postulaty/{answered.id}">Nie publikuj' in page
    assert client.post(f"/postulaty/{answered.id}/publikuj").status_code == 302
    assert _fresh(Postulate, answered.id).state == "published"


# --- every other POST step of these flows: a refusal, then a reload ---------------------------------------------


def _refusals(world):
    """(role, url, data) of a refused POST on each route of the calls' flows that has no page of its own."""
    draft_offer = offer_of(world, "draft")
    evaluation = offer_of(world, "evaluation")
    announced = call_of(world, "announced")
    sheet = _draft_sheet(world)
    with transaction():
        ops.submit_scores(world.user("ngo_b"), evaluation)  # a member who submitted cannot be dismissed
    return [
        ("coordinator", f"/koordynacja/oferty/{evaluation.id}/rozstrzygniecie", {"kind": ""}),
        ("ngo_b", f"/oferty/{evaluation.id}/oswiadczenie", {"has_conflict": "no"}),  # declared already
        ("unit_x", f"/koordynacja/konkursy/{announced.id}/karta/domyslna", {}),
        ("unit_x", f"/koordynacja/konkursy/{announced.id}/dokumenty/tlumaczenie", {"kind": "x"}),
        ("unit_x", f"/koordynacja/konkursy/{announced.id}/czynnosc/zamkniecie-naboru", {}),
        ("ngo_a", f"/oferty/{draft_offer.id}/zlozenie", {}),
        ("ngo_a", f"/oferty/{draft_offer.id}/koniec-poprawek", {}),
        ("coordinator", f"/koordynacja/komisja/{sheet.member_id}/odwolanie", {}),
        ("unit_x", f"/koordynacja/konkursy/{announced.id}/czynnosc/ocena", {}),
    ]


@pytest.mark.parametrize("index", range(9))
def test_after_a_refused_step_a_reload_shows_a_page(app, world, index):
    role, url, data = _refusals(world)[index]
    client = login(app.test_client(), world.user(role))
    before = _fresh(Call, call_of(world, "announced").id).state
    response = client.post(url, data=data)
    assert response.status_code in (200, 302), f"POST {url}: {response.status_code}"
    if response.status_code == 302:  # refused with a message on the page it leads to
        assert "flash-error" in _html(client.get(response.headers["Location"]))
    else:
        assert "Wystąpił problem" in _html(response)
    _reload_is_a_page(client, url)
    assert _fresh(Call, call_of(world, "announced").id).state == before
