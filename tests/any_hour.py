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
