"""The delivery pipeline: claim due reminders (tick), send them in chunks, sweep stragglers.

Exactly once, as far as SMTP allows:
- the tick locks due settings (`SKIP LOCKED` on PostgreSQL, so parallel ticks share the work)
  and, in the same transaction, creates one Delivery per user, kind and local date (unique)
  and moves each setting's next due instant forward;
- a sender takes a chunk of delivery ids, leases the pending ones (pending → sending, with a
  lease deadline) in one short transaction, sends them over one SMTP connection, and commits
  each as sent right after the server accepted it;
- the sweeper puts expired leases back to pending (the one message in flight when a process
  died may go twice) and re-enqueues pending rows that no task picked up (after 5 minutes,
  or 90 s when the broker holds no message for the send queue, as after Redis lost its
  queue); a redelivery counter turns a poison delivery into a failure instead of a loop.

A snooze is one more delivery of the same user, kind and local date with the next sequence
number (1, 2), pending with no `enqueued_at` until the tick releases it at its due instant;
from there it is leased and sent like any other.

Modules: `tick.py` (claim, release snoozes), `send.py` (lease, render, send, mark sent),
`sweep.py`, `broker.py` (is the send queue empty), `purge.py` (old rows).
"""

from reminders.dispatch.broker import send_queue_empty
from reminders.dispatch.purge import deliveries_purge, delivery_retention
from reminders.dispatch.send import (
    LEASE,
    MAX_ATTEMPTS,
    SEND_CHUNK,
    TransientSendError,
    deliveries_fail,
    deliveries_send,
    enqueue,
)
from reminders.dispatch.sweep import (
    LOST_PENDING,
    MAX_REDELIVERIES,
    STUCK_PENDING,
    SWEEP_WINDOW,
    deliveries_sweep,
)
from reminders.dispatch.tick import CLAIM_BATCH, reminders_claim_due, snoozes_release

__all__ = [
    "CLAIM_BATCH",
    "LEASE",
    "LOST_PENDING",
    "MAX_ATTEMPTS",
    "MAX_REDELIVERIES",
    "SEND_CHUNK",
    "STUCK_PENDING",
    "SWEEP_WINDOW",
    "TransientSendError",
    "deliveries_fail",
    "deliveries_purge",
    "deliveries_send",
    "deliveries_sweep",
    "delivery_retention",
    "enqueue",
    "reminders_claim_due",
    "send_queue_empty",
    "snoozes_release",
]
