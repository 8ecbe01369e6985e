"""The settings page names the channel each reminder is saved with: a reminder sent as a
notification never reads "Email me at" or sits under "Next emails"."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from tests.reminders.test_views import _form

pytestmark = pytest.mark.django_db
# Wednesday 10 June 2026, 13:00 in London: the next evening is that night, the next morning
# the Saturday (the form's morning days are Saturday and Sunday).
NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)


def _settings_page(user_client, **channels) -> str:
    form = _form(morning_enabled="on", **channels)
    assert user_client.post(reverse("reminders:settings"), form).status_code == 302
    return user_client.get(reverse("reminders:settings")).text


def _label(page: str, field: str) -> str:
    match = re.search(rf'<label[^>]*for="id_{field}"[^>]*>\s*(.*?)\s*</label>', page, re.S)
    assert match, f"no label for {field}"
    return re.sub(r"<[^>]+>|\s*\*", "", match.group(1)).strip()


def _next_list(page: str) -> tuple[str, list[str]]:
    start = page.index('id="next-heading">')
    section = page[start : page.index("</ul>", start)]
    heading = re.search(r'id="next-heading">(.*?)</h2>', section).group(1)
    lines = [" ".join(line.split()) for line in re.findall(r"<li>(.*?)</li>", section, re.S)]
    return heading, lines


@time_machine.travel(NOON, tick=False)
def test_email_only_reads_as_before(user_client):
    page = _settings_page(user_client)
    assert _label(page, "evening_time") == "Email me at"
    assert _label(page, "evening_enabled") == "Email me an evening reminder to take my magnesium"
    assert _next_list(page) == (
        "Next emails",
        [
            "Evening email: Wednesday 10 June, 22:15 (Europe/London)",
            "Morning email: Saturday 13 June, 07:30 (Europe/London)",
        ],
    )


@time_machine.travel(NOON, tick=False)
def test_push_only_names_notifications_and_never_email(user_client):
    page = _settings_page(user_client, evening_channel="push", morning_channel="push")
    assert _label(page, "evening_time") == "Notify me on my devices at"
    assert _label(page, "evening_enabled") == "Notify me in the evening to take my magnesium"
    assert _label(page, "morning_enabled") == escape(
        'Notify me "How did you sleep?" at my wake time'
    )
    assert _next_list(page) == (
        "Next notifications",
        [
            "Evening notification: Wednesday 10 June, 22:15 (Europe/London)",
            "Morning notification: Saturday 13 June, 07:30 (Europe/London)",
        ],
    )
    assert "Email me" not in page
    assert "Next emails" not in page


@time_machine.travel(NOON, tick=False)
def test_both_names_email_and_notification(user_client):
    page = _settings_page(user_client, evening_channel="both", morning_channel="both")
    assert _label(page, "evening_time") == "Email and notify me at"
    assert _label(page, "evening_enabled") == (
        "Email and notify me in the evening to take my magnesium"
    )
    assert _next_list(page) == (
        "Next emails and notifications",
        [
            "Evening email and notification: Wednesday 10 June, 22:15 (Europe/London)",
            "Morning email and notification: Saturday 13 June, 07:30 (Europe/London)",
        ],
    )


@time_machine.travel(NOON, tick=False)
def test_mixed_channels_and_an_off_reminder(user_client):
    page = _settings_page(user_client, evening_channel="push", morning_channel="email")
    assert _next_list(page)[0] == "Next reminders"
    assert _label(page, "evening_time") == "Notify me on my devices at"
    assert _label(page, "morning_enabled") == escape(
        'Email me a "How did you sleep?" reminder at my wake time'
    )
    form = _form(evening_channel="push", morning_channel="email")  # the morning one off
    assert user_client.post(reverse("reminders:settings"), form).status_code == 302
    heading, lines = _next_list(user_client.get(reverse("reminders:settings")).text)
    # The heading names what is on; the line of the one that is off still says its channel.
    assert heading == "Next notifications"
    assert lines[1] == "Morning email: off"


def test_a_new_user_with_nothing_saved_reads_email(user_client):
    page = user_client.get(reverse("reminders:settings")).text
    assert _label(page, "evening_time") == "Email me at"
    assert _next_list(page) == ("Next reminders", ["Evening email: off", "Morning email: off"])
