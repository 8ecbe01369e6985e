"""Per-token request limits, counted in the cache (Redis) in fixed one-minute windows.

With Redis unreachable the API answers 503 with Retry-After, as allauth's rate-limited
actions do (portal/middleware.py): it never runs unthrottled.
"""

import logging
import time

from django.core.cache import cache

from api.errors import RATE_LIMITED, UNAVAILABLE, ApiError
from portal.fallback_cache import UNREACHABLE

logger = logging.getLogger(__name__)

# Requests per token per minute.
LIMITS = {"read": 60, "write": 30}
WINDOW_SECONDS = 60
UNAVAILABLE_RETRY_SECONDS = 60


def rate_limit_check(*, token_id: int, kind: str, clock=time.time) -> None:
    """Count one request of `kind` ("read" or "write"); raise 429 past the limit."""
    now = clock()
    window = int(now // WINDOW_SECONDS)
    key = cache.make_and_validate_key(f"api-rate:{token_id}:{kind}:{window}")
    try:
        # One round trip: count, and let the window's key expire soon after the window.
        # (Django's cache API would take three: add, then exists and incr.)
        client = cache._cache.get_client(key, write=True)
        with client.pipeline() as pipe:
            count, _expiry_set = pipe.incr(key).expire(key, WINDOW_SECONDS + 5).execute()
    except UNREACHABLE as error:
        # No traceback: an outage is an operator's matter (/healthz/ says so), not a bug.
        logger.warning("Redis unreachable: the API waits for its rate limit (503): %s", error)
        raise ApiError(503, UNAVAILABLE, {"Retry-After": str(UNAVAILABLE_RETRY_SECONDS)}) from None
    if count > LIMITS[kind]:
        retry = max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))
        raise ApiError(429, RATE_LIMITED, {"Retry-After": str(retry)})
