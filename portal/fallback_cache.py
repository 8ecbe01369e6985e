"""A cache for reads the database can always answer: with Redis unreachable it misses.

Redis holds only caches, queues and counters, so a page computed from the database keeps
working without it. What must not run without Redis (allauth's rate-limited actions) does
not use this: CacheOutageMiddleware answers those with a 503 instead.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What Django's RedisCache lets through (unwrapped) when the server is down or too slow.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


@dataclass
class _Request:
    redis_down: bool = False


# Set for the length of a request by CacheOutageMiddleware. After the first failure the rest
# of the request skips Redis: one warning and at most one connect timeout, not one per read.
# Outside a request (a task, a shell) every read tries Redis again.
_current_request: ContextVar[_Request | None] = ContextVar("fallback_cache_request", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    token = _current_request.set(_Request())
    try:
        yield
    finally:
        _current_request.reset(token)


def get(key: str) -> Any:
    """The cached value; None when it is missing or Redis is unreachable."""
    return _attempt(cache.get, key)


def set(key: str, value: Any, timeout: int) -> None:  # named as in Django's cache API
    _attempt(cache.set, key, value, timeout)


def _attempt(operation, *args) -> Any:
    request = _current_request.get()
    if request is not None and request.redis_down:
        return None
    try:
        return operation(*args)
    except UNREACHABLE as error:
        # No traceback: an outage is an operator's matter (/healthz/ says so), not a bug.
        logger.warning("Redis unreachable, reading from the database instead: %s", error)
        if request is not None:
            request.redis_down = True
        return None
