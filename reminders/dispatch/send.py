"""Sending: lease a chunk of pending deliveries, send each through its channel (email over
one SMTP connection, push through one HTTP session), mark each sent as it goes."""

import dataclasses
import datetime
import logging
import time
from collections.abc import Iterable

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from psycopg import pq

from reminders import scheduling, selectors
from reminders.dispatch.push import PushTransport
from reminders.dispatch.smtp import EmailTransport
from reminders.dispatch.transport import ChannelDown, Refused, RetryLater, Transport
from reminders.emails import DeliveryToSend
from reminders.models import Channel, Delivery, DeliveryStatus, ReminderKind, ReminderSetting
from tracker import selectors as tracker_selectors
from tracker.amounts import mg_text
from tracker.evening import evening_of

logger = logging.getLogger(__name__)

SEND_CHUNK = 500  # deliveries per send task, sent over one SMTP connection
# A sender's lease is short and renewed while it sends: when its process dies, what it had
# not sent is free again after LEASE and re-enqueued by the next sweep (every 30 s), so it
# goes out within about two minutes, not after the whole chunk's time. A live sender renews
# after LEASE_RENEW_AFTER seconds of sending; one message takes at most EMAIL_TIMEOUT (30 s),
# so a renewal always comes before the lease runs out (20 + 30 < 75).
LEASE = datetime.timedelta(seconds=75)
LEASE_RENEW_AFTER = 20.0
MAX_ATTEMPTS = 5  # attempts per delivery (SMTP, or a push service) before it is marked failed


class TransientSendError(Exception):
    """A channel (the SMTP server, a push service) failed for a while; the deliveries it did
    not take went back to pending. `retry_after`: seconds a push service asked to wait."""

    def __init__(self, message: str = "", *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def enqueue(delivery_ids: list[int]) -> None:
    """One send task per chunk of ids (called after commit)."""
    # A real cycle: tasks.py imports this package to run it, so the task is looked up here.
    from reminders.tasks import deliveries_send_task

    for start in range(0, len(delivery_ids), SEND_CHUNK):
        deliveries_send_task.delay(delivery_ids[start : start + SEND_CHUNK])


def _already_logged(deliveries: list[DeliveryToSend]) -> set[int]:
    """Ids of the evening deliveries whose user already logged a dose (or, blinded, the
    capsule) that evening."""
    asked = {d.pk: (d.user_id, evening_of(d.due_at, d.zone, d.wake_time)) for d in deliveries}
    dosed = tracker_selectors.evenings_taken(pairs=set(asked.values()))
    return {pk for pk, pair in asked.items() if pair in dosed}


# The reminder setting of the delivery's user and kind, if it is still on.
_SETTING = ReminderSetting.objects.filter(
    user_id=OuterRef("user_id"), kind=OuterRef("kind"), enabled=True
)
_LEASE_COLUMNS = (
    "pk", "user_id", "kind", "local_date", "due_at", "user__email", "user__display_name",
    "user__language", "user__time_zone", "user__bedtime", "user__wake_time", "sequence",
    "channel",
)  # fmt: skip


def _lease(delivery_ids: Iterable[int], now: datetime.datetime) -> list[DeliveryToSend]:
    """Take the pending deliveries among `delivery_ids`; decide which still go out.

    One locking query reads each delivery with its user, whether its setting is still on
    (and skips evenings with a dose, where the setting or a snooze asks) and whether the
    address is verified; plain tuples, no model instances, as this runs once per chunk of
    hundreds.
    """
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__any_of=list(delivery_ids), status=DeliveryStatus.PENDING)
            .annotate(
                setting_on=Exists(_SETTING),
                skip_if_logged=Exists(_SETTING.filter(skip_if_logged=True)),
                verified=selectors.verified_primary_email(user_id="user_id", email="user__email"),
            )
            .values_list(
                *_LEASE_COLUMNS, "user__is_active", "setting_on", "skip_if_logged", "verified"
            )
            .order_by("pk")
        )
        if not rows:
            return []
        skipped: dict[str, list[int]] = {}
        undecided, wants_skip = [], []
        for *columns, active, setting_on, skip_if_logged, verified in rows:
            delivery = DeliveryToSend(*columns)
            if not active:  # deactivated in the admin ("instead of deleting accounts")
                skipped.setdefault("account_inactive", []).append(delivery.pk)
            elif not setting_on:
                skipped.setdefault("turned_off", []).append(delivery.pk)
            elif not verified and delivery.channel == Channel.EMAIL:
                skipped.setdefault("no_verified_email", []).append(delivery.pk)
            elif scheduling.is_stale(due_at=delivery.due_at, now=now):
                skipped.setdefault("too_late", []).append(delivery.pk)
            else:
                undecided.append(delivery)
                # A snooze asked to be reminded to take it: once it is logged, never sent.
                if delivery.kind == ReminderKind.EVENING and (skip_if_logged or delivery.sequence):
                    wants_skip.append(delivery)
        logged = _already_logged(wants_skip)
        if logged:
            skipped["already_logged"] = sorted(logged)
        for reason, ids in skipped.items():
            Delivery.objects.filter(pk__any_of=ids).update(
                status=DeliveryStatus.SKIPPED, reason=reason, lease_until=None
            )
        leased = _with_experiment([d for d in undecided if d.pk not in logged])
        Delivery.objects.filter(pk__any_of=[d.pk for d in leased]).update(
            status=DeliveryStatus.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
        )
        return leased


