"""Sleep import, domain side: reading Health Auto Export JSON and Apple Health exports into one
suggestion per night (midnight, DST, naps, two devices), and applying without overwriting."""

import datetime
import io
import zoneinfo

import pytest

from tests.tracker.sleep_samples import apple_xml, apple_zip, hae_json, sleep_record
from tracker import services
from tracker.models import NightLog, SleepImport
from tracker.sleep_import import SleepImportError, read_upload
from tracker.sleep_import.formats import parse_instant

LONDON = zoneinfo.ZoneInfo("Europe/London")
SEVEN = datetime.time(7, 0)
NEWEST = datetime.date(2026, 11, 8)
NOW = datetime.datetime(2026, 11, 9, 9, 0, tzinfo=datetime.UTC)
T = datetime.time


def read(raw: bytes, newest=NEWEST, zone=LONDON):
    return read_upload(io.BytesIO(raw), size=len(raw), zone=zone, wake_time=SEVEN, newest=newest)


def local(instant):
    return instant.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


def hae_row(**fields):
    row = {"date": "2026-11-02 00:00:00 +0000", "source": "Sam's Apple Watch"}
    return row | fields


def test_health_auto_export_night_across_midnight():
    row = hae_row(
        inBedStart="2026-11-01 23:20:00 +0000",
        inBedEnd="2026-11-02 07:05:00 +0000",
        sleepStart="2026-11-01 23:40:00 +0000",
        sleepEnd="2026-11-02 06:50:00 +0000",
        inBed=7.75,
        totalSleep=6.5,
        core=4,
        deep=1,
        rem=1.5,
        asleep=0,
    )
    result = read(hae_json([row]))
    (night,) = result.nights
    assert result.kind == "health_auto_export" and result.records == 1
    assert night.evening == datetime.date(2026, 11, 1)
    assert local(night.in_bed_at) == "2026-11-01 23:20"
    assert local(night.asleep_at) == "2026-11-01 23:40"
    assert local(night.final_wake_at) == "2026-11-02 06:50"
    assert local(night.out_of_bed_at) == "2026-11-02 07:05"
    assert (night.asleep_min, night.waso_min) == (390, 40)
    assert night.source == "Sam's Apple Watch"


def test_health_auto_export_version_1_in_minutes_and_a_sleep_starting_after_midnight():
    # Version 1: "asleep" instead of "totalSleep"; no in-bed data (inBed 0, times repeated).
    row = hae_row(
        sleepStart="2026-11-03 00:40:00 +0000",
        sleepEnd="2026-11-03 07:10:00 +0000",
        inBedStart="2026-11-03 00:40:00 +0000",
        inBedEnd="2026-11-03 07:10:00 +0000",
        inBed=0,
        asleep=360,
        sleepSource="iPhone",
    )
    del row["source"]
    (night,) = read(hae_json([row], units="min", wrapped=False)).nights
    assert night.evening == datetime.date(2026, 11, 2)  # 00:40 is still the night before
    assert night.in_bed_at is None and night.out_of_bed_at is None  # nothing invented
    assert (night.asleep_min, night.waso_min) == (360, 30)
    assert night.source == "iPhone"


def test_health_auto_export_unaggregated_samples():
    samples = [
        {"startDate": s, "endDate": e, "value": v, "qty": 1, "source": "Watch"}
        for v, s, e in (
            ("In Bed", "2026-11-04 22:00:00 +0000", "2026-11-05 06:30:00 +0000"),
            ("Core", "2026-11-04 22:30:00 +0000", "2026-11-05 02:00:00 +0000"),
            ("Awake", "2026-11-05 02:00:00 +0000", "2026-11-05 02:45:00 +0000"),
            ("REM", "2026-11-05 02:45:00 +0000", "2026-11-05 06:10:00 +0000"),
        )
    ]
    (night,) = read(hae_json(samples)).nights
    assert night.evening == datetime.date(2026, 11, 4)
    assert local(night.asleep_at) == "2026-11-04 22:30"
    assert local(night.final_wake_at) == "2026-11-05 06:10"
    assert night.waso_min == 45


def _dst_night_records(source="Sam's Apple Watch"):
    # Clocks go back at 02:00 BST on 25 October 2026: the night is 25 hours long.
    return [
        sleep_record("InBed", "2026-10-24 22:30:00 +0100", "2026-10-25 07:00:00 +0000", source),
        sleep_record("AsleepCore", "2026-10-24 23:00:00 +0100", "2026-10-25 03:00:00 +0000"),
        sleep_record("Awake", "2026-10-25 03:00:00 +0000", "2026-10-25 03:20:00 +0000"),
        sleep_record("AsleepDeep", "2026-10-25 03:20:00 +0000", "2026-10-25 06:45:29 +0000"),
    ]


def test_apple_health_zip_across_the_clock_change():
    result = read(apple_zip(apple_xml(_dst_night_records())))
    (night,) = result.nights
    assert result.kind == "apple_health" and result.records == 4
    assert night.evening == datetime.date(2026, 10, 24)
    assert local(night.in_bed_at) == "2026-10-24 22:30"
    assert local(night.asleep_at) == "2026-10-24 23:00"
    assert local(night.final_wake_at) == "2026-10-25 06:45"  # rounded to the minute
    assert local(night.out_of_bed_at) == "2026-10-25 07:00"
    # 23:00 BST → 03:00 GMT is 5 real hours, 03:20 → 06:45 is 3 h 25: 8 h 25 asleep of 8 h 45.
    assert (night.asleep_min, night.waso_min) == (505, 20)


