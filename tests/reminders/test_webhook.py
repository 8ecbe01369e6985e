"""The provider's tracking webhook (Postmark-shaped payloads, with basic auth)."""

import base64
import importlib
import json
import logging
from contextlib import contextmanager

import pytest
from anymail import urls as anymail_urls
from django.conf import settings
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from portal.urls import anymail_tracking_urls
from reminders.models import ReminderSetting
from tests.reminders.conftest import evening_reminder

pytestmark = pytest.mark.django_db
URL = "/anymail/postmark/tracking/"
SECRET = "hook-user:hook-password"
POSTMARK = "anymail.backends.postmark.EmailBackend"


def _rebuild_urlconf():
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@contextmanager
def _email_backend(backend: str):
    """Configure EMAIL_BACKEND; the URLconf reads it once, on import, so rebuild it."""
    try:
        with override_settings(EMAIL_BACKEND=backend):
            _rebuild_urlconf()
            yield
    finally:
        _rebuild_urlconf()


@pytest.fixture(autouse=True)
def _postmark_with_secret(settings):
    settings.ANYMAIL = settings.ANYMAIL | {"WEBHOOK_SECRET": SECRET}
    with _email_backend(POSTMARK):
        yield


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


def test_only_the_configured_providers_webhook_is_mounted(client):
    assert resolve(URL).url_name == "postmark_tracking_webhook"
    with pytest.raises(Resolver404):
        resolve("/anymail/mailgun/tracking/")
    assert client.post("/anymail/mailgun/tracking/", {}).status_code == 404


def test_the_webhook_follows_the_email_backend():
    assert [p.name for p in anymail_tracking_urls(POSTMARK)] == ["postmark_tracking_webhook"]
    mailgun = anymail_tracking_urls("anymail.backends.mailgun.EmailBackend")
    assert [str(p.pattern) for p in mailgun] == ["mailgun/tracking/"]
    assert anymail_tracking_urls("django.core.mail.backends.smtp.EmailBackend") == []
    assert anymail_tracking_urls("anymail.backends.test.EmailBackend") == []


def test_without_a_provider_no_webhook_answers(client, caplog):
    every_tracking_url = [
        f"/anymail/{p.pattern}" for p in anymail_urls.urlpatterns if "tracking" in str(p.name)
    ]
    assert len(every_tracking_url) >= 14
    with _email_backend("django.core.mail.backends.smtp.EmailBackend"):
        for url in every_tracking_url:
            assert client.post(url, {}).status_code == 404, url
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
