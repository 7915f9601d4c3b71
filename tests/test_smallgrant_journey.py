"""The journey of a small-grant offer (art. 19a): filing within the limits, the judgement of purposefulness, 7 days
of public comments confirmed by e-mail links, moderation, the decision within the yearly limits, the agreement PDF
and the simplified report; the NGO told at each step in its language."""
from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from consult.core import tokens
from consult.core.errors import Forbidden, Refused
from consult.core.models import AuditEvent
from consult.core.operations import in_transaction
from consult.core.types import clock_at, today_in_warsaw
from consult.documents import storage
from consult.documents.models import DocumentVersion
from consult.extensions import db
from consult.notifications.models import Notification
from consult.smallgrants.models import SmallGrantOffer
from consult.smallgrants.operations import (
    add_comment,
    comment_term_ends,
    confirm_comment,
    days_left,
    decide_small_grant,
    hide_comment,
    judge_purpose,
    reassign_small_grant_offer,
)
from tests.conftest import _wait_for_pending_jobs, login
from tests.smallgrant_support import at, enter_law, file_offer, journey_of, offer_fields

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def law(world):
    enter_law(world)
    return world


def _notes(user, kind):
    return db.session.scalars(db.select(Notification).where(Notification.recipient_id == user.id,
                                                            Notification.kind == kind)).all()


# --- filing ---------------------------------------------------------------------------------------------------

def test_an_offer_is_filed_and_the_ngo_and_the_unit_are_told(law, app):
    offer = file_offer(law)
    assert offer.state == "filed" and offer.amount == Decimal("5000.00") and offer.total_cost == Decimal("6000.00")
    assert offer.judge_by == today_in_warsaw() + timedelta(days=7)
    assert len(_notes(law.user("ngo_a"), "small_grant_received")) == 1
    assert len(_notes(law.user("unit_x"), "small_grant_to_judge")) == 1
    assert _notes(law.user("unit_y"), "small_grant_to_judge") == []


def test_filing_over_the_largest_grant_names_the_rule_and_its_basis(law):
    with pytest.raises(Refused) as refused:
        file_offer(law, amount="10000,01")
    assert "art. 19a ust. 1 pkt 1" in refused.value.reason and "10 000,00 zł" in refused.value.reason
    assert db.session.scalar(db.select(db.func.count(SmallGrantOffer.id))) == 0


def test_filing_a_task_of_91_days_is_refused_and_of_90_days_accepted(law):
    with pytest.raises(Refused) as refused:
        file_offer(law, days=91)
    assert "art. 19a ust. 1 pkt 2" in refused.value.reason and "91" in refused.value.reason
    assert file_offer(law, days=90).state == "filed"


def test_the_filing_form_refuses_an_empty_budget_with_the_error_summary(law, client):
    login(client, law.user("ngo_a"))
    fields = offer_fields(law)
    data = {"unit": str(law.unit_x.id), "title": fields["title"], "description": "Opis", "place": "Kraków",
            "starts-day": str(fields["starts"].day), "starts-month": str(fields["starts"].month),
            "starts-year": str(fields["starts"].year), "ends-day": str(fields["ends"].day),
            "ends-month": str(fields["ends"].month), "ends-year": str(fields["ends"].year),
            "expected_results": "Rezultaty"}
    page = client.post("/male-granty/nowa", data=data).get_data(as_text=True)
    assert "Wystąpił problem" in page and "Wybierz sferę pożytku publicznego, w której mieści się zadanie" in page
    data["sphere"] = "1a"
    page = client.post("/male-granty/nowa", data=data).get_data(as_text=True)
    assert "Wystąpił problem" in page and "Wpisz co najmniej jedną pozycję kosztorysu." in page
    assert db.session.scalar(db.select(db.func.count(SmallGrantOffer.id))) == 0
    data.update({"line0_name": "Materiały", "line0_total": "1 000,00", "line0_from_grant": "800,00"})
    response = client.post("/male-granty/nowa", data=data)
    assert response.status_code == 302
    offer = db.session.scalar(db.select(SmallGrantOffer))
    assert offer.amount == Decimal("800.00") and offer.unit_id == law.unit_x.id and offer.sphere == "1a"
    page = client.get(f"/male-granty/sprawy/{offer.id}").get_data(as_text=True)
    assert "1a. wspieranie rodziny i systemu pieczy zastępczej" in page


