import time

import pytest
from django.urls import reverse

from portal import health
from portal.tasks import heartbeat


def test_healthz_reports_database_and_redis(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"] == {"ok": True}
    assert body["redis"] == {"ok": True}
    assert set(body) == {"ok", "database", "redis", "worker", "beat"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_when_redis_is_unreachable(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["redis"] == {"ok": False}
    assert response.json()["ok"] is False


def test_healthz_reports_seconds_since_beat_and_worker(client, db):
    assert client.get(reverse("healthz")).json()["worker"]["seconds_since_seen"] is None
    heartbeat()  # what a worker does when beat's heartbeat arrives
    health.stamp(health.BEAT)
    body = client.get(reverse("healthz")).json()
    assert 0 <= body["worker"]["seconds_since_seen"] < 5
    assert 0 <= body["beat"]["seconds_since_seen"] < 5


@pytest.mark.worker
def test_a_real_worker_answers_the_heartbeat(celery_worker, client):
    from portal.celery import HEARTBEAT_TASK, app

    app.send_task(HEARTBEAT_TASK)  # the publish stamps "beat", the worker stamps "worker"
    deadline = time.monotonic() + 20
    while health.seconds_since_seen(health.WORKER) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    body = client.get(reverse("healthz")).json()
    assert body["worker"]["seconds_since_seen"] is not None
    assert body["beat"]["seconds_since_seen"] is not None


def test_ready_stays_200_when_redis_is_unreachable(client, db, stop_redis):
    """The proxy's check: a Redis outage, shared by every web host, never empties the pool."""
    stop_redis()
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": {"ok": True}}
    assert response["Cache-Control"].startswith("max-age=0")
    assert client.get(reverse("healthz")).status_code == 503  # monitoring still sees it


def test_ready_is_503_when_this_host_cannot_reach_its_database(client, db, monkeypatch):
    from django.db import OperationalError

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())  # only the check's connection
    response = client.get(reverse("healthz_ready"))
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": {"ok": False}}
