"""Queries of the form pages in the load mix (issue #13): a count that grows is a regression.

Counted as a signed-in person's later requests (the session row and the user row are two of
them); transaction statements aside, so the figures hold on SQLite and PostgreSQL alike."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import services
from tracker.models import NightLog

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)


def _statements(client, path, **kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **kwargs)
    assert response.status_code in (200, 302)
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    ]


@pytest.fixture
def warm(user_client):
    user_client.get(reverse("tracker:dashboard"))  # the session's first request
    return user_client


def test_night_form(warm, user):
    with time_machine.travel(NOW, tick=False):
        # Nothing logged: the blank form. Session, user, the night asked for, the data stamps,
        # then, as nothing is cached yet, the calendar's nights and "takes a dopaminergic
        # medicine".
        assert len(_statements(warm, reverse("tracker:night_new"))) == 6
        # Asked again: the page is kept whole (tracker/page_cache.py).
        assert len(_statements(warm, reverse("tracker:night_new"))) == 4
        services.night_log(
            user=user, evening=datetime.date(2026, 11, 29), severity=3, sleep_quality=3, now=NOW
        )
        # Logged: the redirect (session, user, the night, the flash message saved) ...
        assert len(_statements(warm, reverse("tracker:night_new"))) == 4
        # ... then the entry: session, user, the night, the stamps, the calendar, the
        # medicine check and the flash message read and dropped.
        night = NightLog.objects.get(user=user)
        edit = reverse("tracker:night_edit", kwargs={"pk": night.pk})
        assert len(_statements(warm, edit)) == 7
        # Again, cached: session, user, the night, the stamps.
        assert len(_statements(warm, edit)) == 4


def test_dose_form(warm):
    # Session, user, "My magnesium" (the form's starting values).
    assert len(_statements(warm, reverse("tracker:dose_new"))) == 3


def test_reminder_settings(warm):
    # Session, user, the reminder settings, then "verified primary email", the calendar link
    # and the number of devices that get notifications together.
    warm.get(reverse("reminders:settings"))  # creates the person's default settings
    assert len(_statements(warm, reverse("reminders:settings"))) == 4
