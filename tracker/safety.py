"""Calm, non-blocking safety notes about a dose. Every number comes from tracker.reference."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tracker import reference
from tracker.amounts import mg_text
from tracker.models import Dose, MedicineKind, OtherMedicine


@dataclass(frozen=True)
class SafetyNote:
    text: str
    source: str


def _gap_to_medicine(taken_at: datetime.datetime, usual: datetime.time, zone) -> list:
    """Signed gaps (medicine time − dose time) to that medicine on the days around the dose."""
    local_day = taken_at.astimezone(zone).date()
    gaps = []
    for offset in (-1, 0, 1):
        day = local_day + datetime.timedelta(days=offset)
        medicine_at = datetime.datetime.combine(day, usual, tzinfo=zone)
        gaps.append(medicine_at.astimezone(datetime.UTC) - taken_at)
    return gaps


def over_upper_limit(total_mg) -> bool:
    """Whether supplemental magnesium (mg elemental) within the window is above the adult UL.

    The one place this comparison is made: the dose message and the dashboard card use it.
    """
    return total_mg > reference.SUPPLEMENT_UL_MG.value


def supplement_mg_around(*, user, at: datetime.datetime) -> Decimal:
    """The most supplemental magnesium (mg elemental) logged within any window of
    reference.UPPER_LEVEL_WINDOW_HOURS that contains the instant `at`.

    For the newest dose that is the window ending at it; for a dose logged late for an
    earlier time, doses logged after it count too. Evenings play no part: a dose in the
    evening and one the next morning are hours apart, whatever their dates. One query.
    """
    window = datetime.timedelta(hours=reference.UPPER_LEVEL_WINDOW_HOURS.value)
    rows = sorted(
        Dose.objects.filter(
            user=user, taken_at__gt=at - window, taken_at__lt=at + window
        ).values_list("taken_at", "elemental_mg")
    )
    best = Decimal(0)
    for start, _mg in rows:  # the largest window starts at a dose at or before `at`
        if start > at:
            break
        best = max(best, sum((mg for t, mg in rows if start <= t < start + window), Decimal(0)))
    return best


def dose_safety_notes(*, user, dose: Dose) -> list[SafetyNote]:
    """Notes for one dose: the supplements logged around it against the upper level, and
    spacing from other medicines."""
    notes = []
    total = supplement_mg_around(user=user, at=dose.taken_at)
    ul = reference.SUPPLEMENT_UL_MG
    span = reference.UPPER_LEVEL_WINDOW_HOURS
    if over_upper_limit(total):
        notes.append(
            SafetyNote(
                _(
                    "Counting this dose, your supplemental magnesium within %(hours)s hours "
                    "adds up to %(total)s mg elemental, above the %(ul)s mg a day upper level "
                    "for adults. Diarrhoea is usually the first sign of too much. Worth a word "
                    "with your doctor or pharmacist."
                )
                % {"hours": span.value, "total": mg_text(total), "ul": mg_text(ul.value)},
                f"{ul.source} {span.source}",
            )
        )
    general_kinds = set()
    for medicine in OtherMedicine.objects.filter(user=user):
        if medicine.kind == MedicineKind.GABAPENTIN and medicine.usual_time:
            hours = reference.GABAPENTIN_SPACING_HOURS
            window = datetime.timedelta(hours=hours.value)
            gaps = _gap_to_medicine(dose.taken_at, medicine.usual_time, user.zone)
            # Either side: magnesium just after gabapentin meets it in the gut as well.
            if any(abs(gap) < window for gap in gaps):
                notes.append(
                    SafetyNote(
                        _(
                            "This dose is within %(hours)s hours of your usual gabapentin time "
                            "(%(time)s). Magnesium can reduce how much gabapentin you absorb; "
                            "many pharmacists advise taking them at least %(hours)s hours apart."
                        )
                        % {"hours": hours.value, "time": medicine.usual_time.strftime("%H:%M")},
                        hours.source,
                    )
                )
        elif medicine.kind == MedicineKind.IRON and medicine.usual_time:
            hours = reference.IRON_SPACING_HOURS
            window = datetime.timedelta(hours=hours.value)
            gaps = _gap_to_medicine(dose.taken_at, medicine.usual_time, user.zone)
            if any(abs(gap) < window for gap in gaps):
                notes.append(
                    SafetyNote(
                        _(
                            "This dose is within %(hours)s hours of your usual iron time "
                            "(%(time)s). Magnesium can reduce how much iron you absorb; Restwell "
                            "suggests keeping them at least %(hours)s hours apart."
                        )
                        % {"hours": hours.value, "time": medicine.usual_time.strftime("%H:%M")},
                        hours.source,
                    )
                )
        elif medicine.kind in (
            MedicineKind.LEVOTHYROXINE,
            MedicineKind.ANTIBIOTIC,
            MedicineKind.BISPHOSPHONATE,
            MedicineKind.GABAPENTIN,
            MedicineKind.IRON,
        ):
            general_kinds.add(medicine.get_kind_display())
    if general_kinds:
        notes.append(
            SafetyNote(
                _(
                    "You listed %(medicines)s. Magnesium can affect how these are absorbed: ask "
                    "your pharmacist how far apart to take them."
                )
                % {"medicines": ", ".join(sorted(general_kinds))},
                reference.GENERAL_SPACING_SOURCE,
            )
        )
    return notes


def lab_below_threshold(*, result) -> bool:
    """True when a result is at or past an AASM 2024 iron threshold for RLS."""
    low_ferritin = (
        result.ferritin_ng_ml is not None
        and result.ferritin_ng_ml <= reference.FERRITIN_THRESHOLD_NG_ML.value
    )
    low_tsat = (
        result.tsat_percent is not None
        and result.tsat_percent < reference.TSAT_THRESHOLD_PERCENT.value
    )
    return low_ferritin or low_tsat
