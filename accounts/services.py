import datetime
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.usersessions.adapter import get_adapter as usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import HealthScreen, User
from accounts.signals import sleep_schedule_changed
from portal import user_cache


@transaction.atomic
def user_signup_complete(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    language: str = "",
    adult_confirmed: bool = False,
) -> User:
    """Record what sign-up asked beyond email and password, including the Art. 9 consent
    and the confirmation of being 18 or older (the form requires both)."""
    now = timezone.now()
    user.display_name = display_name
    user.time_zone = time_zone
    user.language = language if language in dict(settings.LANGUAGES) else ""
    user.health_data_consent_at = now
    user.adult_confirmed_at = now if adult_confirmed else None
    user.save(
        update_fields=[
            "display_name",
            "time_zone",
            "language",
            "health_data_consent_at",
            "adult_confirmed_at",
        ]
    )
    return user


@transaction.atomic
def health_screens_update(*, user: User, kidney_disease: str, pregnant_or_breastfeeding: str):
    """Store the answers to the screens before the first dose ("" stays unanswered)."""
    allowed = {"", *HealthScreen.values}
    errors = {
        name: _("Choose yes, no or prefer not to say.")
        for name, value in (
            ("kidney_disease", kidney_disease),
            ("pregnant_or_breastfeeding", pregnant_or_breastfeeding),
        )
        if value not in allowed
    }
    if errors:
        raise ValidationError(errors)
    user.kidney_disease = kidney_disease
    user.pregnant_or_breastfeeding = pregnant_or_breastfeeding
    user.save(update_fields=["kidney_disease", "pregnant_or_breastfeeding"])
    return user


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    bedtime: datetime.time,
    wake_time: datetime.time,
) -> User:
    schedule_changed = (user.time_zone, user.bedtime, user.wake_time) != (
        time_zone,
        bedtime,
        wake_time,
    )
    user.display_name = display_name
    user.time_zone = time_zone
    user.bedtime = bedtime
    user.wake_time = wake_time
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "time_zone", "bedtime", "wake_time"])
    if schedule_changed:
        transaction.on_commit(lambda: sleep_schedule_changed.send(sender=User, user_id=user.pk))
    return user


def user_onboarding_mark(*, user: User, now: datetime.datetime | None = None) -> None:
    """Record that onboarding was offered, so later sign-ins go straight to the dashboard.

    A conditional UPDATE: of two sign-ins racing, the first instant wins and stays.
    """
    now = now or timezone.now()
    User.objects.filter(pk=user.pk, onboarded_at__isnull=True).update(onboarded_at=now)
    user.onboarded_at = user.onboarded_at or now


@transaction.atomic
def email_verification_resend(*, request, email: str) -> bool:
    """A new confirmation link for `email` if it is still unconfirmed; True when one was sent.

    allauth's "confirm_email" rate limit (one link per address per cooldown, shared with the
    link sent when an unconfirmed user tries to sign in) keeps this from flooding an inbox.
    """
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=False)
        .select_related("user")
        .first()
    )
    if address is None or not ratelimit.consume(
        request, action="confirm_email", key=address.email.lower()
    ):
        return False
    address.send_confirmation(request)
    return True


def verified_account_ensure(*, email: str, password: str, **fields) -> User:
    """Create or refresh an account with a verified primary address (the demo logins)."""
    user, _ = User.objects.get_or_create(email=email, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(password)
    if user.health_data_consent_at is None:
        user.health_data_consent_at = timezone.now()
    if user.adult_confirmed_at is None:
        user.adult_confirmed_at = timezone.now()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and, by cascade, every row that belongs to it.

    Pending reminder deliveries cascade with it; a task already queued for this user finds
    no row and does nothing.

    Every session of the user ends first: a session outlives its user otherwise, carrying
    the user's id and any unread flash message (which can name a dose or a medicine) until
    it expires. allauth records each sign-in as a UserSession and ends it in whatever store
    SESSION_ENGINE names; those records cascade with the user, so they are read before.
    """
    usersessions_adapter().end_sessions(UserSession.objects.filter(user_id=user.pk))
    User.objects.filter(pk=user.pk).delete()
    # Cached pages hold the user's figures; their TTL would end them, this ends them now.
    user_pk = user.pk
    transaction.on_commit(lambda: user_cache.user_entries_purge(user_pk=user_pk))


def expired_sessions_clear() -> None:
    """Delete the sessions past their expiry, as Django's `clearsessions` does.

    Django never removes an expired session by itself; the row keeps a user id and any
    unread flash message until something does.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
