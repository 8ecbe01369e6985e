"""Celery tasks for accounts: they call a service and return nothing."""

from celery import shared_task

from accounts import services


@shared_task(name="accounts.tasks.expired_sessions_clear", ignore_result=True)
def expired_sessions_clear_task() -> None:
    """Delete expired sessions. Safe to repeat: it removes only rows already past expiry."""
    services.expired_sessions_clear()
