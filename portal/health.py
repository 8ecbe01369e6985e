"""Liveness of the moving parts, for /healthz/: database, Redis, Celery worker and beat."""

import time

from django.core.cache import cache
from django.db import connection

BEAT = "beat"
WORKER = "worker"
_KEY = "health:last-seen:{}"
# Kept long enough to report "last seen N s ago" after a long outage.
_TTL = 7 * 24 * 3600


def stamp(component: str) -> None:
    cache.set(_KEY.format(component), time.time(), _TTL)


def seconds_since_seen(component: str) -> float | None:
    seen = cache.get(_KEY.format(component))
    return None if seen is None else round(time.time() - seen, 1)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def redis_ok() -> bool:
    try:
        client = cache._cache.get_client(write=True)
        return bool(client.ping())
    except Exception:  # noqa: BLE001
        return False


def report() -> dict:
    redis_up = redis_ok()
    status = {
        "database": {"ok": database_ok()},
        "redis": {"ok": redis_up},
        "worker": {"seconds_since_seen": seconds_since_seen(WORKER) if redis_up else None},
        "beat": {"seconds_since_seen": seconds_since_seen(BEAT) if redis_up else None},
    }
    status["ok"] = status["database"]["ok"] and redis_up
    return status
