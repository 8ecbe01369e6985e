"""Browser tests: Playwright (Python) driving Debian's Chromium against live_server.

Every page a journey visits is checked with axe-core, and any Content-Security-Policy
violation reported in the console fails the test.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still made synchronously, one at a time. Only the browser tests opt in.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    def __init__(self):
        self.csp_violations: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (360 px wide) that records CSP violations and script errors."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="en-GB",
        timezone_id="Europe/London",
    )  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = PageProblems()

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.csp_violations.append(text)
        elif message.type == "error":
            problems.errors.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.errors.append(str(error)))
    page.problems = problems
    yield page
    context.close()
    assert problems.csp_violations == [], "CSP violations"
    assert problems.errors == [], "JavaScript errors"


def assert_accessible(page) -> None:
    """Run axe-core on the current page; any violation fails with a readable summary."""
    violations = axe_violations(page)
    assert violations == [], f"accessibility violations on {page.url}:\n" + "\n".join(violations)


def axe_violations(page) -> list[str]:
    """axe-core's violations on the current page, one readable line each.

    page.evaluate runs through the DevTools protocol, which the page's CSP does not govern,
    so the strict policy stays on while axe is injected. `preload: false`: axe would otherwise
    copy @import-ed stylesheets (Django admin's forms.css imports widgets.css) into inline
    <style> elements, which the strict CSP rightly blocks; only css-orientation-lock uses them.
    """
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], preload: false})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def sign_in(page, user) -> None:
    """Sign in through the login form as a user past onboarding; lands on the dashboard."""
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/tracker/")
