"""Loose ends of issues 12, 13 and 17: a call's sphere chosen from the Act's list (as a small grant's), so the report
on the programme puts the small grants beside the calls of their area, old free-text spheres kept as written; the
NGO told at once, in its language, when the unit schedules a partial report; the small-grant case page links to the
agreement and the report only for those who may open them; an administrator cannot move the only active
administrator of an organisation with other people out of it."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from consult.auth.models import User
from consult.calls.models import Call
from consult.core.models import AuditEvent
from consult.core.operations import transaction
from consult.extensions import db
from consult.grant_reports import operations as ops
from consult.notifications.messages import message_of
from consult.notifications.models import Notification
from consult.programme_report.queries import programme_numbers
from tests.conftest import login
from tests.grant_report_support import granted_offer
from tests.smallgrant_support import journey_of
from tests.test_programme_report import _call, _small_grant

FAMILY = "wspieranie rodziny i systemu pieczy zastępczej"  # art. 4 ust. 1 pkt 1a


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _call_form(world, **over) -> dict:
    data = {"programme": str(world.programme.id), "unit": str(world.unit_x.id), "title": "Konkurs rodzinny",
            "task_type": "Wspieranie rodziny", "funds": "10 000", "aggregation": "mean"}
    data.update(over)
    return data


# --- 2. a call's sphere from the Act's list -----------------------------------------------------------------------

def test_a_new_call_chooses_its_sphere_from_the_acts_list_and_a_bad_choice_is_refused(app, world):
    client = login(app.test_client(), world.user("coordinator"))
    page = client.get("/koordynacja/konkursy/nowy").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="sphere"', page) and f'<option value="1a">1a. {FAMILY}</option>' in page
    refused = client.post("/koordynacja/konkursy/nowy", data=_call_form(world, sphere="sfera, której nie ma"))
    assert "Wybierz sferę pożytku publicznego z listy." in _text(refused)
    assert db.session.scalar(db.select(Call).where(Call.title == "Konkurs rodzinny")) is None
    assert client.post("/koordynacja/konkursy/nowy", data=_call_form(world, sphere="1a")).status_code == 302
    call = db.session.scalar(db.select(Call).where(Call.title == "Konkurs rodzinny"))
    assert call.sphere == FAMILY  # the announcement prints it as the Act words it


def test_a_calls_free_text_sphere_is_kept_as_written_or_matched_to_the_list(app, world):
    client = login(app.test_client(), world.user("coordinator"))
    own = _call(world, "Kultura i sztuka w dzielnicach", "1000.00", state="draft")
    numbered = _call(world, f"1a.  {FAMILY.upper()}", "1000.00", state="draft")
    db.session.commit()
    page = client.get(f"/koordynacja/konkursy/{own.id}/edycja").get_data(as_text=True)
    assert ('<option selected value="Kultura i sztuka w dzielnicach">Kultura i sztuka w dzielnicach</option>' in page)
    page = client.get(f"/koordynacja/konkursy/{numbered.id}/edycja").get_data(as_text=True)
    assert f'<option selected value="1a">1a. {FAMILY}</option>' in page
    # saved again as they are: the free text stays, the numbered one becomes the Act's wording
    for call in (own, numbered):
        data = _call_form(world, title=call.title, sphere="Kultura i sztuka w dzielnicach" if call is own else "1a",
                          version=str(call.version))
        assert client.post(f"/koordynacja/konkursy/{call.id}/edycja", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Call, own.id).sphere == "Kultura i sztuka w dzielnicach"
    assert db.session.get(Call, numbered.id).sphere == FAMILY
    # another call's free text is not a choice of this one
    refused = client.post(f"/koordynacja/konkursy/{numbered.id}/edycja",
                          data=_call_form(world, title=numbered.title, sphere="Kultura i sztuka w dzielnicach",
                                          version=str(db.session.get(Call, numbered.id).version)))
    assert "Wybierz sferę pożytku publicznego z listy." in _text(refused)
    assert db.session.get(Call, numbered.id).sphere == FAMILY


def test_calls_and_small_grants_of_one_sphere_are_one_area_however_the_call_writes_it(app, world):
    _call(world, FAMILY, "10000.00")  # chosen from the list
    _call(world, f"1a. {FAMILY}", "5000.00")  # written before the list, with its number
    _call(world, "Kultura i sztuka w dzielnicach", "2000.00")  # a free text of its own: an area of its own
    _small_grant(world, "1a", "3000.00")
    db.session.commit()
    areas = {area.label: area for area in programme_numbers(world.programme).areas}
    assert set(areas) == {FAMILY, "Kultura i sztuka w dzielnicach"}
    family = areas[FAMILY]
    assert (family.calls_announced, family.call_funds, family.small_grants, family.small_grants_sum) == (
        2, Decimal("15000.00"), 1, Decimal("3000.00"))
    assert areas["Kultura i sztuka w dzielnicach"].small_grants == 0


# --- 3. the NGO told of a scheduled partial report ---------------------------------------------------------------

def test_the_ngo_is_told_at_once_in_its_language_when_a_partial_report_is_scheduled(app, world):
    offer = granted_offer(world)
    ngo = world.user("ngo_a")
    ngo.locale = "en"
    db.session.commit()
    with transaction():
        report = ops.schedule_partial_report(world.user("unit_x"), offer, period_from=date(2030, 1, 1),
                                             period_to=date(2030, 3, 31), due=date(2030, 4, 30))
    notes = db.session.scalars(db.select(Notification).where(Notification.kind == "grant_report_scheduled")).all()
    assert [n.recipient_id for n in notes] == [ngo.id]
    [note] = notes
    assert note.locale == "en" and note.link == f"/oferty/{offer.id}/sprawozdanie-czesciowe/1/formularz"
    assert "partial report no. 1" in note.body.lower() and "30" in note.body and "2030" in note.body
    assert f"/oferty/{offer.id}/sprawozdanie-czesciowe/1/formularz" in note.body
    assert "Sprawozdanie" not in note.subject
    # the in-app message, in whatever language the page is read: the period and the due date
    with app.test_request_context(headers={"Accept-Language": "pl"}):
        from flask_babel import force_locale

        with force_locale("pl"):
            text = message_of(note)
    assert "sprawozdanie częściowe nr 1" in text and "30.04.2030" in text and "01.01.2030" in text
    # the next partial report is told of again
    with transaction():
        ops.schedule_partial_report(world.user("unit_x"), offer, period_from=date(2030, 4, 1),
                                    period_to=date(2030, 5, 31), due=date(2030, 6, 15))
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.kind == "grant_report_scheduled")) == 2
    assert report.number == 1


# --- 4. the case page's links only for those who may open them ---------------------------------------------------

def test_the_case_page_links_to_the_report_and_agreement_only_for_those_who_may_open_them(app, world):
    offer = journey_of(world)["granted"]
    report_url = f"/male-granty/sprawy/{offer.id}/sprawozdanie"
    agreement_url = f"/male-granty/sprawy/{offer.id}/umowa.pdf"
    for role, may in (("ngo_a", True), ("unit_x", True), ("coordinator", True), ("admin", False)):
        client = login(app.test_client(), world.user(role))
        page = client.get(f"/male-granty/sprawy/{offer.id}").get_data(as_text=True)
        assert (f'href="{report_url}"' in page) is may, role
        assert (f'href="{agreement_url}"' in page) is may, role
        assert client.get(report_url).status_code == (200 if may else 403), role
        if not may:
            assert client.get(agreement_url).status_code == 403


# --- 5. the only administrator of an organisation is not moved out of it ----------------------------------------

def test_the_only_administrator_of_an_organisation_is_not_moved_out_of_it(app, world):
    admin = login(app.test_client(), world.user("admin"))
    head, member = world.user("ngo_a"), world.user("ngo_a_member")
    org_a, org_b = world.org_a, world.org_b
    for data in ({"name": head.name, "role": "ngo", "organisation": str(org_b.id), "unit": ""},
                 {"name": head.name, "role": "unit", "organisation": "", "unit": str(world.unit_x.id)}):
        page = _text(admin.post(f"/rejestry/konta/{head.id}", data=data))
        assert f"to jedyny aktywny administrator organizacji {org_a.name}" in page
        db.session.expire_all()
        fresh = db.session.get(User, head.id)
        assert (fresh.organisation_id, fresh.role, fresh.organisation_role) == (org_a.id, "ngo", "administrator")
    assert db.session.scalars(db.select(AuditEvent).where(AuditEvent.subject_type == "user",
                                                          AuditEvent.action == "edit")).all() == []
    # a rename within the organisation is no move
    assert admin.post(f"/rejestry/konta/{head.id}", data={"name": "Nowe Imię", "role": "ngo",
                                                          "organisation": str(org_a.id), "unit": ""}).status_code == 302
    # once a member administers it too, the move is made, and in the other organisation the person is a member
    own = login(app.test_client(), head)
    assert own.post(f"/organizacja/czlonkowie/{member.id}/rola", data={"role": "administrator"}).status_code == 302
    assert admin.post(f"/rejestry/konta/{head.id}", data={"name": "Nowe Imię", "role": "ngo",
                                                          "organisation": str(org_b.id), "unit": ""}).status_code == 302
    db.session.expire_all()
    moved = db.session.get(User, head.id)
    assert (moved.organisation_id, moved.organisation_role) == (org_b.id, "member")
