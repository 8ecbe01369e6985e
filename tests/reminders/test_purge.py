"""The nightly purge of old delivery rows, at fixed instants."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from reminders import dispatch
from reminders.dispatch.purge import RETENTION_FLOOR
from reminders.models import Delivery, DeliveryStatus, ReminderSetting
from reminders.tasks import deliveries_purge_task
from tests.reminders.conftest import DUE

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def rows(user, *ages_in_days, now=DUE):
    for n, age in enumerate(ages_in_days):
        Delivery.objects.create(
            user=user, kind="evening", local_date=datetime.date(2026, 1, 1) + n * DAY,
            due_at=now - age * DAY, status=DeliveryStatus.SENT,
        )  # fmt: skip


def test_rows_due_more_than_90_days_ago_are_deleted_in_batches_once(user):
    rows(user, 200, 120, 91, 90.5, 90, 89, 1)
    assert dispatch.delivery_retention() == 90 * DAY
    assert dispatch.deliveries_purge(now=DUE, batch_size=2) == 4  # 200, 120, 91, 90.5
    left = sorted(round((DUE - d).total_seconds() / 86400, 1) for d in
                  Delivery.objects.values_list("due_at", flat=True))  # fmt: skip
    assert left == [1.0, 89.0, 90.0]
    assert dispatch.deliveries_purge(now=DUE) == 0  # idempotent
    assert dispatch.deliveries_purge(now=DUE + DAY) == 1  # the next night: the 90-day one


def test_a_retention_shorter_than_the_links_in_the_messages_is_raised_to_their_life(user, settings):
    settings.REMINDER_DELIVERY_RETENTION_DAYS = 7
    assert RETENTION_FLOOR == 61 * DAY  # the unsubscribe link lives 60 days
    assert dispatch.delivery_retention() == RETENTION_FLOOR
    rows(user, 60.9, 61.1)
    assert dispatch.deliveries_purge(now=DUE) == 1
    settings.REMINDER_DELIVERY_RETENTION_DAYS = 365
    assert dispatch.delivery_retention() == 365 * DAY


def test_a_purged_row_never_lets_its_reminder_go_out_again(due_user):
    """Sent once; the row purged 91 days later; a tick then (the setting left behind, as after
    a long beat outage) records the due instant as too late and sends nothing."""
    assert dispatch.reminders_claim_due(now=DUE) == 1
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert dispatch.deliveries_send(delivery_ids=ids, now=DUE) == 1
    later = DUE + 91 * DAY
    assert dispatch.deliveries_purge(now=later) == 1
    ReminderSetting.objects.update(next_due_at=DUE)  # the purged row's own due instant
    assert dispatch.reminders_claim_due(now=later) == 1
    (again,) = Delivery.objects.all()
    assert (again.status, again.reason) == ("skipped", "too_late")
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert dispatch.deliveries_send(delivery_ids=ids, now=later) == 0
    assert len(mail.outbox) == 1
    assert ReminderSetting.objects.get().next_due_at > later


def test_beat_purges_deliveries_nightly_through_the_task(user):
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-deliveries-purge"]
    assert entry["task"] == "reminders.tasks.deliveries_purge"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {41})
    rows(user, 100, 10)
    with time_machine.travel(DUE, tick=False):
        deliveries_purge_task()
    assert Delivery.objects.count() == 1
