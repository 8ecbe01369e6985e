"""The sweeper: recover deliveries a crashed or killed worker left behind."""

import datetime
import logging

from django.db import transaction
from django.db.models import F

from reminders.dispatch.send import enqueue
from reminders.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

STUCK_PENDING = datetime.timedelta(minutes=5)  # a pending row no task took for this long
# A pending row no task took for this long is re-enqueued sooner when the broker holds no
# message at all for the send queue (none waiting, none unacknowledged): its task was lost
# with Redis. 90 s: well past the tick's own enqueue after commit (seconds, even for a
# 100,000-reminder minute), and three sweeps (every 30 s) before STUCK_PENDING, which stays
# the bound whatever the broker says (a task can also sit unacknowledged in Redis for its 1 h
# visibility timeout after a worker's main process was killed).
LOST_PENDING = datetime.timedelta(seconds=90)
MAX_REDELIVERIES = 3  # sweeper re-enqueues per delivery before it is marked failed
# How far back the sweeper looks, by due instant (indexed). Well past the 2-hour catch-up:
# what it re-enqueues after that is closed as too late by the sender, not sent. A delivery
# left open longer (the sweeper itself down for a day) stays open, and is never sent.
SWEEP_WINDOW = datetime.timedelta(days=1)


def deliveries_sweep(*, now: datetime.datetime, queue_empty: bool = False) -> int:
    """Recover deliveries a crash left behind; re-enqueue them. Returns how many.

    - `sending` past its lease: the process sending it died (pool child or main process);
    - `pending` and enqueued more than STUCK_PENDING ago: its task was lost, or sits
      unacknowledged in Redis until the visibility timeout (1 h) after the main worker
      process was killed;
    - `pending`, enqueued more than LOST_PENDING ago, and `queue_empty` (the caller read the
      broker: no message waiting or unacknowledged for the send queue): its task is nowhere,
      as after Redis came back empty. A row whose task is still queued behind others is
      left alone (the queue is not empty), so a busy minute is not enqueued twice.
    Re-enqueueing a pending row never sends twice (only pending rows are leased), so the
    bound on duplicates (one per killed sender) is untouched.
    Each re-enqueue counts; past MAX_REDELIVERIES the delivery fails instead of looping.
    Only deliveries due within SWEEP_WINDOW are looked at.
    """
    with transaction.atomic():
        recent = Delivery.objects.filter(due_at__gte=now - SWEEP_WINDOW)
        expired = recent.filter(status=DeliveryStatus.SENDING, lease_until__lt=now)
        waited = LOST_PENDING if queue_empty else STUCK_PENDING
        stuck = recent.filter(status=DeliveryStatus.PENDING, enqueued_at__lt=now - waited)
        candidates = list(
            (expired | stuck).select_for_update(skip_locked=True).values_list("pk", flat=True)
        )
        if not candidates:
            return 0
        rows = Delivery.objects.filter(pk__in=candidates)
        rows.filter(redeliveries__gte=MAX_REDELIVERIES).update(
            status=DeliveryStatus.FAILED, reason="redelivery_limit", lease_until=None
        )
        ids = list(
            rows.exclude(status=DeliveryStatus.FAILED).values_list("pk", flat=True).order_by("pk")
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING,
            lease_until=None,
            enqueued_at=now,
            redeliveries=F("redeliveries") + 1,
        )
        transaction.on_commit(lambda: enqueue(ids))
    if ids:
        logger.info("reminder sweeper re-enqueued %s deliveries", len(ids))
    return len(ids)
