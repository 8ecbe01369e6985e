from celery import shared_task

from portal import health


@shared_task(name="portal.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Stamp "a worker answered". Repeating it is harmless: it only overwrites a timestamp."""
    health.stamp(health.WORKER)
