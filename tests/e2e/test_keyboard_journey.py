"""Log last night from the dashboard with the keyboard alone (Tab, Shift-Tab, Enter, Space),
seeing where the focus is at every step.

At 07:40 the dashboard leads with "How was last night?". The skip link comes first and takes
the focus to the page's content; Tab walks into the legs score (a radio group: Tab reaches its first
answer, 0), Space chooses; Tab to the sleep answers, Shift-Tab back and Tab again, Space;
Tab to "Save last night", Enter. Each focused element must show an indicator: an outline of
2 px or more, or a box shadow (Bootstrap's buttons), on the element or, for the radio inputs
drawn as buttons, on their label; and it must not sit under the fixed tab bar.
"""

import time_machine

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory
from tests.main_pages import MORNING
from tracker.models import NightLog

FOCUS = """() => {
  const el = document.activeElement;
  const drawn = el.matches(".btn-check") ? document.querySelector(`label[for="${el.id}"]`) : el;
  const style = getComputedStyle(drawn);
  const box = drawn.getBoundingClientRect();
  const nav = document.querySelector(".app-nav");
  const underNav = nav && getComputedStyle(nav).position === "fixed" && !nav.contains(drawn);
  const navTop = underNav ? nav.getBoundingClientRect().top : window.innerHeight;
  return {
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.textContent.trim() ? " " + el.textContent.trim().slice(0, 40) : ""),
    id: el.id, type: el.type || "", checked: !!el.checked,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none" && style.boxShadow !== "",
    shown: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < navTop,
  };
}"""


def _press(page, key: str, trail: list) -> dict:
    page.keyboard.press(key)
    focus = page.evaluate(FOCUS)
    trail.append(f"{key} → {focus['element']}")
    if focus["element"] not in ("body", "main#main"):  # the skip link's target, not a control
        steps = "\n".join(trail)
        assert focus["outline"] or focus["shadow"], f"no visible focus at the last step:\n{steps}"
        assert focus["shown"], f"focused but out of sight at the last step:\n{steps}"
    return focus


def _tab_to(page, trail: list, *, key: str = "Tab", until, limit: int = 60) -> dict:
    for _ in range(limit):
        focus = _press(page, key, trail)
        if until(focus):
            return focus
    raise AssertionError("never reached:\n" + "\n".join(trail))


def test_log_last_night_with_the_keyboard_alone(page, transactional_db):
    with time_machine.travel(MORNING, tick=True):
        user = UserFactory(display_name="Robin", time_zone="Europe/London")
        sign_in(page, user)
        page.goto("/tracker/")  # as on a later visit: no "signed in" message above the cards
        assert page.locator(".quick-card h2").first.get_attribute("id") == "morning-heading"
        trail: list[str] = []

        # The skip link is the first stop, visible when focused, and leads to the content.
        skip = _press(page, "Tab", trail)
        assert skip["element"].startswith("a Skip to main content"), trail
        _press(page, "Enter", trail)
        assert page.url.endswith("#main")
        assert page.evaluate("document.activeElement.id") == "main"

        # Into the legs score at its first answer (0, "none"), Space chooses it; Tab on to the
        # sleep answers, Shift-Tab back to the chosen score, Tab again, Space on "Very poor".
        _tab_to(page, trail, until=lambda f: f["id"] == "quick_severity_0")
        assert _press(page, "Space", trail)["checked"]
        quality = _press(page, "Tab", trail)
        assert quality["id"] == "quick_sleep_quality_0", trail
        back = _press(page, "Shift+Tab", trail)
        assert (back["id"], back["checked"]) == ("quick_severity_0", True), trail
        _press(page, "Tab", trail)
        assert _press(page, "Space", trail)["checked"]

        _tab_to(page, trail, until=lambda f: f["element"].startswith("button Save last night"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("Legs 0/10 · sleep Very poor").first.is_visible()
        night = NightLog.objects.get(user=user)
        assert (night.severity, night.sleep_quality) == (0, 1)
        assert_accessible(page)
        assert len(trail) >= 8
