"""The tick, the sender and the sweeper, through their services (no worker process)."""

import datetime
import re
import threading
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection

from reminders import dispatch, tokens
from reminders.dispatch.sweep import STUCK_PENDING
from reminders.models import Delivery, DeliveryStatus, ReminderSetting
from reminders.tasks import deliveries_send_task
from tests.factories import UserFactory
from tests.reminders.conftest import DUE, evening_reminder
from tracker.services import dose_record

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def claim(now=DUE):
    return dispatch.reminders_claim_due(now=now)


def send_all(now=DUE + MINUTE):
    ids = list(Delivery.objects.values_list("pk", flat=True))
    return dispatch.deliveries_send(delivery_ids=ids, now=now)


def test_a_due_reminder_is_claimed_once_and_moves_to_tomorrow(due_user):
    assert claim(DUE - MINUTE) == 0
    assert claim() == 1
    delivery = Delivery.objects.get()
    assert (delivery.user, delivery.kind, delivery.status) == (due_user, "evening", "pending")
    assert delivery.local_date == datetime.date(2026, 6, 10)
    assert ReminderSetting.objects.get().next_due_at == DUE + datetime.timedelta(days=1)
    assert claim() == 0
    assert claim(DUE + MINUTE) == 0
    assert Delivery.objects.count() == 1


def test_the_tick_enqueues_chunks_of_ids_after_commit(due_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        claim()
    assert len(callbacks) == 1


def test_the_tick_claims_every_due_user_in_batches(db):
    users = [UserFactory() for _ in range(7)]
    for user in users:
        evening_reminder(user)
    assert dispatch.reminders_claim_due(now=DUE, batch_size=3) == 7
    assert Delivery.objects.filter(status="pending").count() == 7


def test_one_email_with_the_right_headers_and_no_health_data(due_user):
    claim()
    assert send_all() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    delivery = Delivery.objects.get()
    assert message.to == [due_user.email]
    assert message.subject == "Your evening reminder"
    assert message.extra_headers["Message-ID"] == f"<reminder.{delivery.pk}.20260610@localhost>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/reminders/unsubscribe/"
    )
    assert "Hello Person" in message.body and "22:00" in message.body
    assert "Your usual bedtime is 22:30." in message.body  # true whatever the lead time
    assert "http://127.0.0.1:8000/reminders/taken/" in message.body
    assert "http://127.0.0.1:8000/reminders/skip/" in message.body
    html = message.alternatives[0][0]
    assert "/reminders/taken/" in html
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert delivery.sent_at is not None


def test_sending_again_sends_nothing(due_user):
    claim()
    send_all()
    assert send_all() == 0
    assert len(mail.outbox) == 1


def test_catch_up_sends_within_two_hours_and_skips_older(db):
    late, stale = UserFactory(), UserFactory()
    evening_reminder(late)
    evening_reminder(stale)
    ReminderSetting.objects.filter(user=stale).update(next_due_at=DUE - datetime.timedelta(hours=3))
    now = DUE + datetime.timedelta(minutes=90)
    assert claim(now) == 2
    assert Delivery.objects.get(user=stale).status == "skipped"
    assert Delivery.objects.get(user=stale).reason == "too_late"
    send_all(now)
    assert [m.to for m in mail.outbox] == [[late.email]]
    # Both move on to tomorrow evening, not to a string of missed evenings.
    for setting in ReminderSetting.objects.all():
        assert setting.next_due_at == DUE + datetime.timedelta(days=1)


def test_only_a_verified_primary_address_gets_reminders(due_user):
    EmailAddress.objects.filter(user=due_user).update(verified=False)
    claim()
    assert send_all() == 0
    assert mail.outbox == []
    assert Delivery.objects.get().reason == "no_verified_email"


def test_turned_off_between_claim_and_send_is_not_sent(due_user):
    claim()
    ReminderSetting.objects.update(enabled=False)
    assert send_all() == 0
    assert Delivery.objects.get().reason == "turned_off"


def test_skip_if_already_logged_tonight(due_user):
    dose_record(
        user=due_user,
        taken_at=DUE - datetime.timedelta(hours=1),
        form="glycinate",
        amount_mg=Decimal("200"),
        unit="elemental",
        now=DUE,
    )
    claim()
    assert send_all() == 0
    assert Delivery.objects.get().reason == "already_logged"


def test_a_dose_yesterday_does_not_skip_tonight(due_user):
    dose_record(
        user=due_user,
        taken_at=DUE - datetime.timedelta(days=1),
        form="glycinate",
        amount_mg=Decimal("200"),
        unit="elemental",
        now=DUE,
    )
    claim()
    assert send_all() == 1


