"""The one onboarding screen after the first sign-in; it writes through each app's services."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reminders.models import ReminderKind


def onboarding_offered(*, user) -> None:
    """Record that onboarding was offered, so the next sign-in goes to the dashboard."""
    from accounts.models import User

    now = timezone.now()
    User.objects.filter(pk=user.pk, onboarded_at__isnull=True).update(onboarded_at=now)
    user.onboarded_at = user.onboarded_at or now


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
) -> None:
    """Sleep schedule (accounts), "my magnesium" (tracker) and the evening reminder (here).

    Raises ValidationError (keyed by the service's field names) and writes nothing then.
    """
    from accounts.services import profile_update
    from reminders.services import reminder_setting_update
    from tracker.services import saved_product_set

    profile_update(
        user=user,
        display_name=user.display_name,
        time_zone=time_zone,
        bedtime=bedtime,
        wake_time=wake_time,
    )
    if product_amount_mg is not None:
        try:
            saved_product_set(
                user=user, form=product_form, amount_mg=product_amount_mg, unit=product_unit
            )
        except ValidationError as error:
            raise ValidationError(
                {f"product_{k}": v for k, v in error.message_dict.items()}
            ) from error
    if evening_reminder:
        reminder_setting_update(user=user, kind=ReminderKind.EVENING, enabled=True)
    onboarding_offered(user=user)
