"""The reporting round through the web: a coordinator opens it from a file, unit staff report on their own
activities (and only theirs), the coordinator follows who has not reported yet, closes the round, and reads the
report back from the XLSX export."""
from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook

from consult.extensions import db
from consult.implementation.models import Activity, ActivityUnit, ImplementationReport
from consult.organisations.models import Unit
from tests.conftest import login
from tests.implementation_support import UNIT_X, UNIT_Y, import_data, small_data


def _upload(client, data):
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return client.post("/koordynacja/sprawozdania/nowe", data={"file": (BytesIO(body), "plan.json")},
                       content_type="multipart/form-data")


def _activity_of(unit) -> Activity:
    db.session.rollback()
    return db.session.scalar(db.select(Activity).join(ActivityUnit).where(ActivityUnit.unit_id == unit.id)
                             .order_by(Activity.id).limit(1))


def test_the_round_from_opening_to_closing(app, world):
    coordinator = login(app.test_client(), world.user("coordinator"))
    staff_x = login(app.test_client(), world.user("unit_x"))
    staff_y = login(app.test_client(), world.user("unit_y"))
    units_before = db.session.scalar(db.select(db.func.count(Unit.id)))

    response = _upload(coordinator, small_data())
    assert response.status_code == 302
    report = db.session.scalar(db.select(ImplementationReport))
    assert report.state == "open" and response.headers["Location"].endswith(f"/koordynacja/sprawozdania/{report.id}")
    # "Wydział ..., Równości i Zdrowia (WPS/08)" is the world's unit X: matched, not registered again
    assert db.session.scalar(db.select(db.func.count(Unit.id).filter(Unit.name.like("%(WPS/08)%")))) == 0
    assert db.session.scalar(db.select(db.func.count(Unit.id))) > units_before  # the seed's units were registered

    page = coordinator.get(f"/koordynacja/sprawozdania/{report.id}").get_data(as_text=True)
    missing = page.split('id="brakujace"')[1].split("<h2>")[0]
    assert UNIT_X in missing and UNIT_Y in missing
    assert "Działania z informacją o realizacji</dt><dd>6 / 8" in page

    # Unit X sees its activity and reports on it
    assert "Program Wspierania Rodziny" in staff_x.get("/sprawozdania").get_data(as_text=True)
    mine = staff_x.get(f"/sprawozdania/{report.id}").get_data(as_text=True)
    assert "Prowadzenie poradnictwa rodzinnego i terapii" in mine
    assert "Organizacja usługi asystenta rodziny" not in mine  # unit Y's activity
    activity = _activity_of(world.unit_x)
    url = f"/sprawozdania/dzialania/{activity.id}"
    form = staff_x.get(url).get_data(as_text=True)
    assert "10 900 usług poradnictwa rodzinnego i terapii" in form and "Wysokość środków" in form

    refused = staff_x.post(url, data={"outcome": "done", "realised": " ", "funds": "", "version": activity.version})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "<title>Błąd: " in text and "Wpisz, co zrealizowano" in text
    refused = staff_x.post(url, data={"outcome": "done", "realised": "10 801 usług", "funds": "dużo",
                                      "version": activity.version})
    assert "Wysokość środków: wpisz kwotę cyframi" in refused.get_data(as_text=True)
    assert _activity_of(world.unit_x).realised is None

    saved = staff_x.post(url, data={"outcome": "done", "realised": "10 801 usług poradnictwa rodzinnego i terapii",
                                    "funds": "2 000 750,00 zł", "version": activity.version})
    assert saved.status_code == 302
    activity = _activity_of(world.unit_x)
    assert (activity.realised, activity.funds, activity.not_carried_out) == (
        "10 801 usług poradnictwa rodzinnego i terapii", "2 000 750,00 zł", False)
    assert activity.reported_by_id == world.user("unit_x").id

    # A save made on a form loaded before that one is refused and keeps what was saved
    stale = staff_x.post(url, data={"outcome": "not_done", "realised": "", "version": activity.version - 1})
    assert stale.status_code == 409 and "Ktoś inny zmienił ten zapis" in stale.get_data(as_text=True)
    assert _activity_of(world.unit_x).not_carried_out is False

    # Unit Y may not report on unit X's activity; an NGO may not report at all
    assert staff_y.get(url).status_code == 403
    assert staff_y.post(url, data={"outcome": "not_done", "version": activity.version}).status_code == 403
    ngo = login(app.test_client(), world.user("ngo_a"))
    assert ngo.post(url, data={"outcome": "not_done", "version": activity.version}).status_code == 403
    assert _activity_of(world.unit_x).realised == "10 801 usług poradnictwa rodzinnego i terapii"

    # The coordinator sees unit X has reported, unit Y has not
    page = coordinator.get(f"/koordynacja/sprawozdania/{report.id}").get_data(as_text=True)
    missing = page.split('id="brakujace"')[1].split("<h2>")[0]
    assert UNIT_Y in missing and UNIT_X not in missing
    assert "99,1%" in page  # the share realised next to the realised cell

    # Closing with a missing report needs a confirmation
    coordinator.post(f"/koordynacja/sprawozdania/{report.id}/zamkniecie", data={})
    page = coordinator.get(f"/koordynacja/sprawozdania/{report.id}").get_data(as_text=True)
    assert "Nie można zamknąć rundy: 1 z 8 działań nie ma jeszcze informacji o realizacji" in page
    db.session.rollback()
    assert db.session.get(ImplementationReport, report.id).state == "open"
    coordinator.post(f"/koordynacja/sprawozdania/{report.id}/zamkniecie", data={"despite_missing": "y"})
    db.session.rollback()
    assert db.session.get(ImplementationReport, report.id).state == "closed"

    # After closing, unit Y's report is refused with a message, and nothing changes
    activity_y = _activity_of(world.unit_y)
    refused = staff_y.post(f"/sprawozdania/dzialania/{activity_y.id}",
                           data={"outcome": "not_done", "realised": "", "version": activity_y.version})
    assert "Runda sprawozdawcza za rok 2024 jest zamknięta" in refused.get_data(as_text=True)
    assert _activity_of(world.unit_y).realised is None

    # Reopened, unit Y reports that the activity was not carried out
    coordinator.post(f"/koordynacja/sprawozdania/{report.id}/ponowne-otwarcie", data={})
    staff_y.post(f"/sprawozdania/dzialania/{activity_y.id}",
                 data={"outcome": "not_done", "realised": "", "version": activity_y.version})
    activity_y = _activity_of(world.unit_y)
    assert activity_y.not_carried_out and activity_y.realised == "działanie nie było realizowane w 2024 roku"


