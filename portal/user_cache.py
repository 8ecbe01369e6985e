"""Cache entries that belong to one user: named under one prefix, so deletion can find them.

An entry holding a user's figures is keyed by `user_key(user_pk, name, material)`: the
user's id in the clear (to find the entries again) and everything else that decides the
entry as a keyed digest (salted_hmac over SECRET_KEY), so no value of `material` — a
stamp, a date, a health-screen answer — can be read back from the key.

Most entries die by themselves: their key stops being asked for when what went into the
digest changes, and every entry has a bounded TTL. `user_entries_purge` deletes the rest
when the account is deleted, so no copy of its figures outlives it in Redis.
"""

import logging

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from portal import fallback_cache

logger = logging.getLogger(__name__)

_SALT = "portal.user_cache"


def _prefix(user_pk: int) -> str:
    return f"user:{user_pk}:"


def user_key(user_pk: int, name: str, material: tuple) -> str:
    digest = salted_hmac(_SALT, repr(material), algorithm="sha256").hexdigest()[:32]
    return f"{_prefix(user_pk)}{name}:{digest}"


def user_entries_purge(*, user_pk: int) -> int:
    """Delete every cached entry of the user; Redis unreachable: log, the TTL ends them."""
    try:
        client = cache._cache.get_client(write=True)
        pattern = cache.make_key(f"{_prefix(user_pk)}*")
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)
    except fallback_cache.UNREACHABLE as error:
        logger.warning("Redis unreachable, cached pages expire by their TTL: %s", error)
        return 0
    return len(keys)
