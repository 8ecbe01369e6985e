"""The numbers behind the dashboard and the clinician report, in a fixed number of queries.

Each query fetches only the columns it needs for a date range; everything else (moving
averages, weekly counts, adherence, streak, trial) is computed in Python over at most a
year of rows, so the query count does not grow with the data. The trial comparison
built on a summary is in tracker/trial.py.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, DateField, Exists, Func, Max, Min, OuterRef, Q, Sum

from tracker import reference, stats
from tracker.evening import evening_of
from tracker.models import Dose, EveningSkip, Factor, NightLog

DAY = datetime.timedelta(days=1)
# Every entered field: the summary, the charts and the comparison read nothing else.
NIGHT_COLUMNS = ("pk", *NightLog.ENTRY_FIELDS)


class Week(NamedTuple):
    """A block of up to 7 evenings (blocks end at the period's end; only the first can be short)."""

    start: datetime.date
    moderate: int | None  # nights with at least moderate symptoms (None: nothing logged)
    any: int | None  # nights with any symptoms
    logged: int  # nights logged in the block
    evenings: int  # evenings in the block: 7, or fewer for a block cut by the period's start

    @property
    def full(self) -> bool:
        return self.evenings == 7


@dataclass
class Day:
    evening: datetime.date
    night: NightLog | None = None
    dose_mg: float = 0.0
    dose_count: int = 0
    first_dose_at: datetime.datetime | None = None
    last_dose_at: datetime.datetime | None = None
    skipped: bool = False
    severity_avg: float | None = None

    @property
    def dosed(self) -> bool:
        return self.dose_count > 0


@dataclass
class Summary:
    start: datetime.date
    end: datetime.date
    days: list[Day]
    nights_logged: int
    # Nights with at least a moderate legs score (reference.MODERATE_SEVERITY_SCORE): what the
    # "clinically significant" flag and the weekly chart count.
    moderate_nights: int
    moderate_nights_per_week: float | None
    # Nights with any symptoms at all (a legs score of 1 or more), shown beside them.
    any_symptom_nights: int
    any_symptom_nights_per_week: float | None
    weeks: list[Week]
    mean_severity: float | None
    mean_quality: float | None
    efficiency: float | None
    efficiency_nights: int
    mean_total_sleep_min: float | None
    mean_time_in_bed_min: float | None
    mean_latency_min: float | None
    mean_awakenings: float | None
    mean_waso_min: float | None
    adherence_since: datetime.date | None
    evenings_counted: int
    evenings_dosed: int
    evenings_skipped: int
    evenings_missed: int
    mean_evening_mg: float | None
    onset_times: list[str]  # HH:MM, in night order

    @property
    def onset_median(self) -> str | None:
        """The middle onset time (the earlier of the two middle ones for an even count)."""
        return self.onset_times[(len(self.onset_times) - 1) // 2] if self.onset_times else None

    factors: list[tuple[str, int]]
    streak: int
    clinically_significant: bool
    # Every night loaded, from `history_from` (or the moving average's lead-in) to the end:
    # the augmentation watch reads its 8 weeks from here, without another query.
    history: list[NightLog] = field(default_factory=list)

    @property
    def adherence_percent(self) -> float | None:
        if not self.evenings_counted:
            return None
        return 100.0 * self.evenings_dosed / self.evenings_counted


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


class _DayBefore(Func):
    """The day before a date column, in each database's own date arithmetic: Django's
    `date - timedelta` calls a Python function for every row on SQLite."""

    arity = 1
    output_field = DateField()
    template = "(%(expressions)s - 1)"  # PostgreSQL: a date minus an integer is a date

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s, '-1 day')", **extra_context
        )


def _streak(user, last_evening: datetime.date, logged: set[datetime.date], start) -> int:
    """Consecutive evenings with a night logged, ending last night (or the night before, so
    the streak is not lost in the morning before this morning's log)."""
    day = last_evening if last_evening in logged else last_evening - DAY
    count = 0
    while day in logged:
        count += 1
        day -= DAY
    if count and day < start:
        # The streak runs past the loaded evenings: one more query, only in that case, which
        # returns one row, not every older evening (a year-long streak read 330 dates). The
        # streak began on the latest evening up to `day` whose previous evening is not logged;
        # it reaches `day` only if `day` itself is logged.
        previous = NightLog.objects.filter(user=user, evening=_DayBefore(OuterRef("evening")))
        row = NightLog.objects.filter(user=user, evening__lte=day).aggregate(
            began=Max("evening", filter=~Exists(previous)),
            reached=Count("pk", filter=Q(evening=day)),
        )
        if row["reached"]:
            count += (day - row["began"]).days + 1
    return count


