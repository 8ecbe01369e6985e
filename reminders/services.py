"""Changes to reminder settings and to a delivery's link state.

The tick, the sender and the sweeper (the delivery pipeline) live in the `dispatch`
package; what the email links change in other apps lives in `flows.reminder_links`.
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.models import User
from reminders import scheduling, selectors
from reminders.models import (
    CalendarFeed,
    Delivery,
    DeliveryStatus,
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
    now: datetime.datetime | None = None,
) -> ReminderSetting:
    """Save one reminder's settings and recompute its next due instant at once."""
    if not 0 <= minutes_before <= MAX_MINUTES_BEFORE:
        raise ValidationError({"minutes_before": MINUTES_BEFORE_MESSAGE})
    setting, _ = ReminderSetting.objects.select_for_update().get_or_create(user=user, kind=kind)
    setting.enabled = enabled
    setting.weekdays = weekdays
    setting.minutes_before = minutes_before if kind == ReminderKind.EVENING else 0
    setting.paused_until = paused_until
    setting.skip_if_logged = skip_if_logged
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

    The conditional UPDATE is the lock: of two POSTs racing, exactly one changes the row.
    """
    changed = Delivery.objects.filter(pk=delivery.pk, acted_at__isnull=True).update(acted_at=now)
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
