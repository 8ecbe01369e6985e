"""Reminder settings (one row per user and kind) and the delivery log (one row per send)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ALL_WEEKDAYS = 0b1111111  # bit 0 = Monday … bit 6 = Sunday (date.weekday())


class ReminderKind(models.TextChoices):
    EVENING = "evening", _("Evening reminder")
    MORNING = "morning", _("Morning sleep-diary reminder")


class Channel(models.TextChoices):
    """How one delivery reaches its user."""

    EMAIL = "email", _("Email")
    PUSH = "push", _("Notification on my devices")


class ChannelChoice(models.TextChoices):
    """What a reminder setting asks for: one channel or both (one delivery each)."""

    EMAIL = "email", _("Email")
    PUSH = "push", _("Notification on my devices")
    BOTH = "both", _("Email and notification")

    @classmethod
    def channels(cls, value: str) -> tuple[str, ...]:
        if value == cls.BOTH:
            return (Channel.EMAIL, Channel.PUSH)
        return (value,)


class ReminderSetting(models.Model):
    """One reminder a user may get, with its next due instant kept in UTC.

    The tick selects rows by `next_due_at` only (a partial index covers the enabled ones), so
    scheduling never needs one periodic task per user.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind)
    enabled = models.BooleanField(_("on"), default=False)
    # Evening: minutes before the profile's bedtime. Morning: always 0 (sent at wake time).
    minutes_before = models.PositiveSmallIntegerField(_("minutes before bedtime"), default=30)
    weekdays = models.PositiveSmallIntegerField(_("days of the week"), default=ALL_WEEKDAYS)
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    skip_if_logged = models.BooleanField(_("skip if already logged tonight"), default=True)
    channel = models.CharField(
        _("how"), max_length=8, choices=ChannelChoice, default=ChannelChoice.EMAIL
    )
    next_due_at = models.DateTimeField(_("next due (UTC)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_setting_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="reminder_due_idx",
                condition=Q(enabled=True, next_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder #{self.pk}"

    def weekday_on(self, weekday: int) -> bool:
        return bool(self.weekdays & (1 << weekday))


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """One reminder for one user, kind, local date, sequence and channel; the unique
    constraint makes it once.

    Sequence 0 is the scheduled reminder, created in the transaction that claims the setting.
    A snooze ("remind me in 30 minutes") adds sequence 1, then 2: pending with no
    `enqueued_at` until the tick releases it at its `due_at`. Only a pending row is ever sent,
    and it is committed as sent right after the SMTP server accepted it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind)
    local_date = models.DateField(_("local date"))
    due_at = models.DateTimeField(_("due at"))
    # 0: the scheduled reminder; 1, 2: its snoozes that night. The tick's raw INSERT leaves it
    # to the database default.
    sequence = models.PositiveSmallIntegerField(_("snooze number"), default=0, db_default=0)
    # Email or push: a reminder set to both is two deliveries, each sent, leased and swept
    # on its own by the same pipeline.
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel, default=Channel.EMAIL, db_default="email"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    # Why a delivery was skipped or failed: a short code, never an address or a health value.
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    redeliveries = models.PositiveSmallIntegerField(_("re-enqueued by the sweeper"), default=0)
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("sending lease until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acted_at = models.DateTimeField(_("link used at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date", "sequence", "channel"],
                name="reminder_delivery_once",
            ),
        ]
        # The sweeper reads recent deliveries by due instant. No index covers a column the
        # sender changes (status, lease, sent at), so its two updates per row stay HOT on
        # PostgreSQL (no index writes; the table leaves room on each page, migration 0002).
        # Snoozes waiting for their time have their own small partial index, read by every
        # tick; its condition names only columns the sender never changes.
        indexes = [
            models.Index(fields=["due_at"], name="reminder_delivery_due_idx"),
            models.Index(
                fields=["due_at"],
                name="reminder_snooze_waiting_idx",
                condition=Q(enqueued_at__isnull=True, sequence__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_date} {self.channel} ({self.status})"


class PushSubscription(models.Model):
    """One device (browser profile) that receives reminder notifications.

    What the browser's PushManager gave: the push service's endpoint URL (a capability: it
    is never shown or logged) and the keys the payload is encrypted to (RFC 8291). An
    endpoint belongs to one account: subscribing it again, from another account, moves it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(_("push endpoint"), max_length=1024, unique=True)
    p256dh = models.CharField(_("public key"), max_length=128)
    auth = models.CharField(_("auth secret"), max_length=64)
    label = models.CharField(_("device"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("added"))
    last_success_at = models.DateTimeField(_("last notification delivered"), null=True)

    class Meta:
        verbose_name = _("device for notifications")
        verbose_name_plural = _("devices for notifications")

    def __str__(self) -> str:
        return f"push subscription #{self.pk}"


class CalendarFeed(models.Model):
    """A user's private iCalendar feed of their reminders, at /calendar/<token>.ics.

    The token is random (256 bits) and shown to its owner on the settings page; a request is
    looked up by the token's SHA-256 digest, so how long the lookup takes says nothing about
    the token. Resetting draws a new token: the old URL answers 404 from then on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64)
    digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        return f"calendar feed #{self.pk}"