def test_a_bad_plan_is_refused_on_the_page_naming_the_field(app, world):
    coordinator = login(app.test_client(), world.user("coordinator"))
    data = small_data()
    data["goals"][0]["tasks"][0]["kind"] = "inne"
    response = _upload(coordinator, data)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Błąd: " in text
    assert "goals[0].tasks[0].kind: wartość „inne” nie jest dozwolona" in text
    assert db.session.scalar(db.select(db.func.count(ImplementationReport.id))) == 0


def test_the_xlsx_export_holds_every_activity_with_its_realisation_and_share(app, world):
    from consult.core.operations import transaction
    from consult.implementation.operations import record_realisation

    report_id = import_data(small_data())
    with transaction():  # what a unit typed is text in the sheet, never a formula
        record_realisation(world.user("unit_y"), _activity_of(world.unit_y), carried_out=True,
                           realised='=HYPERLINK("http://example.org","716 rodzin")', funds="1,00 zł")
    coordinator = login(app.test_client(), world.user("coordinator"))
    response = coordinator.get(f"/koordynacja/sprawozdania/{report_id}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Sprawozdanie z działań podejmowanych w 2024 roku")
    header = rows[2]
    assert header[:3] == ("Cel", "Zadanie", "Rodzaj zadania") and "Stopień realizacji wskaźników" in header
    body = {r[5]: dict(zip(header, r)) for r in rows[3:]}
    assert len(body) == 8
    first = body["Prowadzenie poradnictwa rodzinnego i terapii"]
    assert first["Stan"] == "brak informacji" and first["Komórka/jednostka odpowiedzialna za realizację"] == \
        f"{UNIT_X} (WPS/08), organizacje pozarządowe"
    family = body["Organizowanie usług wzmacniających lub odbudowujących naturalny system wsparcia tj. rodzinę "
                  "dedykowanych rodzinom przezywającym trudności życiowe, wychowawcze, opiekuńcze"]
    assert (family["Zadanie"], family["Rodzaj zadania"], family["Wysokość środków"]) == (
        "I.1", "Zadanie podstawowe", "318 660,00 zł")
    assert family["Zakres realizacji zadania"] == "1 703 godziny usług"
    assert family["Stopień realizacji wskaźników"] == "godzin usług: 94,6%"
    typed = body[next(k for k in body if k.startswith("Organizacja usługi asystenta rodziny"))]
    assert typed["Zakres realizacji zadania"] == '=HYPERLINK("http://example.org","716 rodzin")'
    assert sheet.cell(row=3 + list(body).index(typed["Planowane do realizacji działanie"]) + 1, column=9).data_type == "s"
    carried = [r for r in body.values() if r["Zadanie"] == "I.2"]
    assert all(r["Obszar"].startswith("1) Pomoc dla rodziców") for r in carried)
    assert "Usługą Publiczną W-2" in carried[0]["Działania powiązane z"]


