"""Changes to reminder settings and to a delivery's link state.

The tick, the sender and the sweeper (the delivery pipeline) live in the `dispatch`
package; what the email links change in other apps lives in `flows.reminder_links`.
"""

import datetime
import ipaddress
import secrets
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import User
from portal import vapid
from reminders import scheduling, selectors
from reminders.models import (
    CalendarFeed,
    ChannelChoice,
    Delivery,
    DeliveryStatus,
    PushSubscription,
    ReminderKind,
    ReminderSetting,
)

# Four hours: an "evening" reminder earlier than that is an afternoon one.
MAX_MINUTES_BEFORE = 240


def _minutes_before_message() -> str:
    return _("Enter a number of minutes between 0 and %(top)s.") % {"top": MAX_MINUTES_BEFORE}


# Lazy: the settings form builds its fields at import and shows it in each request's language.
MINUTES_BEFORE_MESSAGE = lazy(_minutes_before_message, str)()


def reminder_schedule_next(
    *, setting: ReminderSetting, user, now: datetime.datetime
) -> datetime.datetime | None:
    """Set (not save) the setting's next due instant after `now`; None when it is off."""
    if not setting.enabled:
        setting.next_due_at = None
        return None
    setting.next_due_at = scheduling.next_due(
        at=selectors.send_time_get(setting=setting, user=user),
        zone_name=user.time_zone,
        after=now,
        weekdays=setting.weekdays,
        paused_until=setting.paused_until,
    )
    return setting.next_due_at


@transaction.atomic
def reminder_setting_update(
    *,
    user,
    kind: str,
    enabled: bool,
    weekdays: int = 0b1111111,
    minutes_before: int = selectors.DEFAULT_MINUTES_BEFORE,
    paused_until: datetime.date | None = None,
    skip_if_logged: bool = True,
    channel: str | None = None,
    now: datetime.datetime | None = None,
) -> ReminderSetting:
    """Save one reminder's settings and recompute its next due instant at once.

    `channel`: email, push or both; None keeps what was saved (email for a new one)."""
    if not 0 <= minutes_before <= MAX_MINUTES_BEFORE:
        raise ValidationError({"minutes_before": MINUTES_BEFORE_MESSAGE})
    setting, _ = ReminderSetting.objects.select_for_update().get_or_create(user=user, kind=kind)
    setting.enabled = enabled
    setting.weekdays = weekdays
    setting.minutes_before = minutes_before if kind == ReminderKind.EVENING else 0
    setting.paused_until = paused_until
    setting.skip_if_logged = skip_if_logged
    if channel is not None:
        if channel not in ChannelChoice.values:
            raise ValidationError({"channel": _("Choose one of the options shown.")})
        setting.channel = channel
    reminder_schedule_next(setting=setting, user=user, now=now or timezone.now())
    setting.full_clean(exclude=["user"])
    setting.save()
    return setting


