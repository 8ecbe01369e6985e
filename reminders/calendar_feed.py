"""The private iCalendar feed of a user's reminders (RFC 5545), built with `icalendar`.

Each reminder that is on becomes one recurring event at its local time in the user's own
zone: DTSTART with a TZID and a VTIMEZONE for it, a weekly RRULE whose BYDAY are the chosen
days, and a VALARM at the start, so a phone's calendar rings even when the email is late.

A pause is honoured by starting the rule after it: DTSTART is the first chosen day after
`paused_until` (or after the day the settings were last saved, if later), so no occurrence
falls in the pause and nothing changes when it ends. A reminder paused "for ever" (the
largest date) or with no day chosen has no event.

The text says only "Restwell: evening reminder" and links to the site: no symptom, dose or
product is ever in it (a calendar shows events on lock screens and in shared views).

One rule differs from the emails, by the standard: at a local time skipped by a spring-
forward change, the email goes at the jump (tracker/evening.py) while RFC 5545 reads the time
with the offset before the gap (02:30 → 03:30). Only a reminder set inside that hour differs.
"""

import datetime
import zoneinfo
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone, vRecur

from reminders.models import ReminderKind, ReminderSetting
from reminders.selectors import send_time_get

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()
DURATION = datetime.timedelta(minutes=10)
# Calendar apps refresh a subscription about this often (RFC 7986 REFRESH-INTERVAL).
REFRESH = datetime.timedelta(hours=1)
# The VTIMEZONE lists the zone's transitions from the first event's year to this many years
# past today; the feed is fetched again long before that runs out.
ZONE_YEARS_AHEAD = 3
# Where each reminder's event links to (public URLs, contract.md).
LINKS = {ReminderKind.EVENING: "tracker:dashboard", ReminderKind.MORNING: "tracker:night_new"}


def _summaries() -> dict[str, str]:
    return {
        ReminderKind.EVENING: _("Restwell: evening reminder"),
        ReminderKind.MORNING: _("Restwell: morning reminder"),
    }


def _descriptions() -> dict[str, str]:
    return {
        ReminderKind.EVENING: _("Your evening reminder from Restwell."),
        ReminderKind.MORNING: _("Your morning sleep-diary reminder from Restwell."),
    }


def first_day(*, setting: ReminderSetting, zone: zoneinfo.ZoneInfo) -> datetime.date | None:
    """The local date of the first occurrence: the first chosen weekday on or after the day
    the settings were saved, and after any pause. None when the reminder never recurs."""
    if not setting.enabled or not setting.weekdays or setting.updated_at is None:
        return None
    start = setting.updated_at.astimezone(zone).date()
    paused = setting.paused_until
    if paused is not None and paused >= start:
        if paused >= datetime.date.max - datetime.timedelta(days=8):
            return None  # paused for ever
        start = paused + datetime.timedelta(days=1)
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        if setting.weekday_on(day.weekday()):
            return day
    return None  # not reached: weekdays is not empty


@lru_cache(maxsize=256)
def _vtimezone(zone_name: str, first_year: int, last_year: int) -> bytes:
    """The zone's VTIMEZONE for those years (icalendar builds it from zoneinfo; cached)."""
    return Timezone.from_tzid(
        zone_name,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year, 1, 1),
    ).to_ical()


def _event(*, setting: ReminderSetting, user, day: datetime.date, domain: str) -> Event:
    zone = user.zone
    at = send_time_get(setting=setting, user=user)
    summary = _summaries()[setting.kind]
    event = Event()
    event.add("uid", f"restwell-{setting.kind}-reminder-{user.pk}@{domain}")
    event.add("dtstamp", setting.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", setting.updated_at.astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("description", _descriptions()[setting.kind])
    event.add("url", settings.SITE_URL + reverse(LINKS[setting.kind]))
    event.add("dtstart", datetime.datetime.combine(day, at, tzinfo=zone))
    event.add("duration", DURATION)
    days = [BYDAY[weekday] for weekday in range(7) if setting.weekday_on(weekday)]
    event.add("rrule", vRecur(freq="WEEKLY", byday=days))
    event.add("transp", "TRANSPARENT")  # a reminder, not busy time
    event.add("class", "PRIVATE")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", datetime.timedelta(0))
    event.add_component(alarm)
    return event


def feed_ics(*, user, reminder_settings: dict[str, ReminderSetting], today: datetime.date) -> bytes:
    """The whole feed: one recurring event per reminder that is on (none: an empty calendar)."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    zone = user.zone
    calendar = Calendar()
    calendar.add("prodid", "-//Restwell//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    with translation.override(user.email_language):
        name = _("Restwell reminders")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH)
        events = []
        for kind in ReminderKind.values:
            setting = reminder_settings[kind]
            day = first_day(setting=setting, zone=zone)
            if day is not None:
                events.append((day, _event(setting=setting, user=user, day=day, domain=domain)))
    if events:
        first_year = min(day for day, _unused in events).year
        calendar.add_component(
            Timezone.from_ical(
                _vtimezone(user.time_zone, first_year, today.year + ZONE_YEARS_AHEAD)
            )
        )
    for _day, event in events:
        calendar.add_component(event)
    return calendar.to_ical()