def _with_experiment(deliveries: list[DeliveryToSend]) -> list[DeliveryToSend]:
    """Evening deliveries of users in a running experiment carry tonight's allocation (one
    query per chunk); a blinded one says only the packet."""
    evenings = {
        d.user_id: evening_of(d.due_at, d.zone, d.wake_time)
        for d in deliveries
        if d.kind == ReminderKind.EVENING
    }
    tonights = tracker_selectors.experiment_tonights(evenings=evenings)
    if not tonights:
        return deliveries
    out = []
    for delivery in deliveries:
        found = tonights.get(delivery.user_id) if delivery.kind == ReminderKind.EVENING else None
        if found is not None:
            experiment, tonight = found
            if experiment.blinded:
                line = ("packet", str(tonight.packet))
            elif tonight.magnesium:
                line = ("magnesium", mg_text(experiment.dose_elemental_mg))
            else:
                line = ("none", "")
            delivery = dataclasses.replace(delivery, experiment=line)
        out.append(delivery)
    return out


class _LeaseKeeper:
    """Renews a sender's lease on the deliveries it has not sent yet, as it goes."""

    def __init__(self, deadline: datetime.datetime):
        self.deadline = deadline
        self.renewed_at = time.monotonic()

    def due(self) -> bool:
        return time.monotonic() - self.renewed_at >= LEASE_RENEW_AFTER

    def renew(self, ids: list[int]) -> set[int]:
        """Extend the lease on `ids`; returns those still ours. A row is ours while it is
        sending under our deadline: one the sweeper took from a stalled sender is not."""
        deadline = timezone.now() + LEASE
        ours = Delivery.objects.filter(
            pk__any_of=ids, status=DeliveryStatus.SENDING, lease_until=self.deadline
        )
        renewed = ours.update(lease_until=deadline)
        self.deadline, self.renewed_at = deadline, time.monotonic()
        if renewed == len(ids):
            return set(ids)
        return set(
            Delivery.objects.filter(
                pk__any_of=ids, status=DeliveryStatus.SENDING, lease_until=deadline
            ).values_list("pk", flat=True)
        )


def _drop(ids: list[int]) -> set[int]:
    """Rows a sender did not send because the check before it failed; all are no longer its
    own. A row of a deactivated account is closed here (skipped); a deleted account's rows
    are gone, and a row the sweeper took back is another sender's."""
    if ids:
        Delivery.objects.filter(
            pk__in=ids, status=DeliveryStatus.SENDING, user__is_active=False
        ).update(status=DeliveryStatus.SKIPPED, reason="account_inactive", lease_until=None)
    return set(ids)


def _release(deliveries: list[DeliveryToSend], reason: str) -> None:
    """Back to pending after a transient failure; failed once out of attempts."""
    ids = [d.pk for d in deliveries]
    open_rows = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING)
    open_rows.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED, reason=reason, lease_until=None
    )
    open_rows.update(status=DeliveryStatus.PENDING, reason=reason, lease_until=None)


