"""Celery tasks for the API: they call a service and return nothing."""

from celery import shared_task

from api import services


@shared_task(name="api.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge_task() -> None:
    """Delete stored API responses older than 24 hours. Safe to repeat: it only removes rows
    already past the window (reads ignore them anyway)."""
    services.idempotency_keys_purge()
