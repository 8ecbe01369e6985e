"""Sending: lease a chunk of pending deliveries, send them over one SMTP connection."""

import datetime
import logging
import smtplib
from collections.abc import Iterable

import psycopg
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

SEND_CHUNK = 250  # deliveries per send task, sent over one SMTP connection
LEASE = datetime.timedelta(minutes=10)  # longer than CELERY_TASK_TIME_LIMIT
MAX_ATTEMPTS = 5  # SMTP attempts per delivery before it is marked failed


class TransientSendError(Exception):
    """The SMTP server or connection failed; the remaining deliveries went back to pending."""


def enqueue(delivery_ids: list[int]) -> None:
    """One send task per chunk of ids (called after commit)."""
    from reminders.tasks import deliveries_send_task

    for start in range(0, len(delivery_ids), SEND_CHUNK):
        deliveries_send_task.delay(delivery_ids[start : start + SEND_CHUNK])


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
            # Only what the email and the checks read: a User row is wide, and building
            # model instances is a visible share of the per-chunk cost.
            .only(
                "user_id",
                "kind",
                "local_date",
                "due_at",
                "status",
                "acted_at",
                "user__email",
                "user__display_name",
                "user__language",
                "user__time_zone",
                "user__bedtime",
            )  # fmt: skip
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


_MARK_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, "  # noqa: S608
    "lease_until = NULL, reason = '' WHERE id = %s AND status = %s"
)

_NEVER_AUTOMATICALLY = 2**31 - 1  # psycopg prepares a query automatically after this many runs


def _mark_sent(delivery_id: int) -> None:
    """One autocommitted UPDATE per accepted message, committed before the next is sent.

    On PostgreSQL it goes straight to psycopg as a server-side prepared statement: parsed
    and planned once per connection instead of once per message, and none of the client-side
    quoting or Django's cursor wrappers, which together were a measurable share of the
    per-message CPU at fan-out scale. (Behind PgBouncer in transaction mode this needs
    PgBouncer 1.21+ with max_prepared_statements set, as psycopg prepares at protocol level.)
    """
    params = [DeliveryStatus.SENT.value, timezone.now(), delivery_id, DeliveryStatus.SENDING.value]
    if connection.vendor == "postgresql" and connection.get_autocommit():
        raw = connection.connection
        if raw.prepare_threshold is None:
            # Django turns automatic preparing off (None), which also ignores prepare=True.
            # Its own queries run on client-side-binding cursors, which never prepare, so
            # this only lets the explicit prepare below take effect; nothing else is prepared
            # automatically at this threshold.
            raw.prepare_threshold = _NEVER_AUTOMATICALLY
        # wrap_database_errors: Django's error classes, and a broken connection is noticed
        # (and replaced) by Django as after any query of its own.
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            cursor.execute(_MARK_SENT, params, prepare=True)
        return
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENT, params)


def deliveries_send(*, delivery_ids: list[int], now: datetime.datetime | None = None) -> int:
    """Send the pending deliveries among `delivery_ids` over one SMTP connection.

    Safe to repeat: only pending rows are leased, and a row is committed as sent right after
    the server accepted it. Raises TransientSendError (the task retries with backoff) when the
    server or connection fails; the unsent rows are back to pending by then.
    """
    leased = _lease(delivery_ids, now or timezone.now())
    if not leased:
        return 0
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
            renderer = renderer_get(language=delivery.user.email_language)
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
