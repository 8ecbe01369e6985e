"""The settings page shows the real evening email, rendered by the sender, acting on nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reminders.models import Delivery

pytestmark = pytest.mark.django_db

EVENING = datetime.datetime(2026, 11, 30, 18, 0, tzinfo=datetime.UTC)


def test_the_preview_is_the_email_the_sender_renders(user_client, user):
    with time_machine.travel(EVENING, tick=False):
        response = user_client.get(reverse("reminders:email_preview"))
    assert response.status_code == 200
    html = response.text
    assert f"Hello {user.display_name}," in html
    assert "time for your magnesium" in html and "I took it" in html
    assert "/reminders/taken/" not in html and 'href="#preview"' in html  # acts on nothing
    assert not Delivery.objects.exists()


def test_only_our_own_page_may_frame_it_and_it_runs_no_script(user_client):
    response = user_client.get(reverse("reminders:email_preview"))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'none'" in policy
    settings_page = user_client.get(reverse("reminders:settings")).text
    assert f'src="{reverse("reminders:email_preview")}"' in settings_page


def test_the_preview_follows_the_chosen_time(user_client, user):
    user_client.post(
        reverse("reminders:settings"),
        {
            "evening_enabled": "on",
            "minutes_before": "45",
            "bedtime": "23:00",
            "evening_days": [str(d) for d in range(7)],
            "wake_time": "07:00",
            "morning_days": [str(d) for d in range(7)],
            "skip_if_logged": "on",
        },
    )
    with time_machine.travel(EVENING, tick=False):
        html = user_client.get(reverse("reminders:email_preview")).text
    assert "It is 22:15" in html and "Your usual bedtime is 23:00" in html
