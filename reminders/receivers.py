"""Signal receivers: each only hands over to a service."""

from anymail.signals import EventType, tracking
from django.dispatch import receiver

from accounts.signals import sleep_schedule_changed
from reminders.services import reminder_schedules_recompute, reminders_turn_off_for_address


@receiver(sleep_schedule_changed, dispatch_uid="reminders.recompute_on_schedule_change")
def _recompute_next_due(sender, user_id, **kwargs):
    # Sent after commit when time zone, bedtime or wake time changed: the next send moves now.
    reminder_schedules_recompute(user_id=user_id)


@receiver(tracking, dispatch_uid="reminders.turn_off_on_bounce")
def _turn_off_after_bounce(sender, event, esp_name, **kwargs):
    # A provider's tracking webhook: a hard bounce or a complaint stops reminders at once.
    if event.event_type == EventType.COMPLAINED or (
        event.event_type == EventType.BOUNCED and not _soft_bounce(event)
    ):
        reminders_turn_off_for_address(email=event.recipient or "")


def _soft_bounce(event) -> bool:
    # Postmark reports a soft bounce as "bounced" too; its own Type tells them apart.
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    return raw.get("Type") == "SoftBounce"