def test_another_organisations_offer_is_not_theirs_to_see(law, client):
    offer = file_offer(law)
    login(client, law.user("ngo_b"))
    assert client.get(f"/male-granty/sprawy/{offer.id}").status_code == 403
    assert client.get(f"/male-granty/oferty/{offer.id}").status_code == 404  # not public before purposefulness


# --- purposefulness and reassignment ----------------------------------------------------------------------------

def test_only_the_units_staff_or_a_coordinator_judge_and_a_refusal_needs_reasons(law):
    offer = file_offer(law)
    with pytest.raises(Forbidden):
        in_transaction(judge_purpose, law.user("unit_y"), offer, purposeful=True)
    with pytest.raises(Refused):
        in_transaction(judge_purpose, law.user("unit_x"), offer, purposeful=False, reason="  ")
    in_transaction(judge_purpose, law.user("unit_x"), offer, purposeful=False, reason="Zadanie nie należy do zadań gminy.")
    assert offer.state == "purpose_refused"
    [note] = _notes(law.user("ngo_a"), "small_grant_judged")
    assert "Zadanie nie należy do zadań gminy." in note.body


def test_a_coordinator_hands_the_offer_to_another_unit_which_is_told(law):
    offer = file_offer(law)
    in_transaction(reassign_small_grant_offer, law.user("coordinator"), offer, unit_id=law.unit_y.id)
    assert offer.unit_id == law.unit_y.id
    assert len(_notes(law.user("unit_y"), "small_grant_to_judge")) == 1
    with pytest.raises(Forbidden):
        in_transaction(judge_purpose, law.user("unit_x"), offer, purposeful=True)


# --- the 7 days --------------------------------------------------------------------------------------------------

def test_the_seven_days_do_not_count_the_day_of_publication_and_end_at_the_end_of_the_seventh(law):
    """Art. 111 § 2 k.c.: published on Friday 4 December 2026, the term ends at the end of Friday 11 December;
    calendar days: a term ending on a Saturday stays on that Saturday (published Saturday 5, ends Saturday 12)."""
    assert comment_term_ends(date(2026, 12, 4)) == date(2026, 12, 11)
    assert comment_term_ends(date(2026, 12, 5)) == date(2026, 12, 12)
    published = today_in_warsaw() - timedelta(days=20)
    with clock_at(at(published)):
        offer = file_offer(law)
        in_transaction(judge_purpose, law.user("unit_x"), offer, purposeful=True)
    last = published + timedelta(days=7)
    assert offer.comments_until == last
    assert days_left(offer, published) == 8 and days_left(offer, last) == 1 and days_left(offer, last + timedelta(days=1)) == 0
    # on the last day, late in the evening, a comment is still taken; the unit may not decide yet
    with clock_at(at(last, hour=23)):
        in_transaction(add_comment, offer, name="Ewa", email="ewa@example.org", text="Na ostatnią chwilę.")
        with pytest.raises(Refused) as early:
            in_transaction(decide_small_grant, law.user("unit_x"), offer, grant=False, reason="Brak środków.")
        assert "decyzję podejmuje się po tym terminie" in early.value.reason
    # the next day just after midnight in Kraków: no more comments, the decision may be made
    with clock_at(at(last + timedelta(days=1), hour=0) + timedelta(minutes=1)):
        with pytest.raises(Refused):
            in_transaction(add_comment, offer, name="Ewa", email="ewa@example.org", text="Za późno.")
        in_transaction(decide_small_grant, law.user("unit_x"), offer, grant=False, reason="Brak środków.")
    assert offer.state == "not_granted"


# --- comments ------------------------------------------------------------------------------------------------

def test_a_comment_is_shown_only_once_its_link_is_opened_and_the_link_works_once(law, client):
    j = journey_of(law)
    offer = j["open"]
    page = client.get(f"/male-granty/oferty/{offer.id}").get_data(as_text=True)
    assert "Dobry pomysł." in page and "Czekam na potwierdzenie." not in page
    assert "Jan Kowalski" not in page and "jan@example.org" not in page  # no person's data in public
    token = j["waiting_token"]
    assert client.get(f"/male-granty/uwagi/potwierdzenie/{token}").status_code == 200
    confirm = client.post(f"/male-granty/uwagi/potwierdzenie/{token}")
    assert confirm.status_code == 302
    assert "Czekam na potwierdzenie." in client.get(f"/male-granty/oferty/{offer.id}").get_data(as_text=True)
    replay = client.post(f"/male-granty/uwagi/potwierdzenie/{token}")
    assert replay.status_code == 404 and "został już użyty" in replay.get_data(as_text=True)
    with pytest.raises(tokens.TokenInvalid):
        in_transaction(confirm_comment, token)


