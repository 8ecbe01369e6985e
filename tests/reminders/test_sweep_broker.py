"""The sweeper's quick path against a real Redis and a real worker: a send task lost with
Redis's queue is re-enqueued after LOST_PENDING, not STUCK_PENDING; one still in Redis
(waiting, or reserved by a worker for its countdown) keeps its rows from being enqueued again.

The worker does not see time-machine, so instants are real ones passed to the tasks.
"""

import datetime
import json
import time

import pytest
from django.conf import settings
from django.utils import timezone

from portal.celery import app
from reminders import dispatch
from reminders.models import Delivery, ReminderSetting
from reminders.tasks import deliveries_send_task, deliveries_sweep_task
from tests.factories import UserFactory
from tests.reminders.conftest import evening_reminder

pytestmark = pytest.mark.worker

QUEUE = settings.CELERY_TASK_DEFAULT_QUEUE


def _lose_the_queue():
    """What Redis coming back empty does to this run's queue: its waiting messages and the
    ones delivered to a worker and not acknowledged (kombu's `unacked` hash) are gone. The
    latter matters in a full run too: a test that SIGKILLs a worker (tests/reminders/
    test_fault.py) leaves its in-flight send tasks there until the visibility timeout."""
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for priority in channel.priority_steps:
            channel.client.delete(channel._q_for_pri(QUEUE, priority))
        for tag, entry in channel.client.hgetall(channel.unacked_key).items():
            if json.loads(entry)[2] == QUEUE:
                channel.client.hdel(channel.unacked_key, tag)
                channel.client.zrem(channel.unacked_index_key, tag)


@pytest.fixture(autouse=True)
def _empty_broker():
    """Each test starts from a broker that holds nothing of this run's queue."""
    _lose_the_queue()


def _wait(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_send_task_lost_with_redis_goes_out_after_90_s_through_the_worker(
    transactional_db, smtp_sink, request
):
    users = [UserFactory() for _ in range(3)]
    now = timezone.now().replace(microsecond=0)
    ticked = now - dispatch.LOST_PENDING - datetime.timedelta(seconds=5)
    for user in users:
        evening_reminder(user, now=ticked - datetime.timedelta(days=1))
    ReminderSetting.objects.update(next_due_at=ticked - datetime.timedelta(minutes=1))
    try:
        # No worker yet: the tick's send task waits in the queue.
        assert dispatch.reminders_claim_due(now=ticked) == 3
        assert dispatch.send_queue_empty() is False
        _lose_the_queue()
        assert dispatch.send_queue_empty() is True
    finally:
        _lose_the_queue()  # nothing of this test left for a later run's worker
    request.getfixturevalue("celery_worker")
    # The sweep runs in the worker, unacknowledged itself while it asks: not counted.
    deliveries_sweep_task.delay(now=now.isoformat())
    messages = smtp_sink.wait_for(3, timeout=30)
    assert sorted(m["to"][0] for m in messages) == sorted(u.email for u in users)
    _wait(lambda: set(Delivery.objects.values_list("status", flat=True)) == {"sent"})
    assert set(Delivery.objects.values_list("redeliveries", flat=True)) == {1}
    assert len(smtp_sink.wait_for(4, timeout=2)) == 3


def test_a_send_task_a_worker_holds_for_its_countdown_is_not_taken_as_lost(
    celery_worker, transactional_db
):
    """A retry waiting out its countdown sits reserved by a worker (in Redis's unacked
    hash), not in the queue: the broker is not empty, and the sweeper leaves its rows."""
    deliveries_send_task.apply_async(([],), countdown=4)
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        _wait(lambda: channel._size(QUEUE) == 0)  # the worker took it, and holds it
    assert dispatch.send_queue_empty() is False
    _wait(dispatch.send_queue_empty, timeout=20)  # run and acknowledged after its countdown
