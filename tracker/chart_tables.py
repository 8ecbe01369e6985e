"""The charts' table alternatives, as rows built in Python rather than in the template: a
year of rows through template tags costs more than everything else on the page."""

from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.amounts import mg_text
from tracker.models import Quality, Stomach


def nightly_table_rows(days) -> SafeString:
    """The nightly chart's table alternative, newest first."""
    skipped = escape(_("skipped"))
    # Django's date_format("D j M"), with the translated names looked up once per table.
    weekdays = {i: str(name) for i, name in WEEKDAYS_ABBR.items()}
    months = {i: str(name).title() for i, name in MONTHS_3.items()}
    quality_labels = {value: escape(label) for value, label in Quality.choices}
    rows = []
    for day in reversed(days):
        night = day.night
        average = "—" if day.severity_avg is None else f"{day.severity_avg:.1f}"
        if day.dosed:
            dose = mg_text(day.dose_mg)
        else:
            dose = skipped if day.skipped else "—"
        rows.append(
            f'<tr><th scope="row">{escape(weekdays[day.evening.weekday()])} {day.evening.day} '
            f"{escape(months[day.evening.month])}</th>"
            f"<td>{night.severity if night else '—'}</td><td>{average}</td>"
            f"<td>{quality_labels[night.sleep_quality] if night else '—'}</td>"
            f"<td>{dose}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - text escaped above, numbers formatted  # nosec B308 B703


def entries_table_rows(days) -> SafeString:
    """The report's compact table: every evening with a night or a dose."""
    weekdays = {i: str(name) for i, name in WEEKDAYS_ABBR.items()}
    months = {i: str(name).title() for i, name in MONTHS_3.items()}
    quality_labels = {value: escape(label) for value, label in Quality.choices}
    stomach_labels = {value: escape(label) for value, label in Stomach.choices}
    rows = []
    for day in days:
        night = day.night
        if not night and not day.dosed:
            continue
        efficiency = night.sleep_efficiency if night else None
        rows.append(
            f'<tr><th scope="row">{escape(weekdays[day.evening.weekday()])} {day.evening.day} '
            f"{escape(months[day.evening.month])} {day.evening.year}</th>"
            f"<td>{night.severity if night else '—'}</td>"
            f"<td>{quality_labels[night.sleep_quality] if night else '—'}</td>"
            f"<td>{'—' if efficiency is None else f'{efficiency:.0f}%'}</td>"
            f"<td>{mg_text(day.dose_mg) if day.dosed else '—'}</td>"
            f"<td>{stomach_labels.get(night.stomach, '—') if night else '—'}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - text escaped above, numbers formatted  # nosec B308 B703
