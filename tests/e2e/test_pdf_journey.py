"""The PDF from a real worker in a real browser: the owner clicks "Download PDF" on the
report, waits on the page that says what is happening, and receives the PDF; so does the
clinician on a share link; and a browser without JavaScript gets it through the refresh."""

import datetime
import re

import pypdfium2
from django.utils import timezone
from playwright.sync_api import expect

from sharing.services import share_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import UserFactory
from tracker import services
from tracker.evening import evening_of

WAIT_MS = 90_000  # a cold worker imports WeasyPrint first; a busy CI machine is slow


def _user_with_a_week():
    user = UserFactory(display_name="Robin", time_zone="Europe/London")
    tonight = evening_of(timezone.now(), user.zone, user.wake_time)
    for days in range(1, 8):
        services.night_log(user=user, evening=tonight - datetime.timedelta(days=days),
                           severity=days, sleep_quality=3, times={})  # fmt: skip
    return user, tonight


def _assert_pdf(download) -> None:
    assert download.suggested_filename.startswith("restwell-report-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert len(pypdfium2.PdfDocument(data)) >= 1


def test_the_owner_and_the_clinician_get_the_pdf(page, browser, live_server, celery_worker):
    user, tonight = _user_with_a_week()
    sign_in(page, user)
    page.goto("/tracker/report/")
    with page.expect_download(timeout=WAIT_MS) as download_info:
        page.get_by_role("link", name="Download PDF").click()
        page.wait_for_url("**/tracker/pdf/*/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            # Either, depending on how fast the worker is; both say what is happening.
            re.compile("Making your PDF|Your PDF is ready")
        )
    _assert_pdf(download_info.value)
    expect(page.get_by_role("heading", name="Your PDF is ready")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert_accessible(page)

    week = {"start": tonight - datetime.timedelta(days=7), "end": tonight}
    _link, token = share_create(user=user, label="Dr Lee", now=timezone.now(), **week)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    reader = context.new_page()
    reader.goto(f"/share/{token}/")
    reader.get_by_role("button", name="Open the report").click()
    with reader.expect_download(timeout=WAIT_MS) as download_info:
        reader.get_by_role("link", name="Download PDF").click()
    _assert_pdf(download_info.value)
    context.close()


def test_without_javascript_the_page_refreshes_to_the_pdf(browser, live_server, celery_worker):
    user, _tonight = _user_with_a_week()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, user)
    page.goto("/tracker/report/")
    with page.expect_download(timeout=WAIT_MS) as download_info:
        page.get_by_role("link", name="Download PDF").click()
    _assert_pdf(download_info.value)
    context.close()
