"""What the browser tests share: one headless Chromium for the whole session (Debian's, driven by
Playwright), the test app served live by werkzeug in a thread, signing in through the form, axe-core
(bundled by the axe-playwright-python package, never fetched at test time) and screenshots kept as
artifacts in test-artifacts/screenshots/ under the repository root.

A test module that uses these sets `pytestmark = needs_chromium` so that it skips, saying why, on a
machine without /usr/bin/chromium.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
HAVE_CHROMIUM = os.access(CHROMIUM, os.X_OK)
needs_chromium = pytest.mark.skipif(
    not HAVE_CHROMIUM, reason=f"{CHROMIUM} is missing (Debian's chromium package; .ci/run installs it)"
)
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
# The WCAG 2.0 and 2.1 rules of levels A and AA (axe-core's tags for them).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Chromium as the probe of this machine starts it: no connections of its own to the (closed) network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session; each test opens its own contexts (cookies) in it."""
    if not HAVE_CHROMIUM:
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on a free port of 127.0.0.1, served by werkzeug in a thread, for the whole session
    (each test still starts from empty tables: the server reads the same database)."""
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(timeout=5)


def sign_in(page, server: str, user, password: str | None = None) -> None:
    """Sign in through the login form, as a person does, and wait for the page it leads to."""
    from tests.conftest import PASSWORD

    page.goto(f"{server}/logowanie")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password or PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/logowanie" not in page.url, f"{user.email} could not sign in"


def screenshot(page, name: str) -> Path:
    """A full-page PNG kept as a test artifact: test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^a-z0-9_.-]+", "-", name.lower()).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_script() -> str:
    """axe-core itself (axe.min.js as the axe-playwright-python package bundles it)."""
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def with_axe(context):
    """Have axe-core in every page the context opens (one script for the context, not one per page)."""
    context.add_init_script(script=axe_script())
    return context


def axe_violations(page) -> list[dict]:
    """axe-core's violations of the WCAG 2.0/2.1 A and AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    options = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def describe(violations: list[dict], where: str) -> list[str]:
    """One readable line per element that breaks a rule: page, rule, what is wrong, the element."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']} -> {target}  {node['html'][:160]}")
    return lines
