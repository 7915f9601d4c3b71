"""Look and feel: every asset is served from the app itself, and the pages fit a 320 px wide screen
(a wide table scrolls in its own box instead of widening the page) and print without their chrome."""
from __future__ import annotations

import re
from pathlib import Path

from tests.browser_support import needs_chromium, sign_in

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""", re.IGNORECASE)

def test_no_asset_comes_from_another_site():
    """No CDN, no web fonts from the internet: scripts, styles, images and fonts are local files."""
    offending = []
    for path in [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("consult", "static").rglob("*")]:
        if path.is_file() and path.suffix in (".html", ".css", ".js"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if EXTERNAL.search(line) and "<a " not in line:  # a link to another site is fine, a load is not
                    offending.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offending == []

def test_the_page_loads_only_local_assets(world, client):
    page = client.get("/").get_data(as_text=True)
    loads = re.findall(r'<(?:link|script|img)\b[^>]*(?:href|src)="([^"]+)"', page)
    assert loads and all(url.startswith(("/static/", "data:")) for url in loads), loads
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page

@needs_chromium
def test_pages_fit_a_small_screen_and_print_without_chrome(world, browser, live_server):
    server = live_server
    pages = ["/", "/programy", f"/programy/{world.programme.id}", "/konkursy", "/rejestr", "/koordynacja",
             f"/koordynacja/programy/{world.programme.id}", "/rejestry/organizacje", "/koordynacja/podsumowania"]
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="pl-PL")
    try:
        page = context.new_page()
        sign_in(page, server, world.user("coordinator"))
        for url in pages:
            page.goto(f"{server}{url}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{url} is {width} px wide on a 320 px screen"
        # without room, the navigation folds behind a Menu button that says whether it is open
        toggle = page.locator(".nav-toggle")
        assert toggle.get_attribute("aria-expanded") == "false" and not page.is_visible(".site-header .nav")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and page.is_visible(".site-header .nav")
        # on paper: no navigation, search form or buttons, and a table's header row is repeated
        page.goto(f"{server}/koordynacja/programy/{world.programme.id}")
        page.emulate_media(media="print")
        for chrome in (".site-header nav", ".account", "form.filters", ".button"):
            assert not page.is_visible(chrome), chrome
        assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
        assert page.evaluate("getComputedStyle(document.querySelector('tbody tr')).breakInside") == "avoid"
    finally:
        context.close()
