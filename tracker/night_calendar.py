"""The last weeks as a grid of nights: each past night opens its entry, or logs it.

So a missed night is one tap away, and nobody back-fills by editing another night's date.
Server-rendered (works without JavaScript); one query whatever the data. Dates are evenings
in the user's zone (tracker/evening.py): the newest night that can be logged is last night.
"""

import datetime
from typing import TypedDict

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from tracker import selectors
from tracker.evening import last_night

WEEKS = 5
_PK_MARK = 987654321  # stands for a night's id in the edit URL, replaced in each cell


class Day(TypedDict):
    """One cell. A dict, not an object: the template looks each key up in a dict first, and
    35 cells of eight lookups that each failed as a dict key first cost a sixth of the grid."""

    evening: datetime.date
    label: str  # the accessible name: "30 November, not logged"
    url: str | None  # None for tonight and later: nothing to log yet
    state: str  # "logged", "missing" or "later": the cell's class modifier (night-cal__day--…)
    current: bool  # the night the page is about
    first_of_month: bool
    number: str  # the day of the month, as shown in the cell
    month_abbr: str  # shown on the first of a month


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
    # Each word and URL shape is looked up once for the grid, not once per day (35 days).
    # An ISO date is digits and hyphens, which a query string carries as they are.
    new_url = reverse("tracker:night_new") + "?evening="
    edit_url = reverse("tracker:night_edit", kwargs={"pk": _PK_MARK})
    labels = {
        "tonight": _("%(day)s, tonight"),
        "later": _("%(day)s, not yet"),
        "logged": _("%(day)s, logged"),
        "missing": _("%(day)s, not logged"),
    }
    months = {}
    rows = []
    for week in range(weeks):
        row = []
        for offset in range(7):
            evening = start + datetime.timedelta(days=week * 7 + offset)
            if evening.month not in months:
                months[evening.month] = (
                    formats.date_format(evening, "F"),
                    formats.date_format(evening, "M"),
                )
            month, month_abbr = months[evening.month]
            night_id = logged.get(evening)
            if evening > newest:
                label = labels["tonight"] if evening == today else labels["later"]
                state, url = "later", None
            elif night_id:
                label = labels["logged"]
                state, url = "logged", edit_url.replace(str(_PK_MARK), str(night_id))
            else:
                label = labels["missing"]
                state, url = "missing", new_url + evening.isoformat()
            row.append(
                Day(
                    evening=evening,
                    label=label % {"day": f"{evening.day} {month}"},  # as date_format "j F"
                    url=url,
                    state=state,
                    current=evening == current,
                    first_of_month=evening.day == 1,
                    number=str(evening.day),
                    month_abbr=month_abbr,
                )
            )
        rows.append(row)
    return {
        "weekdays": [
            (formats.date_format(d["evening"], "D"), formats.date_format(d["evening"], "l"))
            for d in rows[0]
        ],
        "rows": rows,
        "start": start,
        "end": end,
        "missing": sum(1 for row in rows for d in row if d["state"] == "missing"),
    }