def test_a_round_for_another_year_gets_the_plan_without_what_was_realised(app, world):
    report_id = import_data(small_data())
    coordinator = login(app.test_client(), world.user("coordinator"))
    refused = coordinator.post(f"/koordynacja/sprawozdania/{report_id}/kolejna-runda", data={"year": "2025"},
                               follow_redirects=True)
    assert "rok sprawozdania 2025 nie mieści się w latach programu 2022–2024" in refused.get_data(as_text=True)
    response = coordinator.post(f"/koordynacja/sprawozdania/{report_id}/kolejna-runda", data={"year": "2023"})
    assert response.status_code == 302
    db.session.rollback()
    new = db.session.scalar(db.select(ImplementationReport).where(ImplementationReport.report_year == 2023))
    assert new.title.startswith("Sprawozdanie z działań podejmowanych w 2023 roku")
    activities = db.session.scalars(db.select(Activity).where(Activity.report_id == new.id)).all()
    assert len(activities) == 8 and all(a.realised is None and a.funds is None for a in activities)
    page = coordinator.get(f"/koordynacja/sprawozdania/{new.id}").get_data(as_text=True)
    assert "0 / 8" in page and UNIT_X in page.split('id="brakujace"')[1].split("<h2")[0]
    again = coordinator.post(f"/koordynacja/sprawozdania/{report_id}/kolejna-runda", data={"year": "2023"},
                             follow_redirects=True)
    assert "za rok 2023 już jest w systemie" in again.get_data(as_text=True)



@pytest.mark.parametrize("locale, hint, refusal, typed", [
    ("en", "Amount in złoty, e.g. PLN 2,000,750.00.", "enter the amount in figures, e.g. PLN 2,000,750.00.",
     "PLN 2,000,750.00"),
    ("uk", "Сума в злотих, наприклад 2 000 750,00 PLN.", "введіть суму цифрами, наприклад 2 000 750,00 PLN.",
     "2\u00a0000\u00a0750,00"),
])
def test_realised_funds_in_the_staffs_language_are_written_as_the_polish_report_does(app, world, locale, hint,
                                                                                      refusal, typed):
    _upload(login(app.test_client(), world.user("coordinator")), small_data())
    staff = app.test_client()
    staff.post(f"/jezyk/{locale}", data={})
    login(staff, world.user("unit_x"))
    activity = _activity_of(world.unit_x)
    url = f"/sprawozdania/dzialania/{activity.id}"
    assert hint in staff.get(url).get_data(as_text=True)
    refused = staff.post(url, data={"outcome": "done", "realised": "10 801", "funds": "dużo",
                                    "version": activity.version})
    assert refusal in refused.get_data(as_text=True)
    assert staff.post(url, data={"outcome": "done", "realised": "10 801 usług", "funds": typed,
                                 "version": activity.version}).status_code == 302
    assert _activity_of(world.unit_x).funds == "2 000 750,00 zł"
