"""Changes to reminder settings, and what the links in a reminder email do.

The tick, the sender and the sweeper (the delivery pipeline) live in `dispatch.py`.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from reminders import scheduling, selectors
from reminders.models import Delivery, ReminderKind, ReminderSetting


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
    from accounts.models import User

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


@transaction.atomic
def reminder_preferences_save(
    *,
    user,
    bedtime: datetime.time,
    wake_time: datetime.time,
    evening_enabled: bool,
    minutes_before: int,
    evening_weekdays: int,
    skip_if_logged: bool,
    morning_enabled: bool,
    morning_weekdays: int,
    paused_until: datetime.date | None,
    now: datetime.datetime | None = None,
) -> None:
    """The settings page: the sleep schedule (through the profile) and both reminders."""
    from accounts.services import profile_update

    if (user.bedtime, user.wake_time) != (bedtime, wake_time):
        profile_update(
            user=user,
            display_name=user.display_name,
            time_zone=user.time_zone,
            bedtime=bedtime,
            wake_time=wake_time,
        )
    reminder_setting_update(
        user=user,
        kind=ReminderKind.EVENING,
        enabled=evening_enabled,
        weekdays=evening_weekdays,
        minutes_before=minutes_before,
        paused_until=paused_until,
        skip_if_logged=skip_if_logged,
        now=now,
    )
    reminder_setting_update(
        user=user,
        kind=ReminderKind.MORNING,
        enabled=morning_enabled,
        weekdays=morning_weekdays,
        paused_until=paused_until,
        skip_if_logged=False,
        now=now,
    )


def reminder_taken_record(
    *,
    delivery: Delivery,
    taken_at: datetime.datetime,
    form: str,
    amount_mg,
    unit: str,
    now: datetime.datetime,
) -> bool:
    """The "I took it" link: log the dose once. False when this reminder was already used.

    One transaction: a dose the tracker rejects (ValidationError) leaves the link unused.
    """
    from tracker.services import dose_record

    with transaction.atomic():
        if not delivery_link_used(delivery=delivery, now=now):
            return False
        dose_record(
            user=delivery.user,
            taken_at=taken_at,
            form=form,
            amount_mg=amount_mg,
            unit=unit,
            now=now,
        )
    return True


def reminder_skip_record(*, delivery: Delivery, now: datetime.datetime) -> bool:
    """The "Skip tonight" link: the evening is skipped on purpose (not missed). Once."""
    from tracker.evening import evening_of
    from tracker.services import evening_skip_record

    with transaction.atomic():
        if not delivery_link_used(delivery=delivery, now=now):
            return False
        evening_skip_record(
            user=delivery.user, evening=evening_of(delivery.due_at, delivery.user.zone)
        )
    return True


def reminders_turn_off_for_address(*, email: str) -> int:
    """A hard bounce or complaint for an address: reminders off for its owner (if any)."""
    from accounts.models import User

    user_ids = list(User.objects.filter(email__iexact=email.strip()).values_list("pk", flat=True))
    return sum(reminders_turn_off(user_id=user_id) for user_id in user_ids)
