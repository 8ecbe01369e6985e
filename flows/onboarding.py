"""The one onboarding screen after the first sign-in: profile, "my magnesium", reminder."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.services import health_screens_update, profile_update, user_onboarding_mark
from reminders.models import ReminderKind
from reminders.services import reminder_setting_update
from tracker.services import saved_product_set


@transaction.atomic
def onboarding_complete(
    *,
    user,
    time_zone: str,
    bedtime: datetime.time,
    wake_time: datetime.time,
    evening_reminder: bool,
    product_form: str = "",
    product_amount_mg=None,
    product_unit: str = "",
    kidney_disease: str = "",
    pregnant_or_breastfeeding: str = "",
) -> None:
    """Sleep schedule and health screens (accounts), "my magnesium" (tracker) and the
    evening reminder.

    Raises ValidationError (keyed by the onboarding form's field names) and writes nothing.
    """
    profile_update(
        user=user,
        display_name=user.display_name,
        time_zone=time_zone,
        bedtime=bedtime,
        wake_time=wake_time,
    )
    health_screens_update(
        user=user,
        kidney_disease=kidney_disease,
        pregnant_or_breastfeeding=pregnant_or_breastfeeding,
    )
    if product_amount_mg is not None:
        try:
            saved_product_set(
                user=user, form=product_form, amount_mg=product_amount_mg, unit=product_unit
            )
        except ValidationError as error:
            # The form names these fields product_*: keep each message next to its field.
            raise ValidationError(
                {f"product_{k}": v for k, v in error.message_dict.items()}
            ) from error
    if evening_reminder:
        reminder_setting_update(user=user, kind=ReminderKind.EVENING, enabled=True)
    user_onboarding_mark(user=user)
