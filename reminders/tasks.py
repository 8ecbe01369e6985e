"""Celery tasks for reminders: they take ids (or nothing), call a service, return nothing.

No address, name or health value is ever a task argument, so none reaches the broker, the
result store or the worker's log.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from reminders import dispatch

# Backoff for SMTP or push service trouble: 15 s, 30 s, 60 s, 120 s, 240 s (or a push
# service's Retry-After, up to the same cap). Kept to minutes on purpose: Redis
# redelivers a task with a longer ETA after its visibility timeout, a second copy.
RETRY_BASE_SECONDS = 15
RETRY_MAX_SECONDS = 240


def _now(now: str | None) -> datetime.datetime:
    # Tests pass the instant (time-machine does not reach a worker process); beat does not.
    return datetime.datetime.fromisoformat(now) if now else timezone.now()


@shared_task(name="reminders.tasks.reminders_tick", ignore_result=True)
def reminders_tick_task(now: str | None = None) -> None:
    """Claim every due reminder and enqueue its sending.

    Safe to repeat or run twice at once: settings are locked with SKIP LOCKED and moved to
    their next due instant in the same transaction that records the delivery (unique per
    user, kind and local date).
    """
    dispatch.reminders_claim_due(now=_now(now))


@shared_task(
    bind=True,
    name="reminders.tasks.deliveries_send",
    ignore_result=True,
    max_retries=5,
    acks_late=True,
)
def deliveries_send_task(self, delivery_ids: list[int]) -> None:
    """Send a chunk of deliveries: email over one SMTP connection, push through one session.

    Safe to repeat: only pending deliveries are taken, each is marked sent right after its
    channel accepted it, so a retry or a redelivered copy sends only what is still pending.
    """
    try:
        dispatch.deliveries_send(delivery_ids=delivery_ids)
    except dispatch.TransientSendError as error:
        if self.request.retries >= self.max_retries:
            dispatch.deliveries_fail(delivery_ids=delivery_ids, reason="send_retries")
            return
        countdown = max(RETRY_BASE_SECONDS * 2**self.request.retries, error.retry_after or 0)
        countdown = min(RETRY_MAX_SECONDS, countdown)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="reminders.tasks.deliveries_sweep", ignore_result=True)
def deliveries_sweep_task(now: str | None = None) -> None:
    """Re-enqueue deliveries a crashed or killed worker left behind.

    Safe to repeat: it only touches rows past their lease or long pending, and a duplicate
    enqueue is harmless (only pending rows are ever sent). The broker is read before the
    rows: a send task published after that read is either a retry of one the read already
    saw (so it answered "not empty") or carries rows enqueued after it, younger than
    LOST_PENDING.
    """
    queue_empty = dispatch.send_queue_empty()
    dispatch.deliveries_sweep(now=_now(now), queue_empty=queue_empty)


@shared_task(name="reminders.tasks.deliveries_purge", ignore_result=True)
def deliveries_purge_task(now: str | None = None) -> None:
    """Delete delivery rows past their retention, in batches.

    Safe to repeat: it deletes only rows due before the cutoff, which nothing reads or
    re-creates as sendable (the tick records so old a due instant as too late).
    """
    dispatch.deliveries_purge(now=_now(now))
