"""The one definition of "an evening": from local noon to the next local noon.

An evening is named by the local date it starts on, so a dose at 00:30 on Tuesday belongs
to Monday's evening. The night log, "tonight", adherence, per-evening totals, the daily
limit and the reminders' "already logged" rule all use these functions — nothing else
decides which evening an instant belongs to.

It also holds the one rule for turning a local wall-clock time into an instant, used by
every form and by the reminders' schedule: an ambiguous time (clocks fall back) means its
first occurrence (fold=0); a time that does not exist (clocks spring forward) means the
first valid minute after the gap, i.e. the instant the clocks jump.
"""

import datetime
import zoneinfo

NOON = datetime.time(12, 0)


def evening_of(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    """The evening (named by its start date) that an aware instant falls in, in `zone`."""
    if instant.tzinfo is None:
        raise ValueError("evening_of needs an aware datetime")
    local = instant.astimezone(zone)
    return local.date() if local.time() >= NOON else local.date() - datetime.timedelta(days=1)


def last_night(now: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    """The most recent night that has ended (or is ending) — the one a morning log is about.

    In the morning (before noon) that is the evening that started yesterday; in the
    afternoon and evening it is still the evening that started yesterday.
    """
    local_date = now.astimezone(zone).date()
    return local_date - datetime.timedelta(days=1)


def _wall(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    # Through UTC: astimezone() to the instant's own tzinfo would return it unchanged.
    return instant.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None, fold=0)


def local_to_instant(wanted: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The UTC instant of the naive local wall-clock time `wanted` in `zone` (rule above)."""
    if wanted.tzinfo is not None:
        raise ValueError("local_to_instant needs a naive (wall-clock) datetime")
    wanted = wanted.replace(fold=0)
    first = wanted.replace(tzinfo=zone).astimezone(datetime.UTC)
    if _wall(first, zone) == wanted:
        return first  # it exists (fold=0 is the first of the two if it is ambiguous)
    # In a gap. fold=1 maps it with the offset after the jump (an earlier instant) and fold=0
    # with the one before (a later instant); the jump lies between them. The first instant
    # whose wall clock is past `wanted` is the jump itself.
    low = wanted.replace(tzinfo=zone, fold=1).astimezone(datetime.UTC)
    high = first
    if low > high:
        low, high = high, low
    while high - low > datetime.timedelta(seconds=1):
        mid = low + (high - low) / 2
        if _wall(mid, zone) >= wanted:
            high = mid
        else:
            low = mid
    return high.replace(microsecond=0)


def local_instant(
    day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """The UTC instant of wall-clock `at` on local `day` (rule above)."""
    return local_to_instant(datetime.datetime.combine(day, at), zone)


def local_time_exists(day: datetime.date, at: datetime.time, zone: zoneinfo.ZoneInfo) -> bool:
    """False for a wall-clock time skipped when the clocks spring forward."""
    wanted = datetime.datetime.combine(day, at)
    return _wall(wanted.replace(tzinfo=zone), zone) == wanted


def night_instant(
    evening: datetime.date, clock: datetime.time | None, zone: zoneinfo.ZoneInfo
) -> datetime.datetime | None:
    """The instant of a wall-clock time during the night of `evening`.

    Times from noon on are on the evening's date, earlier times on the next morning.
    """
    if clock is None:
        return None
    day = evening if clock >= NOON else evening + datetime.timedelta(days=1)
    return local_instant(day, clock, zone)
