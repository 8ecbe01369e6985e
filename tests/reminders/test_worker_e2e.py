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
