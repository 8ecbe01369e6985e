"""A seeded simulator of personal magnesium experiments, for the calibration test and the bench.

Nightly legs score (0–10, lower is better) = person mean + AR(1) noise − effect on magnesium
nights, rounded and clipped to 0..10, some nights not logged. The effect ramps in over the
first nights of a magnesium period and carries over into the next nights after it (which the
washout should absorb). The AR state starts about +2 SD high: a bad spell at the start, so
the first period is worse whatever it is.
"""

import datetime
import math
import random
from dataclasses import dataclass

from tracker import nof1, reference

START = datetime.date(2026, 1, 5)


@dataclass(frozen=True)
class Scenario:
    rho: float = 0.5
    effect: float = 0.0  # true benefit in points (score falls by this on magnesium)
    pairs: int = reference.EXPERIMENT_PAIRS.value
    period_nights: int = reference.EXPERIMENT_PERIOD_NIGHTS.value
    washout: int = reference.EXPERIMENT_WASHOUT_NIGHTS.value
    sd: float = 1.75  # marginal SD of the nightly noise
    mean: float = 5.0
    missing: tuple[float, float] = (0.10, 0.20)  # each trial draws its rate in this range
    bad_spell_sd: float = 2.0  # the AR state's start, in marginal SDs
    ramp: tuple[float, ...] = (1 / 3, 2 / 3)  # share of the effect on a period's first nights
    carryover: tuple[float, ...] = (2 / 3, 1 / 3)  # share left on the nights after it
    smallest_change: float = float(reference.SMALLEST_CHANGE["severity"].value)
    weekly_swing: float = 0.0  # ± points on alternate calendar weeks (week-on/week-off shifts)


@dataclass(frozen=True)
class Trial:
    periods: list[nof1.Period]
    nights: dict[datetime.date, float]  # logged nights only
    true_nights: list[float]  # unrounded, every night (for method comparisons)


def simulate(scenario: Scenario, rng: random.Random, orders: list[bool] | None = None) -> Trial:
    """One trial; the order within each pair is drawn from `rng` unless given."""
    if orders is None:
        orders = nof1.draw_orders(scenario.pairs, rng=rng)
    periods = nof1.schedule(START, orders, scenario.period_nights)
    length = len(periods) * scenario.period_nights
    # Effect share per night: ramp-in at the start of magnesium, carry-over after it.
    share = [0.0] * length
    for index, period in enumerate(periods):
        first = index * scenario.period_nights
        if period.magnesium:
            for night in range(scenario.period_nights):
                ramp = scenario.ramp[night] if night < len(scenario.ramp) else 1.0
                share[first + night] = ramp
            for lag, left in enumerate(scenario.carryover):
                after = first + scenario.period_nights + lag
                if after < length:
                    share[after] = max(share[after], left)
    innovation_sd = scenario.sd * math.sqrt(1 - scenario.rho**2)
    state = scenario.bad_spell_sd * scenario.sd
    missing = rng.uniform(*scenario.missing)
    nights: dict[datetime.date, float] = {}
    true_nights = []
    for night in range(length):
        if night:
            state = scenario.rho * state + rng.gauss(0.0, innovation_sd)
        swing = scenario.weekly_swing * (1 if (night // 7) % 2 == 0 else -1)
        value = scenario.mean + state + swing - scenario.effect * share[night]
        true_nights.append(value)
        if rng.random() >= missing:
            nights[START + datetime.timedelta(days=night)] = float(min(10, max(0, round(value))))
    return Trial(periods, nights, true_nights)


def run(trial: Trial, scenario: Scenario, *, pairs: int | None = None, interim: bool = False):
    """`nof1.analyse` on the first `pairs` completed pairs (all of them by default)."""
    pairs = scenario.pairs if pairs is None else pairs
    return nof1.analyse(
        nights=trial.nights,
        periods=[p for p in trial.periods if p.pair < pairs],
        washout=scenario.washout,
        smallest_change=scenario.smallest_change,
        lower_is_better=True,
        interim=interim,
    )


def looks(trial: Trial, scenario: Scenario) -> list:
    """A look after every completed pair from the second on; the last is the planned end."""
    return [
        run(trial, scenario, pairs=k, interim=k < scenario.pairs)
        for k in range(nof1.MIN_PAIRS, scenario.pairs + 1)
    ]


def rates(scenario: Scenario, trials: int, seed: int) -> dict[str, float]:
    """Shares of final verdicts, and of trials that read HELPED at any look."""
    rng = random.Random(seed)
    counts = {v: 0 for v in nof1.Verdict}
    ever_helped = 0
    for _ in range(trials):
        trial = simulate(scenario, rng)
        results = looks(trial, scenario)
        counts[results[-1].verdict] += 1
        ever_helped += any(r.verdict is nof1.Verdict.HELPED for r in results)
    out = {v.value: c / trials for v, c in counts.items()}
    out["ever_helped"] = ever_helped / trials
    return out
