"""The cache backend (portal/redis_cache.py): Django's, with its redis-py client reused."""

import pytest
import redis
from django.core.cache import cache, caches

from portal import fallback_cache


def test_one_client_serves_every_call_and_values_round_trip():
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client("any") is client
    cache.set("redis-cache-test", {"a": 1}, 30)
    assert cache.get("redis-cache-test") == {"a": 1}
    assert cache.delete("redis-cache-test")


def test_a_dead_redis_still_raises_and_fallback_reads_miss(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    dead = caches["default"]
    for _ in range(2):  # the second call reuses the client, and fails the same way
        with pytest.raises(redis.exceptions.ConnectionError):
            dead.get("anything")
    assert fallback_cache.get("anything") is None
