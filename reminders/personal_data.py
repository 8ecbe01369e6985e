"""What the reminders app stores about a user (registered for the JSON export)."""

from accounts.export_registry import exporter, iso
from reminders.models import CalendarFeed, Delivery, PushSubscription, ReminderSetting


@exporter("reminders.remindersetting")
def export_reminder_settings(user) -> list[dict]:
    return [
        {
            "kind": s.kind,
            "enabled": s.enabled,
            "minutes_before": s.minutes_before,
            "weekdays": [day for day in range(7) if s.weekday_on(day)],
            "paused_until": iso(s.paused_until),
            "skip_if_logged": s.skip_if_logged,
            "channel": s.channel,
            "next_due_at": iso(s.next_due_at),
        }
        for s in ReminderSetting.objects.filter(user=user).order_by("kind")
    ]


@exporter("reminders.delivery")
def export_deliveries(user) -> list[dict]:
    return [
        {
            "kind": d.kind,
            "local_date": iso(d.local_date),
            "snooze_number": d.sequence,
            "channel": d.channel,
            "status": d.status,
            "sent_at": iso(d.sent_at),
            "link_used_at": iso(d.acted_at),
        }
        for d in Delivery.objects.filter(user=user).order_by("local_date", "kind", "sequence")
    ]


@exporter("reminders.calendarfeed")
def export_calendar_feed(user) -> list[dict]:
    # When the link was made only: the token is a secret that reads the feed, like a password.
    return [{"created_at": iso(f.created_at)} for f in CalendarFeed.objects.filter(user=user)]


@exporter("reminders.pushsubscription")
def export_push_devices(user) -> list[dict]:
    # The device's name and dates only: the endpoint and keys let anyone send to it.
    return [
        {
            "device": d.label,
            "added_at": iso(d.created_at),
            "last_notification_at": iso(d.last_success_at),
        }
        for d in PushSubscription.objects.filter(user=user).order_by("created_at")
    ]