_USERS = Delivery._meta.get_field("user").related_model._meta.db_table
_MARK_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET status = '{DeliveryStatus.SENT}', "  # noqa: S608 - constants  # nosec B608
    "sent_at = %s, lease_until = NULL, reason = '' "
    f"WHERE id = %s AND status = '{DeliveryStatus.SENDING}'"
)
# Whether a leased row may still go out: it exists (deleting an account deletes its rows),
# is still sending (not taken back by the sweeper) and its account is active.
_STILL_OURS = (
    f"SELECT EXISTS (SELECT 1 FROM {Delivery._meta.db_table} d JOIN {_USERS} u "  # noqa: S608 - constants  # nosec B608
    f"ON u.id = d.user_id WHERE d.id = %s AND d.status = '{DeliveryStatus.SENDING}' "
    "AND u.is_active)"
)
# Both in one statement, one round trip: mark one row sent, ask about the next one. (A
# data-modifying WITH runs to completion whether or not the query reads it.)
_MARK_SENT_THEN_CHECK = f"WITH sent AS ({_MARK_SENT}) {_STILL_OURS}"


def _libpq(statement: str) -> bytes:
    """The statement with libpq's numbered placeholders."""
    parts = statement.split("%s")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], 1)).encode() + (
        parts[-1].encode()
    )


# Their server-side names on each connection.
_PREPARED = {
    b"restwell_mark_sent_then_check": _libpq(_MARK_SENT_THEN_CHECK),
    b"restwell_still_ours": _libpq(_STILL_OURS),
}
_ALREADY_PREPARED = b"42P05"  # duplicate_prepared_statement
_NO_ROW = b"0"  # an id no row has: "nothing to check next"


class SentMarks:
    """Commits each accepted message as sent, before the next one is sent: one autocommitted
    statement per message, on the connection of the chunk that sends it. The same statement
    answers whether the next row may still go out (`check`), so the check just before each
    message costs no round trip of its own.

    On PostgreSQL this is the hottest statement of a fan-out, so it runs as a server-side
    prepared statement straight through libpq (psycopg's `pq` layer, which releases the GIL
    while it waits): parsed and planned once per connection, one C call per message (17-21 µs
    of client CPU per mark, against 43 µs through a reused psycopg cursor and 80 µs through
    Django's). The connection stays Django's: errors are Django's, and a broken connection
    is noticed and replaced by Django as after any query of its own. (Behind PgBouncer in
    transaction mode this needs PgBouncer 1.21+ with max_prepared_statements set.)
    """

    def __init__(self):
        self._db = connections[DEFAULT_DB_ALIAS]
        self._db.ensure_connection()
        self._pgconn = None
        if self._db.vendor == "postgresql" and self._db.get_autocommit():
            pgconn = self._db.connection.pgconn
            for name, statement in _PREPARED.items():
                result = pgconn.prepare(name, statement)
                if result.status != pq.ExecStatus.COMMAND_OK:
                    if result.error_field(pq.DiagnosticField.SQLSTATE) != _ALREADY_PREPARED:
                        self._raise(result)
            self._pgconn = pgconn

    def check(self, delivery_id: int) -> bool:
        """Whether the leased row may still go out (see _STILL_OURS)."""
        if self._pgconn is None:
            with self._db.cursor() as cursor:
                cursor.execute(_STILL_OURS, [delivery_id])
                return bool(cursor.fetchone()[0])
        return self._run(b"restwell_still_ours", [b"%d" % delivery_id])

    def mark(self, delivery_id: int, *, then_check: int | None = None) -> bool:
        """Commit the row as sent; returns check(then_check) (False when None)."""
        sent_at = datetime.datetime.now(datetime.UTC)
        if self._pgconn is None:  # SQLite, or inside a transaction (tests): through Django
            with self._db.cursor() as cursor:
                cursor.execute(_MARK_SENT, [sent_at, delivery_id])
            return then_check is not None and self.check(then_check)
        next_id = _NO_ROW if then_check is None else b"%d" % then_check
        return self._run(
            b"restwell_mark_sent_then_check",
            [sent_at.isoformat().encode(), b"%d" % delivery_id, next_id],
        )

    def _run(self, name: bytes, params: list[bytes]) -> bool:
        result = self._pgconn.exec_prepared(name, params)
        if result.status != pq.ExecStatus.TUPLES_OK:
            self._raise(result)
        return result.get_value(0, 0) == b"t"

    def _raise(self, result) -> None:
        with self._db.wrap_database_errors:
            raise psycopg.errors.error_from_result(result)


