"""Reads shared by the reminder views, the tick and the sender."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from reminders import scheduling, tokens
from reminders.models import Delivery, ReminderKind, ReminderSetting
from tracker.evening import evening_of
from tracker.selectors import blinded_experiment_for, last_dose_get, saved_product_get

DEFAULT_MINUTES_BEFORE = 30


def reminder_settings_get(*, user) -> dict[str, ReminderSetting]:
    """The user's settings per kind; an unsaved default (off) where none exists yet."""
    found = {s.kind: s for s in ReminderSetting.objects.filter(user=user)}
    return {
        kind: found.get(kind) or ReminderSetting(user=user, kind=kind, enabled=False)
        for kind in ReminderKind.values
    }


def send_time_get(*, setting: ReminderSetting, user) -> datetime.time:
    """The wall-clock time this reminder is sent at, from the profile's sleep schedule."""
    if setting.kind == ReminderKind.MORNING:
        return user.wake_time
    return scheduling.send_time_for(bedtime=user.bedtime, minutes_before=setting.minutes_before)


def verified_primary_email(*, user_id: str = "pk", email: str = "email") -> Exists:
    """True where the user's current address is their verified primary one (any case).

    An expression over the outer query's user id and email columns, so the sender checks a
    whole chunk inside its one locking query.
    """
    return Exists(
        EmailAddress.objects.filter(
            user_id=OuterRef(user_id), email__iexact=OuterRef(email), primary=True, verified=True
        )
    )


def user_has_verified_primary_email(*, user) -> bool:
    return get_user_model().objects.filter(pk=user.pk).filter(verified_primary_email()).exists()


def delivery_for_token(*, token: str, purpose: str) -> Delivery | None:
    """The delivery an email link is about; None when the link is bad, expired or outdated."""
    try:
        data = tokens.token_read(purpose=purpose, token=token)
    except tokens.BadToken:
        return None
    return (
        Delivery.objects.select_related("user")
        .filter(pk=data.delivery_id, user_id=data.user_id)
        .first()
    )


TAKEN_LATE_AFTER = datetime.timedelta(hours=3)


def taken_context_get(*, delivery: Delivery, now: datetime.datetime) -> dict:
    """What the "I took it" page needs: saved product, last dose, whether it is late, and
    whether it is a blinded experiment's capsule (then nothing else is asked)."""
    user = delivery.user
    evening = evening_of(delivery.due_at, user.zone, user.wake_time)
    capsule = blinded_experiment_for(user=user, evening=evening) is not None
    product = saved_product_get(user=user)
    last = None if product or capsule else last_dose_get(user=user)
    return {
        "capsule": capsule,
        "product": product,
        "last_dose": last,
        "late": not capsule and now - delivery.due_at > TAKEN_LATE_AFTER,
    }
