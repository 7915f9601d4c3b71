"""The due-date pages in the real browser, with postulates past their due dates so that the tables have rows:
the coordinators' list of what is overdue, a unit's queue, the postulate's page, the form that sets a new due
date, each passing axe-core's WCAG 2.0/2.1 A and AA rules with the page checks of the accessibility walk (at
1280 and at 320 CSS pixels); a due date in the past is refused with the error summary leading to the date."""
from __future__ import annotations

from datetime import timedelta

import pytest

from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import utcnow
from consult.extensions import db
from consult.postulates import deadlines
from consult.postulates.models import Postulate
from tests.browser_support import axe_violations, describe, needs_chromium, screenshot, sign_in, with_axe
from tests.test_accessibility_browser import DESKTOP, PAGE_CHECKS, PHONE, _refused_form

pytestmark = [needs_chromium, pytest.mark.database_independent]


@pytest.fixture
def overdue(world, monkeypatch):
    """a_submitted assigned to unit X 20 days ago, b_submitted to unit Y 16 days ago: both past their due date."""
    from consult.postulates.operations import assign_postulate

    for key, unit, days in (("a_submitted", world.unit_x, 20), ("b_submitted", world.unit_y, 16)):
        monkeypatch.setattr("consult.postulates.operations.utcnow", lambda d=days: utcnow() - timedelta(days=d))
        with transaction():
            assign_postulate(SYSTEM, db.session.get(Postulate, world.p[key].id), unit)
    monkeypatch.undo()
    return world


def _check(page, where: str) -> list[str]:
    problems = describe(axe_violations(page), where)
    problems += [f"{where}: {p}" for p in page.evaluate(PAGE_CHECKS)]
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        problems.append(f"{where}: at {PHONE['width']} px wide the page is {width} px wide")
    page.set_viewport_size(DESKTOP)
    return problems


def test_due_date_pages_pass_axe_and_say_overdue_in_words(overdue, browser, live_server):
    world = overdue
    a, b = (world.p[k] for k in ("a_submitted", "b_submitted"))
    pages = {"coordinator": ["/koordynacja/po-terminie", f"/postulaty/{a.id}", f"/postulaty/{a.id}/termin",
                             f"/postulaty/{b.id}/przekaz"],
             "unit_x": ["/kolejka", f"/postulaty/{a.id}"]}
    failures = []
    for role, paths in pages.items():
        context = with_axe(browser.new_context(viewport=DESKTOP, locale="pl-PL"))
        page = context.new_page()
        try:
            sign_in(page, live_server, world.user(role))
            for path in paths:
                response = page.goto(live_server + path)
                assert response.status == 200, f"{role} {path}: {response.status}"
                failures += _check(page, f"{role} {path}")
                if path in ("/koordynacja/po-terminie", "/kolejka"):
                    assert "po terminie (6 dni)" in page.inner_text("main")
                    screenshot(page, f"due-dates-{role}-{path.strip('/').replace('/', '-')}")
        finally:
            context.close()
    assert not failures, f"{len(failures)} accessibility problems:\n" + "\n".join(failures)


def test_a_due_date_in_the_past_leads_to_the_date(overdue, browser, live_server):
    yesterday = deadlines.today() - timedelta(days=1)

    def fill(page):
        page.fill("#due_on", str(yesterday.day))
        page.fill("#due_on-month", str(yesterday.month))
        page.fill("#due_on-year", str(yesterday.year))

    texts = _refused_form(browser, live_server, overdue, "coordinator",
                          f"/postulaty/{overdue.p['a_submitted'].id}/termin", fill, "main form button[type=submit]",
                          "due-date")
    assert texts == ["Termin stanowiska nie może przypadać w przeszłości. Podaj dzisiejszą lub późniejszą datę."]
