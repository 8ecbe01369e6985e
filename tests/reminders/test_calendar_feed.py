"""The calendar feed as a file: parsed with icalendar, expanded with recurring-ical-events,
its occurrences compared with the instants the email pipeline sends at, across DST changes."""

import datetime
import zoneinfo

import pytest
import recurring_ical_events
import time_machine
from icalendar import Calendar

from reminders import scheduling
from reminders.calendar_feed import feed_ics
from reminders.models import ReminderKind
from reminders.selectors import reminder_settings_get, send_time_get
from reminders.services import reminder_setting_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Settings saved in mid-February 2026; the window spans the spring and autumn changes of
# London (29 Mar, 25 Oct), New York (8 Mar, 1 Nov) and Sydney (5 Apr, 4 Oct).
SAVED = datetime.datetime(2026, 2, 15, 12, 0, tzinfo=UTC)
SAVED_DAY = SAVED.date()
WINDOW = (datetime.date(2026, 2, 16), datetime.date(2026, 11, 15))
ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata")
MON_WED_FRI_SUN = 0b1010101


def _user_with_reminders(zone, *, bedtime=datetime.time(22, 30), paused_until=None, days=None):
    user = UserFactory(time_zone=zone, bedtime=bedtime, wake_time=datetime.time(7, 0))
    with time_machine.travel(SAVED, tick=False):
        for kind in ReminderKind.values:
            reminder_setting_update(
                user=user,
                kind=kind,
                enabled=True,
                weekdays=MON_WED_FRI_SUN if days is None else days,
                paused_until=paused_until,
                now=SAVED,
            )
    return user


def _feed(user, today=SAVED_DAY):
    ics = feed_ics(user=user, reminder_settings=reminder_settings_get(user=user), today=today)
    return Calendar.from_ical(ics), ics


def _occurrences(calendar, kind):
    """Every occurrence of one reminder's event in WINDOW, as UTC instants."""
    found = recurring_ical_events.of(calendar).between(*WINDOW)
    return sorted(
        event.start.astimezone(UTC) for event in found if f"-{kind}-reminder-" in str(event["UID"])
    )


def _pipeline_instants(user, kind):
    """The instants the email pipeline sends this reminder at in WINDOW (next_due chained)."""
    setting = reminder_settings_get(user=user)[kind]
    zone = zoneinfo.ZoneInfo(user.time_zone)
    after = datetime.datetime.combine(WINDOW[0], datetime.time(0), tzinfo=zone)
    end = datetime.datetime.combine(WINDOW[1], datetime.time(0), tzinfo=zone)
    instants = []
    while True:
        after = scheduling.next_due(
            at=send_time_get(setting=setting, user=user),
            zone_name=user.time_zone,
            after=after,
            weekdays=setting.weekdays,
            paused_until=setting.paused_until,
        )
        if after is None or after >= end:
            return instants
        instants.append(after)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("kind", ReminderKind.values)
def test_occurrences_fall_at_the_local_time_across_dst_and_match_the_emails(zone, kind):
    user = _user_with_reminders(zone)
    calendar, _ics = _feed(user)
    occurrences = _occurrences(calendar, kind)
    local = datetime.time(22, 0) if kind == ReminderKind.EVENING else datetime.time(7, 0)
    assert len(occurrences) > 100
    assert {o.astimezone(zoneinfo.ZoneInfo(zone)).time() for o in occurrences} == {local}
    assert {o.astimezone(zoneinfo.ZoneInfo(zone)).weekday() for o in occurrences} == {0, 2, 4, 6}
    assert occurrences == _pipeline_instants(user, kind)
    offsets = {o.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() for o in occurrences}
    assert len(offsets) == (1 if zone == "Asia/Kolkata" else 2)  # the change is crossed


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_a_reminder_in_the_repeated_hour_comes_once_at_its_first_occurrence(zone):
    # 02:00 bedtime, 30 minutes before: 01:30, which happens twice when the clocks go back.
    user = _user_with_reminders(zone, bedtime=datetime.time(2, 0), days=0b1111111)
    local = zoneinfo.ZoneInfo(zone)
    occurrences = _occurrences(_feed(user)[0], ReminderKind.EVENING)
    autumn = [o for o in occurrences if o.astimezone(local).month >= 9]
    assert autumn == [o for o in _pipeline_instants(user, ReminderKind.EVENING) if o in autumn]
    assert len({o.astimezone(local).date() for o in autumn}) == len(autumn) > 50
    back = datetime.date(2026, 10, 25) if zone == "Europe/London" else datetime.date(2026, 11, 1)
    (that_night,) = [o for o in autumn if o.astimezone(local).date() == back]
    assert that_night.astimezone(local).fold == 0 and that_night.astimezone(local).dst()


