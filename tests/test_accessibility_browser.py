"""Accessibility in the real browser: every page each role may open passes axe-core's WCAG 2.0/2.1 A and
AA rules in headless Chromium; every page has the skip link first, the landmarks, one h1 and labelled
fields, and reflows (no sideways scrolling of the page at 1280 or at 320 CSS pixels, WCAG 1.4.10: a wide
table scrolls in its own box); a refused form shows an error summary at the top, focused, whose links
move the focus to their fields.

The pages are those the route-by-role cases (tests/access_cases) allow the role with GET, on the `world`
fixture plus a call in each state, so that lists and tables have rows. Pages that are not HTML (PDFs,
JSON) are left out. axe-core comes from the axe-playwright-python package (its bundled axe.min.js).
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.access_cases import all_cases
from tests.access_cases.calls import _clock_at, _fill, _make_call, call_of, offer_of
from tests.browser_support import axe_violations, describe, needs_chromium, screenshot, sign_in, with_axe
from tests.conftest import ROLES

pytestmark = [needs_chromium, pytest.mark.database_independent]

GET_CASES = [c for c in all_cases() if c.method == "GET"]
DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 320, "height": 640}
# Each role's walk checks at least this many pages (the fewest, anon's, were 17): so the seven walks together
# check more than the 100 pages the walk asserted when it was one test for all roles.
MIN_PAGES_PER_ROLE = 15
assert MIN_PAGES_PER_ROLE * len(ROLES) > 100

# What each page must have, read in the page: the skip link is the first thing the Tab key reaches and
# leads to <main>; one banner, navigation, main and contentinfo landmark; every field has a name.
PAGE_CHECKS = """() => {
  const problems = [];
  const skip = document.querySelector("a.skip-link");
  const focusable = document.querySelector(
    "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])");
  if (!skip) problems.push("no skip link");
  else {
    if (focusable !== skip) problems.push("the skip link is not the first focusable element");
    const target = document.getElementById(skip.getAttribute("href").slice(1));
    if (!target || target.tagName !== "MAIN") problems.push("the skip link does not lead to <main>");
  }
  const count = (sel) => document.querySelectorAll(sel).length;
  if (count("header.site-header, [role=banner]") !== 1) problems.push("not one banner (header)");
  if (count("nav") < 1) problems.push("no navigation landmark");
  if (count("main") !== 1) problems.push("not one <main>");
  if (count("footer.site-footer, [role=contentinfo]") !== 1) problems.push("not one contentinfo (footer)");
  if (count("h1") !== 1) problems.push(count("h1") + " h1 headings");
  for (const el of document.querySelectorAll(
      "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")) {
    const named = (el.labels && el.labels.length) || el.getAttribute("aria-label") ||
                  el.getAttribute("aria-labelledby") || el.getAttribute("title");
    if (!named) problems.push("a field without a label: " + el.outerHTML.slice(0, 120));
  }
  // Nothing wider than the window (WCAG 1.4.10): a wide table scrolls inside its own box.
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    problems.push("the page is wider than the window (" + document.documentElement.scrollWidth + "px)");
  return problems;
}"""


def calls_in_other_states(w) -> dict:
    """Besides the draft, announced and under-evaluation calls of the access cases: a call closed for offers,
    one with published results (NGO A granted) and a cancelled one."""
    from consult.calls import operations as ops
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction

    closed, published, cancelled = (_make_call(w, label) for label in ("zamknięty", "wyniki", "unieważniony"))
    with transaction():
        for call in (closed, published, cancelled):
            ops.announce_call(SYSTEM, call)
        offer = ops.create_offer(w.user("ngo_a"), published)
        _fill(w.user("ngo_a"), offer)
    with _clock_at(closed.offers_deadline + timedelta(minutes=1)), transaction():
        ops.close_call_for_offers(SYSTEM, closed)
        ops.close_call_for_offers(SYSTEM, published)
        ops.cancel_call(w.user("coordinator"), cancelled, reason="Nie złożono żadnej oferty.")
        ops.record_formal_check(SYSTEM, offer, {c.id: (True, None) for c in published.formal_criteria})
        ops.accept_offer_formally(SYSTEM, offer)
        ops.start_evaluation(SYSTEM, published)
        ops.record_decision(w.user("coordinator"), offer, kind="grant", amount="1000")
        ops.publish_results(w.user("coordinator"), published)
    return {"closed": closed, "results_published": published, "cancelled": cancelled}


def _pages_for(role: str, world, extra_calls: dict) -> list[tuple[str, str]]:
    """(name, path) of every GET page the role may open."""
    pages = [(c.id, c.url(world)) for c in GET_CASES if role in c.allowed]
    for state, call in extra_calls.items():
        pages.append((f"announcement [{state}]", f"/konkursy/{call.id}"))
        if role in ("coordinator", "unit_x"):
            pages.append((f"calls.manage [{state}]", f"/koordynacja/konkursy/{call.id}"))
    pages.append(("results [results_published]", f"/konkursy/{extra_calls['results_published'].id}/wyniki"))
    if role == "anon":
        pages.append(("error 404", "/nie-ma-takiej-strony"))
    elif role == "ngo_b":
        pages.append(("error 403", f"/oferty/{offer_of(world, 'draft').id}"))
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role_passes_axe(role, world, browser, live_server):
    """One test a role, so that parallel workers (pytest-xdist) share the walk."""
    for state in ("draft", "announced"):
        call_of(world, state)
    offer_of(world, "evaluation")
    extra_calls = calls_in_other_states(world)

    failures: list[str] = []
    visited = 0
    context = with_axe(browser.new_context(viewport=DESKTOP, locale="pl-PL"))
    page = context.new_page()
    try:
        if role != "anon":
            sign_in(page, live_server, world.user(role))
        for name, path in _pages_for(role, world, extra_calls):
            where = f"{role} {name} {path}"
            try:
                response = page.goto(live_server + path)
            except Exception as exc:  # a download (PDF) is not a page
                if "Download is starting" in str(exc):
                    continue
                raise
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            expected_error = name.startswith("error ")
            assert (response.status >= 400) == expected_error, f"{where} gave {response.status}"
            visited += 1
            failures.extend(describe(axe_violations(page), where))
            failures.extend(f"{where}: {problem}" for problem in page.evaluate(PAGE_CHECKS))
            # Reflow (WCAG 1.4.10): at 320 CSS pixels nothing but a table in its own box scrolls sideways.
            page.set_viewport_size(PHONE)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"] + 1:
                failures.append(f"{where}: at {PHONE['width']} px wide the page is {width} px wide")
            page.set_viewport_size(DESKTOP)
    finally:
        context.close()
    assert visited >= MIN_PAGES_PER_ROLE, f"only {visited} pages were checked for {role}"
    assert not failures, f"{len(failures)} accessibility problems:\n" + "\n".join(failures)


def test_axe_finds_a_violation_it_is_meant_to_find(browser):
    """The walk above means something only if axe runs in the page and reports: a field without a label and
    an image without text are found."""
    page = browser.new_page(locale="pl-PL")
    try:
        page.set_content('<!doctype html><html lang="pl"><head><title>t</title></head><body><main><h1>t</h1>'
                         '<input type="text"><img src="data:,"></main></body></html>')
        found = {v["id"] for v in axe_violations(page)}
    finally:
        page.close()
    assert {"label", "image-alt"} <= found, found


ERROR_SUMMARY_CHECKS = """() => {
  const summary = document.querySelector(".error-summary");
  const h1 = document.querySelector("h1");
  return {
    title: document.title,
    focused: document.activeElement === summary,
    beforeHeading: !!(summary && h1 && (summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING)),
    links: summary ? [...summary.querySelectorAll("a")].map(a => ({
      text: a.textContent.trim(), target: a.getAttribute("href").slice(1),
      exists: !!document.getElementById(a.getAttribute("href").slice(1))})) : [],
  };
}"""


def _refused_form(browser, server, world, role, path, fill, submit, name):
    """Open the form as `role`, fill it (or not), submit it and check the refused page: the title says
    "Błąd: ", the error summary is above the heading and has the focus, each of its links leads to a field
    that exists and that then has the focus; the page passes axe. Returns the summary's link texts."""
    context = browser.new_context(locale="pl-PL")
    page = context.new_page()
    try:
        if role != "anon":
            sign_in(page, server, world.user(role))
        page.goto(server + path)
        fill(page)
        with page.expect_navigation():
            page.click(submit)
        state = page.evaluate(ERROR_SUMMARY_CHECKS)
        screenshot(page, f"error-summary-{name}")
        assert state["title"].startswith("Błąd: "), state["title"]
        assert state["focused"], "the error summary does not have the focus"
        assert state["beforeHeading"], "the error summary is not at the top, above the heading"
        assert state["links"], "the error summary links to no field"
        for link in state["links"]:
            assert link["exists"], f"the summary links to #{link['target']}, which is not on the page"
            page.click(f".error-summary a[href='#{link['target']}']")
            assert page.evaluate("document.activeElement.id") == link["target"], \
                f"following {link['text']!r} did not move the focus to #{link['target']}"
        assert not describe(axe_violations(page), name)
        return [link["text"] for link in state["links"]]
    finally:
        context.close()


def test_refused_forms_lead_to_each_field(world, browser, live_server):
    def fill_login(page):
        page.fill("#email", world.user("ngo_a").email)
        page.fill("#password", "nie-to-haslo")

    texts = _refused_form(browser, live_server, world, "anon", "/logowanie", fill_login,
                          "main button[type=submit]", "login")
    assert texts == ["Nieprawidłowy adres e-mail lub hasło."]

    texts = _refused_form(browser, live_server, world, "ngo_a", f"/programy/{world.programme.id}/postulaty/nowy",
                          lambda page: None, "button[name=submit]", "postulate-new")
    assert len(texts) == 1 and "treść" in texts[0].lower(), texts

    texts = _refused_form(browser, live_server, world, "unit_x",
                          f"/postulaty/{world.p['a_assigned_x'].id}/stanowisko", lambda page: None,
                          "main form button[type=submit]", "position")
    assert len(texts) == 2, texts  # the kind of position and its text


def test_skip_link_is_the_first_stop_and_moves_the_focus_to_main(browser, live_server):
    page = browser.new_page(locale="pl-PL")
    try:
        page.goto(live_server + "/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0, "skip link not shown"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.close()