def test_a_confirmation_link_older_than_48_hours_is_refused(law, client):
    offer = journey_of(law)["open"]
    with clock_at(at(today_in_warsaw()) - timedelta(hours=49)):
        pass
    comment, token = in_transaction(add_comment, offer, name="Adam", email="adam@example.org", text="Późno.")
    from consult.core.types import utcnow
    with clock_at(utcnow() + timedelta(hours=49)), pytest.raises(tokens.TokenExpired):
        in_transaction(confirm_comment, token)
    assert comment.confirmed_at is None
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/male-granty/uwagi/potwierdzenie/{forged}").status_code == 404


def test_the_comment_form_refuses_a_bad_address_and_writes_nothing(law, client):
    offer = journey_of(law)["open"]
    before = len(offer.comments)
    page = client.post(f"/male-granty/oferty/{offer.id}", data={"name": "Ewa", "email": "ewa", "text": "Tak."})
    text = page.get_data(as_text=True)
    assert "Wystąpił problem" in text and "nazwa@example.org" in text
    db.session.expire_all()
    assert len(db.session.get(SmallGrantOffer, offer.id).comments) == before


def test_a_comment_sent_through_the_form_is_taken_once_and_the_page_says_to_open_the_link(law, client):
    offer = journey_of(law)["open"]
    before = len(offer.comments)
    response = client.post(f"/male-granty/oferty/{offer.id}",
                           data={"name": "Ewa", "email": "ewa@example.org", "text": "Warto dodać dyżur."})
    assert response.status_code == 302  # asked for again: reloading the page does not send the comment twice
    page = client.get(response.location).get_data(as_text=True)
    assert "Wysłaliśmy link na podany adres e-mail." in page and "Warto dodać dyżur." not in page
    db.session.expire_all()
    assert len(db.session.get(SmallGrantOffer, offer.id).comments) == before + 1


def test_a_coordinator_hides_an_abusive_comment_with_a_reason_audited(law, client):
    j = journey_of(law)
    comment = j["comment"]
    with pytest.raises(Forbidden):
        in_transaction(hide_comment, law.user("unit_x"), comment, reason="Obraźliwa")
    login(client, law.user("coordinator"))
    refused = client.post(f"/male-granty/uwagi/{comment.id}/ukrycie", data={"reason": ""})
    assert "Wystąpił problem" in refused.get_data(as_text=True)
    assert client.post(f"/male-granty/uwagi/{comment.id}/ukrycie",
                       data={"reason": "Treść obraźliwa"}).status_code == 302
    public = app_client(client).get(f"/male-granty/oferty/{j['open'].id}").get_data(as_text=True)
    assert "Dobry pomysł." not in public
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "hide_comment"))
    assert event.actor_id == law.user("coordinator").id and event.details["reason"] == "Treść obraźliwa"
    assert "Dobry pomysł." not in str(event.details)


def app_client(client):
    return client.application.test_client()


# --- public list, feed, API --------------------------------------------------------------------------------------

def test_the_public_list_and_the_atom_feed_show_the_offers_open_for_comments_with_days_left(law, client):
    j = journey_of(law)
    page = client.get("/male-granty").get_data(as_text=True)
    assert "Otwarta do uwag" in page and "Zamknięta do uwag" not in page and "Czeka na ocenę" not in page
    response = client.get("/male-granty/uwagi.atom")
    assert response.mimetype == "application/atom+xml"
    feed = etree.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Otwarta do uwag"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/male-granty/oferty/{j['open'].id}")
    assert "zostało dni: 8" in entries[0].findtext(f"{ATOM}summary")


