"""The calendar feed over HTTP, its link on the settings page, reset and turning it off."""

import datetime
import json
import logging

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from accounts.export_registry import export_for
from portal.logging import redact_link_tokens
from reminders.models import CalendarFeed, ReminderKind
from reminders.services import calendar_feed_reset, reminder_setting_update
from tests.factories import UserFactory
from tests.reminders.conftest import BEFORE, evening_reminder

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)


def _feed_path(user):
    return reverse("calendar:feed", args=[CalendarFeed.objects.get(user=user).token])


@pytest.fixture
def feed_user(user):
    evening_reminder(user)
    calendar_feed_reset(user=user, now=NOW)
    return user


def test_the_feed_answers_with_calendar_headers_and_no_session(client, feed_user):
    response = client.get(_feed_path(feed_user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Restwell: evening reminder"
    assert client.head(_feed_path(feed_user)).status_code == 200
    assert client.post(_feed_path(feed_user)).status_code == 405


def test_an_unknown_or_tampered_token_is_404(client, feed_user):
    token = CalendarFeed.objects.get(user=feed_user).token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "x" * 43, token.upper() if token.upper() != token else token + "x"):
        assert client.get(reverse("calendar:feed", args=[bad])).status_code == 404
    assert client.get(f"/calendar/{token}").status_code == 404  # without .ics
    assert client.get(f"/calendar/{token}.ics/extra").status_code == 404


def test_reset_makes_the_old_link_404_and_the_new_one_work(client, feed_user):
    old = _feed_path(feed_user)
    client.force_login(feed_user)
    response = client.post(reverse("reminders:calendar_reset"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reminders:settings") + "#calendar"
    new = _feed_path(feed_user)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_turning_the_link_off_makes_it_404(client, feed_user):
    path = _feed_path(feed_user)
    client.force_login(feed_user)
    assert client.post(reverse("reminders:calendar_delete")).status_code == 302
    assert not CalendarFeed.objects.exists()
    assert client.get(path).status_code == 404
    # A second "off" changes nothing and is not an error.
    assert client.post(reverse("reminders:calendar_delete")).status_code == 302


def test_reset_and_off_need_a_post_and_a_sign_in(client, feed_user):
    for name in ("reminders:calendar_reset", "reminders:calendar_delete"):
        response = client.post(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(feed_user)
    path = _feed_path(feed_user)
    for name in ("reminders:calendar_reset", "reminders:calendar_delete"):
        assert client.get(reverse(name)).status_code == 405
    assert _feed_path(feed_user) == path  # a GET changed nothing


def test_another_users_reset_or_off_never_touches_my_link(client, feed_user, other_user):
    path = _feed_path(feed_user)
    client.force_login(other_user)
    client.post(reverse("reminders:calendar_reset"))
    client.post(reverse("reminders:calendar_delete"))
    assert _feed_path(feed_user) == path
    client.logout()
    assert client.get(path).status_code == 200


def test_a_feed_shows_only_its_owners_reminders(client, feed_user, other_user):
    reminder_setting_update(
        user=other_user, kind=ReminderKind.MORNING, enabled=True, now=BEFORE
    )  # the other user's morning reminder: not in my feed
    calendar = Calendar.from_ical(client.get(_feed_path(feed_user)).content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Restwell: evening reminder"]


def test_the_feed_follows_the_settings(client, feed_user):
    path = _feed_path(feed_user)
    (event,) = Calendar.from_ical(client.get(path).content).walk("VEVENT")
    assert event.start.time() == datetime.time(22, 0)
    client.force_login(feed_user)
    client.post(
        reverse("reminders:settings"),
        {
            "evening_enabled": "on",
            "minutes_before": "45",
            "bedtime": "23:00",
            "evening_days": ["0", "1", "2"],
            "wake_time": "07:00",
            "morning_enabled": "on",
            "morning_days": ["5", "6"],
        },
    )
    calendar = Calendar.from_ical(client.get(path).content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    evening = events["Restwell: evening reminder"]
    assert evening.start.time() == datetime.time(22, 15)
    assert evening["RRULE"]["BYDAY"] == ["MO", "TU", "WE"]
    assert events["Restwell: morning reminder"]["RRULE"]["BYDAY"] == ["SA", "SU"]


def test_the_settings_page_offers_the_link_then_shows_it(client, user):
    client.force_login(user)
    page = client.get(reverse("reminders:settings")).text
    assert "Get a calendar link" in page and ".ics" not in page
    client.post(reverse("reminders:calendar_reset"))
    page = client.get(reverse("reminders:settings")).text
    token = CalendarFeed.objects.get(user=user).token
    assert f'value="http://127.0.0.1:8000/calendar/{token}.ics"' in page
    assert f'href="webcal://127.0.0.1:8000/calendar/{token}.ics"' in page
    assert "Reset link" in page and "Turn off calendar link" in page


def test_robots_disallow_the_feeds(client):
    assert "Disallow: /calendar/" in client.get("/robots.txt").text.splitlines()


def test_the_export_says_when_the_link_was_made_never_the_token(feed_user):
    with time_machine.travel(NOW, tick=False):
        exported = export_for(feed_user)["data"]["reminders.calendarfeed"]
    assert exported == [{"created_at": NOW.isoformat()}]
    token = CalendarFeed.objects.get(user=feed_user).token
    assert token not in json.dumps(export_for(feed_user), default=str)


def test_deleting_the_account_deletes_the_feed(feed_user):
    feed_user.delete()
    assert not CalendarFeed.objects.exists()


def test_the_token_never_reaches_a_log(client, feed_user, caplog):
    token = CalendarFeed.objects.get(user=feed_user).token
    line = f'"GET /calendar/{token}.ics HTTP/1.1" 200'
    assert redact_link_tokens(line) == '"GET /calendar/[redacted] HTTP/1.1" 200'
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/calendar/{token}x.ics")
    assert token not in caplog.text


def test_the_feed_is_looked_up_by_digest(feed_user):
    feed = CalendarFeed.objects.get(user=feed_user)
    assert len(feed.token) == 43 and feed.digest != feed.token and len(feed.digest) == 64
    assert UserFactory() and CalendarFeed.objects.count() == 1
