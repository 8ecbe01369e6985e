import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from reminders.models import ReminderSetting
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tracker.models import SavedProduct

pytestmark = pytest.mark.django_db


def _login(client, user, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": DEFAULT_PASSWORD})


def test_first_sign_in_offers_onboarding_once(client):
    user = UserFactory(onboarded_at=None)
    assert _login(client, user)["Location"] == reverse("reminders:onboarding")
    client.logout()
    assert _login(client, user)["Location"] == "/tracker/"


def test_a_bookmark_is_not_blocked_by_onboarding(client):
    user = UserFactory(onboarded_at=None)
    assert _login(client, user, "/reminders/")["Location"] == "/reminders/"
    user.refresh_from_db()
    assert user.onboarded_at is None  # not offered yet; the next plain sign-in offers it


def test_staff_land_in_the_admin_not_the_patient_onboarding(client):
    editor = UserFactory(onboarded_at=None, is_staff=True)
    assert _login(client, editor)["Location"] == reverse("admin:index")
    client.logout()
    assert _login(client, editor, "/articles/")["Location"] == "/articles/"


def test_onboarding_needs_sign_in(client):
    assert reverse("account_login") in client.get(reverse("reminders:onboarding"))["Location"]


def test_onboarding_page_prechecks_the_reminder_and_detects_the_zone(user_client):
    page = user_client.get(reverse("reminders:onboarding")).text
    assert 'name="evening_reminder"' in page and "checked" in page
    assert "Email me 30 minutes before bedtime" in page
    assert 'data-detect-time-zone="true"' in page


def test_onboarding_writes_through_each_apps_services(user_client, user):
    User.objects.filter(pk=user.pk).update(onboarded_at=None)
    response = user_client.post(
        reverse("reminders:onboarding"),
        {
            "time_zone": "America/New_York",
            "bedtime": "23:00",
            "wake_time": "06:45",
            "evening_reminder": "on",
            "product_form": "glycinate",
            "product_amount_mg": "200",
            "product_unit": "elemental",
        },
    )
    assert response["Location"] == reverse("tracker:dashboard")
    user.refresh_from_db()
    assert (user.time_zone, user.bedtime) == ("America/New_York", datetime.time(23, 0))
    assert user.onboarded_at is not None
    assert SavedProduct.objects.get(user=user).amount_mg == Decimal("200.0")
    setting = ReminderSetting.objects.get(user=user)
    assert setting.enabled
    assert setting.next_due_at.astimezone(user.zone).time() == datetime.time(22, 30)


def test_onboarding_without_product_or_reminder(user_client, user):
    user_client.post(
        reverse("reminders:onboarding"),
        {"time_zone": "Europe/Paris", "bedtime": "22:00", "wake_time": "07:00"},
    )
    assert not SavedProduct.objects.filter(user=user).exists()
    assert not ReminderSetting.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"product_amount_mg": "200", "product_unit": "elemental"}, "Choose the form"),
        ({"product_form": "glycinate"}, "Enter the amount per dose"),
        (
            {"product_form": "glycinate", "product_amount_mg": "5000", "product_unit": "elemental"},
            "probably a typo",
        ),
        ({"time_zone": "Mars/Base"}, "Choose one of the options shown."),
    ],
)
def test_bad_onboarding_input_writes_nothing(user_client, user, data, message):
    payload = {"time_zone": "Europe/Paris", "bedtime": "22:00", "wake_time": "07:00"} | data
    payload["evening_reminder"] = "on"
    response = user_client.post(reverse("reminders:onboarding"), payload)
    assert response.status_code == 200
    assert message in response.text
    user.refresh_from_db()
    assert user.time_zone == "Europe/London"
    assert not ReminderSetting.objects.exists()


def test_skip_goes_to_the_dashboard_and_changes_only_the_offer(user_client, user):
    User.objects.filter(pk=user.pk).update(onboarded_at=None)
    response = user_client.post(reverse("reminders:onboarding"), {"skip": "1"})
    assert response["Location"] == reverse("tracker:dashboard")
    user.refresh_from_db()
    assert user.onboarded_at is not None and user.time_zone == "Europe/London"
