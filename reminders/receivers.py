"""Signal receivers: each only hands over to a service."""

from django.dispatch import receiver

from accounts.signals import sleep_schedule_changed


@receiver(sleep_schedule_changed, dispatch_uid="reminders.recompute_on_schedule_change")
def _recompute_next_due(sender, user_id, **kwargs):
    # Sent after commit when time zone, bedtime or wake time changed: the next send moves now.
    from reminders.services import reminder_schedules_recompute

    reminder_schedules_recompute(user_id=user_id)
