"""Reminder pages in a phone-sized browser: onboarding, settings, and the email's links."""

import datetime
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from reminders import tokens
from reminders.models import Delivery, ReminderSetting
from tests.e2e.conftest import assert_accessible
from tests.factories import DEFAULT_PASSWORD, UserFactory, link_token
from tracker.models import Dose
from tracker.services import saved_product_set


def _sign_in(page, user):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_onboarding_then_settings(page, live_server):
    user = UserFactory(time_zone="UTC", onboarded_at=None)
    _sign_in(page, user)
    page.wait_for_url("**/reminders/welcome/")
    assert_accessible(page)
    # The browser's zone (Europe/London) replaces the UTC default.
    assert page.get_by_label("Time zone").input_value() == "Europe/London"
    page.get_by_label("Usual bedtime").fill("23:00")
    page.get_by_label("My magnesium: form").select_option("glycinate")
    page.get_by_label("Amount per dose (mg)").fill("200")
    page.get_by_role("button", name="Done").click()
    page.wait_for_url("**/tracker/")
    assert ReminderSetting.objects.get(user=user).enabled

    page.goto("/reminders/")
    assert_accessible(page)
    assert page.get_by_text("Saved: 22:30, 30 min before your 23:00 bedtime.").is_visible()
    for day in ("Mon", "Sun"):  # day chips are thumb-sized
        box = page.locator("label", has_text=day).first.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, day
    page.get_by_label("Email me at").fill("22:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: 22:00, 60 min before your 23:00 bedtime.")).to_be_visible()
    page.get_by_label("Minutes before bedtime").fill("999")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Enter a number of minutes between 0 and 240.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Minutes before bedtime").fill("45")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your reminder settings are saved.")).to_be_visible()
    assert ReminderSetting.objects.get(user=user, kind="evening").minutes_before == 45


def test_taken_link_from_the_email(page, live_server):
    user = UserFactory()
    saved_product_set(user=user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    due = timezone.now() - datetime.timedelta(minutes=1)
    delivery = Delivery.objects.create(
        user=user, kind="evening", local_date=due.date(), due_at=due, status="sent"
    )
    token = link_token(purpose=tokens.TAKEN, user_id=user.pk, delivery_id=delivery.pk)
    page.goto(f"/reminders/taken/{token}/")
    assert_accessible(page)
    assert Dose.objects.count() == 0
    page.get_by_role("button", name="Yes, I took it").click()
    expect(page.get_by_role("heading", name="Logged. Sleep well.")).to_be_visible()
    assert_accessible(page)
    assert Dose.objects.filter(user=user).count() == 1


def test_calendar_link_on_the_settings_page(page, live_server):
    user = UserFactory()
    _sign_in(page, user)
    page.goto("/reminders/")
    page.get_by_role("button", name="Get a calendar link").click()
    expect(page.get_by_text("Your calendar link is ready.")).to_be_visible()
    assert_accessible(page)
    link = page.get_by_label("Your private calendar link").input_value()
    assert link.endswith(".ics") and "/calendar/" in link
    expect(page.get_by_role("button", name="Copy")).to_be_visible()  # shown by JavaScript
    page.get_by_role("button", name="Reset link").click()
    expect(page.get_by_text("The old link no longer works.")).to_be_visible()
    assert page.get_by_label("Your private calendar link").input_value() != link


def test_snooze_link_from_the_email(page, live_server):
    user = UserFactory()
    ReminderSetting.objects.create(user=user, kind="evening", enabled=True)
    due = timezone.now() - datetime.timedelta(minutes=1)
    delivery = Delivery.objects.create(
        user=user, kind="evening", local_date=due.date(), due_at=due, status="sent"
    )
    token = link_token(purpose=tokens.SNOOZE, user_id=user.pk, delivery_id=delivery.pk)
    page.goto(f"/reminders/snooze/{token}/")
    assert_accessible(page)
    page.get_by_role("button", name="Remind me in 30 minutes").click()
    expect(page.get_by_role("heading", name="Snoozed")).to_be_visible()
    assert_accessible(page)
    assert Delivery.objects.filter(user=user, sequence=1).count() == 1
