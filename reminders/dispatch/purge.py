"""Purge: delete delivery rows once nothing can need them (~400 B each, 100 a year per user)."""

import datetime
import logging

from django.conf import settings

from reminders import scheduling, tokens
from reminders.dispatch.sweep import SWEEP_WINDOW
from reminders.models import Delivery

logger = logging.getLogger(__name__)

PURGE_BATCH = 5000  # rows per DELETE: short transactions, no long lock on the table
# Nothing needs a row after its longest link (the unsubscribe link, 60 days) has expired:
# the sweeper looks back one day, the tick and the sender two hours (CATCH_UP), and every
# link reads its delivery row. A shorter configured retention is raised to this floor, so a
# link in an inbox never finds its row gone while it is still valid.
RETENTION_FLOOR = max(max(tokens.MAX_AGE.values()), SWEEP_WINDOW, scheduling.CATCH_UP) + (
    datetime.timedelta(days=1)
)


def delivery_retention() -> datetime.timedelta:
    """How long a delivery row is kept after its due instant (REMINDER_DELIVERY_RETENTION_DAYS,
    90 by default: three months of "did I get my reminder?" in the admin's delivery log)."""
    return max(datetime.timedelta(days=settings.REMINDER_DELIVERY_RETENTION_DAYS), RETENTION_FLOOR)


def deliveries_purge(*, now: datetime.datetime, batch_size: int = PURGE_BATCH) -> int:
    """Delete deliveries due more than the retention before `now`, in batches; how many.

    A purged row can never let a reminder go out again: the tick creates a row only for a
    setting due by now and moves the setting past it in the same transaction, and a row it
    would create for a due instant this old is recorded skipped (`too_late`, past CATCH_UP),
    never sent. Whatever a row's status, it is deleted: one still pending or sending this old
    is never sent either (the sender closes it as too late, and the sweeper no longer looks).
    Idempotent: a second run finds nothing older than the cutoff.
    """
    cutoff = now - delivery_retention()
    old = Delivery.objects.filter(due_at__lt=cutoff)  # reminder_delivery_due_idx
    total = 0
    while True:
        ids = list(old.order_by("due_at").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        # No model points at a delivery and none has delete signals: one DELETE per batch.
        deleted, _by_model = Delivery.objects.filter(pk__in=ids).delete()
        total += deleted
        if len(ids) < batch_size:
            break
    if total:
        logger.info("reminder deliveries purged: %s", total)
    return total
