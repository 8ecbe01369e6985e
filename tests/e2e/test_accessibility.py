"""axe-core on every main page, in the light and in the dim theme.

The theme follows the system's colour scheme unless the person chose one (static/js/theme.js),
so each run emulates `prefers-color-scheme` and checks that the page really is in that theme.
Every violation fails, whatever its impact (the issue asks for no serious or critical one).
The clock is held at the demo user's 21:40 and next morning's 07:40, so the dashboard is
checked with each of its two leading cards.
"""

import pytest
import time_machine

from tests.e2e.conftest import assert_accessible, axe_violations, sign_in
from tests.factories import UserFactory
from tests.main_pages import EVENING, MORNING, main_pages_seed

THEMES = {"light": "light", "dim": "dark"}  # our name → prefers-color-scheme and data-bs-theme


def _check(page, path: str, theme: str, found: list[str]) -> None:
    """Visit a page in the theme; add its violations to `found` (all pages are then reported)."""
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    assert page.evaluate("document.documentElement.dataset.bsTheme") == theme, path
    found.extend(f"{path}: {line}" for line in axe_violations(page))


@pytest.mark.parametrize("theme", THEMES)
def test_every_main_page_passes_axe_in_both_themes(browser, live_server, transactional_db, theme):
    scheme = THEMES[theme]
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="en-GB",
        timezone_id="Europe/London", color_scheme=scheme,
    )  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems, found = [], []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    with time_machine.travel(EVENING, tick=True):
        user = UserFactory(display_name="Sam", time_zone="Europe/London")
        pages = main_pages_seed(user=user, now=EVENING)
        for path in pages.anonymous:
            _check(page, path, scheme, found)
        sign_in(page, user)
        assert page.locator("#tonight-heading").count() == 1
        for path in pages.signed_in:
            _check(page, path, scheme, found)
    with time_machine.travel(MORNING, tick=True):
        page.goto("/tracker/")
        assert page.locator(".quick-card h2").first.get_attribute("id") == "morning-heading"
        _check(page, "/tracker/", scheme, found)
    context.close()
    assert found == [], f"axe-core in the {theme} theme:\n" + "\n".join(found)
    assert problems == [], "console errors (CSP violations included)"


def test_chosen_theme_wins_over_the_system(browser, live_server, transactional_db):
    """The Switch theme button stores the choice; the dim theme then stays on every page."""
    context = browser.new_context(base_url=live_server.url, color_scheme="light")
    page = context.new_page()
    page.goto("/privacy/")
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "light"
    page.get_by_role("button", name="Switch theme").click()
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    assert_accessible(page)
    page.goto("/")
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    assert_accessible(page)
    context.close()
