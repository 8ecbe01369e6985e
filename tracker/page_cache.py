"""Cached tracker pages: the dashboard's figures, the night and dose lists, the CSV export
and the night form.

An entry is keyed by everything its part was computed from except the data, and holds the
data stamps it was computed at beside the part:
- the key: the user's local date and evening (tracker/evening.py), so a page cached at 23:59
  is not the page of 00:01 ("tonight", "last night", streaks and adherence move on by
  themselves); the language and time zone it renders in; the whole profile row (zone, bed
  and wake times, language, health screens...), so a profile change is a new key whatever
  field a page comes to read; a digest of the release (portal/release.py), so a deploy
  never serves a page of the previous release; the page's own inputs (the period, the
  list's query string, the CSV's kind, the range of nights a dashboard part read);
- the stamps (tracker/models/stamp.py) of the groups of tables the part reads, which the
  database bumps in the same transaction as any change to a row of the group, whatever wrote
  it: an entry is used only while the user's stamps are the ones stored in it, and a miss
  overwrites it in place, so a person who writes often keeps one entry per page, not one per
  write. Each part declares the groups it reads (all of them when in doubt): a dose leaves
  the parts built from nights alone cached (the night list, the nights CSV's night rows, the
  nights the dashboard's summary reads).
The key holds the user's id and a keyed digest of the rest (portal/user_cache.py): no
figure or answer can be read from it. Entries live PAGE_CACHE_SECONDS at most; deleting the
account deletes them at once (accounts.services.account_delete).

Two kinds of entry: data a page is computed from (the dashboard's nights, skipped evenings
and records, the CSV's parts), and whole pages (`whole_page`: the dashboard, the lists and
the night form), kept with placeholders where the CSRF token and the flash messages go,
which each response fills with its own request's: no entry ever holds a token or a message.
Redis unreachable: every read misses and the part is computed as without a cache
(portal/fallback_cache.py), never an error.
"""

import datetime
import functools
import logging
import pickle  # nosec B403 - only its exception class: Django's cache does the unpickling
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from portal import fallback_cache, release, user_cache
from tracker import selectors
from tracker.evening import evening_of

# Bounds how long an entry can sit in Redis; a changed stamp or day makes it unreachable
# long before. Long enough that a person's reads between two writes are mostly hits.
PAGE_CACHE_SECONDS = 15 * 60
# A longer query string is not cached (the list pages keep unknown parameters in their
# paging links, so each would be an entry of its own).
MAX_CACHED_QUERY = 200

_NOT_IN_KEY = {"password", "last_login"}
# What an entry from another release can raise while being unpickled: read as a miss.
_STALE_ENTRY = (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError)

logger = logging.getLogger(__name__)


def _profile(user) -> tuple:
    return tuple(
        getattr(user, field.attname)
        for field in user._meta.concrete_fields
        if field.name not in _NOT_IN_KEY
    )


def _page_key(*, user, page: str, now: datetime.datetime, extra: tuple) -> str:
    zone = user.zone
    material = (
        now.astimezone(zone).date(),
        evening_of(now, zone, user.wake_time),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        _profile(user),
        release.release_digest(),
        extra,
    )
    return user_cache.user_key(user.pk, f"tracker:{page}", material)


class PageParts:
    """The cached parts of one request for one user at one moment. Each part declares the
    groups of tables (tracker/models/stamp.py) it is computed from; the user's stamps are
    read once, with the first part asked for (one query)."""

    def __init__(self, *, user, now: datetime.datetime):
        self.user = user
        self.now = now
        self._stamps: dict[str, int] | None = None

    def cached(
        self, page: str, *, reads: tuple[str, ...], compute: Callable[[], Any], extra: tuple = ()
    ) -> Any:
        """The part kept for `page` and `extra` if computed at the current stamps of the
        groups it `reads`; else computed and kept."""
        if self._stamps is None:
            self._stamps = selectors.data_stamps_get(user=self.user)
        return _cached(
            key=_page_key(user=self.user, page=page, now=self.now, extra=extra),
            stamp=tuple(self._stamps[group] for group in reads),
            compute=compute,
        )


@functools.cache
def _placeholder(name: str) -> str:
    # The same in every process of a deployment (a page kept by one worker is served by
    # another) and unguessable, so no text a user writes can contain it. Letters and digits
    # only: escaping leaves it as it is.
    return name + salted_hmac("restwell.page_cache", f"{name} placeholder").hexdigest()


def whole_page(
    request,
    parts: PageParts,
    page: str,
    *,
    reads: tuple[str, ...],
    extra: tuple,
    render: Callable[[dict], HttpResponse],
) -> HttpResponse:
    """The page `render` makes, kept whole for the request's user, path and `extra` while the
    stamps of the groups it `reads` stay: a hit is one stamps query and one cache read, where
    rendering the layout, the quick cards and their forms cost a few milliseconds more.

    `render(context)` renders the page with `context` on top of its own: here, placeholders
    for the CSRF token and for the flash messages (templates/base.html), which each response
    fills with its own request's: a masked token of the session's secret, as `{% csrf_token %}`
    prints it, and the messages waiting for this request, if any."""
    token_slot, messages_slot = _placeholder("csrf"), _placeholder("messages")
    html = parts.cached(
        page,
        reads=reads,
        extra=(request.path, *extra),
        compute=lambda: render(
            {"csrf_token": token_slot, "messages_slot": mark_safe(messages_slot)}  # noqa: S308 - letters and digits  # nosec B308 B703
        ).content.decode(),
    )
    waiting = (
        render_to_string("includes/messages.html", request=request)
        if len(messages.get_messages(request)) > 0
        else ""
    )
    return HttpResponse(
        html.replace(token_slot, get_token(request)).replace(messages_slot, waiting)
    )


def query_key(request) -> tuple | None:
    """A list page's query string as part of a key; None: too long to cache."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_CACHED_QUERY:
        return None
    return tuple(sorted(request.GET.lists()))


def _cached(*, key: str, stamp: tuple[int, ...], compute: Callable[[], Any]) -> Any:
    try:
        entry = fallback_cache.get(key)
    except _STALE_ENTRY as error:  # not expected (the key holds the code's version)
        logger.warning("Unreadable cached page part, computed again: %r", error)
        entry = None
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        return entry[1]
    value = compute()
    fallback_cache.set(key, (stamp, value), PAGE_CACHE_SECONDS)
    return value
