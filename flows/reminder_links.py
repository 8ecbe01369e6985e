"""What a reminder email's links and the reminder settings page change, across apps.

"I took it" logs a dose (tracker) and uses up the link (reminders); "Skip tonight" records
the evening as skipped (tracker) and uses up the link; the settings page saves the sleep
schedule (accounts) and both reminders (reminders). Each is one transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import profile_update
from reminders.models import Delivery, ReminderKind
from reminders.services import delivery_link_used, reminder_setting_update
from tracker.evening import evening_of
from tracker.safety import SafetyNote, dose_safety_notes
from tracker.selectors import blinded_experiment_for, saved_product_get
from tracker.services import dose_record, evening_skip_record, experiment_capsule_record


def reminder_taken_record(
    *,
    delivery: Delivery,
    now: datetime.datetime,
    taken_at: datetime.datetime | None = None,
    form: str = "",
    amount_mg=None,
    unit: str = "",
) -> list[SafetyNote] | None:
    """The "I took it" link: log the dose once. None when this reminder was already used;
    otherwise the dose's safety notes, the same the dose form shows (none for a capsule).

    In a blinded experiment it logs the evening's capsule instead. Otherwise the saved
    "My magnesium" wins over typed values (the page asks for an amount only when
    there is none); `taken_at` defaults to now. A dose the tracker rejects
    (ValidationError) leaves the link unused: the same transaction marks it.
    """
    user = delivery.user
    evening = evening_of(delivery.due_at, user.zone, user.wake_time)
    blinded = blinded_experiment_for(user=user, evening=evening)
    if blinded is not None:
        # A blinded experiment: the capsule may be placebo, so no magnesium dose is logged.
        with transaction.atomic():
            if not delivery_link_used(delivery=delivery, now=now):
                return None
            experiment_capsule_record(experiment=blinded, now=now, evening=evening)
        return []
    product = saved_product_get(user=user)
    if product is not None:
        form, amount_mg, unit = product.form, product.amount_mg, product.unit
    elif amount_mg is None:
        raise ValidationError({"amount_mg": _("Enter a number of milligrams, such as 200.")})
    with transaction.atomic():
        if not delivery_link_used(delivery=delivery, now=now):
            return None
        dose = dose_record(
            user=user,
            taken_at=taken_at or now,
            form=form,
            amount_mg=amount_mg,
            unit=unit,
            now=now,
        )
    return dose_safety_notes(user=user, dose=dose)


def reminder_skip_record(*, delivery: Delivery, now: datetime.datetime) -> bool:
    """The "Skip tonight" link: the evening is skipped on purpose (not missed). Once."""
    with transaction.atomic():
        if not delivery_link_used(delivery=delivery, now=now):
            return False
        evening_skip_record(
            user=delivery.user,
            evening=evening_of(delivery.due_at, delivery.user.zone, delivery.user.wake_time),
        )
    return True


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
    evening_channel: str | None = None,
    morning_channel: str | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """The settings page: the sleep schedule (through the profile) and both reminders."""
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
        channel=evening_channel,
        now=now,
    )
    reminder_setting_update(
        user=user,
        kind=ReminderKind.MORNING,
        enabled=morning_enabled,
        weekdays=morning_weekdays,
        paused_until=paused_until,
        skip_if_logged=False,
        channel=morning_channel,
        now=now,
    )