def test_the_api_lists_the_offers_open_for_comments(law, client):
    j = journey_of(law)
    body = client.get("/api/v1/small-grant-offers").get_json()
    assert [o["title"] for o in body["items"]] == ["Otwarta do uwag"]
    item = body["items"][0]
    assert item["days_left"] == 8 and item["comments_until"] == j["open"].comments_until.isoformat()
    assert item["amount"] == "5000.00" and item["comments"] == 1 and item["sphere"] == "1a"
    assert client.get(f"/api/v1/small-grant-offers/{j['filed'].id}").status_code == 404
    assert "/small-grant-offers" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_the_small_grants_given_are_public_on_the_list_the_organisations_page_and_in_the_api(law, client):
    """The public register of results: a grant given shows its task, organisation and amount; offers not (yet)
    granted do not appear among them."""
    j = journey_of(law)
    page = client.get("/male-granty").get_data(as_text=True)
    given = page.split('id="przyznane"')[1]
    assert "Z dotacją" in given and "4000,00" in given.replace("\xa0", " ").replace(" ", "")
    assert "Fundacja Zustricz" in given and "Otwarta do uwag" not in given and "Zamknięta do uwag" not in given
    org_page = client.get(f"/organizacje/{law.org_a.id}").get_data(as_text=True)
    section = org_page.split("<h2>Małe granty (art. 19a)</h2>")[1]
    assert "Z dotacją" in section and "Otwarta do uwag" not in section
    other = client.get(f"/organizacje/{law.org_b.id}").get_data(as_text=True)
    assert "Organizacja nie ma przyznanych małych grantów." in other
    body = client.get(f"/api/v1/organisations/{law.org_a.id}").get_json()
    assert [(g["task"], g["amount"], g["reference"]) for g in body["small_grants"]] == \
        [("Z dotacją", "4000.00", j["granted"].reference)]
    assert client.get(body["small_grants"][0]["url"]).get_json()["granted_amount"] == "4000.00"


# --- the decision -------------------------------------------------------------------------------------------------

def test_the_yearly_limit_of_one_organisation_counts_its_earlier_grants(law):
    published = today_in_warsaw() - timedelta(days=10)
    unit = law.user("unit_x")
    offers = []
    with clock_at(at(published)):
        for amount in ("9000,00", "9000,00", "3000,00"):
            offer = file_offer(law, amount=amount)
            in_transaction(judge_purpose, unit, offer, purposeful=True)
            offers.append(offer)
    in_transaction(decide_small_grant, unit, offers[0], grant=True, amount="9000,00")
    in_transaction(decide_small_grant, unit, offers[1], grant=True, amount="9000,00")
    with pytest.raises(Refused) as refused:
        in_transaction(decide_small_grant, unit, offers[2], grant=True, amount="3000,00")
    assert "art. 19a ust. 2" in refused.value.reason and "21 000,00 zł" in refused.value.reason
    assert db.session.get(SmallGrantOffer, offers[2].id).state == "open_for_comments"
    in_transaction(decide_small_grant, unit, offers[2], grant=True, amount="2000,00")


def _two_grants_of_9000_and_a_third_offer(law, amount="3000,00"):
    """NGO A granted 9 000 zł twice this year, and a third offer of `amount` past its comment term."""
    unit = law.user("unit_x")
    offers = []
    with clock_at(at(today_in_warsaw() - timedelta(days=10))):
        for asked in ("9000,00", "9000,00", amount):
            offer = file_offer(law, amount=asked)
            in_transaction(judge_purpose, unit, offer, purposeful=True)
            offers.append(offer)
    for offer in offers[:2]:
        in_transaction(decide_small_grant, unit, offer, grant=True, amount="9000,00")
    return offers[2]


