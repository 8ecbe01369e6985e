"""Calm, non-blocking safety notes about a dose. Every number comes from tracker.reference.

Spacing: each medicine kind with a known interaction has a rule (how long before and after
a magnesium dose it should be, each number sourced in reference.py). With a usual time the
dose is checked against it; without one the note gives the gap and asks for the time.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import reference
from tracker.amounts import mg_text
from tracker.iron import iron_product_text
from tracker.models import Dose, IronProduct, MedicineKind, OtherMedicine


@dataclass(frozen=True)
class SafetyNote:
    text: str
    source: str


@dataclass(frozen=True)
class SpacingRule:
    before: reference.Sourced  # the medicine at least this many hours before magnesium
    after: reference.Sourced  # ... or at least this many hours after it
    message: Promise  # the note when a dose is too close
    gap: Promise  # the gap in a few words, for a medicine without a usual time

    def text(self, usual_time: datetime.time, product=None) -> str:
        return str(self.message) % {
            "time": usual_time.strftime("%H:%M"),
            "hours": self.before.value,
            "before": self.before.value,
            "after": self.after.value,
            "product": f": {iron_product_text(product)}" if product else "",
        }

    def gap_text(self) -> str:
        return str(self.gap) % {"before": self.before.value, "after": self.after.value}


SPACING = {
    MedicineKind.GABAPENTIN: SpacingRule(
        reference.GABAPENTIN_SPACING_HOURS,
        reference.GABAPENTIN_SPACING_HOURS,
        gettext_lazy(
            "This dose is within %(hours)s hours of your usual gabapentin time (%(time)s). "
            "Magnesium can reduce how much gabapentin you absorb; many pharmacists advise "
            "taking them at least %(hours)s hours apart."
        ),
        gettext_lazy("gabapentin at least %(before)s hours apart"),
    ),
    MedicineKind.IRON: SpacingRule(
        reference.IRON_SPACING_HOURS,
        reference.IRON_SPACING_HOURS,
        gettext_lazy(
            "This dose is within %(hours)s hours of your usual iron time (%(time)s%(product)s). "
            "Magnesium can reduce how much iron you absorb; keep them at least %(hours)s hours "
            "apart (a magnesium medicine's product information says 3 to 4)."
        ),
        gettext_lazy("iron at least %(before)s hours apart"),
    ),
    MedicineKind.LEVOTHYROXINE: SpacingRule(
        reference.LEVOTHYROXINE_SPACING_HOURS,
        reference.LEVOTHYROXINE_SPACING_HOURS,
        gettext_lazy(
            "This dose is within %(hours)s hours of your usual levothyroxine time (%(time)s). "
            "Magnesium can reduce how much levothyroxine you absorb; its label advises taking "
            "them at least %(hours)s hours apart."
        ),
        gettext_lazy("levothyroxine at least %(before)s hours apart"),
    ),
    MedicineKind.BISPHOSPHONATE: SpacingRule(
        reference.BISPHOSPHONATE_SPACING_HOURS,
        reference.BISPHOSPHONATE_SPACING_HOURS,
        gettext_lazy(
            "This dose is within %(hours)s hours of your usual bisphosphonate time (%(time)s). "
            "Magnesium can stop a bisphosphonate being absorbed; keep them at least %(hours)s "
            "hours apart."
        ),
        gettext_lazy("a bisphosphonate at least %(before)s hours apart"),
    ),
    MedicineKind.ANTIBIOTIC: SpacingRule(
        reference.ANTIBIOTIC_BEFORE_HOURS,
        reference.ANTIBIOTIC_AFTER_HOURS,
        gettext_lazy(
            "Your usual antibiotic time (%(time)s) is less than %(before)s hours before or "
            "%(after)s hours after this dose. Magnesium can stop tetracycline and quinolone "
            "antibiotics being absorbed: take the antibiotic at least %(before)s hours before "
            "magnesium, or at least %(after)s hours after it."
        ),
        gettext_lazy(
            "a tetracycline or quinolone antibiotic at least %(before)s hours before magnesium "
            "or %(after)s hours after it"
        ),
    ),
}


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
    # One pass: the window [start, start + window) slides from dose to dose, adding the doses
    # it reaches and dropping the one it leaves (linear, however many doses a day holds).
    best = total = Decimal(0)
    reached = 0
    for start, mg in rows:  # the largest window starts at a dose at or before `at`
        if start > at:
            break
        while reached < len(rows) and rows[reached][0] < start + window:
            total += rows[reached][1]
            reached += 1
        best = max(best, total)
        total -= mg
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
    untimed = []
    timed = _medicines_with_times(user=user)
    noted = set()
    for kind, usual_time, product in timed:
        rule = SPACING.get(kind)
        if rule is None:
            continue  # no known interaction with magnesium (pregabalin, other)
        if usual_time is None:
            untimed.append(kind)
            continue
        if kind in noted:
            continue  # one note per medicine, even when it is listed twice
        gaps = _gap_to_medicine(dose.taken_at, usual_time, user.zone)
        before = datetime.timedelta(hours=rule.before.value)
        after = datetime.timedelta(hours=rule.after.value)
        # gap = medicine time − dose time: negative when the medicine came first.
        if any(-before < gap < after for gap in gaps):
            noted.add(kind)
            notes.append(SafetyNote(rule.text(usual_time, product), rule.before.source))
    untimed = [kind for kind in dict.fromkeys(untimed) if kind not in noted]
    if untimed:
        notes.append(_untimed_note(untimed))
    return notes


# "My iron" (one row at most) and the other medicines the user listed, in one query written
# out: built through the ORM (a UNION of two querysets padded with Value()s) this read cost
# about 1 ms of CPU on PostgreSQL on every one-tap dose, most of it building and compiling a
# query whose shape never changes; written out it costs about 0.15 ms.
_MEDICINES_SQL = (
    "SELECT 1, id, '', usual_time, name, elemental_mg, frequency "
    "FROM tracker_ironproduct WHERE user_id = %s "
    "UNION ALL "
    "SELECT 0, id, kind, usual_time, '', NULL, '' "
    "FROM tracker_othermedicine WHERE user_id = %s"
)


def _medicines_with_times(*, user) -> list[tuple[str, datetime.time | None, IronProduct | None]]:
    """(kind, usual time, iron product or None) of each medicine the user listed: "My iron"
    first, then the other medicines by kind, time and entry. One query: a one-tap dose's
    message waits on it."""
    with connection.cursor() as cursor:
        cursor.execute(_MEDICINES_SQL, [user.pk, user.pk])
        rows = cursor.fetchall()
    # The database's own values, as the ORM would convert them (SQLite returns a time as text
    # and a decimal as a number).
    to_time = OtherMedicine._meta.get_field("usual_time").to_python
    to_mg = IronProduct._meta.get_field("elemental_mg").to_python
    medicines = []
    for is_product, pk, kind, usual, name, mg, frequency in rows:
        if is_product:
            product = IronProduct(name=name, elemental_mg=to_mg(mg), frequency=frequency)
            medicines.append((False, MedicineKind.IRON, to_time(usual), pk, product))
        else:
            medicines.append((True, kind, to_time(usual), pk, None))
    # "My iron" first, then OtherMedicine's order (kind, usual time, pk), with untimed entries
    # last: which of two untimed entries of one kind comes first changes no note.
    medicines.sort(
        key=lambda row: (row[0], row[1], row[2] is None, row[2] or datetime.time.min, row[3])
    )
    return [(kind, usual_time, product) for _other, kind, usual_time, _pk, product in medicines]


def _untimed_note(kinds: list[str]) -> SafetyNote:
    """Medicines with a known gap but no usual time: the gaps, and how to get a check."""
    names = ", ".join(sorted(str(MedicineKind(kind).label) for kind in kinds))
    gaps = "; ".join(SPACING[kind].gap_text() for kind in kinds)
    sources = " ".join(dict.fromkeys(str(SPACING[kind].before.source) for kind in kinds))
    return SafetyNote(
        _(
            "You listed %(medicines)s. Magnesium can affect how these are absorbed: %(gaps)s. "
            "Add the usual time you take each and Restwell will check every dose."
        )
        % {"medicines": names, "gaps": gaps},
        sources,
    )