@dataclass(frozen=True)
class PeriodNights:
    """What a period summary reads from the nights table alone: the nights loaded (see
    period_nights) and the logging streak ending at the period's end. The dashboard caches it
    apart from the rest (tracker/pages.py dashboard_context), so a dose does not read it again."""

    loaded: dict[datetime.date, NightLog]
    streak: int


def _lead_in(start: datetime.date) -> datetime.date:
    # The evenings just before `start` are loaded too, so the first points of the 7-night
    # moving average have a full window like every other point.
    return start - (stats.WINDOW - 1) * DAY


def period_nights(
    *, user, start: datetime.date, end: datetime.date, history_from: datetime.date | None = None
) -> PeriodNights:
    """The nights of start..end with the moving average's lead-in, and from `history_from`
    (into the summary's `history` only) when given, in one query; and the streak."""
    lead_in = _lead_in(start)
    load_from = min(lead_in, history_from) if history_from else lead_in
    loaded = {
        n.evening: n
        for n in NightLog.objects.filter(user=user, evening__range=(load_from, end)).only(
            *NIGHT_COLUMNS
        )
    }
    return PeriodNights(loaded=loaded, streak=_streak(user, end, set(loaded), load_from))


def period_skips(*, user, start: datetime.date, end: datetime.date) -> frozenset[datetime.date]:
    """The evenings of start..end the user chose to skip (an "other" table: the dashboard
    caches them apart, so a dose does not read them again)."""
    return frozenset(
        EveningSkip.objects.filter(user=user, evening__range=(start, end)).values_list(
            "evening", flat=True
        )
    )