def test_skip_if_logged_off_still_sends(db):
    user = UserFactory()
    evening_reminder(user, skip_if_logged=False)
    dose_record(
        user=user,
        taken_at=DUE - datetime.timedelta(hours=1),
        form="glycinate",
        amount_mg=Decimal("200"),
        unit="elemental",
        now=DUE,
    )
    claim()
    assert send_all() == 1


def test_a_transient_smtp_error_puts_the_rest_back_to_pending(flaky_smtp, db):
    users = [UserFactory() for _ in range(3)]
    for user in users:
        evening_reminder(user)
    claim()
    flaky_smtp.failures_left = 1
    with pytest.raises(dispatch.TransientSendError):
        send_all()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert send_all() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}


def test_a_permanent_rejection_fails_that_one_only(flaky_smtp, db):
    bad, good = UserFactory(), UserFactory()
    evening_reminder(bad)
    evening_reminder(good)
    flaky_smtp.reject = {bad.email}
    claim()
    assert send_all() == 1
    assert Delivery.objects.get(user=bad).status == "failed"
    assert Delivery.objects.get(user=good).status == "sent"


@time_machine.travel(DUE + MINUTE, tick=False)
def test_the_task_retries_with_backoff_then_marks_failed(flaky_smtp, due_user):
    from portal.celery import app

    claim()
    flaky_smtp.failures_left = 100
    app.conf.task_always_eager = True
    try:
        deliveries_send_task.apply(args=[list(Delivery.objects.values_list("pk", flat=True))])
    finally:
        app.conf.task_always_eager = False
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.attempts == dispatch.MAX_ATTEMPTS
    assert mail.outbox == []


def test_the_sweeper_recovers_expired_leases_and_lost_tasks(db, django_capture_on_commit_callbacks):
    users = [UserFactory() for _ in range(3)]
    for user in users:
        evening_reminder(user)
    claim()
    first, second, third = Delivery.objects.order_by("pk")
    # first: a sender died mid-send (lease held); second: its task was lost; third: fresh.
    Delivery.objects.filter(pk=first.pk).update(status="sending", lease_until=DUE + dispatch.LEASE)
    assert dispatch.deliveries_sweep(now=DUE + MINUTE) == 0
    later = DUE + max(dispatch.LEASE, STUCK_PENDING) + MINUTE  # both kinds are due by now
    Delivery.objects.filter(pk=third.pk).update(enqueued_at=later)
    with django_capture_on_commit_callbacks() as callbacks:
        assert dispatch.deliveries_sweep(now=later) == 2
    assert len(callbacks) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.redeliveries) == ("pending", 1)
    assert (second.status, second.redeliveries) == ("pending", 1)
    assert Delivery.objects.get(pk=third.pk).redeliveries == 0
    assert send_all(later) == 3


def test_the_sweeper_looks_back_one_day_by_due_instant(db):
    older, recent = UserFactory(), UserFactory()
    for user in (older, recent):
        evening_reminder(user)
    claim()
    now = DUE + dispatch.SWEEP_WINDOW + MINUTE
    Delivery.objects.filter(user=older).update(due_at=DUE - datetime.timedelta(hours=1))
    Delivery.objects.filter(user=recent).update(due_at=now - datetime.timedelta(hours=1))
    assert dispatch.deliveries_sweep(now=now) == 1
    assert Delivery.objects.get(user=recent).redeliveries == 1
    assert Delivery.objects.get(user=older).redeliveries == 0


def test_a_poison_delivery_stops_after_the_redelivery_limit(due_user):
    claim()
    Delivery.objects.update(redeliveries=dispatch.MAX_REDELIVERIES)
    assert dispatch.deliveries_sweep(now=DUE + datetime.timedelta(hours=1)) == 0
    assert Delivery.objects.get().reason == "redelivery_limit"
    assert Delivery.objects.get().status == "failed"


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_claim_each_reminder_exactly_once():
    users = [UserFactory() for _ in range(40)]
    for user in users:
        evening_reminder(user)
    results = []

    def tick():
        try:
            results.append(dispatch.reminders_claim_due(now=DUE, batch_size=5))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 40
    assert Delivery.objects.count() == 40
    assert Delivery.objects.values("user").distinct().count() == 40
    assert DeliveryStatus.PENDING in set(Delivery.objects.values_list("status", flat=True))


