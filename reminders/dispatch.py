"""The delivery pipeline: claim due reminders (tick), send them in chunks, sweep stragglers.

Exactly once, as far as SMTP allows:
- the tick locks due settings (`SKIP LOCKED` on PostgreSQL, so parallel ticks share the work)
  and, in the same transaction, creates one Delivery per user, kind and local date (unique)
  and moves each setting's next due instant forward;
- a sender takes a chunk of delivery ids, leases the pending ones (pending → sending, with a
  lease deadline) in one short transaction, sends them over one SMTP connection, and commits
  each as sent right after the server accepted it;
- the sweeper puts expired leases back to pending (the one message in flight when a process
  died may go twice) and re-enqueues pending rows that no task picked up; a redelivery
  counter turns a poison delivery into a failure instead of a loop.
"""

import datetime
import logging
import smtplib
import zoneinfo
from collections.abc import Iterable

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from reminders import scheduling, selectors
from reminders.emails import renderer_get
from reminders.models import Delivery, DeliveryStatus, ReminderKind, ReminderSetting
from tracker import selectors as tracker_selectors

logger = logging.getLogger(__name__)

CLAIM_BATCH = 2000  # settings locked per transaction by the tick
SEND_CHUNK = 250  # deliveries per send task, sent over one SMTP connection
LEASE = datetime.timedelta(minutes=10)  # longer than CELERY_TASK_TIME_LIMIT
STUCK_PENDING = datetime.timedelta(minutes=5)  # a pending row no task took for this long
MAX_ATTEMPTS = 5  # SMTP attempts per delivery before it is marked failed
MAX_REDELIVERIES = 3  # sweeper re-enqueues per delivery before it is marked failed


class TransientSendError(Exception):
    """The SMTP server or connection failed; the remaining deliveries went back to pending."""


def _enqueue(delivery_ids: list[int]) -> None:
    from reminders.tasks import deliveries_send_task

    for start in range(0, len(delivery_ids), SEND_CHUNK):
        deliveries_send_task.delay(delivery_ids[start : start + SEND_CHUNK])


def _save_next_due(rows: list[tuple[int, datetime.datetime | None]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        # One UPDATE … FROM (VALUES …): Django's bulk_update builds a CASE per row, which
        # grows quadratically with the batch.
        values = ", ".join(["(%s, %s::timestamptz)"] * len(rows))
        params = [p for row in rows for p in row]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ReminderSetting._meta.db_table} AS s SET next_due_at = v.due "  # noqa: S608 - placeholders only
                f"FROM (VALUES {values}) AS v(id, due) WHERE s.id = v.id",
                params,
            )
        return
    ReminderSetting.objects.bulk_update(
        [ReminderSetting(pk=pk, next_due_at=due) for pk, due in rows], ["next_due_at"]
    )


_CLAIM_FIELDS = (
    "pk", "user_id", "kind", "minutes_before", "weekdays", "paused_until", "next_due_at",
    "user__time_zone", "user__bedtime", "user__wake_time",
)  # fmt: skip


