"""The Celery app. Configuration lives in Django settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import before_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_TASK = "portal.tasks.heartbeat"


@before_task_publish.connect
def _stamp_beat_alive(sender=None, **kwargs):
    """Beat publishes the heartbeat; stamping at publish time proves beat itself is ticking."""
    if sender == HEARTBEAT_TASK:
        from portal import health

        health.stamp(health.BEAT)
