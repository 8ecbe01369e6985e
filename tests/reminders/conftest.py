import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from reminders.models import ReminderKind
from reminders.services import reminder_setting_update
from tests.factories import UserFactory

UTC = datetime.UTC
# A Wednesday evening in London (BST, UTC+1): 22:30 bedtime → reminder at 22:00 = 21:00 UTC.
DUE = datetime.datetime(2026, 6, 10, 21, 0, tzinfo=UTC)
BEFORE = DUE - datetime.timedelta(hours=6)


def evening_reminder(user, *, now=BEFORE, **fields):
    return reminder_setting_update(
        user=user, kind=ReminderKind.EVENING, enabled=True, now=now, **fields
    )


@pytest.fixture
def due_user(db):
    """A London user whose evening reminder is due at DUE."""
    user = UserFactory(time_zone="Europe/London", bedtime=datetime.time(22, 30))
    setting = evening_reminder(user)
    assert setting.next_due_at == DUE
    return user


class FlakyBackend(LocmemBackend):
    """Fails like an SMTP server going away, `fail_times` times across instances."""

    failures_left = 0
    reject = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & FlakyBackend.reject:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.reminders.conftest.FlakyBackend"
    FlakyBackend.failures_left = 0
    FlakyBackend.reject = set()
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failures_left = 0
    FlakyBackend.reject = set()


@pytest.fixture
def push_endpoint(settings):
    """A local push service (tests/reminders/push_endpoint.py), closed after the test."""
    from tests.reminders.push_endpoint import PushEndpoint

    endpoint = PushEndpoint(settings.VAPID_PUBLIC_KEY)
    yield endpoint
    endpoint.close()
    assert not endpoint.errors, endpoint.errors