def _insert_deliveries(rows: list[tuple]) -> list[int]:
    """Insert (user_id, kind, local_date, due_at, status, reason, enqueued_at) rows, skipping
    any that already exist for that user, kind and local date; ids of new pending ones."""
    if connection.vendor == "postgresql":
        # One INSERT … ON CONFLICT DO NOTHING RETURNING: no model instances, no read-back.
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, 0, 0, %s, now())"] * len(rows))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Delivery._meta.db_table} (user_id, kind, local_date, due_at, "  # noqa: S608
                "status, reason, attempts, redeliveries, enqueued_at, created_at) "
                f"VALUES {values} ON CONFLICT (user_id, kind, local_date) DO NOTHING "
                "RETURNING id, status",
                [value for row in rows for value in row],
            )
            return [pk for pk, status in cursor.fetchall() if status == DeliveryStatus.PENDING]
    objects = [
        Delivery(
            user_id=user_id, kind=kind, local_date=local_date, due_at=due_at, status=status,
            reason=reason, enqueued_at=enqueued_at,
        )
        for user_id, kind, local_date, due_at, status, reason, enqueued_at in rows
    ]  # fmt: skip
    Delivery.objects.bulk_create(objects, ignore_conflicts=True, batch_size=500)
    wanted = {(d.user_id, d.kind, d.local_date) for d in objects if d.enqueued_at}
    return [
        pk
        for pk, user_id, kind, local_date in Delivery.objects.filter(
            user_id__in={d.user_id for d in objects}, status=DeliveryStatus.PENDING
        ).values_list("pk", "user_id", "kind", "local_date")
        if (user_id, kind, local_date) in wanted
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
        for pk, user_id, kind, before, weekdays, paused, due_at, zone_name, bed, wake in due:
            stale = scheduling.is_stale(due_at=due_at, now=now)
            rows.append(
                (
                    user_id,
                    kind,
                    scheduling.local_date_of(due_at, zoneinfo.ZoneInfo(zone_name)),
                    due_at,
                    DeliveryStatus.SKIPPED if stale else DeliveryStatus.PENDING,
                    "too_late" if stale else "",
                    None if stale else now,
                )
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
        transaction.on_commit(lambda: _enqueue(ids))
        return len(due), ids


def reminders_claim_due(*, now: datetime.datetime, batch_size: int = CLAIM_BATCH) -> int:
    """The tick: claim every due reminder in batches and enqueue its sending. Returns count."""
    total = 0
    while True:
        claimed, _ = _claim_batch(now=now, limit=batch_size)
        total += claimed
        if claimed < batch_size:
            return total


def _already_logged(deliveries: list[Delivery], wants_skip: set[tuple[int, str]]) -> set[int]:
    """Ids of evening deliveries whose user already logged a dose that evening."""
    from tracker.evening import evening_of

    asked = {
        d.pk: (d.user_id, evening_of(d.due_at, d.user.zone))
        for d in deliveries
        if d.kind == ReminderKind.EVENING and (d.user_id, d.kind) in wants_skip
    }
    dosed = tracker_selectors.evenings_with_dose(pairs=set(asked.values()))
    return {pk for pk, pair in asked.items() if pair in dosed}


def _lease(delivery_ids: Iterable[int], now: datetime.datetime) -> list[Delivery]:
    """Take the pending deliveries among `delivery_ids`; decide which still go out."""
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(delivery_ids), status=DeliveryStatus.PENDING)
            .select_related("user")
            .order_by("pk")
        )
        if not rows:
            return []
        active = {
            (user_id, kind): skip_if_logged
            for user_id, kind, skip_if_logged in ReminderSetting.objects.filter(
                user_id__in={d.user_id for d in rows}, enabled=True
            ).values_list("user_id", "kind", "skip_if_logged")
        }
        verified = selectors.users_with_verified_primary_email(users=(d.user for d in rows))
        skipped: dict[str, list[int]] = {}
        for d in rows:
            if (d.user_id, d.kind) not in active:
                skipped.setdefault("turned_off", []).append(d.pk)
            elif d.user_id not in verified:
                skipped.setdefault("no_verified_email", []).append(d.pk)
            elif scheduling.is_stale(due_at=d.due_at, now=now):
                skipped.setdefault("too_late", []).append(d.pk)
        undecided = [d for d in rows if not any(d.pk in ids for ids in skipped.values())]
        wants_skip = {key for key, skip in active.items() if skip}
        logged = _already_logged(undecided, wants_skip)
        if logged:
            skipped["already_logged"] = sorted(logged)
        for reason, ids in skipped.items():
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.SKIPPED, reason=reason, lease_until=None
            )
        leased = [d for d in undecided if d.pk not in logged]
        Delivery.objects.filter(pk__in=[d.pk for d in leased]).update(
            status=DeliveryStatus.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
        )
        return leased


