"""Fault test: SIGKILL a worker's pool child, then (second run) its main process, mid-batch.

1,000 reminders are due; after the kill, a restarted worker and the sweeper, every user has
their email, none is lost, and at most one is duplicated per killed sending process (the
message in flight). Killing the main process also kills its pool children (Celery sets
PDEATHSIG), so that run allows one duplicate per pool child. Counted per user at a real SMTP
sink that answers a little slowly, so the kill lands in the middle of the batch.
"""

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from reminders import dispatch
from reminders.models import Delivery, ReminderSetting
from tests.conftest import SmtpSink, _database_url_for_worker

pytestmark = pytest.mark.worker

BATCH = 1000
CONCURRENCY = 2
BASE_DIR = Path(__file__).resolve().parents[2]


class SlowSink(SmtpSink):
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        await asyncio.sleep(0.004)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def sink():
    sink = SlowSink()
    sink.start()
    yield sink
    sink.stop()


def _start_worker(sink, name):
    env = os.environ.copy()
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url_for_worker(),
        "EMAIL_URL": sink.url,
    }
    env.pop("TEST_SQLITE_NAME", None)
    hostname = f"{name}-{os.getpid()}@{socket.gethostname()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "ERROR",
         "--concurrency", str(CONCURRENCY), "--queues", settings.CELERY_TASK_DEFAULT_QUEUE,
         "--hostname", hostname, "--without-gossip", "--without-mingle"],
        cwd=BASE_DIR, env=env, start_new_session=True,
    )  # fmt: skip
    from portal.celery import app

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(destination=[hostname], timeout=0.5):
            return process
        assert process.poll() is None, "the worker exited"
    process.kill()
    pytest.fail("the worker did not answer a ping")


def _stop(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _due_batch(now):
    users = User.objects.bulk_create(
        [User(email=f"fault{i}@example.com", display_name=f"F{i}") for i in range(BATCH)]
    )
    users = list(User.objects.filter(email__startswith="fault").order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    ReminderSetting.objects.bulk_create(
        [
            ReminderSetting(
                user=u,
                kind="evening",
                enabled=True,
                next_due_at=now - datetime.timedelta(minutes=1),
            )
            for u in users
        ]
    )
    return users


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _wait_until_quiet(sink, *, quiet: float, timeout: float) -> None:
    """Return once no message has reached the sink for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    seen, since = len(sink.messages), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if len(sink.messages) != seen:
            seen, since = len(sink.messages), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
    pytest.fail("the living senders never went quiet")


@pytest.mark.parametrize("target", ["pool child", "main process"])
def test_killing_a_worker_mid_batch_loses_nothing(target, sink, transactional_db):
    now = timezone.now()
    users = _due_batch(now)
    worker = _start_worker(sink, "fault-a")
    killed = []
    try:
        assert dispatch.reminders_claim_due(now=now) == BATCH  # enqueues 2 chunks on commit
        assert _wait(lambda: len(sink.messages) >= 150, 60), "sending did not start"
        killed_instant = timezone.now()
        if target == "pool child":
            children = _children(worker.pid)
            assert children, "no pool child found"
            os.kill(children[0], signal.SIGKILL)
            # The pool replaces the child; the main process re-queues its task (acks_late).
        else:
            os.kill(worker.pid, signal.SIGKILL)
            # Celery's pool children die with it (prctl PDEATHSIG=SIGKILL): CONCURRENCY
            # sending processes are killed, each possibly with one message in flight. Their
            # tasks (and the prefetched ones) stay unacknowledged in Redis until the
            # visibility timeout; a new worker starts, and the sweeper must not wait for that.
            killed.append(worker)
            worker = _start_worker(sink, "fault-b")
        killed_at = len(sink.messages)
        assert killed_at < BATCH, "the batch finished before the kill"

        # What a killed sender held stays "sending" until its lease expires; the sweeper
        # (run with the clock past the lease) puts it back and re-enqueues it.
        def settled():
            return not Delivery.objects.filter(status__in=["pending", "sending"]).exists()

        # Sweeping "two minutes later" while a live sender is still working its own chunk
        # would take its leased rows too (its renewal only runs in real time): on a busy
        # machine that turned into dozens of false duplicates. So wait until the living
        # senders have finished what they hold — nothing reaches the sink for 3 s — and only
        # the dead sender's rows are left "sending".
        _wait_until_quiet(sink, quiet=3.0, timeout=120)
        if not settled():
            # The first sweep after the dead sender's lease ran out: within two minutes of
            # the kill, whatever it had not sent is on its way again.
            sweep_every = settings.CELERY_BEAT_SCHEDULE["reminders-sweep"]["schedule"]
            later = killed_instant + dispatch.LEASE + sweep_every
            assert later - killed_instant <= datetime.timedelta(minutes=2)
            assert dispatch.deliveries_sweep(now=later) > 0
        assert _wait(settled, 60), Counter(Delivery.objects.values_list("status", flat=True))
        assert _wait(lambda: len(sink.messages) >= BATCH, 30)
        time.sleep(1)  # anything late would show up now
    finally:
        for process in [worker, *killed]:
            _stop(process)

    per_user = Counter(address for m in sink.messages for address in m["to"])
    assert set(per_user) == {u.email for u in users}  # none lost
    duplicates = sum(count - 1 for count in per_user.values())
    # At most the message in flight in each killed sending process.
    killed_senders = 1 if target == "pool child" else CONCURRENCY
    assert duplicates <= killed_senders, f"{duplicates} duplicates"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


PUSH_BATCH = 300


def test_killing_a_worker_mid_push_fan_out_loses_nothing(push_endpoint, sink, transactional_db):
    """The same for push: every device gets its notification once, but for the one in
    flight in the killed pool child, counted (decrypted) at the local push service."""
    from reminders.models import PushSubscription

    push_endpoint.delay = 0.01
    now = timezone.now()
    users = _due_batch(now)[:PUSH_BATCH]
    ReminderSetting.objects.exclude(user__in=users).delete()
    ReminderSetting.objects.update(channel="push")
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(
                user=user,
                endpoint=device.endpoint,
                p256dh=device.p256dh,
                auth=device.subscription_json["keys"]["auth"],
                created_at=now,
            )
            for user in users
            for device in [push_endpoint.device(f"u{user.pk}")]
        ]
    )
    worker = _start_worker(sink, "fault-push")
    try:
        assert dispatch.reminders_claim_due(now=now) == PUSH_BATCH
        assert _wait(lambda: len(push_endpoint.received) >= 40, 60), "sending did not start"
        killed_instant = timezone.now()
        children = _children(worker.pid)
        assert children, "no pool child found"
        os.kill(children[0], signal.SIGKILL)
        assert len(push_endpoint.received) < PUSH_BATCH, "the batch finished before the kill"

        def settled():
            return not Delivery.objects.filter(status__in=["pending", "sending"]).exists()

        if not _wait(settled, 20):
            later = killed_instant + dispatch.LEASE + datetime.timedelta(seconds=30)
            assert dispatch.deliveries_sweep(now=later) > 0
        assert _wait(settled, 60), Counter(Delivery.objects.values_list("status", flat=True))
        time.sleep(1)
    finally:
        _stop(worker)
    per_device = Counter(message.device for message in push_endpoint.received)
    assert set(per_device) == {f"u{user.pk}" for user in users}  # none lost
    duplicates = sum(count - 1 for count in per_device.values())
    assert duplicates <= 1, f"{duplicates} duplicates"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"push"}