@transaction.atomic
def reminder_schedules_recompute(*, user_id: int, now: datetime.datetime | None = None) -> None:
    """After a change of time zone, bedtime or wake time: every next due instant, at once."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    now = now or timezone.now()
    for setting in ReminderSetting.objects.select_for_update().filter(user=user):
        reminder_schedule_next(setting=setting, user=user, now=now)
        setting.save(update_fields=["next_due_at", "updated_at"])


@transaction.atomic
def reminders_turn_off(*, user_id: int) -> int:
    """Unsubscribe (email link, one-click, bounce): every reminder off. Returns how many."""
    return ReminderSetting.objects.filter(user_id=user_id, enabled=True).update(
        enabled=False, next_due_at=None, updated_at=timezone.now()
    )


def delivery_link_used(*, delivery: Delivery, now: datetime.datetime) -> bool:
    """Mark a reminder's taken/skip link as used, once. False if it already was.

    One action per reminder and night, whichever channel (email, push) or snooze it came
    from: every delivery of that user, kind and local date is marked, so "I took it" in the
    notification and then in the email logs one dose. The conditional UPDATE is the lock:
    of two POSTs racing, exactly one changes the rows.
    """
    if delivery.acted_at is not None:
        return False
    changed = Delivery.objects.filter(
        user_id=delivery.user_id,
        kind=delivery.kind,
        local_date=delivery.local_date,
        acted_at__isnull=True,
    ).update(acted_at=now)
    if changed:
        delivery.acted_at = now
    return bool(changed)


def reminders_turn_off_for_address(*, email: str) -> int:
    """A hard bounce or complaint for an address: reminders off for its owner (if any)."""
    user_ids = list(User.objects.filter(email__iexact=email.strip()).values_list("pk", flat=True))
    return sum(reminders_turn_off(user_id=user_id) for user_id in user_ids)


@transaction.atomic
def delivery_snooze(*, delivery: Delivery, now: datetime.datetime) -> selectors.SnoozeState:
    """ "Remind me in 30 minutes": a new pending delivery of tonight's reminder, due in 30
    minutes, with the next sequence number (at most two a night).

    It waits with no `enqueued_at` until the tick releases it at its due instant, then goes
    through the same lease and send as any reminder (and is skipped if the evening got
    logged meanwhile). The night's scheduled delivery is locked first, so two snoozes at once
    queue; the unique (user, kind, local date, sequence) settles any race left.
    """
    tonight = Delivery.objects.filter(
        user_id=delivery.user_id, kind=delivery.kind, local_date=delivery.local_date
    )
    list(tonight.select_for_update().filter(sequence=0).values_list("pk"))
    state = selectors.snooze_state(delivery=delivery, now=now)
    if state.refusal is not None:
        return state
    due_at = selectors.snooze_due_at(now=now)
    try:
        with transaction.atomic():
            Delivery.objects.create(
                user_id=delivery.user_id,
                kind=delivery.kind,
                local_date=delivery.local_date,
                sequence=state.snoozes + 1,
                channel=delivery.channel,  # it comes back the way it was snoozed from
                due_at=due_at,
                status=DeliveryStatus.PENDING,
            )
    except IntegrityError:
        return selectors.snooze_state(delivery=delivery, now=now)  # another snooze won
    return selectors.SnoozeState(None, state.snoozes + 1, waiting_until=due_at)


@transaction.atomic
def calendar_feed_reset(*, user, now: datetime.datetime) -> CalendarFeed:
    """A new random token for the user's calendar feed (made on first use): from now on the
    old URL answers 404."""
    token = secrets.token_urlsafe(32)  # 256 bits, 43 URL-safe characters
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token": token,
            "digest": selectors.calendar_token_digest(token),
            "created_at": now,
        },
    )
    return feed


@transaction.atomic
def calendar_feed_delete(*, user) -> bool:
    """Turn the calendar link off: its URL answers 404. False if there was none."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


# Devices a user may receive notifications on; adding one more replaces the one that has
# gone longest without a notification (sending goes to each, so the bound is the work too).
DEVICE_LIMIT = 5


def _push_refusal() -> str:
    return _("This browser did not give a usable subscription. Reload the page and try again.")


def _p256_point(text: str) -> bool:
    try:
        raw = vapid.b64url_decode(text)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except (ValueError, TypeError):
        return False
    return len(raw) == 65


def _endpoint_allowed(endpoint: str) -> bool:
    """A push service's URL: https to a public host. (The server POSTs to it, so it must
    not reach the site's own network; plain http to a loopback address only where the
    settings allow it, for the tests' local push endpoint.)"""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return False
    if not host or len(endpoint) > 1024 or port == 0:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if settings.PUSH_ALLOW_LOOPBACK_ENDPOINTS and address is not None and address.is_loopback:
        return parts.scheme in ("http", "https")
    if parts.scheme != "https" or host == "localhost" or host.endswith(".localhost"):
        return False
    return address is None or address.is_global


@transaction.atomic
def push_subscription_save(
    *, user, endpoint: str, p256dh: str, auth: str, label: str, now: datetime.datetime
) -> PushSubscription:
    """Keep (or refresh) this browser's subscription for `user`.

    The endpoint is the key: the same browser subscribing again updates its keys, and an
    endpoint last used by another account moves to this one.
    """
    endpoint, p256dh, auth = (str(value or "").strip() for value in (endpoint, p256dh, auth))
    auth_raw = b""
    try:
        auth_raw = vapid.b64url_decode(auth)
    except ValueError:
        pass
    if not _endpoint_allowed(endpoint) or not _p256_point(p256dh) or len(auth_raw) != 16:
        raise ValidationError(_push_refusal())
    device, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "label": label[:64]},
        create_defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "label": label[:64],
            "created_at": now,
        },
    )
    # The device just saved stays; of the others, the most recently successful ones do.
    keep = (
        PushSubscription.objects.filter(user=user)
        .exclude(pk=device.pk)
        .order_by(F("last_success_at").desc(nulls_last=True), "-created_at")
        .values_list("pk", flat=True)[: DEVICE_LIMIT - 1]
    )
    PushSubscription.objects.filter(user=user).exclude(pk=device.pk).exclude(
        pk__in=list(keep)
    ).delete()
    return device


@transaction.atomic
def push_subscription_delete(*, user, pk: int) -> bool:
    """Remove one of the user's devices; False when it is not theirs (or gone)."""
    deleted, _rows = PushSubscription.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)