def test_a_refusal_for_the_yearly_limit_names_the_rule_and_its_basis_to_the_ngo(law, client):
    """The unit that cannot grant for a limit refuses for it: the NGO's notice, its page and the audit log name
    the rule broken, its value and its legal basis, as they stood on the day the offer was filed."""
    offer = _two_grants_of_9000_and_a_third_offer(law)
    unit = law.user("unit_x")
    with pytest.raises(Refused) as refused:  # the clerk's grant is refused and says what to do instead
        in_transaction(decide_small_grant, unit, offer, grant=True, amount="3000,00")
    assert "art. 19a ust. 2" in refused.value.reason and "Odmów: dotacja przekroczyłaby limit" in refused.value.reason
    login(client, unit)
    response = client.post(f"/male-granty/sprawy/{offer.id}/decyzja",
                           data={"verdict": "refuse_limit", "amount": "", "reason": "Prosimy o ofertę w 2028 r."})
    assert response.status_code == 302
    decided = db.session.get(SmallGrantOffer, offer.id)
    assert decided.state == "not_granted" and decided.granted_amount is None
    assert decided.refused_under == [{"rule": "yearly_cap", "limit": "20000.00",
                                      "basis": "art. 19a ust. 2 ustawy o działalności pożytku publicznego i o "
                                               "wolontariacie"}]
    assert "21 000,00 zł" in decided.decision_reason and "Prosimy o ofertę w 2028 r." in decided.decision_reason
    [note] = [n for n in _notes(law.user("ngo_a"), "small_grant_decided") if n.related_id == offer.id]
    body = " ".join(note.body.split())
    assert "Najwyższa łączna kwota dla jednej organizacji w roku kalendarzowym: 20 000,00 zł" in body
    assert "podstawa prawna: art. 19a ust. 2 ustawy o działalności pożytku publicznego i o wolontariacie" in body
    assert "Prosimy o ofertę w 2028 r." in body
    login(client, law.user("ngo_a"))
    page = " ".join(client.get(f"/male-granty/sprawy/{offer.id}").get_data(as_text=True).split())
    assert "Odmowa z powodu limitu małych grantów" in page and "art. 19a ust. 2 ustawy" in page
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.subject_type == "small_grant_offer",
                                                          AuditEvent.subject_id == offer.id,
                                                          AuditEvent.action == "refuse"))
    assert event.details["limits"] == ["yearly_cap"] and event.details["amount"] == "3000.00"


def test_a_refusal_for_a_limit_no_grant_would_break_is_itself_refused_and_changes_nothing(law, client):
    offer = _two_grants_of_9000_and_a_third_offer(law, amount="2000,00")  # 18 000 + 2 000: within 20 000
    login(client, law.user("unit_x"))
    response = client.post(f"/male-granty/sprawy/{offer.id}/decyzja", data={"verdict": "refuse_limit", "amount": ""})
    text = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 200 and "nie przekroczyłaby żadnego limitu małych grantów" in text
    assert db.session.get(SmallGrantOffer, offer.id).state == "open_for_comments"
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.subject_type == "small_grant_offer",
                                                         AuditEvent.subject_id == offer.id,
                                                         AuditEvent.action == "refuse")) is None
    # the amount the unit would grant is what is judged: 2 500 zł would pass the yearly sum by 500 zł
    in_transaction(decide_small_grant, law.user("unit_x"), offer, grant=False, for_limits=True, amount="2500,00")
    assert db.session.get(SmallGrantOffer, offer.id).refused_under[0]["rule"] == "yearly_cap"


def test_a_refusal_for_a_limit_waits_for_the_end_of_the_comment_term(law):
    j = journey_of(law)
    with pytest.raises(Refused) as refused:
        in_transaction(decide_small_grant, law.user("unit_x"), j["open"], grant=False, for_limits=True,
                       amount="50000,00")
    assert "po tym terminie" in refused.value.reason
    assert db.session.get(SmallGrantOffer, j["open"].id).state == "open_for_comments"


def test_the_ngo_reads_the_limit_of_a_refusal_in_its_language(law):
    ngo = law.user("ngo_a")
    offer = _two_grants_of_9000_and_a_third_offer(law)
    ngo.locale = "uk"
    db.session.commit()
    in_transaction(decide_small_grant, law.user("unit_x"), offer, grant=False, for_limits=True)
    [note] = [n for n in _notes(ngo, "small_grant_decided") if n.related_id == offer.id]
    assert note.locale == "uk"
    assert "art. 19a ust. 2" in note.body and "Najwyższa łączna kwota" not in note.body
    assert "20 000,00" in note.body


def test_an_offer_filed_the_day_before_an_amendment_is_granted_by_the_old_limits_and_one_filed_after_is_not(law):
    """A stricter amendment holds from day D: the offer filed on D-1 is filed, and granted after D, by the limits in
    force when it was filed; one filed on D or D+1 is refused at filing, naming the new rule's basis."""
    from consult.smallgrants.limits import INITIAL_SET
    from consult.smallgrants.operations import enter_limit_set

    amendment = today_in_warsaw() - timedelta(days=20)
    values = {rule: str(value) for rule, (value, _basis) in INITIAL_SET.items()} | {"max_grant": "8000.00"}
    bases = {rule: basis for rule, (_value, basis) in INITIAL_SET.items()}
    bases["max_grant"] = "art. 19a ust. 1 pkt 1 (zm.)"
    in_transaction(enter_limit_set, law.user("admin"), effective_from=amendment, values=values, bases=bases)
    unit = law.user("unit_x")
    with clock_at(at(amendment - timedelta(days=1))):
        before = file_offer(law, amount="9000,00")
        in_transaction(judge_purpose, unit, before, purposeful=True)
    for day in (amendment, amendment + timedelta(days=1)):
        with clock_at(at(day)), pytest.raises(Refused) as refused:
            file_offer(law, amount="9000,00")
        assert "art. 19a ust. 1 pkt 1 (zm.)" in refused.value.reason and "8 000,00 zł" in refused.value.reason
    with clock_at(at(amendment)):
        assert file_offer(law, amount="8000,00").state == "filed"  # the new cap itself
    in_transaction(decide_small_grant, unit, before, grant=True, amount="9000,00")  # decided today, after D
    assert db.session.get(SmallGrantOffer, before.id).granted_amount == Decimal("9000.00")


