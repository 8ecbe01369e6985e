"""The offline queue in Chromium: a dose and a night saved without a connection wait on the
device, are sent once when it returns, and a queue sent again logs nothing twice; a refused
entry is shown with the server's reasons; signing out clears the queue.

Runs in the installable-app test's persistent, phone-sized profile (its `app` fixture). With
PWA_SCREENSHOTS set to a folder it saves the offline banner with a waiting entry there.
"""

import datetime
import os
import zoneinfo

import time_machine

from tests.e2e.conftest import assert_accessible, sign_in
from tests.e2e.test_pwa_journey import SHOTS, _wait_for_kept_pages, app  # noqa: F401
from tests.factories import UserFactory
from tracker import services
from tracker.models import Dose, NightLog

# 21:30 in London on Wednesday 2 December: "Tonight" and "How was last night?" (the 1st).
EVENING = datetime.datetime(2026, 12, 2, 21, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
LAST_NIGHT = datetime.date(2026, 12, 1)

QUEUE_READ = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('restwell-queue', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('entries', {keyPath: 'key'});
  open.onsuccess = () => {
    const read = open.result.transaction('entries').objectStore('entries').getAll();
    read.onsuccess = () => { open.result.close(); resolve(read.result); };
    read.onerror = () => reject(read.error);
  };
  open.onerror = () => reject(open.error);
})"""
QUEUE_WRITE = """(entries) => new Promise((resolve, reject) => {
  const open = indexedDB.open('restwell-queue', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('entries', {keyPath: 'key'});
  open.onsuccess = () => {
    const transaction = open.result.transaction('entries', 'readwrite');
    entries.forEach((entry) => transaction.objectStore('entries').put(entry));
    transaction.oncomplete = () => { open.result.close(); resolve(entries.length); };
    transaction.onerror = () => reject(transaction.error);
  };
})"""


def _signed_in_with_kept_pages(app, **user_fields):  # noqa: F811
    user = UserFactory(display_name="Robin", time_zone="Europe/London", **user_fields)
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    sign_in(app, user)
    _wait_for_kept_pages(app)
    return user


def _save_last_night_offline(app):  # noqa: F811
    app.locator("label[for=quick_severity_4]").click()
    app.locator("label[for=quick_sleep_quality_3]").click()
    app.get_by_role("button", name="Save last night").click()


def test_a_dose_and_a_night_saved_offline_are_sent_once(app, transactional_db):  # noqa: F811
    app.clock.set_fixed_time(EVENING)  # the browser's clock too: the tap is made at 21:30
    with time_machine.travel(EVENING, tick=True):
        user = _signed_in_with_kept_pages(app)
        app.context.set_offline(True)
        app.goto("/tracker/")
        queue = app.locator("[data-offline-queue]")
        assert queue.is_hidden()

        app.get_by_role("button", name="I took my magnesium now").click()
        queue.get_by_text(
            "1 entry waiting to be sent — it will go when you’re back online."
        ).wait_for()
        app.get_by_role("button", name="I took my magnesium now").click()  # a second tap
        _save_last_night_offline(app)
        queue.get_by_text(
            "2 entries waiting to be sent — they will go when you’re back online."
        ).wait_for()
        assert queue.get_by_text("magnesium taken Wed 21:30").is_visible()
        assert queue.get_by_text("the night of Tue 1 Dec").is_visible()
        assert app.evaluate("document.activeElement.hasAttribute('data-offline-queue')")
        assert app.locator("[data-offline-banner]").is_visible()
        assert_accessible(app)
        if SHOTS:
            app.screenshot(path=os.path.join(SHOTS, "offline-queue.png"))
        assert not Dose.objects.exists() and not NightLog.objects.exists()
        waiting = app.evaluate(QUEUE_READ)
        assert len(waiting) == 2

        # The token the forms carried is gone (a new CSRF cookie is fetched before sending).
        app.context.clear_cookies(name="csrftoken")
        app.context.set_offline(False)  # the "online" event sends them
        queue.get_by_text("Sent: the night of").wait_for()
        assert queue.get_by_text("Sent: magnesium taken").is_visible()
        assert queue.get_by_text("Dose logged: 200 mg elemental").is_visible()
        assert queue.get_by_text("waiting to be sent").count() == 0
        assert app.evaluate(QUEUE_READ) == []
        assert Dose.objects.get(user=user).taken_at == EVENING  # when tapped, not when sent
        night = NightLog.objects.get(user=user)
        assert (night.evening, night.severity) == (LAST_NIGHT, 4)

        # The same queue sent twice more (a second tab, a restored backup): nothing twice.
        for _ in range(2):
            app.evaluate(QUEUE_WRITE, waiting)
            app.goto("/tracker/nights/")  # any page load sends what waits
            queue.get_by_text("Sent: the night of").wait_for()
            assert queue.get_by_text("already saved; it is not logged twice").count() == 2
        assert app.evaluate(QUEUE_READ) == []
        assert Dose.objects.filter(user=user).count() == 1
        assert NightLog.objects.filter(user=user).count() == 1


def test_a_refused_entry_is_shown_and_opened_to_fix(app, transactional_db):  # noqa: F811
    with time_machine.travel(EVENING, tick=True):
        user = _signed_in_with_kept_pages(app)
        app.context.set_offline(True)
        app.goto("/tracker/")
        _save_last_night_offline(app)
        app.locator("[data-offline-queue]").get_by_text("1 entry waiting").wait_for()
        # Meanwhile, the same night was logged with other answers on another device.
        services.night_log(user=user, evening=LAST_NIGHT, severity=8, sleep_quality=2)

        app.context.set_offline(False)
        queue = app.locator("[data-offline-queue]")
        queue.get_by_text("Not saved: the night of").wait_for()
        assert queue.get_by_text("You already logged").first.is_visible()
        assert len(app.evaluate(QUEUE_READ)) == 1  # kept until the user decides
        assert_accessible(app)

        queue.get_by_role("button", name="Open it to fix").click()
        app.wait_for_url("**/tracker/nights/new/")
        assert app.locator("#quick_severity_4, #id_severity_4").first.is_checked()
        assert app.get_by_role("link", name="Open the night of 1 December 2026").is_visible()
        assert app.evaluate(QUEUE_READ) == []
        assert NightLog.objects.get(user=user).severity == 8


def test_signing_out_clears_the_queue(app, live_server, transactional_db):  # noqa: F811
    _signed_in_with_kept_pages(app)
    refused = {"key": "5b0c4b8e-0000-4000-8000-000000000000", "viewer": "x", "url": "/",
               "kind": "night", "fields": [["evening", "2026-12-01"]], "queuedAt": 1,
               "state": "refused", "errors": ["kept until signing out"]}  # fmt: skip
    refused["viewer"] = app.locator("[data-offline-queue]").get_attribute("data-viewer")
    app.evaluate(QUEUE_WRITE, [refused])
    app.goto("/accounts/profile/")
    app.get_by_text("kept until signing out").wait_for()
    app.get_by_role("button", name="Sign out").click()
    app.wait_for_url(f"{live_server.url}/")
    assert app.evaluate(QUEUE_READ) == []
