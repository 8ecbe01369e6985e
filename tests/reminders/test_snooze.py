""" "Remind me in 30 minutes": the link, the limits, and the second send through the pipeline.

At fixed instants: the London evening reminder is due at DUE (22:00 BST, 21:00 UTC).
"""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from reminders import dispatch, tokens
from reminders.models import Delivery, DeliveryStatus, ReminderKind
from reminders.services import reminder_setting_update
from tests.factories import link_token
from tests.reminders.conftest import BEFORE, DUE
from tracker.models import Dose
from tracker.services import dose_record, saved_product_set

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
SENT = DUE + MINUTE  # the reminder went out; the user reads it and snoozes
SNOOZED_DUE = SENT + datetime.timedelta(minutes=30)


def _send(now):
    ids = list(Delivery.objects.filter(status="pending").values_list("pk", flat=True))
    return dispatch.deliveries_send(delivery_ids=ids, now=now)


@pytest.fixture
def sent(due_user, flaky_smtp):
    """The evening reminder claimed and sent: the delivery whose email holds the link."""
    dispatch.reminders_claim_due(now=DUE)
    assert _send(SENT) == 1
    return Delivery.objects.get(user=due_user)


def _url(delivery, purpose=tokens.SNOOZE, page=None):
    """The link of `purpose` for `delivery`, on its own page (or on `page`)."""
    token = link_token(purpose=purpose, user_id=delivery.user_id, delivery_id=delivery.pk)
    return f"/reminders/{page or purpose}/{token}/"


def _snooze(client, delivery, at):
    with time_machine.travel(at, tick=False):
        return client.post(_url(delivery)).text


def test_the_email_carries_the_snooze_link_in_both_parts(sent):
    (message,) = mail.outbox
    html = message.alternatives[0].content
    assert re.search(
        r"Remind me in 30 minutes: http://127\.0\.0\.1:8000/reminders/snooze/", message.body
    )
    assert re.search(
        r'<a class="rw-link" href="http://127\.0\.0\.1:8000/reminders/snooze/[^"]+/"'
        r"[^>]*>Remind me in 30 minutes</a>",
        html,
    )
    token = re.search(r"/reminders/snooze/([^/]+)/", message.body).group(1)
    assert tokens.token_read(purpose=tokens.SNOOZE, token=token).delivery_id == sent.pk


def test_get_confirms_and_changes_nothing(client, sent):
    with time_machine.travel(SENT, tick=False):
        page = client.get(_url(sent))
    assert page.status_code == 200 and "Remind you again in 30 minutes?" in page.text
    assert Delivery.objects.count() == 1


def test_post_snoozes_and_the_tick_sends_it_again_at_its_time(client, sent, due_user):
    page = _snooze(client, sent, SENT + datetime.timedelta(seconds=20))
    assert "We will remind you again at 22:32." in page  # 21:01:20 UTC + 30 min, to the minute
    snooze = Delivery.objects.get(sequence=1)
    assert (snooze.local_date, snooze.kind, snooze.status) == (
        sent.local_date,
        "evening",
        "pending",
    )
    assert snooze.due_at == SNOOZED_DUE + MINUTE and snooze.enqueued_at is None

    # Not before its time, and the sweeper leaves a waiting snooze alone.
    assert dispatch.reminders_claim_due(now=SNOOZED_DUE) == 0
    assert dispatch.deliveries_sweep(now=SNOOZED_DUE + datetime.timedelta(minutes=20)) == 0
    assert Delivery.objects.get(sequence=1).enqueued_at is None

    at = SNOOZED_DUE + MINUTE
    assert dispatch.snoozes_release(now=at) == [snooze.pk]
    assert dispatch.snoozes_release(now=at) == []  # once
    assert _send(at) == 1
    assert len(mail.outbox) == 2
    second = mail.outbox[1]
    assert second.subject == "Your evening reminder"
    assert "It is 22:32: time for your magnesium." in second.body
    assert second.extra_headers["Message-ID"] != mail.outbox[0].extra_headers["Message-ID"]
    assert Delivery.objects.get(sequence=1).status == DeliveryStatus.SENT


def test_a_double_tap_snoozes_once(client, sent):
    _snooze(client, sent, SENT)
    page = _snooze(client, sent, SENT + MINUTE)
    assert "Already snoozed" in page and "22:31" in page
    assert Delivery.objects.filter(sequence__gt=0).count() == 1


