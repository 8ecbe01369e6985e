"""The one definition of "an evening": from local noon to the next local noon.

An evening is named by the local date it starts on, so a dose at 00:30 on Tuesday belongs
to Monday's evening. The night log, "tonight", adherence, per-evening totals, the daily
limit and the reminders' "already logged" rule all use these functions — nothing else
decides which evening an instant belongs to.
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


def evening_bounds(
    evening: datetime.date, zone: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware [start, end) instants of an evening: local noon to the next local noon.

    Noon is never inside a DST transition in any zone, so both ends always exist. They are
    returned in UTC: Python subtracts two datetimes that share a tzinfo by wall clock, which
    would make a 23- or 25-hour evening look 24 hours long.
    """
    start = datetime.datetime.combine(evening, NOON, tzinfo=zone)
    end = datetime.datetime.combine(evening + datetime.timedelta(days=1), NOON, tzinfo=zone)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def current_evening(now: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    """ "Tonight" as of `now`: before noon it is still last night's evening."""
    return evening_of(now, zone)


def last_night(now: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.date:
    """The most recent night that has ended (or is ending) — the one a morning log is about.

    In the morning (before noon) that is the evening that started yesterday; in the
    afternoon and evening it is still the evening that started yesterday.
    """
    local_date = now.astimezone(zone).date()
    return local_date - datetime.timedelta(days=1)
