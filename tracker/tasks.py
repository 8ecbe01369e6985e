"""Celery tasks for the tracker: they call a service and return nothing."""

from celery import shared_task

from tracker import services


@shared_task(name="tracker.tasks.sleep_imports_purge", ignore_result=True)
def sleep_imports_purge_task() -> None:
    """Delete sleep-import suggestions past their week. Safe to repeat: it only removes rows
    already expired (the pages ignore them anyway)."""
    services.sleep_imports_purge()


@shared_task(name="tracker.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge_task() -> None:
    """Delete stored answers to idempotency keys (API and web forms) older than 24 hours.
    Safe to repeat: it only removes rows already past the window (reads ignore them anyway)."""
    services.idempotency_keys_purge()
