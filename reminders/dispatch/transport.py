"""What a channel plugs into the sender: open, transmit one delivery, close.

The sender (send.py) does the rest the same way for every channel: the lease and its
renewal, marking each delivery sent right after its channel accepted it, putting what was not
sent back to pending, the task's retries with backoff, and the sweeper. A transport only says
how one delivery goes out, and how it failed:

- `Refused`: never for this delivery (closed as failed or skipped, with a reason code);
- `RetryLater`: this delivery only, later (its row goes back to pending; the task retries);
- `ChannelDown`: the channel itself (the connection): every unsent row of that channel goes
  back to pending and the task retries.
"""

from collections.abc import Sequence
from typing import Protocol

from reminders.emails import DeliveryToSend


class Refused(Exception):
    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


class RetryLater(Exception):
    def __init__(self, reason: str, retry_after: int | None = None):
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


class ChannelDown(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Transport(Protocol):
    channel: str

    def open(self, deliveries: Sequence[DeliveryToSend]) -> None:
        """Connect; `deliveries` are all this chunk will send on the channel."""

    def transmit(self, delivery: DeliveryToSend) -> None:
        """Send one; returning means the channel accepted it."""

    def close(self) -> None: ...
