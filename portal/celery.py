"""The Celery app. Configuration lives in Django settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_TASK = "portal.tasks.heartbeat"


@before_task_publish.connect
def _stamp_beat_alive(sender=None, **kwargs):
    """Beat publishes the heartbeat; stamping at publish time proves beat itself is ticking."""
    if sender == HEARTBEAT_TASK:
        # health uses Django's cache; this module is imported before Django is set up.
        from portal import health

        health.stamp(health.BEAT)


@task_prerun.connect
@task_postrun.connect
def _close_old_database_connections(sender=None, **kwargs):
    """A task is to a worker what a request is to the web: before and after each one,
    Django's own rule closes a connection that is broken or older than CONN_MAX_AGE and
    keeps a healthy one (CELERY_DB_REUSE_MAX keeps Celery from closing every connection
    after every task; a new PostgreSQL backend per task was a visible share of a fan-out's
    database CPU). Not for a task run eagerly, inside the caller's own work."""
    from django.db import close_old_connections

    if not getattr(sender.request, "is_eager", False):
        close_old_connections()
