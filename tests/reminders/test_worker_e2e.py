"""End to end with a real Celery worker, real Redis and a real SMTP sink (aiosmtpd).

The worker process reads the committed test database (transactional_db) and does not see
time-machine, so the reminder is made due a minute ago by the real clock, and the tick is
given the instant to use.
"""

import datetime
import re
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.models import Delivery, ReminderSetting
from reminders.tasks import reminders_tick_task
from tests.factories import UserFactory
from tests.reminders.conftest import evening_reminder
from tracker.selectors import last_dose_get
from tracker.services import saved_product_set

pytestmark = pytest.mark.worker


def test_due_reminder_one_email_then_taken_link_logs_the_dose(
    celery_worker, smtp_sink, client, transactional_db
):
    user = UserFactory(display_name="River", time_zone="Asia/Kolkata")
    saved_product_set(user=user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    now = timezone.now().replace(second=0, microsecond=0)
    evening_reminder(user, now=now - datetime.timedelta(days=1))
    ReminderSetting.objects.update(next_due_at=now - datetime.timedelta(minutes=1))

    # Two ticks at once, as if two beats fired: still one email.
    reminders_tick_task.delay(now=now.isoformat())
    reminders_tick_task.delay(now=now.isoformat())
    messages = smtp_sink.wait_for(1, timeout=30)
    assert len(messages) == 1
    received = messages[0]
    message = received["message"]
    assert received["to"] == [user.email]
    assert message["Subject"] == "Your evening reminder"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<http://127.0.0.1:8000/reminders/unsubscribe/")
    )
    # The worker marks the delivery sent right after the server accepted the message: that
    # commit may land a moment after the sink has it.
    deadline = time.monotonic() + 10
    while Delivery.objects.get(user=user).status != "sent" and time.monotonic() < deadline:
        time.sleep(0.05)
    delivery = Delivery.objects.get(user=user)
    assert message["Message-ID"] == (
        f"<reminder.{delivery.pk}.{delivery.local_date:%Y%m%d}@localhost>"
    )
    assert delivery.status == "sent"
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hello River" in plain and "/reminders/taken/" in html
    taken = re.search(r"http://127\.0\.0\.1:8000(/reminders/taken/\S+/)", plain).group(1)

    assert client.get(taken).status_code == 200
    assert last_dose_get(user=user) is None
    assert "Logged" in client.post(taken).text
    dose = last_dose_get(user=user)
    assert dose is not None and dose.elemental_mg == Decimal("200.0")

    client.force_login(user)
    assert client.get(reverse("tracker:dashboard")).status_code == 200
    # Nothing more arrives (the second tick found nothing to claim).
    assert len(smtp_sink.wait_for(2, timeout=2)) == 1


def test_snooze_from_the_email_sends_it_again_through_the_worker_once(
    celery_worker, smtp_sink, client, transactional_db
):
    user = UserFactory(time_zone="Europe/London")
    now = timezone.now().replace(second=0, microsecond=0)
    evening_reminder(user, now=now - datetime.timedelta(days=1))
    ReminderSetting.objects.update(next_due_at=now - datetime.timedelta(minutes=1))
    reminders_tick_task.delay(now=now.isoformat())
    (first,) = smtp_sink.wait_for(1, timeout=30)
    plain = first["message"].get_body(preferencelist=("plain",)).get_content()
    snooze = re.search(r"http://127\.0\.0\.1:8000(/reminders/snooze/\S+/)", plain).group(1)
    assert "Remind you again in 30 minutes?" in client.get(snooze).text
    assert "We will remind you again at" in client.post(snooze).text
    snoozed = Delivery.objects.get(user=user, sequence=1)

    # Two ticks at its due instant, as if two beats fired: one more email, no third.
    reminders_tick_task.delay(now=(snoozed.due_at - datetime.timedelta(minutes=1)).isoformat())
    assert len(smtp_sink.wait_for(2, timeout=3)) == 1  # not before its time
    reminders_tick_task.delay(now=snoozed.due_at.isoformat())
    reminders_tick_task.delay(now=snoozed.due_at.isoformat())
    messages = smtp_sink.wait_for(2, timeout=30)
    assert len(messages) == 2 and messages[1]["to"] == [user.email]
    assert messages[1]["message"]["Message-ID"] != first["message"]["Message-ID"]
    deadline = time.monotonic() + 10
    while Delivery.objects.get(pk=snoozed.pk).status != "sent" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Delivery.objects.get(pk=snoozed.pk).status == "sent"
    assert len(smtp_sink.wait_for(3, timeout=2)) == 2


def test_email_and_push_through_the_worker_one_of_each_despite_two_ticks(
    celery_worker, smtp_sink, push_endpoint, transactional_db
):
    from reminders.services import push_subscription_save

    user = UserFactory(time_zone="America/New_York")
    now = timezone.now().replace(second=0, microsecond=0)
    evening_reminder(user, now=now - datetime.timedelta(days=1), channel="both")
    device = push_endpoint.device("phone")
    push_subscription_save(
        user=user,
        endpoint=device.endpoint,
        p256dh=device.p256dh,
        auth=device.subscription_json["keys"]["auth"],
        label="Phone",
        now=now,
    )
    ReminderSetting.objects.update(next_due_at=now - datetime.timedelta(minutes=1))

    reminders_tick_task.delay(now=now.isoformat())
    reminders_tick_task.delay(now=now.isoformat())
    assert len(smtp_sink.wait_for(1, timeout=30)) == 1
    (push,) = push_endpoint.wait_for(1, timeout=30)
    assert push.payload["title"] == "Your evening reminder"
    deadline = time.monotonic() + 10
    while Delivery.objects.exclude(status="sent").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(Delivery.objects.values_list("channel", "status")) == [
        ("email", "sent"),
        ("push", "sent"),
    ]
    # Nothing more arrives on either channel.
    assert len(smtp_sink.wait_for(2, timeout=2)) == 1
    assert len(push_endpoint.received) == 1 and push_endpoint.attempts["phone"] == 1
