"""Night times as aware instants: efficiency right across midnight, DST, and odd zones."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from tracker import services
from tracker.summary import period_summary

pytestmark = pytest.mark.django_db
T = datetime.time
LATER = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def zone_user(user):
    def set_zone(name):
        user.time_zone = name
        user.save()
        return user

    return set_zone


def _night(user, evening, **times):
    return services.night_log(
        user=user, evening=evening, severity=2, sleep_quality=3, times=times, now=LATER
    )


def test_spring_forward_night_is_an_hour_shorter(zone_user):
    user = zone_user("America/New_York")
    # Clocks jump 02:00 → 03:00 on 8 March 2026: 23:00 → 07:00 is 7 real hours.
    night = _night(
        user,
        datetime.date(2026, 3, 7),
        in_bed=T(23),
        tried_sleep=T(23),
        final_wake=T(7),
        out_of_bed=T(7),
    )
    assert night.time_in_bed == datetime.timedelta(hours=7)
    assert night.total_sleep == datetime.timedelta(hours=7)
    assert night.sleep_efficiency == pytest.approx(100.0)


def test_fall_back_night_is_an_hour_longer(zone_user):
    user = zone_user("America/New_York")
    # Clocks go 02:00 → 01:00 on 1 November 2026: 23:00 → 07:00 is 9 real hours.
    night = _night(
        user,
        datetime.date(2026, 10, 31),
        in_bed=T(23),
        tried_sleep=T(23, 30),
        final_wake=T(6, 30),
        out_of_bed=T(7),
    )
    assert night.time_in_bed == datetime.timedelta(hours=9)
    assert night.total_sleep == datetime.timedelta(hours=8)
    assert night.sleep_efficiency == pytest.approx(800 / 9)


def test_a_time_in_the_spring_gap_is_stored_as_a_real_instant(zone_user):
    user = zone_user("America/New_York")
    night = _night(user, datetime.date(2026, 3, 7), in_bed=T(2, 30), out_of_bed=T(7))
    # 02:30 does not exist that night; the project rule takes the first valid minute after
    # the gap: 03:00 EDT (07:00 UTC), the instant the clocks jump.
    assert night.in_bed_at == datetime.datetime(2026, 3, 8, 7, 0, tzinfo=datetime.UTC)
    assert night.time_in_bed == datetime.timedelta(hours=4)


def test_kolkata_half_hour_offset(zone_user):
    user = zone_user("Asia/Kolkata")
    night = _night(user, datetime.date(2026, 6, 1), in_bed=T(22, 45), out_of_bed=T(6, 15))
    assert night.in_bed_at == datetime.datetime(2026, 6, 1, 17, 15, tzinfo=datetime.UTC)
    assert night.time_in_bed == datetime.timedelta(hours=7, minutes=30)


def test_evening_times_before_midnight_and_after(zone_user):
    user = zone_user("Europe/London")
    night = _night(
        user,
        datetime.date(2026, 6, 1),
        symptoms_started=T(20, 15),
        in_bed=T(0, 30),
        out_of_bed=T(8),
    )
    zone = zoneinfo.ZoneInfo("Europe/London")
    assert night.symptoms_started_at.astimezone(zone) == datetime.datetime(
        2026, 6, 1, 20, 15, tzinfo=zone
    )
    assert night.in_bed_at.astimezone(zone).date() == datetime.date(2026, 6, 2)


def test_times_out_of_order_are_refused(zone_user):
    user = zone_user("Europe/London")
    with pytest.raises(ValidationError) as error:
        _night(user, datetime.date(2026, 6, 1), in_bed=T(23), tried_sleep=T(22))
    assert "tried_sleep" in error.value.message_dict


def test_awake_minutes_cannot_exceed_the_night(zone_user):
    user = zone_user("Europe/London")
    with pytest.raises(ValidationError) as error:
        services.night_log(
            user=user,
            evening=datetime.date(2026, 6, 1),
            severity=1,
            sleep_quality=3,
            times={"tried_sleep": T(23), "final_wake": T(1)},
            sleep_latency_min=100,
            waso_min=60,
            now=LATER,
        )
    assert "waso_min" in error.value.message_dict


def test_doses_after_midnight_count_for_the_evening_before_across_dst(zone_user):
    user = zone_user("America/New_York")
    ny = zoneinfo.ZoneInfo("America/New_York")
    # 01:30 on 1 Nov 2026 happens twice; both belong to the evening of 31 October.
    for fold in (0, 1):
        services.dose_record(
            user=user,
            form="glycinate",
            amount_mg=100,
            unit="elemental",
            taken_at=datetime.datetime(2026, 11, 1, 1, 30, fold=fold, tzinfo=ny),
            now=LATER,
        )
    summary = period_summary(
        user=user, start=datetime.date(2026, 10, 30), end=datetime.date(2026, 11, 1), now=LATER
    )
    by_day = {d.evening: d for d in summary.days}
    assert by_day[datetime.date(2026, 10, 31)].dose_count == 2
    assert by_day[datetime.date(2026, 10, 31)].dose_mg == 200
    assert by_day[datetime.date(2026, 11, 1)].dose_count == 0


def test_onset_times_are_ordered_within_the_night(zone_user):
    user = zone_user("Europe/London")
    for day, clock in ((1, T(0, 30)), (2, T(23, 30)), (3, T(21, 0))):
        _night(user, datetime.date(2026, 6, day), symptoms_started=clock)
    summary = period_summary(
        user=user, start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 3), now=LATER
    )
    assert summary.onset_times == ["21:00", "23:30", "00:30"]
    assert summary.onset_median == "23:30"
