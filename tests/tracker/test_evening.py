"""The one rule for which evening an instant belongs to, from the user's own schedule.

The day starts an hour before the usual wake time (between 03:00 and noon): a dose at 10:33
after waking is today's, never last night's. Checked at fixed local clock times in several
zones, in winter, in summer and on the days the clocks change, for a usual schedule
(22:30-07:00), a late one (02:00-10:00) and an early one (21:00-05:00).
"""

import datetime
import zoneinfo

import pytest

from tests.any_hour import DAYS, DST_DAYS, ZONES
from tracker.evening import day_start, evening_of, last_night, local_instant, morning_first

NY = zoneinfo.ZoneInfo("America/New_York")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
UTC = datetime.UTC
T = datetime.time
ONE_DAY = datetime.timedelta(days=1)

USUAL = (T(7, 0), T(22, 30))  # (wake time, bedtime): the defaults
LATE = (T(10, 0), T(2, 0))
EARLY = (T(5, 0), T(21, 0))

# (schedule, local clock, days back to the evening it belongs to, morning card first?)
EXPECTED = [
    (USUAL, T(0, 30), 1, False),
    (USUAL, T(4, 0), 1, False),
    (USUAL, T(6, 59), 0, True),  # up a minute early: the day has started (at 06:00)
    (USUAL, T(10, 33), 0, True),  # the reported morning dose: today's, not last night's
    (USUAL, T(11, 27), 0, True),
    (USUAL, T(11, 59), 0, True),
    (USUAL, T(12, 1), 0, True),
    (USUAL, T(14, 44), 0, True),  # midway between 07:00 and 22:30 is 14:45
    (USUAL, T(14, 45), 0, False),
    (USUAL, T(23, 59), 0, False),
    (LATE, T(0, 30), 1, False),
    (LATE, T(1, 30), 1, False),  # before a 02:00 bedtime: still last evening
    (LATE, T(4, 0), 1, False),
    (LATE, T(6, 59), 1, False),  # asleep
    (LATE, T(8, 59), 1, False),
    (LATE, T(9, 0), 0, True),  # the day starts at 09:00
    (LATE, T(10, 33), 0, True),
    (LATE, T(12, 1), 0, True),
    (LATE, T(17, 59), 0, True),  # midway between 10:00 and 02:00 is 18:00
    (LATE, T(18, 0), 0, False),
    (LATE, T(23, 59), 0, False),
    (EARLY, T(0, 30), 1, False),
    (EARLY, T(3, 59), 1, False),
    (EARLY, T(4, 0), 0, True),  # the day starts at 04:00
    (EARLY, T(6, 59), 0, True),
    (EARLY, T(11, 59), 0, True),
    (EARLY, T(12, 59), 0, True),  # midway between 05:00 and 21:00 is 13:00
    (EARLY, T(13, 0), 0, False),
    (EARLY, T(23, 59), 0, False),
]
DATES = DAYS + tuple(day for days in DST_DAYS.values() for day in days)


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize(("schedule", "clock", "back", "morning"), EXPECTED)
def test_the_evening_and_the_leading_card_follow_the_schedule(
    zone_name, schedule, clock, back, morning
):
    zone = zoneinfo.ZoneInfo(zone_name)
    wake, bedtime = schedule
    for date in DATES:
        now = local_instant(date, clock, zone)  # the DST days included
        evening = date - datetime.timedelta(days=back)
        assert evening_of(now, zone, wake) == evening, date
        assert last_night(now, zone, wake) == evening - ONE_DAY, date
        assert morning_first(now, zone, wake, bedtime) is morning, date


def test_a_morning_dose_is_not_last_nights():
    """The reported case: at 10:33 and 11:27 the night that has ended is over."""
    for clock in (T(10, 33), T(11, 27)):
        now = datetime.datetime.combine(datetime.date(2026, 3, 11), clock, tzinfo=NY)
        assert evening_of(now, NY, T(7, 0)) == datetime.date(2026, 3, 11)
        assert last_night(now, NY, T(7, 0)) == datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("wake", "start"),
    [
        (T(7, 0), T(6, 0)),
        (T(10, 0), T(9, 0)),
        (T(5, 0), T(4, 0)),
        (T(3, 30), T(3, 0)),  # never before 03:00: the small hours belong to the night
        (T(0, 30), T(3, 0)),  # not the evening before
        (T(13, 30), T(12, 0)),  # never after noon: an evening begins on its own date
        (T(15, 0), T(12, 0)),
    ],
)
def test_the_day_starts_an_hour_before_the_usual_wake_time(wake, start):
    assert day_start(wake) == start


def test_the_same_instant_is_a_different_evening_in_another_zone():
    instant = datetime.datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 00:00 in NY, 09:30 in Kolkata
    assert evening_of(instant, NY, T(7, 0)) == datetime.date(2026, 5, 31)
    assert evening_of(instant, KOLKATA, T(7, 0)) == datetime.date(2026, 6, 1)
    assert evening_of(instant, KOLKATA, T(11, 0)) == datetime.date(2026, 5, 31)  # starts 10:00


@pytest.mark.parametrize(
    ("zone_name", "evening", "hours"),
    [
        ("America/New_York", datetime.date(2026, 3, 7), 23),  # spring forward, night 7→8 March
        ("America/New_York", datetime.date(2026, 10, 31), 25),  # fall back, 31 Oct → 1 Nov
        ("America/New_York", datetime.date(2026, 6, 1), 24),
        ("Europe/London", datetime.date(2026, 3, 28), 23),
        ("Europe/London", datetime.date(2026, 10, 24), 25),
        ("Pacific/Auckland", datetime.date(2026, 4, 4), 25),  # fall back at 03:00
        ("Pacific/Auckland", datetime.date(2026, 9, 26), 23),
    ],
)
@pytest.mark.parametrize("wake", [T(7, 0), T(4, 0), T(10, 0)])
def test_evenings_across_dst_are_23_or_25_hours_long(zone_name, evening, hours, wake):
    zone = zoneinfo.ZoneInfo(zone_name)
    start = local_instant(evening, day_start(wake), zone)
    last_minute = start + datetime.timedelta(hours=hours, minutes=-1)
    assert evening_of(start, zone, wake) == evening_of(last_minute, zone, wake) == evening
    next_start = start + datetime.timedelta(hours=hours)
    assert evening_of(next_start, zone, wake) == evening + ONE_DAY
    assert next_start.astimezone(zone).time() == day_start(wake)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        evening_of(datetime.datetime(2026, 1, 1, 22, 0), NY, T(7, 0))