def _release(deliveries: list[Delivery], reason: str) -> None:
    """Back to pending after a transient failure; failed once out of attempts."""
    ids = [d.pk for d in deliveries]
    open_rows = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING)
    open_rows.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED, reason=reason, lease_until=None
    )
    open_rows.update(status=DeliveryStatus.PENDING, reason=reason, lease_until=None)


def _permanent(error: Exception) -> bool:
    """A 5xx answer about this message or recipient: retrying would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(error, smtplib.SMTPResponseException) and code is not None and code >= 500


def _mark_sent(delivery_id: int) -> None:
    # One autocommitted UPDATE per accepted message (raw SQL: the ORM's per-call overhead
    # is a measurable share of the per-message budget at fan-out scale).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, "  # noqa: S608
            "lease_until = NULL, reason = '' WHERE id = %s AND status = %s",
            [DeliveryStatus.SENT, timezone.now(), delivery_id, DeliveryStatus.SENDING],
        )


def deliveries_send(*, delivery_ids: list[int], now: datetime.datetime | None = None) -> int:
    """Send the pending deliveries among `delivery_ids` over one SMTP connection.

    Safe to repeat: only pending rows are leased, and a row is committed as sent right after
    the server accepted it. Raises TransientSendError (the task retries with backoff) when the
    server or connection fails; the unsent rows are back to pending by then.
    """
    leased = _lease(delivery_ids, now or timezone.now())
    if not leased:
        return 0
    renderer = renderer_get()
    backend = get_connection(fail_silently=False)
    sent = 0
    try:
        backend.open()
    except (smtplib.SMTPException, OSError) as error:
        _release(leased, "smtp_connect")
        raise TransientSendError(type(error).__name__) from error
    # Django's SMTP backend: hand smtplib the bytes we built. Any other backend (a provider
    # through anymail, the test outbox): an EmailMessage with the same parts.
    raw_smtp = backend.connection if isinstance(backend, SmtpBackend) else None
    try:
        for index, delivery in enumerate(leased):
            outgoing = renderer.outgoing(delivery)
            try:
                if raw_smtp is not None and outgoing.to.isascii():
                    raw_smtp.sendmail(renderer.envelope_from, [outgoing.to], renderer.raw(outgoing))
                else:
                    backend.send_messages([outgoing.as_email_message()])
            except (smtplib.SMTPException, OSError) as error:
                if _permanent(error):
                    Delivery.objects.filter(pk=delivery.pk).update(
                        status=DeliveryStatus.FAILED, reason="smtp_rejected", lease_until=None
                    )
                    logger.warning("reminder delivery %s rejected by SMTP", delivery.pk)
                    continue
                _release(leased[index:], "smtp_error")
                raise TransientSendError(type(error).__name__) from error
            _mark_sent(delivery.pk)
            sent += 1
    finally:
        try:
            backend.close()
        except (smtplib.SMTPException, OSError):
            logger.info("SMTP connection closed uncleanly")
    return sent


def deliveries_fail(*, delivery_ids: list[int], reason: str) -> None:
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, reason=reason
    )


def deliveries_sweep(*, now: datetime.datetime) -> int:
    """Recover deliveries a crash left behind; re-enqueue them. Returns how many.

    - `sending` past its lease: the process sending it died (pool child or main process);
    - `pending` and enqueued more than STUCK_PENDING ago: its task was lost, or sits
      unacknowledged in Redis until the visibility timeout (1 h) after the main worker
      process was killed.
    Each re-enqueue counts; past MAX_REDELIVERIES the delivery fails instead of looping.
    """
    with transaction.atomic():
        expired = Delivery.objects.filter(status=DeliveryStatus.SENDING, lease_until__lt=now)
        stuck = Delivery.objects.filter(
            status=DeliveryStatus.PENDING, enqueued_at__lt=now - STUCK_PENDING
        )
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
        transaction.on_commit(lambda: _enqueue(ids))
    if ids:
        logger.info("reminder sweeper re-enqueued %s deliveries", len(ids))
    return len(ids)
