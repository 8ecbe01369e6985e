"""Signals the accounts app sends so other apps can follow a profile without importing it."""

from django.dispatch import Signal

# Sent (after commit) when a user's time zone, bedtime or wake time changed. Args: user_id.
# Reminders listen to recompute the next send time at once.
sleep_schedule_changed = Signal()
