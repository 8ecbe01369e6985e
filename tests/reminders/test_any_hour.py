"""Reminder scheduling does not depend on the hour it runs (instants from tests/any_hour.py):
the next reminder is always strictly after now, at the wall-clock time asked for, within a day.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reminders import scheduling
from reminders.models import ReminderKind
from reminders.services import reminder_setting_update
from tests.any_hour import instants
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(("zone", "now"), instants())
def test_the_next_reminder_is_after_now_at_any_hour(client, zone, now):
    user = UserFactory(time_zone=zone, bedtime=datetime.time(22, 30), wake_time=datetime.time(7))
    client.force_login(user)
    with time_machine.travel(now, tick=False):
        evening = reminder_setting_update(user=user, kind=ReminderKind.EVENING, enabled=True)
        morning = reminder_setting_update(user=user, kind=ReminderKind.MORNING, enabled=True)
        assert client.get(reverse("reminders:settings")).status_code == 200
    for setting, clock in ((evening, datetime.time(22)), (morning, datetime.time(7))):
        assert now < setting.next_due_at <= now + DAY
        assert setting.next_due_at.astimezone(user.zone).time() == clock


@pytest.mark.parametrize(("zone", "now"), instants())
def test_a_reminder_due_this_very_minute_is_next_due_tomorrow(zone, now):
    local = now.astimezone(now.tzinfo)
    due = scheduling.next_due(
        at=local.time(), zone_name=zone, after=now, weekdays=0b1111111, paused_until=None
    )
    assert due.astimezone(now.tzinfo) == local + DAY  # same wall-clock time, the next day