def test_spring_forward_night_in_new_york():
    zone = zoneinfo.ZoneInfo("America/New_York")
    records = [
        sleep_record("AsleepUnspecified", "2026-03-07 23:30:00 -0500", "2026-03-08 07:00:00 -0400")
    ]
    (night,) = read(apple_xml(records), zone=zone).nights
    assert night.evening == datetime.date(2026, 3, 7)
    assert (night.asleep_min, night.waso_min) == (390, 0)  # 7 h 30 on the clock, 6 h 30 real


def test_a_nap_and_a_second_device_are_left_out():
    records = [
        *_dst_night_records(),
        sleep_record("AsleepCore", "2026-10-24 15:00:00 +0100", "2026-10-24 15:40:00 +0100"),
        sleep_record("InBed", "2026-10-24 23:10:00 +0100", "2026-10-25 06:00:00 +0000", "iPhone"),
    ]
    result = read(apple_xml(records))
    (night,) = result.nights
    assert night.source == "Sam's Apple Watch" and local(night.in_bed_at) == "2026-10-24 22:30"
    assert result.left_out == 2


def test_nights_not_yet_over_are_not_suggested():
    records = [sleep_record("AsleepCore", "2026-11-08 23:00:00 +0000", "2026-11-09 06:00:00 +0000")]
    with pytest.raises(SleepImportError) as refused:
        read(apple_xml(records), newest=datetime.date(2026, 11, 7))
    assert refused.value.code == "no_nights"


def test_dates_with_and_without_an_offset():
    assert parse_instant("2026-11-01 23:40:00 -0800").utcoffset() == datetime.timedelta(hours=-8)
    assert parse_instant("2026-11-01T23:40:00+01:00") is not None
    assert parse_instant("2026-11-01 23:40:00") is None  # no offset: the instant is unknown
    assert parse_instant(12) is None


# --- applying -------------------------------------------------------------------------------
@pytest.fixture
def stored(user):
    result = read(apple_zip(apple_xml(_dst_night_records())))
    return services.sleep_import_store(user=user, result=result, now=NOW)


def _typed(user, **times):
    return services.night_log(
        user=user,
        evening=datetime.date(2026, 10, 24),
        severity=3,
        sleep_quality=3,
        times=times,
        now=NOW,
    )


@pytest.mark.django_db
def test_applying_fills_only_empty_fields(user, stored):
    night = _typed(user, in_bed=T(22, 0), tried_sleep=T(22, 15))
    outcome = services.sleep_suggestions_apply(
        sleep_import=stored, evenings=[night.evening], now=NOW
    )
    night.refresh_from_db()
    assert outcome.applied == [
        (night.evening, ["final_wake_at", "out_of_bed_at", "waso_min", "sleep_latency_min"])
    ]
    assert local(night.in_bed_at) == "2026-10-24 22:00"  # typed: kept
    assert local(night.tried_sleep_at) == "2026-10-24 22:15"  # typed: kept
    assert night.sleep_latency_min == 45  # 22:15 typed → 23:00 asleep
    assert local(night.final_wake_at) == "2026-10-25 06:45"
    assert local(night.out_of_bed_at) == "2026-10-25 07:00"
    assert night.waso_min == 20
    assert night.severity == 3
    suggestion = stored.suggestions.get()
    assert suggestion.applied_at == NOW and "waso_min" in suggestion.applied_fields
    # A second time there is nothing left to fill.
    again = services.sleep_suggestions_apply(sleep_import=stored, evenings=[night.evening])
    assert again.nothing_to_fill == [night.evening]


@pytest.mark.django_db
def test_an_empty_night_gets_fell_asleep_as_tried_to_sleep(user, stored):
    night = _typed(user)
    services.sleep_suggestions_apply(sleep_import=stored, evenings=[night.evening], now=NOW)
    night.refresh_from_db()
    assert local(night.tried_sleep_at) == "2026-10-24 23:00"
    assert night.sleep_latency_min is None  # left for the user
    assert night.total_sleep == datetime.timedelta(minutes=505)


@pytest.mark.django_db
def test_times_that_would_break_the_diary_leave_the_night_unchanged(user, stored):
    night = _typed(user, out_of_bed=T(6, 0))  # typed: up at 06:00, tracker: woke at 06:45
    outcome = services.sleep_suggestions_apply(
        sleep_import=stored, evenings=[night.evening], now=NOW
    )
    ((evening, reason),) = outcome.refused
    assert evening == night.evening and "before the time you" in reason
    night.refresh_from_db()
    assert night.final_wake_at is None and night.in_bed_at is None


@pytest.mark.django_db
def test_a_night_not_logged_is_left_alone(user, stored):
    outcome = services.sleep_suggestions_apply(
        sleep_import=stored, evenings=[datetime.date(2026, 10, 24)], now=NOW
    )
    assert outcome.not_logged == [datetime.date(2026, 10, 24)]
    assert not NightLog.objects.exists()


@pytest.mark.django_db
def test_a_new_upload_replaces_the_old_and_expired_ones_are_purged(user, other_user, stored):
    result = read(
        hae_json(
            [
                hae_row(
                    sleepStart="2026-11-01 23:40:00 +0000",
                    sleepEnd="2026-11-02 06:50:00 +0000",
                    totalSleep=7,
                )
            ]
        )
    )
    newer = services.sleep_import_store(user=user, result=result, now=NOW)
    assert list(SleepImport.objects.filter(user=user)) == [newer]
    services.sleep_import_store(user=other_user, result=result, now=NOW)
    assert services.sleep_imports_purge(now=NOW + datetime.timedelta(days=6)) == 0
    assert services.sleep_imports_purge(now=NOW + datetime.timedelta(days=7)) == 2
    assert not SleepImport.objects.exists()
