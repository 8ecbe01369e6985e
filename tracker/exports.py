"""CSV exports: UTF-8, ISO 8601 with the user's offset, safe to open in a spreadsheet."""

import csv
import datetime
import io
from collections import defaultdict

from django.db import models

from tracker.amounts import mg_text
from tracker.models import Dose, NightLog

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str:
    """Text for a CSV cell; a leading formula character is neutralised with an apostrophe
    (OWASP 'CSV injection' advice), so the cell shows as text."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _iso(instant, zone) -> str:
    return instant.astimezone(zone).isoformat() if instant else ""


def _cell(value, zone):
    """A night's field in a CSV cell: instants in the user's zone, factors joined by ";"."""
    if isinstance(value, datetime.datetime):
        return _iso(value, zone)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    return value


def _converter(name: str, zone):
    """_cell for one of NightLog's columns, picked by the field's type."""
    field = NightLog._meta.get_field(name)
    if isinstance(field, models.DateTimeField):
        return lambda value: value.astimezone(zone).isoformat() if value else ""
    if isinstance(field, models.DateField):
        return lambda value: value.isoformat() if value else ""
    return lambda value: _cell(value, zone)


def _minutes(delta) -> str:
    return str(round(delta.total_seconds() / 60)) if delta is not None else ""


# Derived columns follow the diary times, then the rest of the entry and that evening's doses.
_DERIVED = ("time_in_bed_min", "total_sleep_min", "sleep_efficiency_percent")
_SPLIT = NightLog.ENTRY_FIELDS.index("out_of_bed_at") + 1
NIGHT_HEADER = [
    *NightLog.ENTRY_FIELDS[:_SPLIT],
    *_DERIVED,
    *NightLog.ENTRY_FIELDS[_SPLIT:],
    "elemental_mg_total",
    "dose_times",
]
DOSE_HEADER = ["taken_at", "evening", "form", "elemental_mg", "compound_mg", "note"]


def _lines(rows) -> list[str]:
    """Each row as one CSV record, without its line terminator: quoting is decided cell by
    cell, so a record split into two runs of cells joined by "," is the record written whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="")
    lines = []
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        lines.append(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    return lines


def _write(rows) -> str:
    return "".join(f"{line}\r\n" for line in _lines(rows))


_NIGHT_HEADER_LINE = _lines([NIGHT_HEADER])[0]
# The dose columns of an evening without a dose: elemental total 0, no dose times.
_NO_DOSE_CELLS = _lines([["0", ""]])[0]


def night_lines(*, user) -> list[tuple[datetime.date, str]]:
    """Each logged night's evening and its CSV cells up to the dose columns: the part of the
    nights export read from nights alone (cached apart from the dose columns)."""
    zone = user.zone
    # Each column's conversion is chosen once from its field, not by type for every cell.
    cells = [(name, _converter(name, zone)) for name in NightLog.ENTRY_FIELDS]
    nights = NightLog.objects.filter(user=user).order_by("evening").only(*NightLog.ENTRY_FIELDS)
    evenings, rows = [], []
    for n in nights:
        efficiency = n.sleep_efficiency
        entered = [convert(getattr(n, name)) for name, convert in cells]
        derived = [
            _minutes(n.time_in_bed),
            _minutes(n.total_sleep),
            f"{efficiency:.1f}" if efficiency is not None else "",
        ]
        evenings.append(n.evening)
        rows.append([*entered[:_SPLIT], *derived, *entered[_SPLIT:]])
    return list(zip(evenings, _lines(rows), strict=True))


def evening_dose_cells(*, user) -> dict[datetime.date, str]:
    """The nights export's dose columns (elemental total, dose times) of each evening with a
    dose, as CSV cells: the part read from doses alone."""
    zone = user.zone
    # Tuples, in time order: a year holds hundreds of doses, and model instances cost more.
    per_evening = defaultdict(list)
    dose_rows = Dose.objects.filter(user=user).order_by("taken_at", "pk")
    for evening, taken_at, elemental_mg in dose_rows.values_list(
        "evening", "taken_at", "elemental_mg"
    ):
        per_evening[evening].append((taken_at, elemental_mg))
    rows = [
        [mg_text(sum(mg for _at, mg in doses)), ";".join(_iso(at, zone) for at, _mg in doses)]
        for doses in per_evening.values()
    ]
    return dict(zip(per_evening, _lines(rows), strict=True))


def nights_csv_join(night_lines, dose_cells) -> str:
    """The nights export from its two parts (night_lines and evening_dose_cells)."""
    rows = "".join(
        f"{line},{dose_cells.get(evening, _NO_DOSE_CELLS)}\r\n" for evening, line in night_lines
    )
    return f"{_NIGHT_HEADER_LINE}\r\n{rows}"


def nights_csv(*, user) -> str:
    """One row per logged night, with that evening's elemental total and dose times."""
    return nights_csv_join(night_lines(user=user), evening_dose_cells(user=user))


def doses_csv(*, user) -> str:
    zone = user.zone
    rows = [DOSE_HEADER]
    doses = Dose.objects.filter(user=user).order_by("taken_at", "pk")
    for taken_at, evening, form, elemental, compound, note in doses.values_list(
        "taken_at", "evening", "form", "elemental_mg", "compound_mg", "note"
    ):
        rows.append(
            [
                _iso(taken_at, zone),
                evening.isoformat(),
                form,
                mg_text(elemental),
                mg_text(compound) if compound is not None else "",
                note,
            ]
        )
    return _write(rows)
