"""Translated names as escaped text for the tables built in Python (tracker/chart_tables.py,
tracker/entry_tables.py): weekday and month names, and the labels of a field's choices.

Each is turned into plain text once: Django's names and labels are lazy, and escaping a lazy
string keeps it lazy, so without `str` every date of a table was translated again when it
was formatted (about 70 translations per dashboard).
"""

from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.translation import get_language


class DayNames:
    """Django's date_format("D j M") (escaped, as the template's |date prints it), with the
    translated names looked up once per language (`day_names`) rather than once per date."""

    def __init__(self):
        self.weekdays = {i: escape(str(name)) for i, name in WEEKDAYS_ABBR.items()}
        self.months = {i: escape(str(name).title()) for i, name in MONTHS_3.items()}

    def day_month(self, date) -> str:
        return f"{self.weekdays[date.weekday()]} {date.day} {self.months[date.month]}"


# Language code → its names: the catalogues do not change while the process runs.
_DAY_NAMES: dict[str | None, DayNames] = {}


def day_names() -> DayNames:
    language = get_language()
    names = _DAY_NAMES.get(language)
    if names is None:
        names = _DAY_NAMES[language] = DayNames()
    return names


def escaped_labels(choices) -> dict:
    """A field's choices as {value: its label, translated and escaped}."""
    return {value: escape(str(label)) for value, label in choices}