def test_changing_bedtime_recomputes_the_next_send_at_once(
    due_user, django_capture_on_commit_callbacks
):
    from accounts.services import profile_update

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(
            user=due_user,
            display_name=due_user.display_name,
            time_zone="America/New_York",
            bedtime=datetime.time(23, 0),
            wake_time=due_user.wake_time,
        )
    setting = ReminderSetting.objects.get()
    local = setting.next_due_at.astimezone(due_user.zone)
    assert local.time() == datetime.time(22, 30)


def test_the_smtp_bytes_are_a_well_formed_message_with_escaped_names(smtp_sink, db):
    user = UserFactory(display_name="Zoë <b>&</b>")
    evening_reminder(user)
    claim()
    assert send_all() == 1
    received = smtp_sink.wait_for(1)[0]["message"]
    assert received["Subject"] == "Your evening reminder"
    assert received["From"] == "Restwell <no-reply@localhost>"
    assert received["To"] == user.email
    assert received["Auto-Submitted"] == "auto-generated"
    plain = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Hello Zoë <b>&</b>," in plain
    assert "Hello Zoë &lt;b&gt;&amp;&lt;/b&gt;," in html
    assert "\x1f" not in plain + html
    taken = re.search(r"/reminders/taken/(\S+)/", plain).group(1)
    assert tokens.token_read(purpose=tokens.TAKEN, token=taken).delivery_id == (
        Delivery.objects.get().pk
    )


def test_a_recipient_the_server_refuses_for_good_fails_and_the_rest_go_out(smtp_sink, db):
    users = [UserFactory() for _ in range(3)]
    for user in users:
        evening_reminder(user)
    claim()
    smtp_sink.refuse[users[1].email] = "550 5.1.1 No such user"
    assert send_all() == 2
    assert sorted(m["to"][0] for m in smtp_sink.wait_for(2)) == sorted(
        [users[0].email, users[2].email]
    )
    refused = Delivery.objects.get(user=users[1])
    assert (refused.status, refused.reason) == ("failed", "smtp_rejected")
    assert Delivery.objects.filter(status="sent").count() == 2


def test_a_temporary_refusal_over_smtp_puts_the_rest_back_to_pending(smtp_sink, db):
    users = [UserFactory() for _ in range(3)]
    for user in users:
        evening_reminder(user)
    claim()
    smtp_sink.refuse[users[1].email] = "451 4.3.0 Try again later"
    with pytest.raises(dispatch.TransientSendError):
        send_all()
    statuses = dict(Delivery.objects.values_list("user_id", "status"))
    assert [statuses[u.pk] for u in users] == ["sent", "pending", "pending"]
    del smtp_sink.refuse[users[1].email]
    assert send_all() == 2
    assert len(smtp_sink.wait_for(3)) == 3


def test_each_email_is_rendered_in_the_language_its_user_signed_up_in(due_user, settings):
    from reminders import emails

    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    due_user.language = "de"
    due_user.save(update_fields=["language"])
    emails._renderers.clear()
    claim()
    assert send_all() == 1
    languages = {renderer.language for renderer in emails._renderers.values()}
    assert languages == {"de"}
    assert emails.renderer_get(language="de") is emails.renderer_get(language="de")
    assert emails.renderer_get().language == "en"  # a blank language: the site's default


def test_a_sender_renews_its_lease_and_drops_rows_the_sweeper_gave_away(due_user, monkeypatch):
    from reminders.dispatch import send

    claim()
    first = Delivery.objects.get()
    leased = send._lease([first.pk], DUE)
    keeper = send._LeaseKeeper(DUE + dispatch.LEASE)
    with time_machine.travel(DUE + datetime.timedelta(seconds=50), tick=False):
        assert keeper.renew([first.pk]) == {first.pk}
    first.refresh_from_db()
    assert first.lease_until == DUE + datetime.timedelta(seconds=50) + dispatch.LEASE
    # Stalled past its lease: the sweeper re-leases the row to another sender.
    Delivery.objects.filter(pk=first.pk).update(lease_until=DUE + datetime.timedelta(hours=1))
    assert keeper.renew([d.pk for d in leased]) == set()


def test_a_long_chunk_keeps_its_lease_while_sending(due_user, monkeypatch):
    from reminders.dispatch import send

    monkeypatch.setattr(send, "LEASE_RENEW_AFTER", 0.0)  # renew before every message
    renewals = []
    original = send._LeaseKeeper.renew
    monkeypatch.setattr(
        send._LeaseKeeper, "renew", lambda self, ids: renewals.append(ids) or original(self, ids)
    )
    claim()
    assert send_all() == 1
    assert renewals and Delivery.objects.get().status == "sent"


