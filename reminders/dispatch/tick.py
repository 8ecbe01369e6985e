"""The tick: claim every due reminder, record its delivery, move the setting on; release the
snoozes whose time has come."""

import datetime
import zoneinfo

import psycopg
from django.db import connection, transaction

from reminders import scheduling
from reminders.dispatch.send import enqueue
from reminders.models import (
    ChannelChoice,
    Delivery,
    DeliveryStatus,
    ReminderKind,
    ReminderSetting,
)

CLAIM_BATCH = 2000  # settings locked per transaction by the tick


def _array_cursor() -> psycopg.Cursor:
    """A psycopg cursor on Django's connection (in its transaction) that sends parameters
    separately, in binary (%b): arrays of thousands of values are dumped in C. Django's
    cursors bind client-side, quoting each element in Python."""
    return psycopg.Cursor(connection.connection)


def _save_next_due(rows: list[tuple[int, datetime.datetime | None]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        # One UPDATE … FROM unnest(arrays): two parameters whatever the batch size. (Django's
        # bulk_update builds a CASE per row, and a VALUES list of placeholders costs the
        # client more to bind than the server takes to run it.)
        ids, dues = zip(*rows, strict=True)
        with connection.wrap_database_errors, _array_cursor() as cursor:
            cursor.execute(
                f"UPDATE {ReminderSetting._meta.db_table} AS s SET next_due_at = v.due "  # noqa: S608 - no values in it  # nosec B608
                "FROM unnest(%b::bigint[], %b::timestamptz[]) AS v(id, due) WHERE s.id = v.id",
                [list(ids), list(dues)],
            )
        return
    ReminderSetting.objects.bulk_update(
        [ReminderSetting(pk=pk, next_due_at=due) for pk, due in rows], ["next_due_at"]
    )


_CLAIM_FIELDS = (
    "pk", "user_id", "kind", "minutes_before", "weekdays", "paused_until", "next_due_at",
    "user__time_zone", "user__bedtime", "user__wake_time", "channel",
)  # fmt: skip


def _insert_deliveries(rows: list[tuple]) -> list[int]:
    """Insert (user_id, kind, local_date, due_at, status, reason, enqueued_at, channel) rows
    as sequence 0, skipping any that already exist for that user, kind, local date and
    channel; ids of new pending ones. (Snoozes, sequence 1 and 2, are never inserted here.)"""
    if connection.vendor == "postgresql":
        # One INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING RETURNING: one
        # parameter per column, no model instances, no read-back.
        columns = [list(column) for column in zip(*rows, strict=True)]
        with connection.wrap_database_errors, _array_cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Delivery._meta.db_table} (user_id, kind, local_date, due_at, "  # noqa: S608 - no values in it  # nosec B608
                "status, reason, attempts, redeliveries, enqueued_at, channel, created_at) "
                "SELECT u, k, d, due, s, r, 0, 0, e, c, now() FROM unnest(%b::bigint[], "
                "%b::text[], %b::date[], %b::timestamptz[], %b::text[], %b::text[], "
                "%b::timestamptz[], %b::text[]) AS v(u, k, d, due, s, r, e, c) "
                "ON CONFLICT (user_id, kind, local_date, sequence, channel) DO NOTHING "
                "RETURNING id, status",
                columns,
            )
            return [pk for pk, status in cursor.fetchall() if status == DeliveryStatus.PENDING]
    objects = [
        Delivery(
            user_id=user_id, kind=kind, local_date=local_date, due_at=due_at, status=status,
            reason=reason, enqueued_at=enqueued_at, channel=channel,
        )
        for user_id, kind, local_date, due_at, status, reason, enqueued_at, channel in rows
    ]  # fmt: skip
    Delivery.objects.bulk_create(objects, ignore_conflicts=True, batch_size=500)
    wanted = {(d.user_id, d.kind, d.local_date, d.channel) for d in objects if d.enqueued_at}
    return [
        pk
        for pk, *key in Delivery.objects.filter(
            user_id__in={d.user_id for d in objects}, status=DeliveryStatus.PENDING, sequence=0
        ).values_list("pk", "user_id", "kind", "local_date", "channel")
        if tuple(key) in wanted
    ]


def _claim_batch(*, now: datetime.datetime, limit: int) -> tuple[int, list[int]]:
    """One transaction: lock up to `limit` due settings, record deliveries, move them on."""
    with transaction.atomic():
        due = list(
            ReminderSetting.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(enabled=True, next_due_at__isnull=False, next_due_at__lte=now)
            .order_by("next_due_at")
            .values_list(*_CLAIM_FIELDS)[:limit]
        )
        if not due:
            return 0, []
        rows, next_rows = [], []
        for pk, user_id, kind, before, weekdays, paused, due_at, zone_name, bed, wake, how in due:
            stale = scheduling.is_stale(due_at=due_at, now=now)
            local_date = scheduling.local_date_of(due_at, zoneinfo.ZoneInfo(zone_name))
            # One delivery per chosen channel, in this same transaction.
            rows.extend(
                (
                    user_id,
                    kind,
                    local_date,
                    due_at,
                    DeliveryStatus.SKIPPED if stale else DeliveryStatus.PENDING,
                    "too_late" if stale else "",
                    None if stale else now,
                    channel,
                )
                for channel in ChannelChoice.channels(how)
            )
            at = (
                wake
                if kind == ReminderKind.MORNING
                else scheduling.send_time_for(bedtime=bed, minutes_before=before)
            )
            next_rows.append(
                (
                    pk,
                    scheduling.next_due(
                        at=at,
                        zone_name=zone_name,
                        after=max(now, due_at),
                        weekdays=weekdays,
                        paused_until=paused,
                    ),
                )
            )
        ids = _insert_deliveries(rows)
        _save_next_due(next_rows)
        transaction.on_commit(lambda: enqueue(ids))
        return len(due), ids


def snoozes_release(*, now: datetime.datetime) -> list[int]:
    """Enqueue the snoozed reminders now due: one query on a partial index of the waiting
    ones (a handful, not the fan-out), locked so that two ticks release each once."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(
                enqueued_at__isnull=True,
                sequence__gt=0,
                due_at__lte=now,
                status=DeliveryStatus.PENDING,
            )
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(lambda: enqueue(ids))
    return ids


def reminders_claim_due(*, now: datetime.datetime, batch_size: int = CLAIM_BATCH) -> int:
    """The tick: claim every due reminder in batches and enqueue its sending, then release
    the snoozes due by `now`. Returns how many settings were claimed."""
    snoozes_release(now=now)
    total = 0
    while True:
        claimed, _ = _claim_batch(now=now, limit=batch_size)
        total += claimed
        if claimed < batch_size:
            return total
