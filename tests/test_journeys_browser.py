"""The three journeys end to end in Chromium, as people click through them: an NGO files a postulate; unit
staff record and publish a position; a coordinator imports a meeting, compiles, publishes and downloads its
summary PDF. Screenshots of the key pages go to test-artifacts/screenshots/journey-*.png.

On CI's second pass (PostgreSQL, REDIS_URL set) the summary is compiled by the session's real Celery worker
and the job page follows it by itself (app.js); without REDIS_URL it is compiled in process.
"""
from __future__ import annotations

import json
import re

import pytest

from consult.extensions import db
from consult.postulates.models import Postulate
from tests.browser_support import needs_chromium, screenshot, sign_in
from tests.summary_support import assert_in_order, fixture_data, page_texts

pytestmark = [needs_chromium, pytest.mark.usefixtures("summary_worker")]


@pytest.fixture
def person(browser, live_server):
    """A fresh browser context (cookies of one person) per call; all closed at the end of the test."""
    contexts = []

    def open_as(user=None):
        context = browser.new_context(accept_downloads=True, locale="pl-PL")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        if user is not None:
            sign_in(page, live_server, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _menu(page, name: str):
    """A link of the main menu (the header's navigation landmark)."""
    return page.get_by_role("navigation", name="Menu główne").get_by_role("link", name=name, exact=True)


def test_an_ngo_files_a_postulate_and_sees_it_listed(world, person, live_server):
    page = person(world.user("ngo_a"))
    _menu(page, "Postulaty mojej organizacji").click()
    page.get_by_role("link", name=re.compile("Nowy postulat do programu „Program Współpracy na rok 2027”")).click()
    page.get_by_label("Treść postulatu").fill("Więcej zajęć pozalekcyjnych w języku ukraińskim w szkołach.")
    page.get_by_label("Uzasadnienie").fill("Dzieci z Ukrainy chętniej w nich uczestniczą.")
    screenshot(page, "journey-ngo-1-new-postulate")
    page.get_by_role("button", name="Złóż postulat").click()

    page.wait_for_url(re.compile(r"/postulaty/\d+/zlozony$"))
    screenshot(page, "journey-ngo-2-confirmation")
    filed = db.session.scalars(db.select(Postulate).where(Postulate.content.like("Więcej zajęć%"))).one()
    assert filed.state == "submitted" and filed.organisation_id == world.org_a.id
    assert filed.reference in page.inner_text("main")

    _menu(page, "Postulaty mojej organizacji").click()
    row = page.get_by_role("row").filter(has_text=filed.reference)
    assert "Więcej zajęć pozalekcyjnych" in row.inner_text() and "złożony" in row.inner_text()
    screenshot(page, "journey-ngo-3-listed")


def test_unit_staff_record_and_publish_a_position_the_public_then_reads(world, person, live_server):
    postulate = world.p["a_assigned_x"]
    page = person(world.user("unit_x"))
    _menu(page, "Postulaty mojej komórki").click()
    screenshot(page, "journey-unit-1-queue")
    page.get_by_role("link", name=postulate.reference, exact=True).click()
    page.get_by_role("link", name=re.compile("Zapisz stanowisko")).first.click()
    page.get_by_label("przyjęty częściowo").check()
    page.get_by_label("Treść stanowiska").fill("Uwzględnimy to w zadaniu na 2027 r. w dwóch dzielnicach.")
    screenshot(page, "journey-unit-2-position")
    page.get_by_role("button", name="Zapisz projekt stanowiska").click()
    assert "Uwzględnimy to w zadaniu" in page.inner_text("main")

    _menu(page, "Postulaty mojej komórki").click()
    page.get_by_label(f"Zaznacz {postulate.reference}").check()
    page.get_by_role("button", name="Opublikuj zaznaczone stanowiska").click()
    page.wait_for_load_state()
    # a page of its own says what will happen and that it cannot be undone, before anything is published
    assert "Opublikowanego stanowiska nie można zmienić ani wycofać." in page.inner_text("main")
    screenshot(page, "journey-unit-3-confirm")
    db.session.expire_all()
    assert db.session.get(Postulate, postulate.id).state == "answered"
    page.get_by_role("button", name="Opublikuj stanowisko").click()
    page.wait_for_load_state()
    screenshot(page, "journey-unit-4-published")
    db.session.expire_all()
    assert db.session.get(Postulate, postulate.id).state == "published"

    public = person()
    public.goto(f"{live_server}/postulaty/{postulate.id}")
    text = public.inner_text("main")
    assert "Uwzględnimy to w zadaniu na 2027 r. w dwóch dzielnicach." in text and "przyjęty częściowo" in text
    public.goto(f"{live_server}/programy/{world.programme.id}")
    assert "Uwzględnimy to w zadaniu na 2027 r. w dwóch dzielnicach." in public.inner_text("main")
    screenshot(public, "journey-unit-5-public-programme")


def test_a_coordinator_compiles_publishes_and_downloads_the_summary_pdf(world, person, live_server, tmp_path):
    data = fixture_data()
    data["programme"] = {"year": 2030, "title": "Program Współpracy na rok 2030"}
    upload = tmp_path / "spotkanie.json"
    upload.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    first = data["postulates"][0]
    position = first["positions"][0]["text"]

    page = person(world.user("coordinator"))
    page.goto(f"{live_server}/koordynacja/podsumowania")
    page.get_by_role("link", name="Importuj podsumowanie z pliku JSON").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/koordynacja/spotkania/\d+/podsumowanie$"))
    assert f"z {len(data['postulates'])} postulatami" in page.inner_text(".flashes")
    page.get_by_role("link", name="Podsumowania spotkań").click()  # back to the list, then to the meeting
    page.get_by_role("link", name=data["meeting"]["title"]).click()
    page.get_by_role("button", name="Kompiluj wersję do publikacji").click()

    page.get_by_role("link", name="Pobierz PDF wersji 1").wait_for(timeout=120000)  # the page follows the worker
    screenshot(page, "journey-coordinator-1-compiled")
    page.get_by_role("link", name="Wróć do wersji podsumowania").click()
    page.get_by_role("button", name="Opublikuj wersję 1").click()
    assert "Opublikowano wersję 1 podsumowania." in page.inner_text("main")
    screenshot(page, "journey-coordinator-2-published")

    public = person()  # anyone, not signed in, finds it from the list of programmes
    public.goto(f"{live_server}/programy")
    public.get_by_role("link", name="Program Współpracy na rok 2030").click()
    public.get_by_role("link", name="Opublikowane podsumowania spotkań (PDF)").click()
    screenshot(public, "journey-coordinator-3-public-summaries")
    # Chromium would show the PDF in its own viewer (the app serves it inline): fetch what the link points
    # to through the browser's own context, as "save as" does.
    link = public.get_by_role("link", name=re.compile(r"Podsumowanie, wersja 1 \(PDF"))
    response = public.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    assert_in_order("\n".join(page_texts(pdf)), [first["content"], position])