def period_summary(
    *,
    user,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime,
    history_from: datetime.date | None = None,
    nights_read: PeriodNights | None = None,
    skips_read: frozenset[datetime.date] | None = None,
) -> Summary:
    """Everything about the evenings start..end (inclusive) for charts, figures and tables.

    `now` decides which evening is "tonight" (not yet missed while it can still happen).
    `history_from` loads earlier nights too (into `history` only), in the same query.
    `nights_read`: period_nights of the same start, end and history_from, when already read;
    `skips_read`: period_skips of the same start and end, likewise.
    """
    lead_in = _lead_in(start)
    if nights_read is None:
        nights_read = period_nights(user=user, start=start, end=end, history_from=history_from)
    loaded = nights_read.loaded
    nights = {evening: n for evening, n in loaded.items() if evening >= start}
    dose_rows = (
        Dose.objects.filter(user=user, evening__range=(start, end))
        .values("evening")
        .annotate(
            total=Sum("elemental_mg"),
            count=Count("pk"),
            first=Min("taken_at"),
            last=Max("taken_at"),
        )
        .order_by()
    )
    doses = {row["evening"]: row for row in dose_rows}
    skips = period_skips(user=user, start=start, end=end) if skips_read is None else skips_read
    days = []
    day = start
    while day <= end:
        row = doses.get(day)
        days.append(
            Day(
                evening=day,
                night=nights.get(day),
                dose_mg=float(row["total"]) if row else 0.0,
                dose_count=row["count"] if row else 0,
                first_dose_at=row["first"] if row else None,
                last_dose_at=row["last"] if row else None,
                skipped=day in skips,
            )
        )
        day += DAY
    before = [loaded.get(lead_in + i * DAY) for i in range(stats.WINDOW - 1)]
    severities = [n.severity if n else None for n in before] + [
        d.night.severity if d.night else None for d in days
    ]
    averages = stats.moving_average(severities)[len(before) :]
    for d, avg in zip(days, averages, strict=True):
        d.severity_avg = avg

    logged = [d.night for d in days if d.night]
    moderate_score = reference.MODERATE_SEVERITY_SCORE.value

    def moderate(nights) -> int:
        return sum(1 for n in nights if n.severity >= moderate_score)

    def any_symptoms(nights) -> int:
        return sum(1 for n in nights if n.severity >= 1)

    def per_week(count: int) -> float | None:
        # A weekly rate from fewer than a week of logged nights would overstate what is known.
        return 7.0 * count / len(logged) if len(logged) >= stats.WINDOW else None

    moderate_per_week = per_week(moderate(logged))
    # Weeks are blocks of 7 evenings ending at `end`, so the last bar is "the last 7 nights".
    weeks = []
    for block_end in range(len(days), 0, -7):
        block = days[max(0, block_end - 7) : block_end]
        block_nights = [d.night for d in block if d.night]
        weeks.append(
            Week(
                block[0].evening,
                moderate(block_nights) if block_nights else None,
                any_symptoms(block_nights) if block_nights else None,
                len(block_nights),
                len(block),
            )
        )
    weeks.reverse()

    efficiencies = [n.sleep_efficiency for n in logged if n.sleep_efficiency is not None]
    sleeps = [n.total_sleep.total_seconds() / 60 for n in logged if n.total_sleep is not None]
    first_dose_day = next((d.evening for d in days if d.dosed), None)
    # Adherence counts evenings since the first dose in the period (a baseline before it is
    # not "missed"), and not tonight while it can still happen.
    tonight = evening_of(now, user.zone, user.wake_time)
    counted = [
        d
        for d in days
        if first_dose_day
        and d.evening >= first_dose_day
        and (d.evening < tonight or d.dosed or d.skipped)
    ]
    dosed = sum(1 for d in counted if d.dosed)
    skipped = sum(1 for d in counted if d.skipped and not d.dosed)
    zone = user.zone
    # Onset clock times ordered within the night (minutes after local noon), so 23:30
    # comes before 00:30.
    onset_clocks = sorted(
        (
            local.time()
            for local in (
                n.symptoms_started_at.astimezone(zone) for n in logged if n.symptoms_started_at
            )
        ),
        key=lambda t: (t.hour * 60 + t.minute - 12 * 60) % (24 * 60),
    )
    onsets = [t.strftime("%H:%M") for t in onset_clocks]
    # Each label translated once, not once per night (Factor.values builds a list per use).
    factor_labels = {value: str(label) for value, label in Factor.choices}
    factor_counts: Counter = Counter()
    for n in logged:
        factor_counts.update(factor_labels[f] for f in n.factors if f in factor_labels)
        factor_counts.update(t.strip() for t in n.tags.split(",") if t.strip())
    return Summary(
        start=start,
        end=end,
        days=days,
        nights_logged=len(logged),
        moderate_nights=moderate(logged),
        moderate_nights_per_week=moderate_per_week,
        any_symptom_nights=any_symptoms(logged),
        any_symptom_nights_per_week=per_week(any_symptoms(logged)),
        weeks=weeks,
        mean_severity=_mean(n.severity for n in logged),
        mean_quality=_mean(n.sleep_quality for n in logged),
        efficiency=_mean(efficiencies),
        efficiency_nights=len(efficiencies),
        mean_total_sleep_min=_mean(sleeps),
        mean_time_in_bed_min=_mean(
            n.time_in_bed.total_seconds() / 60 for n in logged if n.time_in_bed is not None
        ),
        mean_latency_min=_mean(n.sleep_latency_min for n in logged),
        mean_awakenings=_mean(n.awakenings for n in logged),
        mean_waso_min=_mean(n.waso_min for n in logged),
        adherence_since=first_dose_day,
        evenings_counted=len(counted),
        evenings_dosed=dosed,
        evenings_skipped=skipped,
        evenings_missed=len(counted) - dosed - skipped,
        mean_evening_mg=_mean(d.dose_mg for d in counted if d.dosed),
        onset_times=onsets,
        factors=factor_counts.most_common(),
        streak=nights_read.streak,
        # REST (Allen 2005): two or more nights a week with at least moderate distress.
        clinically_significant=(
            moderate_per_week is not None
            and moderate_per_week >= reference.CLINICALLY_SIGNIFICANT_NIGHTS_PER_WEEK.value
        ),
        history=sorted(loaded.values(), key=lambda n: n.evening),
    )
