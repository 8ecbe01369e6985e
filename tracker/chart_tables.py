"""The charts' table alternatives and the dashboard's latest entries, as rows built in Python
rather than in the template: a year of rows through template tags costs more than everything
else on the page, and the dashboard is rendered again after every dose."""

from typing import NamedTuple

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.amounts import mg_text
from tracker.models import Quality, Stomach
from tracker.names import day_names, escaped_labels


def nightly_table_rows(days) -> SafeString:
    """The nightly chart's table alternative, newest first."""
    skipped = escape(_("skipped"))
    names = day_names()
    quality_labels = escaped_labels(Quality.choices)
    rows = []
    for day in reversed(days):
        night = day.night
        average = "—" if day.severity_avg is None else f"{day.severity_avg:.1f}"
        if day.dosed:
            dose = mg_text(day.dose_mg)
        else:
            dose = skipped if day.skipped else "—"
        rows.append(
            f'<tr><th scope="row">{names.day_month(day.evening)}</th>'
            f"<td>{night.severity if night else '—'}</td><td>{average}</td>"
            f"<td>{quality_labels[night.sleep_quality] if night else '—'}</td>"
            f"<td>{dose}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - text escaped above, numbers formatted  # nosec B308 B703


def entries_table_rows(days) -> SafeString:
    """The report's compact table: every evening with a night or a dose."""
    names = day_names()
    quality_labels = escaped_labels(Quality.choices)
    stomach_labels = escaped_labels(Stomach.choices)
    rows = []
    for day in days:
        night = day.night
        if not night and not day.dosed:
            continue
        efficiency = night.sleep_efficiency if night else None
        rows.append(
            f'<tr><th scope="row">{names.day_month(day.evening)} {day.evening.year}</th>'
            f"<td>{night.severity if night else '—'}</td>"
            f"<td>{quality_labels[night.sleep_quality] if night else '—'}</td>"
            f"<td>{'—' if efficiency is None else f'{efficiency:.0f}%'}</td>"
            f"<td>{mg_text(day.dose_mg) if day.dosed else '—'}</td>"
            f"<td>{stomach_labels.get(night.stomach, '—') if night else '—'}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - text escaped above, numbers formatted  # nosec B308 B703


class LatestEntry(NamedTuple):
    """One line of the dashboard's latest entries: its form's address, when, and what."""

    url: str
    when: SafeString
    what: SafeString


def latest_night_entries(nights) -> list[LatestEntry]:
    """The dashboard's latest nights, each with its two scores."""
    names = day_names()
    quality_labels = escaped_labels(Quality.choices)
    return [
        LatestEntry(
            url=reverse("tracker:night_edit", args=[night.pk]),
            when=mark_safe(names.day_month(night.evening)),  # noqa: S308 - names escaped  # nosec B308 B703
            what=mark_safe(  # noqa: S308 - the label escaped, the score a number  # nosec B308 B703
                _("legs %(s)s/10 · sleep %(q)s")
                % {"s": night.severity, "q": quality_labels[night.sleep_quality]}
            ),
        )
        for night in nights
    ]


def latest_dose_entries(doses) -> list[LatestEntry]:
    """The dashboard's latest doses, each with when it was taken (in the time zone the page
    renders in, as the template's |date shows it) and how much."""
    names = day_names()
    entries = []
    for dose in doses:
        taken_at = timezone.localtime(dose.taken_at)
        entries.append(
            LatestEntry(
                url=reverse("tracker:dose_edit", args=[dose.pk]),
                when=mark_safe(f"{names.day_month(taken_at)}, {taken_at:%H:%M}"),  # noqa: S308 - names escaped  # nosec B308 B703
                what=mark_safe(_("%(mg)s mg elemental") % {"mg": mg_text(dose.elemental_mg)}),  # noqa: S308 - a number  # nosec B308 B703
            )
        )
    return entries
