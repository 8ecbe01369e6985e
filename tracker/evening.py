"""The one definition of "a day" (and so of "an evening"), taken from the user's own schedule.

**The day starts an hour before the user's usual wake time** (`day_start`), kept between
03:00 and noon. An evening is named by the local date of the day it ends: everything from
that day's start to the next day's start belongs to it. So, for someone who wakes at 07:00
(the day starts at 06:00):

- a dose at 21:40 or at 00:30 belongs to the evening that began that (or the previous)
  afternoon — the night is still going on;
- a dose at 10:33 belongs to *today's* evening: it is a morning dose of a new day, never
  last night's;
- "last night" (what a morning log is about) is the most recent night that has ended: the
  evening before the current one.

Someone with late hours (asleep 02:00–10:00; the day starts at 09:00) still has 01:30 in
last evening and 09:30 in the new day; someone with early hours (21:00–05:00; the day
starts at 04:00) is in the new day at 04:30. The hour before the usual wake time is there
because people often wake a little early; 03:00 is the earliest start, so the small hours
always belong to the night; noon is the latest, so an evening always begins on its own date.

The comparison is made on the local wall clock, never on a UTC offset, so it is DST-safe:
clocks change between 00:00 and 03:00 local time in the zones that change them at night,
before any day starts, and on those days an evening is simply 23 or 25 hours long.

Which card the dashboard leads with follows the same schedule (`morning_first`): from the
day's start until midway between the usual wake time and bedtime the morning card ("How was
last night?"), from then until the next day's start the evening card ("Tonight").

The night log, "tonight", adherence, per-evening totals and the reminders' "already logged"
rule all use these functions — nothing else decides which evening an instant belongs to.
The upper-level safety check does not use evenings at all: it looks at the doses logged
within a rolling window of hours (tracker/safety.py). An evening's stored date is fixed
when the entry is saved; a later change of wake time applies to new entries.

It also holds the one rule for turning a local wall-clock time into an instant, used by
every form and by the reminders' schedule: an ambiguous time (clocks fall back) means its
first occurrence (fold=0); a time that does not exist (clocks spring forward) means the
first valid minute after the gap, i.e. the instant the clocks jump.
"""

import datetime
import zoneinfo

NOON = datetime.time(12, 0)
WAKE_MARGIN = datetime.timedelta(hours=1)  # the day starts this long before the usual wake
EARLIEST_DAY_START = datetime.time(3, 0)
LATEST_DAY_START = NOON
_DAY_MINUTES = 24 * 60


def _minutes(clock: datetime.time) -> int:
    return clock.hour * 60 + clock.minute


def _clock(minutes: int) -> datetime.time:
    minutes %= _DAY_MINUTES
    return datetime.time(minutes // 60, minutes % 60)


def day_start(wake_time: datetime.time) -> datetime.time:
    """The local clock time a new day (and so a new evening) starts: an hour before the
    usual wake time, kept between 03:00 and noon. A wake time before 01:00 is read as a
    very early one (the earliest start), not as the previous evening."""
    start = _minutes(wake_time) - WAKE_MARGIN.total_seconds() // 60
    return _clock(int(min(max(start, _minutes(EARLIEST_DAY_START)), _minutes(LATEST_DAY_START))))


def evening_of(
    instant: datetime.datetime, zone: zoneinfo.ZoneInfo, wake_time: datetime.time
) -> datetime.date:
    """The evening (named by its date) that an aware instant falls in, for a user in `zone`
    who usually wakes at `wake_time`."""
    if instant.tzinfo is None:
        raise ValueError("evening_of needs an aware datetime")
    local = instant.astimezone(zone)
    if local.time() >= day_start(wake_time):
        return local.date()
    return local.date() - datetime.timedelta(days=1)


def last_night(
    now: datetime.datetime, zone: zoneinfo.ZoneInfo, wake_time: datetime.time
) -> datetime.date:
    """The most recent night that has ended — the one a morning log is about: the evening
    before the current one. At 10:33 that is yesterday's; at 00:30, before the new day has
    started, it is the evening before yesterday's (yesterday's night is still going on)."""
    return evening_of(now, zone, wake_time) - datetime.timedelta(days=1)


def morning_first(
    now: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    wake_time: datetime.time,
    bedtime: datetime.time,
) -> bool:
    """Whether the dashboard leads with the morning card: from the day's start until midway
    between the usual wake time and bedtime (a bedtime after midnight counts as that night's)."""
    start = _minutes(day_start(wake_time))
    awake = (_minutes(bedtime) - _minutes(wake_time)) % _DAY_MINUTES or _DAY_MINUTES
    midday = _minutes(wake_time) + awake // 2
    clock = now.astimezone(zone)
    since_start = (clock.hour * 60 + clock.minute - start) % _DAY_MINUTES
    return since_start < (midday - start) % _DAY_MINUTES


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
