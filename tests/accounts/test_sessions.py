"""Sessions end with the account, and expired ones are cleared on a schedule."""

import datetime

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import expired_sessions_clear_task
from tests.factories import DEFAULT_PASSWORD
from tracker import services as tracker_services

HEALTH_PHRASE = "Ferrous sulfate"


def _signed_in_with_an_unread_message(user) -> Client:
    """Sign in through the login form, then leave a flash message naming a medicine unread."""
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    medicine = tracker_services.medicine_add(
        user=user, kind="iron", name=HEALTH_PHRASE, usual_time=datetime.time(8)
    )
    response = client.post(reverse("tracker:medicine_delete", kwargs={"pk": medicine.pk}))
    assert response.status_code == 302  # the message waits in the session for the next page
    return client


def test_deleting_the_account_ends_every_session_of_the_user(user, other_user):
    phone = _signed_in_with_an_unread_message(user)
    laptop = _signed_in_with_an_unread_message(user)
    bystander = Client()
    bystander.force_login(other_user)
    assert sum(HEALTH_PHRASE in str(s.get_decoded()) for s in Session.objects.all()) == 2

    phone.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert phone.post(reverse("accounts:delete"), {"confirm": "on"})["Location"] == "/"

    remaining = [session.get_decoded() for session in Session.objects.all()]
    assert not [data for data in remaining if data.get("_auth_user_id") == str(user.pk)]
    assert not [data for data in remaining if HEALTH_PHRASE in str(data)]
    assert [data.get("_auth_user_id") for data in remaining].count(str(other_user.pk)) == 1
    assert laptop.get(reverse("tracker:dashboard")).status_code == 302
    assert bystander.get(reverse("tracker:dashboard")).status_code == 200


def test_expired_sessions_are_cleared_on_a_schedule(db):
    entry = settings.CELERY_BEAT_SCHEDULE["sessions-clear-expired"]
    assert entry["task"] == expired_sessions_clear_task.name
    expired, live = SessionStore(), SessionStore()
    expired.set_expiry(timezone.now() - datetime.timedelta(minutes=1))
    expired.save()
    live.save()

    expired_sessions_clear_task()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
