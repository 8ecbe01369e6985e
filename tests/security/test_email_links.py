"""A GET never changes data: every link of every email the product sends is fetched, as its
recipient and anonymously (mail scanners and link previews fetch links with no session),
and the database is the same afterwards, row for row and field for field.

The emails: the evening reminder, its snoozed repeat, the morning reminder, and allauth's
security emails (password reset, password changed, confirm a new address).
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from reminders import dispatch
from reminders.models import Delivery, DeliveryStatus
from tests.factories import DEFAULT_PASSWORD
from tests.security.conftest import NOW, populate, snapshot, snapshot_difference

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^\s\"'<>]+")
MORNING = datetime.datetime(2026, 11, 19, 7, 40, tzinfo=datetime.UTC)


def _send_pending(now):
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True)
    return dispatch.deliveries_send(delivery_ids=list(pending), now=now)


def _links(message) -> set[str]:
    parts = [message.body, *(content for content, _type in message.alternatives)]
    parts += [value for name, value in message.extra_headers.items() if name.startswith("List-")]
    found = {m.group(0).rstrip(".,;)>") for part in parts for m in LINK.finditer(str(part))}
    return {link.replace("&amp;", "&") for link in found}


def _every_email(user, world) -> list:
    mail.outbox = []
    with time_machine.travel(NOW, tick=False):
        assert _send_pending(NOW) == 1  # the evening reminder
        Client().post(reverse("reminders:snooze", args=[world["links"]["snooze"]]))
    snoozed = NOW + datetime.timedelta(minutes=31)
    with time_machine.travel(snoozed, tick=False):
        dispatch.reminders_claim_due(now=snoozed)
        assert _send_pending(snoozed) == 1  # its repeat, 30 minutes later
    with time_machine.travel(MORNING, tick=False):
        dispatch.reminders_claim_due(now=MORNING)
        assert _send_pending(MORNING) == 1  # the morning reminder
        anonymous = Client()
        anonymous.post(reverse("account_reset_password"), {"email": user.email})
        signed_in = Client()
        signed_in.force_login(user)
        signed_in.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
        signed_in.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
        signed_in.post(
            reverse("account_change_password"),
            {"oldpassword": DEFAULT_PASSWORD, "password1": "another long passphrase",
             "password2": "another long passphrase"},
        )  # fmt: skip
    return list(mail.outbox)


def test_fetching_every_link_of_every_email_changes_nothing(user, at_now):
    world = populate(user, "links")
    messages = _every_email(user, world)
    subjects = " | ".join(m.subject for m in messages)
    assert len(messages) == 6, subjects  # 3 reminders, reset, confirm, changed
    site = urlsplit(settings.SITE_URL).netloc
    links = set().union(*map(_links, messages))
    # allauth builds its links from the request's host (the test client's "testserver").
    ours = sorted({urlsplit(u) for u in links if urlsplit(u).netloc in (site, "testserver")})
    assert len(ours) == len(links), sorted(links)  # no link leaves the site
    paths = {"/reminders/taken/", "/reminders/skip/", "/reminders/snooze/",
             "/reminders/unsubscribe/", "/accounts/password/reset/key/",
             "/accounts/confirm-email/"}  # fmt: skip
    assert not [p for p in paths if not any(p in u.path for u in ours)], [u.path for u in ours]

    recipient = Client()
    with time_machine.travel(MORNING + datetime.timedelta(minutes=5), tick=False):
        recipient.force_login(user)
        before = snapshot()
        for url in ours:
            target = url.path + (f"?{url.query}" if url.query else "")
            for client in (recipient, Client()):
                response = client.get(target, follow=True)
                assert response.status_code < 500, target
                assert not snapshot_difference(before, snapshot()), target
