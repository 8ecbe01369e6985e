"""Push reminders end to end through a local push service: the tick, the sender (lease,
transmit, mark), VAPID and RFC 8291 encryption checked by the receiving side."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from reminders import dispatch, services, tokens
from reminders.models import ChannelChoice, Delivery, PushSubscription
from tests.factories import UserFactory
from tests.reminders.conftest import DUE, evening_reminder
from tracker.models import Dose
from tracker.services import saved_product_set

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def subscribe(user, device, label="Chrome on Android"):
    return services.push_subscription_save(
        user=user,
        endpoint=device.endpoint,
        p256dh=device.p256dh,
        auth=device.subscription_json["keys"]["auth"],
        label=label,
        now=DUE - datetime.timedelta(days=1),
    )


def send_all(now=DUE + MINUTE):
    ids = list(Delivery.objects.values_list("pk", flat=True).order_by("pk"))
    with time_machine.travel(now, tick=False):
        return dispatch.deliveries_send(delivery_ids=ids, now=now)


@pytest.fixture
def push_user(db, push_endpoint):
    """A London user whose evening reminder (due at DUE) comes as a notification."""
    user = UserFactory(
        time_zone="Europe/London", bedtime=datetime.time(22, 30), display_name="Ada Lovelace"
    )
    evening_reminder(user, channel=ChannelChoice.PUSH)
    subscribe(user, push_endpoint.device("phone"))
    return user


def test_a_due_reminder_is_one_push_decrypted_with_its_actions_and_no_health_data(
    push_user, push_endpoint
):
    saved_product_set(user=push_user, form="glycinate", amount_mg=Decimal("350"), unit="elemental")
    assert dispatch.reminders_claim_due(now=DUE) == 1
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status) == ("push", "pending")
    assert send_all() == 1
    assert send_all() == 0  # a repeat sends nothing
    (message,) = push_endpoint.received
    payload = message.payload
    assert payload["title"] == "Your evening reminder"
    assert payload["tag"] == "restwell-evening-2026-06-10"
    assert payload["url"] == "http://testserver/tracker/" or payload["url"].endswith("/tracker/")
    assert [a["action"] for a in payload["actions"]] == ["taken", "snooze", "skip"]
    assert [a["title"] for a in payload["actions"]] == [
        "I took it",
        "In 30 minutes",
        "Skip tonight",
    ]
    for action in payload["actions"]:
        path = action["url"].split("://", 1)[1].split("/", 1)[1]
        name, token = path.strip("/").split("/")[1:]
        assert name == action["action"]
        with time_machine.travel(DUE + MINUTE, tick=False):
            data = tokens.token_read(purpose=name, token=token)
        assert (data.user_id, data.delivery_id) == (push_user.pk, delivery.pk)
    # No health data, no name: a lock screen is public.
    text = json.dumps(payload)
    for secret in ("350", "mg", "glycinate", "Ada", "Lovelace", "magnesium", push_user.email):
        assert secret not in text, secret
    # VAPID: signed for this push service's origin, with the site's subject.
    assert message.claims["aud"] == push_endpoint.origin
    assert message.claims["sub"].startswith("mailto:")
    assert 60 <= int(message.headers["ttl"]) <= 2 * 3600
    assert message.headers["topic"] == "evening20260610"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert PushSubscription.objects.get().last_success_at is not None
    assert mail.outbox == []  # push only


def test_410_gone_deletes_that_device_and_the_others_still_get_it(push_user, push_endpoint):
    subscribe(push_user, push_endpoint.device("laptop"), label="Firefox on Linux")
    push_endpoint.answer("laptop", 410)
    dispatch.reminders_claim_due(now=DUE)
    assert send_all() == 1
    assert [m.device for m in push_endpoint.received] == ["phone"]
    assert list(PushSubscription.objects.values_list("label", flat=True)) == ["Chrome on Android"]
    assert Delivery.objects.get().status == "sent"


def test_when_every_device_is_gone_the_delivery_is_skipped(push_user, push_endpoint):
    push_endpoint.answer("phone", 404)
    dispatch.reminders_claim_due(now=DUE)
    assert send_all() == 0
    assert not PushSubscription.objects.exists()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == ("skipped", "no_device")


def test_a_user_with_no_device_is_skipped_not_failed(db, push_endpoint):
    user = UserFactory(time_zone="Europe/London", bedtime=datetime.time(22, 30))
    evening_reminder(user, channel=ChannelChoice.PUSH)
    dispatch.reminders_claim_due(now=DUE)
    assert send_all() == 0
    assert Delivery.objects.get().reason == "no_device"


@pytest.mark.parametrize("status", [503, 500, 429])
def test_a_push_service_failing_for_a_while_is_retried_and_delivers_once(
    push_user, push_endpoint, status
):
    push_endpoint.answer("phone", status)
    dispatch.reminders_claim_due(now=DUE)
    with pytest.raises(dispatch.TransientSendError) as raised:
        send_all()
    if status == 429:
        assert raised.value.retry_after == 30  # the service's Retry-After reaches the task
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == ("pending", f"push_{status}")
    assert push_endpoint.received == []
    assert send_all(DUE + 2 * MINUTE) == 1
    assert send_all(DUE + 3 * MINUTE) == 0
    assert len(push_endpoint.received) == 1
    assert push_endpoint.attempts["phone"] == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_a_failing_push_service_holds_up_no_email_in_the_same_chunk(push_user, push_endpoint):
    other = UserFactory(time_zone="Europe/London", bedtime=datetime.time(22, 30))
    evening_reminder(other)  # email
    push_endpoint.answer("phone", 503)
    dispatch.reminders_claim_due(now=DUE)
    with pytest.raises(dispatch.TransientSendError):
        send_all()
    assert len(mail.outbox) == 1
    statuses = dict(Delivery.objects.values_list("channel", "status"))
    assert statuses == {"email": "sent", "push": "pending"}


def test_email_and_push_both_chosen_is_one_of_each(push_user, push_endpoint):
    services.reminder_setting_update(
        user=push_user,
        kind="evening",
        enabled=True,
        channel=ChannelChoice.BOTH,
        now=DUE - datetime.timedelta(hours=6),
    )
    assert dispatch.reminders_claim_due(now=DUE) == 1
    assert dispatch.reminders_claim_due(now=DUE) == 0
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "push"]
    assert send_all() == 2
    assert len(mail.outbox) == 1 and len(push_endpoint.received) == 1


def test_a_notification_action_posts_without_csrf_and_acts_once_across_channels(
    push_user, push_endpoint
):
    """The service worker POSTs the action's link with no CSRF token; the email's own link
    for the same night then finds it done: one dose, whichever channel acted first."""
    saved_product_set(user=push_user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    services.reminder_setting_update(
        user=push_user,
        kind="evening",
        enabled=True,
        channel=ChannelChoice.BOTH,
        now=DUE - datetime.timedelta(hours=6),
    )
    dispatch.reminders_claim_due(now=DUE)
    send_all()
    (message,) = push_endpoint.received
    taken = next(a["url"] for a in message.payload["actions"] if a["action"] == "taken")
    worker = Client(enforce_csrf_checks=True)
    with time_machine.travel(DUE + 5 * MINUTE, tick=False):
        response = worker.post(taken)
        assert response.status_code == 200 and "Logged" in response.text
        assert "Already done" in worker.get(taken).text  # the page the worker opens next
        email = Delivery.objects.get(channel="email")
        token = tokens.tokens_make(purposes=["taken"], user_id=push_user.pk, delivery_id=email.pk)
        again = worker.post(reverse("reminders:taken", args=[token["taken"]]))
    assert "Already done" in again.text
    assert Dose.objects.count() == 1


def test_a_snooze_from_the_notification_comes_back_as_a_notification(push_user, push_endpoint):
    dispatch.reminders_claim_due(now=DUE)
    send_all()
    snooze = next(
        a["url"] for a in push_endpoint.received[0].payload["actions"] if a["action"] == "snooze"
    )
    with time_machine.travel(DUE + 5 * MINUTE, tick=False):
        assert Client(enforce_csrf_checks=True).post(snooze).status_code == 200
    later = Delivery.objects.get(sequence=1)
    assert later.channel == "push"
    released_at = later.due_at
    dispatch.reminders_claim_due(now=released_at)
    assert send_all(released_at) == 1
    assert len(push_endpoint.received) == 2


# --- the devices page and the subscribe endpoint -------------------------------------------


def test_subscribing_this_browser_then_listing_and_removing_it(client, push_endpoint):
    user = UserFactory()
    client.force_login(user)
    device = push_endpoint.device("tablet")
    url = reverse("devices:subscribe")
    response = client.post(
        url,
        json.dumps(device.subscription_json),
        content_type="application/json",
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 15) Chrome/140.0 Mobile Safari/537"},
    )
    assert response.status_code == 201, response.content
    assert "this device" in response.json()["message"]
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.label, saved.endpoint) == (user, "Chrome on Android", device.endpoint)
    # Again from the same browser: refreshed, not doubled.
    again = client.post(
        url, json.dumps(device.subscription_json), content_type="application/json",
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 15) Chrome/140.0 Mobile Safari/537"},
    )  # fmt: skip
    assert again.status_code == 201
    assert PushSubscription.objects.count() == 1
    page = client.get(reverse("devices:list"))
    assert "Chrome on Android" in page.text and "Turn on reminders on this device" in page.text
    assert device.endpoint not in page.text  # the endpoint is a capability: never shown
    response = client.post(reverse("devices:remove", args=[saved.pk]))
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_another_users_device_cannot_be_removed(client, push_user):
    device = PushSubscription.objects.get()
    client.force_login(UserFactory())
    assert client.post(reverse("devices:remove", args=[device.pk])).status_code == 404
    assert PushSubscription.objects.filter(pk=device.pk).exists()
    assert "Chrome on Android" not in client.get(reverse("devices:list")).text


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        json.dumps({"endpoint": "https://push.example.net/x"}),
        json.dumps(
            {"endpoint": "https://push.example.net/x", "keys": {"p256dh": "AAAA", "auth": "AAAA"}}
        ),
        json.dumps({"endpoint": 5, "keys": {"p256dh": 1, "auth": 2}}),
        "{" + " " * 5000 + "}",
    ],
)
def test_a_bad_subscription_is_a_clear_400_never_a_500(client, body):
    client.force_login(UserFactory())
    response = client.post(reverse("devices:subscribe"), body, content_type="application/json")
    assert response.status_code == 400
    assert "Reload the page and try again" in response.json()["message"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.net/x",  # not https
        "https://10.0.0.5/x",  # a private address: the worker would POST into our network
        "https://localhost/x",
        "https://[::1]:8443/x",
        "ftp://push.example.net/x",
    ],
)
def test_endpoints_outside_public_https_are_refused(client, settings, push_endpoint, endpoint):
    settings.PUSH_ALLOW_LOOPBACK_ENDPOINTS = False
    client.force_login(UserFactory())
    subscription = push_endpoint.device("x").subscription_json | {"endpoint": endpoint}
    response = client.post(
        reverse("devices:subscribe"), json.dumps(subscription), content_type="application/json"
    )
    assert response.status_code == 400


def test_an_endpoint_moves_to_the_account_that_subscribed_it_last(client, push_user, push_endpoint):
    newcomer = UserFactory()
    client.force_login(newcomer)
    phone = push_endpoint.devices["phone"]
    client.post(
        reverse("devices:subscribe"),
        json.dumps(phone.subscription_json),
        content_type="application/json",
    )
    assert PushSubscription.objects.get().user == newcomer


def test_a_sixth_device_replaces_the_longest_silent_one(push_user, push_endpoint):
    # push_user already has a phone; fill up to the limit, all saved at the same instant.
    existing = list(PushSubscription.objects.filter(user=push_user))
    added = [
        subscribe(push_user, push_endpoint.device(f"d{number}"))
        for number in range(services.DEVICE_LIMIT - len(existing))
    ]
    devices = existing + added
    assert PushSubscription.objects.filter(user=push_user).count() == services.DEVICE_LIMIT
    for hours, device in enumerate(devices):  # the first was heard from longest ago
        device.last_success_at = DUE - datetime.timedelta(hours=24 - hours)
        device.save(update_fields=["last_success_at"])
    sixth = subscribe(push_user, push_endpoint.device("sixth"))
    kept = set(PushSubscription.objects.filter(user=push_user).values_list("pk", flat=True))
    assert kept == {device.pk for device in devices[1:]} | {sixth.pk}


def test_without_vapid_keys_there_is_no_button_and_push_is_skipped(client, settings, push_user):
    settings.VAPID_PRIVATE_KEY = ""
    client.force_login(push_user)
    assert "Turn on reminders on this device" not in client.get(reverse("reminders:settings")).text
    dispatch.reminders_claim_due(now=DUE)
    assert send_all() == 0
    assert Delivery.objects.get().reason == "push_not_configured"


def test_the_settings_page_saves_the_channel_per_reminder(client, push_user):
    client.force_login(push_user)
    page = client.get(reverse("reminders:settings"))
    assert "Turn on reminders on this device" in page.text
    assert 'value="push"' in page.text
    form = {
        "evening_enabled": "on", "evening_time": "22:00", "minutes_before": "30",
        "bedtime": "22:30", "evening_days": [str(d) for d in range(7)], "skip_if_logged": "on",
        "evening_channel": "both", "wake_time": "07:00", "morning_enabled": "on",
        "morning_days": ["0"], "morning_channel": "push",
    }  # fmt: skip
    assert client.post(reverse("reminders:settings"), form).status_code == 302
    channels = dict(push_user.reminder_settings.values_list("kind", "channel"))
    assert channels == {"evening": "both", "morning": "push"}
    form["evening_channel"] = "pigeon"
    response = client.post(reverse("reminders:settings"), form)
    assert response.status_code == 200 and "Choose one of the options shown." in response.text


def test_a_push_service_that_does_not_answer_is_retried_later(push_user, push_endpoint):
    device = PushSubscription.objects.get()
    device.endpoint = "http://127.0.0.1:9/push/phone"  # the discard port: connection refused
    device.save()
    dispatch.reminders_claim_due(now=DUE)
    with pytest.raises(dispatch.TransientSendError):
        send_all()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == ("pending", "push_network")
    assert PushSubscription.objects.exists()  # not deleted: it may answer next time
