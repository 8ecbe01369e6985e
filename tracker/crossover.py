"""The randomized crossover, evening by evening: tonight's allocation, progress, adherence and
the result, built on the schedule and the analysis in tracker/nof1.py.

Pure functions over an Experiment and the nights and doses of its evenings (loaded once by
tracker.selectors.experiment_log), so the dashboard, the page and the report agree.
"""

import datetime
from dataclasses import dataclass

from tracker import nof1, stats
from tracker.evening import evening_of
from tracker.models import Experiment, ExperimentStatus, NightLog, Outcome

DAY = datetime.timedelta(days=1)
LOWER_IS_BETTER = {Outcome.SEVERITY: True, Outcome.SLEEP_QUALITY: False}


@dataclass(frozen=True)
class Tonight:
    magnesium: bool
    packet: int  # 1-based period number: the blinded label ("a capsule from packet 3")
    pair: int  # 1-based
    night_in_period: int  # 1-based
    washout: bool  # left out of the comparison


@dataclass(frozen=True)
class PeriodProgress:
    number: int  # 1-based, the packet number
    pair: int  # 1-based
    magnesium: bool
    first: datetime.date
    last: datetime.date
    evenings_so_far: int  # evenings of this period up to the last one that has ended
    nights_logged: int
    nights_missing: int
    nights_analysed: int  # logged, after the washout
    doses_as_planned: int  # a dose on a magnesium evening, none on a no-magnesium evening
    deviations: list[datetime.date]


@dataclass(frozen=True)
class ExperimentLog:
    """What the experiment reads from the diary: its evenings' nights and dosed evenings."""

    nights: dict[datetime.date, NightLog]
    dosed: set[datetime.date]
    capsules: set[datetime.date] = frozenset()  # blinded: evenings a capsule was logged


def periods(experiment: Experiment) -> list[nof1.Period]:
    return nof1.schedule(experiment.start_evening, experiment.orders, experiment.period_nights)


def last_evening(experiment: Experiment) -> datetime.date:
    return experiment.start_evening + DAY * (2 * experiment.pairs * experiment.period_nights - 1)


def is_finished(experiment: Experiment, *, tonight: datetime.date) -> bool:
    """Past its last evening (that night has been slept: tonight is later), or closed as
    finished when the next plan was made."""
    if experiment.status == ExperimentStatus.FINISHED:
        return True
    return experiment.status == ExperimentStatus.RUNNING and tonight > last_evening(experiment)


def reading_evening(experiment: Experiment, *, tonight: datetime.date) -> datetime.date:
    """The evening from which an experiment is read: tonight, or for a stopped one the
    evening it was stopped in, so nights logged after the stop (when no allocation was
    followed) never count as its periods, missing nights or deviations."""
    if experiment.status == ExperimentStatus.STOPPED and experiment.stopped_at is not None:
        return min(
            tonight,
            evening_of(experiment.stopped_at, experiment.user.zone, experiment.user.wake_time),
        )
    return tonight


def is_over(experiment: Experiment, *, tonight: datetime.date) -> bool:
    """Its result can be read: the planned end has passed, or it was stopped."""
    return experiment.status == ExperimentStatus.STOPPED or is_finished(experiment, tonight=tonight)


def tonight_plan(experiment: Experiment, *, evening: datetime.date) -> Tonight | None:
    """What `evening` is in a running experiment; None outside its schedule."""
    if experiment.status != ExperimentStatus.RUNNING:
        return None
    for number, period in enumerate(periods(experiment), start=1):
        if period.first <= evening <= period.last:
            night = (evening - period.first).days + 1
            return Tonight(
                magnesium=period.magnesium,
                packet=number,
                pair=period.pair + 1,
                night_in_period=night,
                washout=night <= experiment.washout_nights,
            )
    return None


def outcome_value(experiment: Experiment, night: NightLog) -> float | None:
    value = getattr(night, experiment.outcome)
    return float(value) if value is not None else None


