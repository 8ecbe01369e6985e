"""Next due instants across DST, in the zones the issue names, plus property tests."""

import datetime
import zoneinfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from reminders import scheduling

UTC = datetime.UTC
ALL = 0b1111111


def due(at, zone, after):
    return scheduling.next_due(at=at, zone_name=zone, after=after, weekdays=ALL, paused_until=None)


def local(instant, zone):
    return instant.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_local"),
    [
        # Spring forward 02:00 → 03:00: 02:30 does not exist → sent at 03:00.
        ("America/New_York", "2026-03-08", "02:30", "2026-03-08 03:00"),
        # 01:00 → 02:00 in London.
        ("Europe/London", "2026-03-29", "01:30", "2026-03-29 02:00"),
        # Auckland springs forward 02:00 → 03:00 in September.
        ("Pacific/Auckland", "2026-09-27", "02:15", "2026-09-27 03:00"),
        # Lord Howe: a 30-minute jump, 02:00 → 02:30.
        ("Australia/Lord_Howe", "2026-10-04", "02:10", "2026-10-04 02:30"),
    ],
)
def test_a_time_that_does_not_exist_is_sent_when_the_clocks_jump(zone, day, at, expected_local):
    day = datetime.date.fromisoformat(day)
    after = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=zoneinfo.ZoneInfo(zone))
    result = due(datetime.time.fromisoformat(at), zone, after.astimezone(UTC))
    assert local(result, zone) == datetime.datetime.fromisoformat(expected_local)
    assert not scheduling.local_time_exists(day, datetime.time.fromisoformat(at), zone_of(zone))


def zone_of(name):
    return zoneinfo.ZoneInfo(name)


@pytest.mark.parametrize(
    ("zone", "day", "at"),
    [
        ("America/New_York", "2026-11-01", "01:30"),
        ("Europe/London", "2026-10-25", "01:30"),
        ("Pacific/Auckland", "2026-04-05", "02:30"),
        ("Australia/Lord_Howe", "2026-04-05", "01:45"),
    ],
)
def test_an_ambiguous_time_is_sent_once_at_its_first_occurrence(zone, day, at):
    day = datetime.date.fromisoformat(day)
    at = datetime.time.fromisoformat(at)
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=zone_of(zone))
    first = due(at, zone, start.astimezone(UTC))
    expected = datetime.datetime.combine(day, at, tzinfo=zone_of(zone)).astimezone(UTC)
    second = (
        datetime.datetime.combine(day, at, tzinfo=zone_of(zone)).replace(fold=1).astimezone(UTC)
    )
    assert first == expected and second > first  # truly ambiguous, the earlier one chosen
    # After the first occurrence the next one is tomorrow, not the repeat an hour later.
    following = due(at, zone, first)
    assert local(following, zone) == datetime.datetime.combine(day + datetime.timedelta(1), at)


def test_kolkata_has_no_dst_and_a_half_hour_offset():
    after = datetime.datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    result = due(datetime.time(22, 0), "Asia/Kolkata", after)
    assert result == datetime.datetime(2026, 3, 8, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "before", "after_change"),
    [
        ("America/New_York", "2026-03-07", "2026-03-09"),
        ("Europe/London", "2026-03-28", "2026-03-30"),
        ("Pacific/Auckland", "2026-04-04", "2026-04-06"),
        ("Australia/Lord_Howe", "2026-10-03", "2026-10-05"),
    ],
)
def test_the_wall_clock_time_holds_across_a_change(zone, before, after_change):
    at = datetime.time(21, 45)
    start = datetime.datetime.combine(
        datetime.date.fromisoformat(before), datetime.time(12), tzinfo=zone_of(zone)
    )
    instant = start.astimezone(UTC)
    for _ in range(3):
        instant = due(at, zone, instant)
        assert local(instant, zone).time() == at
    assert local(instant, zone).date() == datetime.date.fromisoformat(after_change)


@time_machine.travel(datetime.datetime(2026, 3, 8, 6, 0, tzinfo=UTC), tick=False)
def test_the_service_schedules_from_now_in_new_york(user):
    from reminders.models import ReminderKind
    from reminders.services import reminder_setting_update

    user.time_zone = "America/New_York"
    user.bedtime = datetime.time(3, 0)
    user.save()
    # 30 min before 03:00 = 02:30, which does not exist on 8 March 2026 in New York.
    setting = reminder_setting_update(user=user, kind=ReminderKind.EVENING, enabled=True)
    assert setting.next_due_at == datetime.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT


def test_a_pause_to_the_end_of_time_means_nothing_is_due():
    after = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    for paused_until in (datetime.date.max, datetime.date(9999, 12, 28)):
        assert (
            scheduling.next_due(
                at=datetime.time(22, 0),
                zone_name="Pacific/Auckland",
                after=after,
                weekdays=1 << 6,
                paused_until=paused_until,
            )  # fmt: skip
            is None
        )


def test_weekdays_and_pause_are_respected():
    after = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # a Monday
    only_friday = 1 << 4
    result = scheduling.next_due(
        at=datetime.time(22, 0),
        zone_name="Europe/London",
        after=after,
        weekdays=only_friday,
        paused_until=datetime.date(2026, 6, 10),
    )
    assert local(result, "Europe/London") == datetime.datetime(2026, 6, 12, 22, 0)
    assert (
        scheduling.next_due(
            at=datetime.time(22, 0), zone_name="UTC", after=after, weekdays=0, paused_until=None
        )
        is None
    )


def test_send_time_wraps_past_midnight():
    assert scheduling.send_time_for(
        bedtime=datetime.time(0, 15), minutes_before=30
    ) == datetime.time(23, 45)


ZONES = st.sampled_from(
    [
        "America/New_York",
        "Europe/London",
        "Pacific/Auckland",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Pacific/Chatham",
        "UTC",
    ]
)
INSTANTS = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2035, 12, 31)
).map(lambda dt: dt.replace(tzinfo=UTC))
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@settings(max_examples=400, deadline=None)
@given(zone=ZONES, after=INSTANTS, at=TIMES, weekdays=st.integers(1, ALL))
def test_next_due_is_in_the_future_and_at_the_chosen_wall_clock(zone, after, at, weekdays):
    result = scheduling.next_due(
        at=at, zone_name=zone, after=after, weekdays=weekdays, paused_until=None
    )
    assert result is not None and result > after
    wall = result.astimezone(zone_of(zone))
    if scheduling.local_time_exists(wall.date(), at, zone_of(zone)):
        assert wall.replace(tzinfo=None).time() == at
    else:
        # The first valid minute after it: wall clock just past `at`, within the jump.
        assert wall.time() > at
        assert wall.replace(tzinfo=None) - datetime.datetime.combine(
            wall.date(), at
        ) <= datetime.timedelta(hours=1)
    assert weekdays & (1 << wall.date().weekday()) or not scheduling.local_time_exists(
        wall.date(), at, zone_of(zone)
    )
    # And nothing earlier qualified: no valid day between `after` and the result was skipped.
    assert (result - after) <= datetime.timedelta(days=8)
