"""Health of the moving parts: /healthz/ (monitoring: database, Redis, Celery worker and beat)
and /healthz/ready/ (the proxy's check: can this web host serve)."""

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


def ready() -> dict:
    """Readiness of this web host, for the proxy's health check: can it serve pages?

    Only what a host can lose on its own counts: its database connection (every signed-in
    page needs it). Redis is left out on purpose: every host shares it and the pages degrade
    without it (the tracker needs none; sign-in answers 503), so a check that failed on a
    Redis blip would take every host out of the proxy at once and turn those pages into
    the proxy's 503 for everyone. /healthz/ (monitoring) still reports Redis.
    """
    database_up = database_ok()
    return {"ok": database_up, "database": {"ok": database_up}}


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
