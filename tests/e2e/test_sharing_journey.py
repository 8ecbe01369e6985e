"""A patient makes a share link with a passcode; a clinician opens it in another browser."""

import datetime
from urllib.parse import urlsplit

from django.utils import timezone
from playwright.sync_api import expect

from sharing.models import ShareView
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory
from tracker import services
from tracker.evening import evening_of


def test_share_a_report_and_open_it_with_the_passcode(page, browser, live_server):
    user = UserFactory(display_name="Robin")
    tonight = evening_of(timezone.now(), user.zone, user.wake_time)
    for days in range(1, 4):
        services.night_log(
            user=user, evening=tonight - datetime.timedelta(days=days), severity=6, sleep_quality=2
        )
    sign_in(page, user)
    page.goto("/accounts/shares/")
    assert_accessible(page)
    page.get_by_label("Who is it for?").fill("Dr Lee, January visit")
    page.get_by_label("Passcode (optional)").fill("blue-heron")
    page.get_by_role("button", name="Create link").click()
    expect(page.get_by_text("Copy it now")).to_be_visible()
    assert_accessible(page)
    path = urlsplit(page.get_by_label("Link", exact=True).input_value()).path
    assert path.startswith("/share/")

    # The clinician: a fresh browser context, no account, no cookies.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    reader = context.new_page()
    reader.goto(path)
    assert_accessible(reader)
    expect(reader.get_by_text("Robin")).to_have_count(0)
    reader.locator("#id_passcode").fill("wrong-passcode")
    reader.get_by_role("button", name="Open the report").click()
    expect(reader.get_by_text("That passcode is not right. 4 more tries")).to_be_visible()
    reader.locator("#id_passcode").fill("blue-heron")
    reader.get_by_role("button", name="Open the report").click()
    heading = "Restless legs and sleep: report for a clinician"
    expect(reader.get_by_role("heading", name=heading)).to_be_visible()
    expect(reader.get_by_text("3 of 3 logged nights").first).to_be_visible()
    expect(reader.get_by_role("link", name="Download PDF")).to_be_visible()
    assert_accessible(reader)
    context.close()

    assert ShareView.objects.filter(link__user=user).count() == 1
    page.goto("/accounts/shares/")
    expect(page.get_by_text("Opened once:")).to_be_visible()
    page.get_by_role("button", name="Revoke Dr Lee, January visit").click()
    expect(page.get_by_text("is revoked: the link no longer opens")).to_be_visible()
