"""How one iron result reads against the AASM 2024 bands, and when a new test is due.

Every number comes from tracker.reference. A result is never called "fine": above a
threshold it reads as "above", because the thresholds are consensus, not tested cut-offs.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tracker import reference

RECOMMENDED = "recommended"  # iron treatment recommended
IV_CONSIDERED = "iv_considered"  # IV iron may be considered
ABOVE = "above"  # past the guideline's treatment thresholds


@dataclass(frozen=True)
class Band:
    code: str
    text: str

    @property
    def attention(self) -> bool:
        """Whether the result is in a band where the guideline suggests a talk about iron."""
        return self.code in (RECOMMENDED, IV_CONSIDERED)


def number(value: Decimal) -> str:
    """90.0 → "90", 18.5 → "18.5" (results are stored with one decimal)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ferritin_band(value: Decimal) -> Band:
    low = reference.FERRITIN_THRESHOLD_NG_ML.value
    high = reference.FERRITIN_IV_CONSIDERED_NG_ML.value
    shown = {"v": number(value), "low": low, "high": high}
    if value <= low:
        return Band(
            RECOMMENDED,
            _(
                "Ferritin %(v)s ng/mL — %(low)s or lower, where the guideline recommends iron "
                "treatment"
            )
            % shown,
        )
    if value <= high:
        return Band(
            IV_CONSIDERED,
            _("Ferritin %(v)s ng/mL — in the %(low)s–%(high)s band where IV iron may be considered")
            % shown,
        )
    return Band(
        ABOVE,
        _("Ferritin %(v)s ng/mL — above %(high)s, past the guideline's treatment thresholds")
        % shown,
    )


def tsat_band(value: Decimal) -> Band:
    threshold = reference.TSAT_THRESHOLD_PERCENT.value
    shown = {"v": number(value), "t": threshold}
    if value < threshold:
        return Band(
            RECOMMENDED,
            _("TSAT %(v)s%% — below %(t)s%%, where the guideline recommends iron treatment")
            % shown,
        )
    return Band(
        ABOVE, _("TSAT %(v)s%% — %(t)s%% or more, not below the guideline's threshold") % shown
    )


@dataclass(frozen=True)
class LabReading:
    result: object  # the LabResult
    bands: tuple[Band, ...]  # ferritin's first, then TSAT's, for the values recorded

    @property
    def attention(self) -> bool:
        return any(band.attention for band in self.bands)


def lab_reading(result) -> LabReading:
    bands = []
    if result.ferritin_ng_ml is not None:
        bands.append(ferritin_band(result.ferritin_ng_ml))
    if result.tsat_percent is not None:
        bands.append(tsat_band(result.tsat_percent))
    return LabReading(result=result, bands=tuple(bands))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or that month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class RetestNudge:
    last_on: datetime.date
    due_on: datetime.date
    months: int
    on_iron: bool
    source: str


def retest_nudge(*, results, today: datetime.date, on_iron: bool) -> RetestNudge | None:
    """A nudge when the newest ferritin result is older than the re-test interval.

    `results` are the user's lab rows (any order); `today` is the date in the user's zone.
    Nothing when no ferritin was ever logged: the labs page already asks for a first test.
    """
    dates = [r.taken_on for r in results if r.ferritin_ng_ml is not None]
    return retest_nudge_since(last_on=max(dates, default=None), today=today, on_iron=on_iron)


def retest_nudge_since(
    *, last_on: datetime.date | None, today: datetime.date, on_iron: bool
) -> RetestNudge | None:
    """The same nudge from the date of the newest ferritin result alone (the dashboard)."""
    if last_on is None:
        return None
    interval = reference.RETEST_MONTHS_ON_IRON if on_iron else reference.RETEST_MONTHS
    due_on = add_months(last_on, interval.value)
    if today <= due_on:
        return None
    return RetestNudge(
        last_on=last_on,
        due_on=due_on,
        months=interval.value,
        on_iron=on_iron,
        source=str(interval.source),
    )


def iron_product_text(product) -> str:
    """'Ferrous sulfate, 65 mg elemental iron, every other day' (and the time, if given)."""
    often = str(product.get_frequency_display())
    text = _("%(name)s, %(mg)s mg elemental iron, %(often)s") % {
        "name": product.name,
        "mg": number(product.elemental_mg),
        "often": often[:1].lower() + often[1:],
    }
    return text
