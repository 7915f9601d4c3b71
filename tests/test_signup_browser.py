"""Sign-up end to end in Chromium, as a person clicks through it: an account, the link from the e-mail (read from
the outbox), a new organisation, the coordinator's notification of it leading to its verification, the
organisation's first postulate filed, and signing out ending the session.
Screenshots go to test-artifacts/screenshots/signup-*.png."""
from __future__ import annotations

import re
import time

from consult.extensions import db
from consult.organisations.models import Organisation
from consult.postulates.models import Postulate
from tests.browser_support import needs_chromium, screenshot, sign_in
from tests.test_signup import confirmation_link

pytestmark = needs_chromium


def test_from_sign_up_to_a_filed_postulate(world, browser, live_server):
    person = browser.new_context(locale="pl-PL").new_page()
    coordinator = browser.new_context(locale="pl-PL").new_page()
    try:
        for page in (person, coordinator):
            page.set_default_timeout(20000)
        person.goto(f"{live_server}/")
        person.get_by_role("link", name="Załóż konto").click()
        person.get_by_label("Imię i nazwisko").fill("Olena Kowalenko")
        person.get_by_label("Adres e-mail").fill("olena@example.org")
        person.get_by_label("Hasło").fill("tramwaj-jedzie-na-kazimierz")
        person.get_by_role("button", name="Załóż konto").click()
        person.wait_for_url(re.compile(r"/rejestracja/wyslano$"))
        assert "Sprawdź skrzynkę e-mail" in person.inner_text("main")

        person.goto(live_server + confirmation_link("olena@example.org"))
        assert "Adres e-mail potwierdzony" in person.inner_text("main")
        person.get_by_role("main").get_by_role("link", name="Zaloguj się").click()
        person.get_by_label("Adres e-mail").fill("olena@example.org")
        person.get_by_label("Hasło").fill("tramwaj-jedzie-na-kazimierz")
        person.locator("main button[type=submit]").click()
        person.wait_for_url(re.compile(r"/organizacja$"))

        person.get_by_role("link", name="Zarejestruj organizację").click()
        person.get_by_label("Nazwa organizacji").fill("Fundacja Most")
        person.get_by_label("Numer KRS").fill("0000123456")
        person.get_by_label("NIP").fill("526-025-09-95")
        person.get_by_label("Forma prawna").select_option("fundacja")
        person.get_by_label("Adres siedziby").fill("ul. Długa 5, 31-147 Kraków")
        person.get_by_label("Dzielnica Krakowa (nieobowiązkowa)").select_option("V")
        person.get_by_label(re.compile(r"^16\. ")).check()
        screenshot(person, "signup-1-register-organisation")
        person.get_by_role("button", name="Zarejestruj organizację").click()
        person.wait_for_url(re.compile(r"/organizacja$"))
        assert "czeka na weryfikację" in person.inner_text("main")
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Fundacja Most"))
        assert org.status == "pending" and org.nip == "5260250995"

        sign_in(coordinator, live_server, world.user("coordinator"))
        # The coordinator learns of it from the notification (written after the commit: it may take a moment).
        told = "Organizacja Fundacja Most zarejestrowała się i czeka na weryfikację."
        for _attempt in range(40):
            coordinator.goto(f"{live_server}/powiadomienia")
            if coordinator.get_by_role("link", name=told).count():
                break
            time.sleep(0.25)
        coordinator.get_by_role("link", name=told).click()
        coordinator.wait_for_url(re.compile(r"/rejestry/organizacje/do-weryfikacji$"))
        coordinator.get_by_label("zweryfikuj").check()
        screenshot(coordinator, "signup-2-verify")
        coordinator.get_by_role("button", name="Zapisz decyzję: Fundacja Most").click()
        assert "Zweryfikowano organizację Fundacja Most." in coordinator.inner_text("main")

        person.get_by_role("navigation", name="Menu główne").get_by_role(
            "link", name="Postulaty mojej organizacji").click()
        person.get_by_role("link", name=re.compile("Nowy postulat do programu „Program Współpracy na rok 2027”")).click()
        person.get_by_label("Treść postulatu").fill("Mosty między organizacjami z różnych dzielnic.")
        person.get_by_role("button", name="Złóż postulat").click()
        person.wait_for_url(re.compile(r"/postulaty/\d+/zlozony$"))
        screenshot(person, "signup-3-filed")
        filed = db.session.scalar(db.select(Postulate).where(Postulate.organisation_id == org.id))
        assert filed.state == "submitted" and filed.reference in person.inner_text("main")

        # Signing out ends the session: the organisation's page asks to sign in again.
        person.get_by_role("button", name="Wyloguj").click()
        person.goto(f"{live_server}/organizacja")
        person.wait_for_url(re.compile(r"/logowanie"))
        assert "Zarejestruj organizację" not in person.inner_text("main")
    finally:
        person.context.close()
        coordinator.context.close()