def test_a_time_the_clocks_skip_follows_rfc_5545_there_and_only_there():
    # London skips 01:00-02:00 on 29 March: the email goes at the jump (02:00 BST), a calendar
    # reads 01:30 with the offset before the gap (02:30 BST), as RFC 5545 says. Documented.
    user = _user_with_reminders("Europe/London", bedtime=datetime.time(2, 0), days=0b1111111)
    occurrences = _occurrences(_feed(user)[0], ReminderKind.EVENING)
    emails = _pipeline_instants(user, ReminderKind.EVENING)
    differ = [(o, e) for o, e in zip(occurrences, emails, strict=True) if o != e]
    assert differ == [
        (
            datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
            datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        )
    ]


@pytest.mark.parametrize("zone", ZONES)
def test_the_vtimezone_carries_the_zones_offsets(zone):
    calendar, ics = _feed(_user_with_reminders(zone))
    (vtimezone,) = calendar.timezones
    assert vtimezone.tz_name == zone
    defined = vtimezone.to_tz()
    real = zoneinfo.ZoneInfo(zone)
    for month in range(1, 13):
        for year in (2026, 2027, 2028):
            wall = datetime.datetime(year, month, 15, 12, 0)
            assert defined.utcoffset(wall) == wall.replace(tzinfo=real).utcoffset(), (year, month)
    assert f"DTSTART;TZID={zone}:".encode() in ics


def test_rrule_byday_alarm_and_text():
    user = _user_with_reminders("Europe/London", days=0b0011111)  # Monday to Friday
    calendar, ics = _feed(user)
    events = {str(e["UID"]).split("-")[1]: e for e in calendar.walk("VEVENT")}
    evening = events["evening"]
    assert evening["RRULE"]["FREQ"] == ["WEEKLY"]
    assert evening["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    assert str(evening["SUMMARY"]) == "Restwell: evening reminder"
    assert str(events["morning"]["SUMMARY"]) == "Restwell: morning reminder"
    assert str(evening["URL"]) == "http://127.0.0.1:8000/tracker/"
    assert str(events["morning"]["URL"]) == "http://127.0.0.1:8000/tracker/nights/new/"
    (alarm,) = evening.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == datetime.timedelta(0)
    assert evening.start == datetime.datetime(
        2026, 2, 16, 22, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London")
    )  # the first weekday on or after the day the settings were saved
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    assert b"magnesium" not in ics.lower() and b" mg" not in ics.lower()


def test_a_pause_starts_the_rule_after_it():
    paused_until = datetime.date(2026, 3, 10)  # a Tuesday
    user = _user_with_reminders("America/New_York", paused_until=paused_until)
    calendar, _ics = _feed(user)
    occurrences = _occurrences(calendar, ReminderKind.EVENING)
    zone = zoneinfo.ZoneInfo("America/New_York")
    assert occurrences[0].astimezone(zone) == datetime.datetime(2026, 3, 11, 22, 0, tzinfo=zone)
    assert occurrences == _pipeline_instants(user, ReminderKind.EVENING)


def test_reminders_off_paused_for_ever_or_without_days_have_no_event():
    user = _user_with_reminders("Europe/London", paused_until=datetime.date.max)
    calendar, ics = _feed(user)
    assert list(calendar.walk("VEVENT")) == [] and b"VTIMEZONE" not in ics
    with time_machine.travel(SAVED, tick=False):
        reminder_setting_update(user=user, kind=ReminderKind.EVENING, enabled=False, now=SAVED)
        reminder_setting_update(user=user, kind=ReminderKind.MORNING, enabled=True, weekdays=0)
    assert list(_feed(user)[0].walk("VEVENT")) == []


def test_no_reminder_saved_yet_is_an_empty_calendar():
    calendar, _ics = _feed(UserFactory())
    assert list(calendar.walk("VEVENT")) == []
    assert str(calendar["X-WR-CALNAME"]) == "Restwell reminders"
