import datetime
import zoneinfo

import pytest

from tracker.evening import evening_of, last_night

NY = zoneinfo.ZoneInfo("America/New_York")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime.datetime(2026, 3, 10, 21, 30), datetime.date(2026, 3, 10)),
        (datetime.datetime(2026, 3, 11, 0, 30), datetime.date(2026, 3, 10)),  # after midnight
        (datetime.datetime(2026, 3, 11, 11, 59), datetime.date(2026, 3, 10)),
        (datetime.datetime(2026, 3, 11, 12, 0), datetime.date(2026, 3, 11)),  # noon starts anew
    ],
)
def test_an_evening_runs_from_local_noon_to_local_noon(local, expected):
    assert evening_of(local.replace(tzinfo=NY), NY) == expected


def test_the_same_instant_is_a_different_evening_in_another_zone():
    instant = datetime.datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 00:00 in NY, 09:30 in Kolkata
    assert evening_of(instant, NY) == datetime.date(2026, 5, 31)
    assert evening_of(instant, KOLKATA) == datetime.date(2026, 5, 31)
    assert evening_of(instant + datetime.timedelta(hours=3), KOLKATA) == datetime.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("evening", "hours"),
    [
        (datetime.date(2026, 3, 7), 23),  # spring forward on the night of 7→8 March
        (datetime.date(2026, 10, 31), 25),  # fall back on the night of 31 Oct → 1 Nov
        (datetime.date(2026, 6, 1), 24),
    ],
)
def test_evenings_across_dst_are_23_or_25_hours_long(evening, hours):
    start = datetime.datetime.combine(evening, datetime.time(12), tzinfo=NY).astimezone(
        datetime.UTC
    )
    last_minute = start + datetime.timedelta(hours=hours, minutes=-1)
    assert evening_of(start, NY) == evening_of(last_minute, NY) == evening
    next_noon = start + datetime.timedelta(hours=hours)
    assert evening_of(next_noon, NY) == evening + datetime.timedelta(days=1)
    assert next_noon.astimezone(NY).time() == datetime.time(12)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        evening_of(datetime.datetime(2026, 1, 1, 22, 0), NY)


def test_last_night_is_the_evening_that_started_yesterday():
    morning = datetime.datetime(2026, 11, 1, 7, 0, tzinfo=NY)
    assert last_night(morning, NY) == datetime.date(2026, 10, 31)
