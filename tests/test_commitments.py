"""Commitments made in positions: recorded by the unit, shown with the postulate, reminded, listed when overdue,
and done with a note or a link."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.commitments.models import Commitment
from consult.core.operations import transaction
from consult.core.types import clock_at, today_in_warsaw, utcnow
from consult.extensions import db
from consult.notifications.models import Notification
from consult.notifications.operations import send_reminders
from tests.conftest import login


def _position(world, name="b_published_x"):
    return world.p[name].positions[0]


def _form(world, **over):
    due = today_in_warsaw() + timedelta(days=30)
    data = {"what": "Przekażemy postulat Centrom Obywatelskim.", "unit_id": str(world.unit_x.id), "operator": "",
            "due_on-day": str(due.day), "due_on-month": str(due.month), "due_on-year": str(due.year)}
    data.update(over)
    return data


def _new_url(world, name="b_published_x"):
    position = _position(world, name)
    return f"/postulaty/{position.postulate_id}/stanowiska/{position.id}/zobowiazania/nowe"


def test_the_unit_records_a_commitment_and_the_public_reads_it_with_the_postulate(world, client, app):
    login(client, world.user("unit_x"))
    response = client.post(_new_url(world), data=_form(world, unit_id="",
                                                       operator="ACK Cyfronet"))
    assert response.status_code == 302
    commitment = db.session.scalar(db.select(Commitment))
    assert commitment.operator == "ACK Cyfronet" and commitment.state == "open"
    public = app.test_client().get(f"/postulaty/{world.p['b_published_x'].id}").get_data(as_text=True)
    assert "Przekażemy postulat Centrom Obywatelskim." in public and "ACK Cyfronet" in public and "w toku" in public


@pytest.mark.parametrize("who", ["unit_y", "ngo_b"])
def test_only_the_unit_of_the_position_and_coordinators_record_commitments(world, client, who):
    login(client, world.user(who))
    assert client.post(_new_url(world), data=_form(world)).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Commitment)) == 0


def test_a_refused_commitment_says_why_and_records_nothing(world, client):
    login(client, world.user("unit_x"))
    yesterday = today_in_warsaw() - timedelta(days=1)
    for data, message in (
            (_form(world, what=""), "Co zostanie zrobione: wpisz treść."),
            (_form(world, unit_id="", operator=""), "albo wpisz, kto inny je wykona"),
            (_form(world, **{"due_on-day": str(yesterday.day), "due_on-month": str(yesterday.month),
                             "due_on-year": str(yesterday.year)}), "nie może przypadać w przeszłości")):
        page = client.post(_new_url(world), data=data).get_data(as_text=True)
        assert "Wystąpił problem" in page and message in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Commitment)) == 0


def test_done_needs_a_note_or_a_web_link_and_the_public_sees_the_evidence(world, client, app):
    login(client, world.user("unit_x"))
    client.post(_new_url(world), data=_form(world))
    commitment = db.session.scalar(db.select(Commitment))
    url = f"/zobowiazania/{commitment.id}/wykonane"
    page = client.post(url, data={"note": "", "evidence_url": ""}).get_data(as_text=True)
    assert "Opisz, jak wykonano zobowiązanie, albo podaj odnośnik do dowodu." in page
    page = client.post(url, data={"note": "", "evidence_url": "javascript:alert(1)"}).get_data(as_text=True)
    assert "zaczynający się od https://" in page
    db.session.refresh(commitment)
    assert commitment.state == "open"
    assert client.post(url, data={"note": "Przekazano 12 maja.",
                                  "evidence_url": "https://www.krakow.pl/aktualnosci/1"}).status_code == 302
    public = app.test_client().get(f"/postulaty/{world.p['b_published_x'].id}").get_data(as_text=True)
    assert "Przekazano 12 maja." in public and 'href="https://www.krakow.pl/aktualnosci/1"' in public
    assert "wykonane" in public and "w toku" not in public


def test_overdue_commitments_are_listed_for_coordinators_and_for_their_unit(world, client):
    with clock_at(utcnow() - timedelta(days=40)):
        login(client, world.user("unit_x"))
        client.post(_new_url(world), data=_form(world))  # due 30 days after that: 10 days ago now
    client.get("/wyloguj")
    login(client, world.user("coordinator"))
    page = client.get("/zobowiazania?po_terminie=1").get_data(as_text=True)
    assert "Przekażemy postulat Centrom Obywatelskim." in page and "po terminie" in page
    other = world.user("unit_y")
    fresh = client.application.test_client()
    login(fresh, other)
    assert "Przekażemy postulat" not in fresh.get("/zobowiazania").get_data(as_text=True)


def test_the_unit_is_reminded_once_before_the_due_date(world, client):
    with clock_at(utcnow() - timedelta(days=28)):
        login(client, world.user("unit_x"))
        client.post(_new_url(world), data=_form(world))  # due in 2 days now
    first = send_reminders()
    reminders = [n for n in first if n.kind == "commitment_due"]
    assert [n.recipient_id for n in reminders] == [world.user("unit_x").id]
    assert "Centrom Obywatelskim" in reminders[0].body
    db.session.commit()
    assert [n for n in send_reminders() if n.kind == "commitment_due"] == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.kind == "commitment_due")) == 1
