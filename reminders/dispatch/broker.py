"""What the broker holds for the send task's queue: lets the sweeper tell a lost send task
from one still waiting its turn."""

import json
import logging

from django.conf import settings

logger = logging.getLogger(__name__)

SEND_TASK = "reminders.tasks.deliveries_send"  # its name, as Celery's message headers carry it


def send_queue_empty() -> bool:
    """True when Redis holds no send task: none waiting in the queue (any message there counts:
    tasks share one queue, and the others pass through it in moments), none delivered to a
    worker and not yet acknowledged (running, reserved, or a retry waiting out its countdown:
    kombu keeps each in its `unacked` hash until acknowledged, as every task acknowledges
    late). Then a pending delivery enqueued long ago has no task anywhere: Redis lost it (a
    crash without persistence) or it was never published.

    False when it cannot tell (Redis unreachable, another transport): the sweeper then waits
    for its unconditional bound instead. Reads kombu's Redis channel (its queue length over
    the priority lists, and the `unacked` hash, whose entries are few: at most one running and
    one reserved task per pool process, plus retries waiting), so a kombu upgrade is covered by
    tests/reminders/test_sweep_broker.py against a real Redis and a real worker.
    """
    from portal.celery import app

    # Every task goes to the default queue (no routes are configured).
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)  # a sweep never waits on a dead Redis
            channel = connection.default_channel
            if not hasattr(channel, "unacked_key"):  # not Redis
                return False
            if channel._size(queue):
                return False
            for entry in channel.client.hvals(channel.unacked_key):
                message, _exchange, routing_key = json.loads(entry)
                # Only a send task counts: the sweep asking is itself unacknowledged.
                if routing_key == queue and message["headers"].get("task") == SEND_TASK:
                    return False
            return True
    except Exception:  # noqa: BLE001 - any failure means "cannot tell"
        # No traceback: Redis being down is an operator's matter (/healthz/ says so).
        logger.warning("reminder sweeper could not read the broker's queue")
        return False