def _transports() -> dict[str, Transport]:
    # Email first: a chunk's push deliveries wait for its emails, not the other way round.
    return {Channel.EMAIL: EmailTransport(), Channel.PUSH: PushTransport()}


def deliveries_send(*, delivery_ids: list[int], now: datetime.datetime | None = None) -> int:
    """Send the pending deliveries among `delivery_ids`, each through its channel's
    transport (one SMTP connection, one HTTP session for push).

    Safe to repeat: only pending rows are leased, and a row is committed as sent right after
    its channel accepted it. Raises TransientSendError (the task retries with backoff) when a
    channel or some deliveries failed for a while; those rows are back to pending by then.
    """
    now = now or timezone.now()
    leased = _lease(delivery_ids, now)
    if not leased:
        return 0
    transports = _transports()
    order = list(transports)
    leased.sort(key=lambda d: order.index(d.channel))  # stable: by id within a channel
    lease = _LeaseKeeper(now + LEASE)
    lost: set[int] = set()  # rows the sweeper gave to another sender while this one stalled
    done: set[int] = set()  # rows this sender closed (sent, failed or skipped)
    opened: dict[str, Transport] = {}
    down: dict[str, str] = {}  # channel → why it failed
    later: dict[int, RetryLater] = {}  # rows to retry, with why
    checked: dict[int | None, bool] = {}  # may the next row go out, asked by the last mark
    dropped: list[int] = []  # rows found deleted, no longer sending, or of an inactive account
    sent = 0
    try:
        marks = SentMarks()
        for index, delivery in enumerate(leased):
            if lease.due():
                remaining = [d.pk for d in leased[index:] if d.pk not in lost]
                lost |= set(remaining) - lease.renew(remaining)
            channel = delivery.channel
            may_send = checked.pop(delivery.pk, None)
            if delivery.pk in lost or channel in down:
                continue
            transport = opened.get(channel)
            try:
                if transport is None:
                    transport = transports[channel]
                    transport.open([d for d in leased if d.channel == channel])
                    opened[channel] = transport
                    may_send = None  # asked before the channel opened: ask again
                # Right before the message is handed over: the account may have been
                # deleted (or deactivated) since the lease. Usually answered by the
                # previous message's mark, a moment ago; asked on its own otherwise.
                if not (may_send if may_send is not None else marks.check(delivery.pk)):
                    dropped.append(delivery.pk)
                    continue
                transport.transmit(delivery)
            except Refused as refused:
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=refused.status, reason=refused.reason, lease_until=None
                )
                done.add(delivery.pk)
                continue
            except RetryLater as retry:
                later[delivery.pk] = retry
                continue
            except ChannelDown as error:
                down[channel] = error.reason
                continue
            following = leased[index + 1].pk if index + 1 < len(leased) else None
            checked[following] = marks.mark(delivery.pk, then_check=following)
            done.add(delivery.pk)
            sent += 1
    finally:
        for transport in opened.values():
            transport.close()
    lost |= _drop(dropped)
    unsent = [d for d in leased if d.pk not in done and d.pk not in lost]
    for channel, reason in down.items():
        _release([d for d in unsent if d.channel == channel and d.pk not in later], reason)
    for reason in {retry.reason for retry in later.values()}:
        _release([d for d in unsent if d.pk in later and later[d.pk].reason == reason], reason)
    if down or later:
        waits = [retry.retry_after for retry in later.values() if retry.retry_after]
        raise TransientSendError(
            ", ".join(sorted({*down.values(), *(r.reason for r in later.values())})),
            retry_after=max(waits, default=None),
        )
    return sent


def deliveries_fail(*, delivery_ids: list[int], reason: str) -> None:
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, reason=reason
    )
