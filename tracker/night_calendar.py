"""The last weeks as a grid of nights: each past night opens its entry, or logs it.

So a missed night is one tap away, and nobody back-fills by editing another night's date.
Server-rendered (works without JavaScript); one query whatever the data. Dates are evenings
in the user's zone (tracker/evening.py): the newest night that can be logged is last night.
"""

import dataclasses
import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tracker import selectors
from tracker.evening import last_night

WEEKS = 5


@dataclasses.dataclass(frozen=True)
class Day:
    evening: datetime.date
    label: str  # the accessible name: "30 November, not logged"
    url: str | None  # None for tonight and later: nothing to log yet
    logged: bool
    current: bool  # the night the page is about
    first_of_month: bool


def _week_start(day: datetime.date) -> datetime.date:
    first = int(formats.get_format("FIRST_DAY_OF_WEEK"))  # 0 = Sunday, 1 = Monday
    return day - datetime.timedelta(days=(day.isoweekday() - first) % 7)


def night_calendar(
    *, user, now: datetime.datetime, current: datetime.date | None = None, weeks: int = WEEKS
) -> dict:
    """`weeks` rows of 7 days, the last row holding today; the headers name the weekdays."""
    newest = last_night(now, user.zone, user.wake_time)
    today = newest + datetime.timedelta(days=1)
    start = _week_start(today) - datetime.timedelta(weeks=weeks - 1)
    end = start + datetime.timedelta(weeks=weeks) - datetime.timedelta(days=1)
    logged = selectors.night_ids_by_evening(user=user, start=start, end=min(end, newest))
    new_url = reverse("tracker:night_new")
    rows = []
    for week in range(weeks):
        row = []
        for offset in range(7):
            evening = start + datetime.timedelta(days=week * 7 + offset)
            name = formats.date_format(evening, "j F")
            night_id = logged.get(evening)
            if evening > newest:
                label = _("%(day)s, tonight") if evening == today else _("%(day)s, not yet")
                url = None
            elif night_id:
                label = _("%(day)s, logged")
                url = reverse("tracker:night_edit", kwargs={"pk": night_id})
            else:
                label = _("%(day)s, not logged")
                url = f"{new_url}?{urlencode({'evening': evening.isoformat()})}"
            row.append(
                Day(
                    evening=evening,
                    label=label % {"day": name},
                    url=url,
                    logged=bool(night_id),
                    current=evening == current,
                    first_of_month=evening.day == 1,
                )
            )
        rows.append(row)
    return {
        "weekdays": [
            (formats.date_format(d.evening, "D"), formats.date_format(d.evening, "l"))
            for d in rows[0]
        ],
        "rows": rows,
        "start": start,
        "end": end,
        "missing": sum(1 for row in rows for d in row if d.url and not d.logged),
    }