def progress(
    experiment: Experiment, log: ExperimentLog, *, tonight: datetime.date
) -> list[PeriodProgress]:
    """Per period, up to the last evening that has ended (tonight has not: it is not missed).
    Nights are compared as allocated, whatever was taken; deviations are only counted."""
    rows = []
    for number, period in enumerate(periods(experiment), start=1):
        end = min(period.last, tonight - DAY)
        evenings = [period.first + DAY * i for i in range(max(0, (end - period.first).days + 1))]
        logged = [e for e in evenings if e in log.nights]
        analysed = [
            e
            for e in logged
            if (e - period.first).days >= experiment.washout_nights
            and outcome_value(experiment, log.nights[e]) is not None
        ]
        deviations = [e for e in evenings if not _as_planned(experiment, log, e, period)]
        rows.append(
            PeriodProgress(
                number=number,
                pair=period.pair + 1,
                magnesium=period.magnesium,
                first=period.first,
                last=period.last,
                evenings_so_far=len(evenings),
                nights_logged=len(logged),
                nights_missing=len(evenings) - len(logged),
                nights_analysed=len(analysed),
                doses_as_planned=len(evenings) - len(deviations),
                deviations=deviations,
            )
        )
    return rows


def _as_planned(
    experiment: Experiment, log: ExperimentLog, evening: datetime.date, period: nof1.Period
) -> bool:
    """Open label: a dose on magnesium evenings, none on the others. Blinded: tonight's
    capsule, and no other magnesium logged on top of it."""
    if experiment.blinded:
        return evening in log.capsules and evening not in log.dosed
    return (evening in log.dosed) == period.magnesium


def pairs_complete(experiment: Experiment, *, tonight: datetime.date) -> int:
    """Pairs whose both periods have ended (their last night has been slept)."""
    second_halves = periods(experiment)[1::2]  # pairs run in order: a pair ends with these
    return sum(period.last < tonight for period in second_halves)


def analysis(
    experiment: Experiment, log: ExperimentLog, *, tonight: datetime.date
) -> nof1.Analysis:
    """The comparison over the complete pairs: final once the planned end has passed, interim
    before it. A stopped experiment is read as interim too: stopping is an unplanned look,
    and only the stricter boundary keeps "helped" rare when magnesium does nothing."""
    complete = pairs_complete(experiment, tonight=tonight)
    used = [p for p in periods(experiment) if p.pair < complete]
    values = {evening: outcome_value(experiment, night) for evening, night in log.nights.items()}
    final = is_finished(experiment, tonight=tonight)
    return nof1.analyse(
        nights=values,
        periods=used,
        washout=experiment.washout_nights,
        smallest_change=float(experiment.smallest_change),
        lower_is_better=LOWER_IS_BETTER.get(experiment.outcome, False),
        interim=not final,
    )


@dataclass(frozen=True)
class Secondary:
    outcome: str  # an Outcome value
    magnesium_mean: float | None
    magnesium_nights: int
    control_mean: float | None
    control_nights: int

    @property
    def label(self) -> str:
        return Outcome(self.outcome).label


def secondary_outcomes(
    experiment: Experiment, log: ExperimentLog, *, tonight: datetime.date
) -> list[Secondary]:
    """The other outcomes as plain averages over the analysed nights of the complete pairs:
    descriptive only (no interval, no verdict), so only the locked outcome is judged."""
    complete = pairs_complete(experiment, tonight=tonight)
    rows = []
    for outcome in Outcome.values:
        if outcome == experiment.outcome:
            continue
        arms: dict[bool, list[float]] = {True: [], False: []}
        for period in periods(experiment):
            if period.pair >= complete:
                continue
            for i in range(experiment.washout_nights, experiment.period_nights):
                night = log.nights.get(period.first + DAY * i)
                value = getattr(night, outcome) if night is not None else None
                if value is not None:
                    arms[period.magnesium].append(float(value))
        rows.append(
            Secondary(
                outcome=outcome,
                magnesium_mean=stats.mean(arms[True]) if arms[True] else None,
                magnesium_nights=len(arms[True]),
                control_mean=stats.mean(arms[False]) if arms[False] else None,
                control_nights=len(arms[False]),
            )
        )
    return rows
