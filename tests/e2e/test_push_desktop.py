"""A pushed reminder on a real Linux desktop: headful Chromium on Xvfb hands the notification
to the dunst daemon over D-Bus, and the daemon draws it on the screen.

The push arrives as in test_push_journey.py (DevTools' ServiceWorker.deliverPushMessage with
the sender's own payload). With PWA_SCREENSHOTS set to a folder, the daemon's window is saved
there as notification.png (docs/screenshots/make_screenshots.py). Skips, naming what is
missing, where Xvfb, D-Bus or dunst are not installed (tests/e2e/desktop.py).
"""

import os

import pytest

from tests.e2e import desktop as desktop_tools
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PageProblems
from tests.e2e.test_push_journey import deliver_a_reminder
from tests.e2e.test_pwa_journey import PHONE, SHOTS
from tests.factories import UserFactory


@pytest.fixture
def desktop(tmp_path):
    if absent := desktop_tools.missing():
        pytest.skip(f"no desktop to show notifications on: {', '.join(absent)} not installed")
    with desktop_tools.notification_desktop(tmp_path) as running:
        yield running


@pytest.fixture
def headful_app(browser, desktop, live_server, tmp_path):
    """Like test_pwa_journey's `app`, but with a window on the desktop's screen."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, headless=False, env=desktop.env,
        args=CHROMIUM_ARGS, base_url=live_server.url, viewport=PHONE, locale="en-GB",
        timezone_id="Europe/London",
    )  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.pages[0] if context.pages else context.new_page()
    problems = PageProblems()

    def on_console(message):
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.errors.append(str(error)))
    yield page
    context.close()
    assert problems.errors == [], "JavaScript errors or CSP violations"


def test_a_pushed_reminder_is_drawn_by_the_desktops_notification_daemon(
    desktop, headful_app, live_server, settings, transactional_db
):
    assert desktop.shown() == 0
    deliver_a_reminder(headful_app, UserFactory(), settings, live_server)
    desktop.wait_until_shown(1)
    headful_app.wait_for_timeout(500)  # let the daemon finish drawing (icon, text)
    box = desktop.notification_box()
    picture = desktop.grab(box)
    assert picture.size == (box[2] - box[0], box[3] - box[1])
    colours = picture.getcolors(maxcolors=picture.width * picture.height)
    assert len(colours) > 50, "the daemon's window is drawn (text and icon), not blank"
    if SHOTS:
        picture.save(os.path.join(SHOTS, "notification.png"), optimize=True)
    (received, *_older) = desktop.close_all()
    assert received["appname"] == "Chromium"
    assert received["summary"] == "Your evening reminder"
    # Chromium puts the site first in the body; the words are ours and carry no health data.
    assert received["body"].endswith("When you are ready, let Restwell know.")
    assert "mg" not in received["body"]
