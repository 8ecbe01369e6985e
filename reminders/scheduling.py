"""Pure time arithmetic for reminders: no database, no clock — every function takes `now`.

Rules (issue #5; the first two are tracker.evening's one rule for local times):
- a local time that does not exist (spring forward) is sent at the first valid minute after
  it, i.e. the instant the clocks jump;
- an ambiguous local time (fall back) is sent once, at its first occurrence (fold=0);
- reminders due more than CATCH_UP ago are not sent any more (no reminder at 3 a.m.).
"""

import datetime
import zoneinfo
from functools import lru_cache

from tracker.evening import local_instant, local_time_exists  # noqa: F401 (re-exported)

UTC = datetime.UTC
CATCH_UP = datetime.timedelta(hours=2)
# Days to look ahead for the next allowed weekday; a pause adds its own length.
_HORIZON_DAYS = 8


def send_time_for(*, bedtime: datetime.time, minutes_before: int) -> datetime.time:
    """The wall-clock time of an evening reminder: `minutes_before` before bedtime."""
    minutes = (bedtime.hour * 60 + bedtime.minute - minutes_before) % (24 * 60)
    return datetime.time(minutes // 60, minutes % 60)


@lru_cache(maxsize=4096)
def next_due(
    *,
    at: datetime.time,
    zone_name: str,
    after: datetime.datetime,
    weekdays: int,
    paused_until: datetime.date | None,
) -> datetime.datetime | None:
    """The first instant strictly after `after` when a reminder at wall-clock `at` is due.

    Only days whose weekday bit is set count, and none up to and including `paused_until`.
    Cached: a tick computes the same answer for every user sharing zone, time and days.
    """
    if after.tzinfo is None:
        raise ValueError("next_due needs an aware datetime")
    if not weekdays:
        return None
    zone = zoneinfo.ZoneInfo(zone_name)
    day = after.astimezone(zone).date() - datetime.timedelta(days=1)
    if paused_until is not None and paused_until >= day:
        if paused_until >= datetime.date.max - datetime.timedelta(days=_HORIZON_DAYS + 1):
            return None  # paused for ever: nothing is due
        day = paused_until + datetime.timedelta(days=1)
    for offset in range(_HORIZON_DAYS + 1):
        candidate_day = day + datetime.timedelta(days=offset)
        if not weekdays & (1 << candidate_day.weekday()):
            continue
        instant = local_instant(candidate_day, at, zone)
        if instant > after:
            return instant
    return None


def local_date_of(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    """The local date a due instant belongs to (the key of "once per day")."""
    return instant.astimezone(zone).date()


def is_stale(*, due_at: datetime.datetime, now: datetime.datetime) -> bool:
    """Too late to send: after downtime, only reminders due within CATCH_UP still go out."""
    return now - due_at > CATCH_UP
