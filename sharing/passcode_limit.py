"""At most 5 wrong passcodes per link in 15 minutes, counted in the cache (Redis).

A fixed window that starts at the first wrong try. The count lives in Redis like allauth's
rate limits; when Redis is unreachable the passcode is not checked at all (the view answers
503 "try again in a minute"), so a passcode is never open to unthrottled guessing.
"""

from django.core.cache import cache

WRONG_TRIES = 5
WINDOW_SECONDS = 15 * 60


def _key(link_id: int) -> str:
    return f"share-passcode:{link_id}"


def locked(link_id: int) -> bool:
    """True once the link has had its wrong tries in the current window. Raises on an
    unreachable Redis (fallback_cache.UNREACHABLE)."""
    return (cache.get(_key(link_id)) or 0) >= WRONG_TRIES


def wrong_try(link_id: int) -> int:
    """Count one wrong passcode; the number so far in this window."""
    key = _key(link_id)
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1
