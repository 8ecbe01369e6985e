"""Workers keep database connections across tasks by Django's own rule (CONN_MAX_AGE and
health checks), as the web does across requests."""

import time
from types import SimpleNamespace

import pytest
from django.db import connection

from portal.celery import _close_old_database_connections

pytestmark = pytest.mark.django_db(transaction=True)

A_TASK = SimpleNamespace(request=SimpleNamespace(is_eager=False))
AN_EAGER_TASK = SimpleNamespace(request=SimpleNamespace(is_eager=True))


def test_a_connection_within_its_age_survives_a_task():
    connection.ensure_connection()
    raw = connection.connection
    connection.close_at = time.monotonic() + 60
    _close_old_database_connections(sender=A_TASK)
    assert connection.connection is raw


def test_an_old_connection_is_closed_after_a_task():
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1
    _close_old_database_connections(sender=A_TASK)
    assert connection.connection is None


def test_a_task_run_eagerly_leaves_the_callers_connection_alone():
    connection.ensure_connection()
    raw = connection.connection
    connection.close_at = time.monotonic() - 1
    _close_old_database_connections(sender=AN_EAGER_TASK)
    assert connection.connection is raw