def test_the_twenty_percent_share_of_the_planned_grants_is_kept(world):
    enter_law(world, planned="50000.00")  # 20%: 10 000 zł of small grants in the year
    unit = world.user("unit_x")
    with clock_at(at(today_in_warsaw() - timedelta(days=10))):
        a = file_offer(world, amount="8000,00")
        b = file_offer(world, user=world.user("ngo_b"), amount="3000,00")
        for offer in (a, b):
            in_transaction(judge_purpose, unit, offer, purposeful=True)
    in_transaction(decide_small_grant, unit, a, grant=True, amount="8000,00")
    with pytest.raises(Refused) as refused:
        in_transaction(decide_small_grant, unit, b, grant=True, amount="3000,00")
    assert "art. 19a ust. 3" in refused.value.reason


def test_the_grant_and_the_agreement_pdf(law, client):
    j = journey_of(law)
    offer = j["granted"]
    assert offer.state == "granted" and offer.granted_amount == Decimal("4000.00")
    [note] = _notes(law.user("ngo_a"), "small_grant_decided")
    assert "4 000,00 zł" in note.body
    login(client, law.user("ngo_a"))
    response = client.get(f"/male-granty/sprawy/{offer.id}/umowa.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Umowa o realizację zadania publicznego w trybie art. 19a" in text
    assert "Fundacja Zustricz" in text and "Z dotacją" in text and "4 000,00 zł" in text
    assert "/StructTreeRoot" in str(reader.trailer["/Root"].keys())  # tagged
    assert client.get(f"/male-granty/sprawy/{j['open'].id}/umowa.pdf").status_code == 404  # not decided
    # the agreement served is the one compiled and kept when the grant was decided
    _wait_for_pending_jobs(client.application)
    [kept] = db.session.scalars(db.select(DocumentVersion).where(
        DocumentVersion.about("small_grant_offer", offer.id), DocumentVersion.kind == "small_grant_agreement")).all()
    assert kept.published_at is None and kept.language == "pl"
    assert client.get(f"/male-granty/sprawy/{offer.id}/umowa.pdf").data == storage.path_of(kept.storage_key).read_bytes()
    assert client.application.test_client().get(f"/male-granty/sprawy/{offer.id}/umowa.pdf").status_code == 302
    # its report after the award: tests/test_small_grant_reports.py


def test_the_ngo_is_told_in_its_language(law):
    ngo = law.user("ngo_a")
    ngo.locale = "uk"
    db.session.commit()
    offer = file_offer(law)
    [note] = _notes(ngo, "small_grant_received")
    assert note.locale == "uk"
    in_transaction(judge_purpose, law.user("unit_x"), offer, purposeful=True)
    [judged] = _notes(ngo, "small_grant_judged")
    assert judged.locale == "uk" and "Підрозділ визнав завдання" in judged.body
    assert "Пропозицію" in note.body or "Пропозиція" in note.body


def test_the_report_on_the_programme_counts_the_small_grants_of_its_year(law):
    from consult.programme_report.queries import small_grant_numbers
    from consult.programmes.models import Programme

    j = journey_of(law)
    year = j["granted"].starts.year
    programme = db.session.scalar(db.select(Programme).where(Programme.year == year))
    if programme is None:
        pytest.skip("no programme of the year the tasks start in")
    numbers = small_grant_numbers(programme.id)
    in_year = [j[k] for k in ("filed", "open", "closed", "granted") if j[k].starts.year == year]
    assert numbers.offers == len(in_year) and numbers.grants == 1 and numbers.grants_sum == Decimal("4000.00")
