"""Instants across the day, for tests that prove a path does not depend on the hour it runs.

The same local clock times — just after midnight, before and after the usual wake time,
either side of noon (where "last night" and "tonight" turn) and just before midnight — in
zones west and east of UTC and across the date line, in winter and in summer.
"""

import datetime
import zoneinfo

import pytest

ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland")
DAYS = (datetime.date(2026, 1, 15), datetime.date(2026, 6, 15))
CLOCKS = tuple(
    datetime.time(h, m) for h, m in ((0, 30), (4, 0), (6, 59), (11, 59), (12, 1), (23, 59))
)


def instants(zones=ZONES) -> list:
    """`(zone, now)` parameters: every clock time on every day in every zone."""
    return [
        pytest.param(
            zone,
            datetime.datetime.combine(day, clock, tzinfo=zoneinfo.ZoneInfo(zone)),
            id=f"{zone}-{day:%b}-{clock:%H%M}",
        )
        for zone in zones
        for day in DAYS
        for clock in CLOCKS
    ]


# The days the clocks change in 2026, per zone: (spring forward, fall back). Kolkata has none.
DST_DAYS = {
    "Europe/London": (datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)),
    "America/New_York": (datetime.date(2026, 3, 8), datetime.date(2026, 11, 1)),
    "Pacific/Auckland": (datetime.date(2026, 9, 27), datetime.date(2026, 4, 5)),
}


def dst_instants(clocks=CLOCKS) -> list:
    """`(zone, now)` parameters: every clock time on each zone's clock-change days (and the
    mornings after them, when a night that spanned the change has just ended)."""
    return [
        pytest.param(
            zone,
            datetime.datetime.combine(day + extra, clock, tzinfo=zoneinfo.ZoneInfo(zone)),
            id=f"{zone}-{day + extra:%d%b}-{clock:%H%M}",
        )
        for zone, days in DST_DAYS.items()
        for day in days
        for extra in (datetime.timedelta(0), datetime.timedelta(days=1))
        for clock in clocks
    ]
