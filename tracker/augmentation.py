"""The augmentation watch for users on a dopaminergic RLS medicine.

Augmentation (IRLSSG task force, García-Borreguero et al., Sleep Med 2016;21:1-11, using the
MPI criteria of 2007) is a worsening caused by the treatment itself: symptoms start earlier
in the day, spread to the arms, come on faster at rest. The MPI criteria count an onset at
least 4 hours earlier on its own, or 2 to 4 hours earlier with another sign such as spread
to other body parts. Restwell cannot diagnose it; from the user's own log it notices the
signs and suggests a talk with their doctor.

The rule (every number in tracker/reference.py):

- onset: the median symptom onset of the last 2 weeks against the median of the first 2
  weeks of the last 8, each from at least AUGMENTATION_MIN_ONSETS recorded times; earlier by
  ≥ 4 h, or by ≥ 2 h with at least one night of spread to the arms in the last 2 weeks;
- signs: "symptoms spread to my arms", or "started earlier in the day than usual", ticked on
  ≥ AUGMENTATION_SIGN_NIGHTS of the last 14 nights.

Onset times are wall-clock minutes after noon on the evening's date (the diary's own rule,
tracker.evening.night_instant: times from noon belong to that evening, earlier times to the
next morning), so 23:30 is earlier than 00:30. An onset before noon cannot be entered as a
time; the "earlier in the day than usual" tick covers it.
"""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from tracker import reference

ONSET_SHIFT = "onset_shift"
ONSET_SHIFT_WITH_SPREAD = "onset_shift_with_spread"
SPREAD = "spread"
EARLIER = "earlier"

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class NightSigns:
    evening: datetime.date
    onset_min: int | None  # minutes after noon of the evening, None when not recorded
    in_arms: bool = False
    earlier: bool = False


@dataclass(frozen=True)
class Watch:
    reasons: tuple[str, ...]
    baseline_median: int | None  # minutes after noon, first 2 weeks of the 8
    recent_median: int | None  # minutes after noon, last 2 weeks
    baseline_onsets: int
    recent_onsets: int
    arms_nights: int  # in the last 2 weeks
    earlier_nights: int  # in the last 2 weeks

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def recent_median_text(self) -> str | None:
        return clock_text(self.recent_median)

    @property
    def baseline_median_text(self) -> str | None:
        return clock_text(self.baseline_median)

    @property
    def shift_min(self) -> int | None:
        """How much earlier symptoms now start, in minutes (negative: later)."""
        if self.baseline_median is None or self.recent_median is None:
            return None
        return self.baseline_median - self.recent_median


def onset_minutes(night, zone) -> int | None:
    """A night's symptom onset as wall-clock minutes after noon of its evening."""
    if night.symptoms_started_at is None:
        return None
    local = night.symptoms_started_at.astimezone(zone)
    days = (local.date() - night.evening).days
    return days * 24 * 60 + local.hour * 60 + local.minute - 12 * 60


def signs_of(night, zone) -> NightSigns:
    return NightSigns(
        evening=night.evening,
        onset_min=onset_minutes(night, zone),
        in_arms=night.symptoms_in_arms,
        earlier=night.symptoms_earlier,
    )


def clock_text(minutes_after_noon: float | None) -> str | None:
    """Minutes after noon as a clock time, HH:MM (None stays None)."""
    if minutes_after_noon is None:
        return None
    total = (round(minutes_after_noon) + 12 * 60) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def _median(values: list[int]) -> int | None:
    if len(values) < reference.AUGMENTATION_MIN_ONSETS.value:
        return None
    return round(statistics.median(values))


def window_start(end: datetime.date) -> datetime.date:
    """The first evening the watch reads, for a window ending at `end`."""
    return end - (reference.AUGMENTATION_WINDOW_WEEKS.value * 7 - 1) * DAY


def augmentation_watch(nights: Iterable[NightSigns], *, end: datetime.date) -> Watch:
    """The watch over the weeks ending at evening `end` (inclusive). Pure: no queries."""
    block = reference.AUGMENTATION_BLOCK_DAYS
    first = window_start(end)
    baseline_last = first + (block - 1) * DAY
    recent_first = end - (block - 1) * DAY
    baseline, recent = [], []
    for night in nights:
        if first <= night.evening <= baseline_last:
            baseline.append(night)
        elif recent_first <= night.evening <= end:
            recent.append(night)
    baseline_onsets = [n.onset_min for n in baseline if n.onset_min is not None]
    recent_onsets = [n.onset_min for n in recent if n.onset_min is not None]
    arms = sum(1 for n in recent if n.in_arms)
    earlier = sum(1 for n in recent if n.earlier)
    watch = Watch(
        reasons=(),
        baseline_median=_median(baseline_onsets),
        recent_median=_median(recent_onsets),
        baseline_onsets=len(baseline_onsets),
        recent_onsets=len(recent_onsets),
        arms_nights=arms,
        earlier_nights=earlier,
    )
    reasons = []
    shift = watch.shift_min
    if shift is not None:
        if shift >= reference.AUGMENTATION_ONSET_SHIFT_HOURS.value * 60:
            reasons.append(ONSET_SHIFT)
        elif shift >= reference.AUGMENTATION_ONSET_SHIFT_WITH_SPREAD_HOURS.value * 60 and arms:
            reasons.append(ONSET_SHIFT_WITH_SPREAD)
    if arms >= reference.AUGMENTATION_SIGN_NIGHTS.value:
        reasons.append(SPREAD)
    if earlier >= reference.AUGMENTATION_SIGN_NIGHTS.value:
        reasons.append(EARLIER)
    return Watch(**{**watch.__dict__, "reasons": tuple(reasons)})


@dataclass(frozen=True)
class OnsetWeek:
    start: datetime.date
    median: str | None  # HH:MM
    onsets: int  # nights with an onset time
    arms_nights: int
    earlier_nights: int


def weekly_onsets(weeks, days, zone) -> list[OnsetWeek]:
    """The report's onset trend: per block of 7 evenings of a period summary (its `weeks`),
    the median onset time and the nights with spread or an earlier start."""
    rows = []
    by_evening = {d.evening: d.night for d in days if d.night}
    for week in weeks:
        nights = [
            by_evening[e]
            for e in (week.start + i * DAY for i in range(week.evenings))
            if e in by_evening
        ]
        onsets = [m for m in (onset_minutes(n, zone) for n in nights) if m is not None]
        rows.append(
            OnsetWeek(
                start=week.start,
                median=clock_text(statistics.median(onsets)) if onsets else None,
                onsets=len(onsets),
                arms_nights=sum(1 for n in nights if n.symptoms_in_arms),
                earlier_nights=sum(1 for n in nights if n.symptoms_earlier),
            )
        )
    return rows
