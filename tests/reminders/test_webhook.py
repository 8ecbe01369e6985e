"""The provider's tracking webhook (Postmark-shaped payloads, with basic auth)."""

import base64
import json

import pytest

from reminders.models import ReminderSetting
from tests.reminders.conftest import evening_reminder

pytestmark = pytest.mark.django_db
URL = "/anymail/postmark/tracking/"
SECRET = "hook-user:hook-password"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.ANYMAIL = settings.ANYMAIL | {"WEBHOOK_SECRET": SECRET}


def _post(client, payload, secret=SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(
        URL,
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def _bounce(email, kind="HardBounce", record="Bounce"):
    return {
        "RecordType": record,
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account does not exist.",
        "Email": email,
        "From": "no-reply@localhost",
        "BouncedAt": "2026-06-10T21:00:05Z",
        "Inactive": True,
        "Subject": "Your evening reminder",
    }


def test_a_hard_bounce_turns_reminders_off(client, user, other_user):
    evening_reminder(user)
    evening_reminder(other_user)
    assert _post(client, _bounce(user.email.upper())).status_code == 200
    assert not ReminderSetting.objects.get(user=user).enabled
    assert ReminderSetting.objects.get(user=other_user).enabled


def test_a_complaint_turns_reminders_off(client, user):
    evening_reminder(user)
    payload = _bounce(user.email, kind="SpamComplaint", record="SpamComplaint")
    assert _post(client, payload).status_code == 200
    assert not ReminderSetting.objects.get(user=user).enabled


def test_a_soft_bounce_keeps_reminders_on(client, user):
    evening_reminder(user)
    assert _post(client, _bounce(user.email, kind="SoftBounce")).status_code == 200
    assert ReminderSetting.objects.get(user=user).enabled


def test_without_the_right_auth_nothing_changes(client, user):
    evening_reminder(user)
    assert _post(client, _bounce(user.email), secret="hook-user:wrong").status_code in (400, 403)
    assert ReminderSetting.objects.get(user=user).enabled