def test_at_most_twice_a_night(client, sent, flaky_smtp):
    _snooze(client, sent, SENT)
    first_due = Delivery.objects.get(sequence=1).due_at
    dispatch.reminders_claim_due(now=first_due)
    _send(first_due)
    second_page = _snooze(client, Delivery.objects.get(sequence=1), first_due + MINUTE)
    assert "We will remind you again at 23:02." in second_page
    second_due = Delivery.objects.get(sequence=2).due_at
    dispatch.reminders_claim_due(now=second_due)
    assert _send(second_due) == 1
    assert len(mail.outbox) == 3
    for delivery in Delivery.objects.all():  # a third try, from any of tonight's emails
        page = _snooze(client, delivery, second_due + MINUTE)
        assert "You have snoozed twice tonight" in page
    with time_machine.travel(second_due + MINUTE, tick=False):
        assert "You have snoozed twice tonight" in client.get(_url(sent)).text
    assert Delivery.objects.count() == 3


def test_after_the_catch_up_window_a_snooze_does_nothing(client, sent):
    # The reminder was due at 22:00; a snooze at 23:31 would ring after midnight, past 2 hours.
    page = _snooze(client, sent, DUE + datetime.timedelta(minutes=91))
    assert "Too late to snooze" in page
    assert Delivery.objects.count() == 1
    assert "We will remind you" in _snooze(client, sent, DUE + datetime.timedelta(minutes=89))


def test_once_the_evening_is_logged_a_snooze_does_nothing(client, sent, due_user):
    dose_record(
        user=due_user,
        taken_at=SENT,
        form="glycinate",
        amount_mg=Decimal("200"),
        unit="elemental",
        now=SENT,
    )
    page = _snooze(client, sent, SENT + MINUTE)
    assert "Tonight is already logged" in page
    assert Delivery.objects.count() == 1


def test_a_used_skip_link_counts_as_logged(client, sent):
    with time_machine.travel(SENT, tick=False):
        client.post(_url(sent, tokens.SKIP))
    assert "Tonight is already logged" in _snooze(client, sent, SENT + MINUTE)


def test_a_dose_logged_while_snoozed_cancels_the_second_email(client, sent, due_user):
    # Even with "skip if already logged" off: a snooze asked to be reminded to take it.
    reminder_setting_update(
        user=due_user, kind=ReminderKind.EVENING, enabled=True, skip_if_logged=False, now=BEFORE
    )
    _snooze(client, sent, SENT)
    dose_record(
        user=due_user,
        taken_at=SENT + 5 * MINUTE,
        form="glycinate",
        amount_mg=Decimal("200"),
        unit="elemental",
        now=SENT + 5 * MINUTE,
    )
    at = Delivery.objects.get(sequence=1).due_at
    dispatch.reminders_claim_due(now=at)
    assert _send(at) == 0
    snooze = Delivery.objects.get(sequence=1)
    assert (snooze.status, snooze.reason) == ("skipped", "already_logged")
    assert len(mail.outbox) == 1


def test_turning_reminders_off_cancels_a_waiting_snooze(client, sent, due_user):
    _snooze(client, sent, SENT)
    reminder_setting_update(user=due_user, kind=ReminderKind.EVENING, enabled=False, now=SENT)
    at = Delivery.objects.get(sequence=1).due_at
    dispatch.reminders_claim_due(now=at)
    assert _send(at) == 0
    assert Delivery.objects.get(sequence=1).reason == "turned_off"


def test_the_snoozed_emails_taken_link_logs_tonights_dose(client, sent, due_user):
    saved_product_set(user=due_user, form="glycinate", amount_mg=Decimal("200"), unit="elemental")
    _snooze(client, sent, SENT)
    snooze = Delivery.objects.get(sequence=1)
    taken = _url(snooze, tokens.TAKEN)
    with time_machine.travel(snooze.due_at + MINUTE, tick=False):
        assert "Logged" in client.post(taken).text
    dose = Dose.objects.get(user=due_user)
    assert dose.evening == datetime.date(2026, 6, 10)


def test_bad_foreign_or_wrong_purpose_tokens_get_the_friendly_page(client, sent, other_user):
    with time_machine.travel(SENT, tick=False):
        assert client.post(_url(sent)[:-3] + "xx/").status_code == 400
        assert client.post(_url(sent, tokens.TAKEN, page="snooze")).status_code == 400
        foreign = link_token(purpose=tokens.SNOOZE, user_id=other_user.pk, delivery_id=sent.pk)
        assert client.post(f"/reminders/snooze/{foreign}/").status_code == 400
    assert Delivery.objects.count() == 1


def test_a_morning_reminder_cannot_be_snoozed(client, due_user):
    reminder_setting_update(user=due_user, kind=ReminderKind.MORNING, enabled=True, now=BEFORE)
    morning = Delivery.objects.create(
        user=due_user, kind="morning", local_date=DUE.date(), due_at=DUE, status="sent"
    )
    with time_machine.travel(SENT, tick=False):
        assert client.post(_url(morning)).status_code == 400
    assert Delivery.objects.count() == 1


def test_snooze_pages_are_never_cached(client, sent):
    with time_machine.travel(SENT, tick=False):
        assert "no-store" in client.get(_url(sent))["Cache-Control"]
