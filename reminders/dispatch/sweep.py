"""The sweeper: recover deliveries a crashed or killed worker left behind."""

import datetime
import logging

from django.db import transaction
from django.db.models import F

from reminders.dispatch.send import enqueue
from reminders.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

STUCK_PENDING = datetime.timedelta(minutes=5)  # a pending row no task took for this long
MAX_REDELIVERIES = 3  # sweeper re-enqueues per delivery before it is marked failed
# How far back the sweeper looks, by due instant (indexed). Well past the 2-hour catch-up:
# what it re-enqueues after that is closed as too late by the sender, not sent. A delivery
# left open longer (the sweeper itself down for a day) stays open, and is never sent.
SWEEP_WINDOW = datetime.timedelta(days=1)


def deliveries_sweep(*, now: datetime.datetime) -> int:
    """Recover deliveries a crash left behind; re-enqueue them. Returns how many.

    - `sending` past its lease: the process sending it died (pool child or main process);
    - `pending` and enqueued more than STUCK_PENDING ago: its task was lost, or sits
      unacknowledged in Redis until the visibility timeout (1 h) after the main worker
      process was killed.
    Each re-enqueue counts; past MAX_REDELIVERIES the delivery fails instead of looping.
    Only deliveries due within SWEEP_WINDOW are looked at.
    """
    with transaction.atomic():
        recent = Delivery.objects.filter(due_at__gte=now - SWEEP_WINDOW)
        expired = recent.filter(status=DeliveryStatus.SENDING, lease_until__lt=now)
        stuck = recent.filter(status=DeliveryStatus.PENDING, enqueued_at__lt=now - STUCK_PENDING)
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
