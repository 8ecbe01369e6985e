"""Push reminders in Chromium: the service worker shows a pushed reminder with its actions,
and the devices page offers "Turn on reminders on this device" where the browser can.

No push service is reachable here, so the push is handed to the service worker through the
DevTools protocol (ServiceWorker.deliverPushMessage), carrying the payload the sender makes.
"""

import datetime
import json
import time

from django.utils import timezone

from reminders.emails import DeliveryToSend
from reminders.models import Delivery
from reminders.notifications import notification_renderer_get
from tests.e2e.conftest import assert_accessible, sign_in
from tests.e2e.test_pwa_journey import app, wait_until_controlled  # noqa: F401 - the fixture
from tests.factories import UserFactory

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map((n) => ({
    title: n.title, body: n.body, tag: n.tag,
    actions: n.actions.map((a) => [a.action, a.title]),
    links: Object.keys(n.data.links).sort(), url: n.data.url,
  }));
}"""


def shown_notifications(page, *, count: int, timeout: float = 15.0) -> list[dict]:
    """The notifications the service worker shows, read until there are `count` of them or
    `timeout` seconds have passed (then what the last read found)."""
    deadline = time.monotonic() + timeout
    while True:
        shown = page.evaluate(NOTIFICATIONS)
        if len(shown) == count or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(100)


def _payload(user, settings, live_server) -> bytes:
    settings.SITE_URL = live_server.url
    now = timezone.now()
    delivery = Delivery.objects.create(
        user=user, kind="evening", local_date=now.date(), due_at=now, channel="push"
    )
    to_send = DeliveryToSend(
        pk=delivery.pk, user_id=user.pk, kind="evening", local_date=delivery.local_date,
        due_at=now, email=user.email, display_name=user.display_name, language="en",
        time_zone=user.time_zone, bedtime=datetime.time(22, 30), wake_time=datetime.time(7),
        channel="push",
    )  # fmt: skip
    return notification_renderer_get(language="en").encode(to_send)


def deliver_a_reminder(page, user, settings, live_server, *, pushes: int = 3) -> None:
    """Sign `user` in, wait for the service worker, and push it an evening reminder until the
    worker shows it.

    On a loaded machine Chromium now and then drops a message handed over through DevTools:
    the worker never shows it (a shown one is there within 20 ms). A push service delivers
    again a message the browser did not take, so the test pushes again, up to `pushes` times;
    the reminder's tag makes a repeat replace the one shown, never add a second."""
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(page, user)
    wait_until_controlled(page)
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    (registration,) = [r for r in registrations if r["scopeURL"] == live_server.url + "/"]
    payload = _payload(user, settings, live_server).decode()
    for _push in range(pushes):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": registration["registrationId"],
                "data": payload,
            },
        )
        if shown_notifications(page, count=1, timeout=5.0):
            return
    raise AssertionError(f"the service worker showed none of {pushes} pushed reminders")


def test_a_pushed_reminder_shows_its_title_and_actions(
    app,  # noqa: F811 - the fixture imported above
    live_server,
    settings,
    transactional_db,
):
    user = UserFactory()
    deliver_a_reminder(app, user, settings, live_server)
    (shown,) = shown_notifications(app, count=1)
    assert shown["title"] == "Your evening reminder"
    assert shown["body"] == "When you are ready, let Restwell know."
    assert shown["tag"].startswith("restwell-evening-")
    # Chromium shows at most two actions: the first two, "I took it" first.
    assert shown["actions"][:2] == [["taken", "I took it"], ["snooze", "In 30 minutes"]]
    assert shown["links"] == ["skip", "snooze", "taken"]
    assert shown["url"] == live_server.url + "/tracker/"
    assert "mg" not in json.dumps(shown)


def test_the_devices_page_offers_this_device_and_says_when_it_cannot(
    app,  # noqa: F811 - the fixture imported above
    live_server,
    transactional_db,
):
    app.context.grant_permissions(["notifications"], origin=live_server.url)
    sign_in(app, UserFactory())
    app.goto("/accounts/devices/")
    button = app.get_by_role("button", name="Turn on reminders on this device")
    button.wait_for(state="visible")
    assert app.get_by_text("No devices yet.").is_visible()
    assert_accessible(app)
    wait_until_controlled(app)
    button.click()
    # No push service is reachable from here: the browser refuses, and the page says so in
    # its own words (never the browser's error).
    status = app.locator("[data-push-status]")
    app.wait_for_function(
        "() => { const t = document.querySelector('[data-push-status]').textContent;"
        " return t && t !== 'Asking your browser…'; }",
        timeout=30_000,
    )
    assert status.inner_text() == (
        "This device could not be set up for notifications. "
        "Try again later, or use email reminders."
    )
    assert button.is_enabled()