def test_an_account_deleted_or_deactivated_while_its_chunk_sends_gets_nothing(db, monkeypatch):
    """The check right before each message: an account deleted (its rows go with it) or
    deactivated after the lease, while earlier messages of the chunk were going out, gets no
    message; the others do."""
    from accounts.services import account_delete
    from reminders.dispatch.smtp import EmailTransport

    first, deleted, deactivated, last = [UserFactory() for _ in range(4)]
    for user in (first, deleted, deactivated, last):
        evening_reminder(user)
    claim()
    original = EmailTransport.transmit

    def transmit(self, delivery):
        if delivery.user_id == first.pk:  # while the first message goes out
            account_delete(user=deleted)
            deactivated.is_active = False
            deactivated.save(update_fields=["is_active"])
        return original(self, delivery)

    monkeypatch.setattr(EmailTransport, "transmit", transmit)
    assert send_all() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, last.email])
    assert not Delivery.objects.filter(user_id=deleted.pk).exists()
    closed = Delivery.objects.get(user=deactivated)
    assert (closed.status, closed.reason) == ("skipped", "account_inactive")
    assert closed.lease_until is None
    assert Delivery.objects.get(user=last).status == "sent"


def test_a_deactivated_account_is_skipped_at_the_lease(due_user):
    claim()
    due_user.is_active = False
    due_user.save(update_fields=["is_active"])
    assert send_all() == 0
    assert mail.outbox == []
    assert Delivery.objects.get().reason == "account_inactive"


def test_a_row_the_sweeper_took_back_mid_chunk_is_left_to_the_next_sender(db, monkeypatch):
    from reminders.dispatch.smtp import EmailTransport

    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        evening_reminder(user)
    claim()
    original = EmailTransport.transmit

    def transmit(self, delivery):
        if delivery.user_id == first.pk:  # the sender stalls; the sweeper re-enqueues row 2
            Delivery.objects.filter(user=second).update(status="pending", lease_until=None)
        return original(self, delivery)

    monkeypatch.setattr(EmailTransport, "transmit", transmit)
    assert send_all() == 1
    assert [m.to[0] for m in mail.outbox] == [first.email]
    assert Delivery.objects.get(user=second).status == "pending"  # for the next sender


def test_with_the_broker_empty_a_pending_row_is_re_enqueued_after_90_s_not_5_minutes(
    db, django_capture_on_commit_callbacks
):
    """Redis lost its queue: the sweeper, told the send queue is empty, re-enqueues what
    has waited LOST_PENDING; told it is not (a busy minute), it waits STUCK_PENDING."""
    waiting, fresh = UserFactory(), UserFactory()
    for user in (waiting, fresh):
        evening_reminder(user)
    claim()
    now = DUE + dispatch.LOST_PENDING + datetime.timedelta(seconds=1)
    Delivery.objects.filter(user=fresh).update(enqueued_at=DUE + datetime.timedelta(seconds=30))
    assert dispatch.deliveries_sweep(now=now) == 0  # queue busy (or unknown): not yet
    with django_capture_on_commit_callbacks() as callbacks:
        assert dispatch.deliveries_sweep(now=now, queue_empty=True) == 1
    assert len(callbacks) == 1
    assert Delivery.objects.get(user=waiting).redeliveries == 1
    assert Delivery.objects.get(user=fresh).redeliveries == 0  # enqueued 61 s ago
    # Sending (leased) rows keep their lease whatever the broker says.
    Delivery.objects.filter(user=fresh).update(
        status="sending", lease_until=DUE + datetime.timedelta(hours=1), enqueued_at=DUE
    )
    assert dispatch.deliveries_sweep(now=now, queue_empty=True) == 0
    later = DUE + STUCK_PENDING + datetime.timedelta(seconds=1)
    Delivery.objects.filter(user=waiting).update(enqueued_at=DUE)
    assert dispatch.deliveries_sweep(now=later) == 1  # the unconditional bound


def test_the_broker_check_answers_false_at_once_when_redis_is_unreachable(monkeypatch, caplog):
    import time

    from kombu import Connection

    from portal.celery import app

    monkeypatch.setattr(
        app, "connection_for_read", lambda: Connection("redis://127.0.0.1:1/0", connect_timeout=1)
    )
    started = time.monotonic()
    assert dispatch.send_queue_empty() is False  # cannot tell: the 5-minute bound applies
    assert time.monotonic() - started < 10
    assert "could not read the broker" in caplog.text
