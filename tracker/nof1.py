"""The personal (n-of-1) magnesium experiment: a randomised multi-crossover and its verdict.

Design: k pairs of two periods of L nights; within each pair a fair coin decides whether the
magnesium period comes first. The first `washout` nights of every period stay in the log but
are left out of the analysis (magnesium takes a night or two to act and to wear off).

Analysis: the "summary measures" paired t. Each period is reduced to the mean of its analysed
nights; each pair gives one difference (benefit = control mean − magnesium mean when lower is
better); the interval is a one-sample t on the k differences with k − 1 degrees of freedom.
This is the classical analysis of the McMaster n-of-1 service (Guyatt et al., N Engl J Med
1986;314:889–892; Ann Intern Med 1990;112:293–299), described in Kravitz & Duan (eds.),
"Design and Implementation of N-of-1 Trials: A User's Guide", AHRQ 2014, ch. 4 (statistical
design and analysis), and the "summary measures" approach of Senn, Stat Methods Med Res
2019;28:372–383. Why it: only the pairs are treated as independent replicates, so nights
within a period may be correlated in any way, and its validity rests on the randomised order
within each pair, which protects it from slow drifts (a bad spell at the start) and from
period-to-period patterns. `bench/bench_experiment.py` measured the alternatives on the same
simulated trials: a GLS on all nights with AR(1) errors and pair terms is about twice as
powerful but reads "helped" too often once nights are correlated (ρ ≥ 0.5); an unpaired t on
the 2k period means is a little more powerful under AR(1) noise but miscalibrated when
symptoms swing week on / week off; the old baseline-vs-magnesium Welch interval excludes 0
in 24–39 % of trials with no effect at ρ = 0.5–0.7.

Verdict (three states):
- HELPED: the interval for the benefit lies above 0 and the estimate is at least δ;
- NO_IMPORTANT_CHANGE: the interval's upper end is below δ;
- CANT_TELL: anything else, including too little data or no variation at all.
Looks before the planned end ("look now anyway") use a Haybittle–Peto boundary (Haybittle,
Br J Radiol 1971;44:793–797; Peto et al., Br J Cancer 1976;34:585–612): 99.9 % intervals at
interim looks, 95 % at the end, so the chance of ever reading HELPED when magnesium does
nothing stays below 5 % however often one looks (about 2.5 % + 0.05 % per look, one-sided;
measured by simulation in the bench and in tests/tracker/test_nof1.py).
"""

import datetime
import enum
import functools
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tracker import stats

CONFIDENCE = 0.95
INTERIM_CONFIDENCE = 0.999  # Haybittle–Peto
MIN_PAIRS = 2
MAX_PAIRS_PROPOSED = 50  # beyond this "more pairs" is not a useful answer
RHO_CLIP = (0.0, 0.95)


class Verdict(enum.StrEnum):
    HELPED = "helped"
    NO_IMPORTANT_CHANGE = "no_important_change"
    CANT_TELL = "cant_tell"


@dataclass(frozen=True)
class Period:
    pair: int  # 0-based
    magnesium: bool
    first: datetime.date  # first evening of the period
    last: datetime.date  # last evening, inclusive


@dataclass(frozen=True)
class Analysis:
    verdict: Verdict
    estimate: float | None  # benefit in outcome units (positive = magnesium better)
    low: float | None
    high: float | None
    confidence: float
    interim: bool
    nights_analysed: int
    nights_per_period: tuple[int, ...]  # analysed nights, in the order of `periods`
    pairs_used: int  # pairs with at least one analysed night in both periods
    enough_data: bool  # at least MIN_PAIRS pairs used
    no_variation: bool  # every pair gave the same difference: no honest interval
    autocorrelation: float | None  # lag-1, within periods, bias-corrected (see _lag1)
    effective_nights: float | None
    more_pairs_needed: int | None  # only for CANT_TELL with a usable spread

    @property
    def confidence_percent(self) -> str:
        return f"{self.confidence * 100:g}"


def draw_orders(pairs: int, rng=None) -> list[bool]:
    """Per pair, True when the magnesium period comes first. The operating system's CSPRNG
    by default, so neither the user nor we can predict (or be suspected of choosing) it."""
    rng = rng if rng is not None else secrets.SystemRandom()
    return [rng.random() < 0.5 for _ in range(pairs)]


def schedule(start: datetime.date, orders: Sequence[bool], period_nights: int) -> list[Period]:
    """The 2·len(orders) consecutive periods, starting on the evening `start`."""
    periods = []
    for pair, magnesium_first in enumerate(orders):
        for position, magnesium in enumerate((magnesium_first, not magnesium_first)):
            first = start + datetime.timedelta(days=(2 * pair + position) * period_nights)
            last = first + datetime.timedelta(days=period_nights - 1)
            periods.append(Period(pair, magnesium, first, last))
    return periods


@functools.cache
def _t(p: float, df: int) -> float:
    return stats.t_quantile(p, df)


def _half_width(sd: float, pairs: int, confidence: float) -> float:
    return _t(1 - (1 - confidence) / 2, pairs - 1) * sd / math.sqrt(pairs)


def analyse(
    *,
    nights: Mapping[datetime.date, float | None],
    periods: Sequence[Period],
    washout: int,
    smallest_change: float,
    lower_is_better: bool,
    interim: bool,
) -> Analysis:
    """The verdict from the nights logged so far. Pass only periods that have ended (or the
    whole plan at the end); `interim` selects the stricter boundary."""
    if smallest_change <= 0:
        raise ValueError("the smallest important change must be positive")
    confidence = INTERIM_CONFIDENCE if interim else CONFIDENCE
    analysed: list[list[tuple[int, float]]] = []  # per period: (day ordinal, value)
    for period in periods:
        values = []
        day = period.first + datetime.timedelta(days=washout)
        while day <= period.last:
            if nights.get(day) is not None:
                values.append((day.toordinal(), float(nights[day])))
            day += datetime.timedelta(days=1)
        analysed.append(values)

    by_pair: dict[int, dict[bool, list[float]]] = {}
    for period, values in zip(periods, analysed, strict=True):
        if values:
            by_pair.setdefault(period.pair, {})[period.magnesium] = [v for _, v in values]
    differences = []
    for arms in by_pair.values():
        if True in arms and False in arms:
            control, magnesium = stats.mean(arms[False]), stats.mean(arms[True])
            differences.append(control - magnesium if lower_is_better else magnesium - control)

    n = sum(len(v) for v in analysed)
    rho = _lag1(analysed)
    clipped = None if rho is None else min(max(rho, RHO_CLIP[0]), RHO_CLIP[1])
    common = {
        "confidence": confidence,
        "interim": interim,
        "nights_analysed": n,
        "nights_per_period": tuple(len(v) for v in analysed),
        "pairs_used": len(differences),
        "enough_data": len(differences) >= MIN_PAIRS,
        "autocorrelation": rho,
        # Variance inflation of a mean of n AR(1) nights ≈ (1 + ρ)/(1 − ρ) (large n).
        "effective_nights": None if clipped is None else n * (1 - clipped) / (1 + clipped),
    }
    if len(differences) < MIN_PAIRS:
        return Analysis(
            Verdict.CANT_TELL, None, None, None, no_variation=False, more_pairs_needed=None,
            **common,
        )  # fmt: skip
    k = len(differences)
    estimate = stats.mean(differences)
    sd = math.sqrt(stats.sample_variance(differences))
    if sd < 1e-9 * max(1.0, abs(estimate)):
        # Identical differences (e.g. every night the same value): a zero-width interval would
        # "exclude 0" on no evidence at all, so say nothing rather than something false.
        return Analysis(
            Verdict.CANT_TELL, estimate, None, None, no_variation=True, more_pairs_needed=None,
            **common,
        )  # fmt: skip
    margin = _half_width(sd, k, confidence)
    low, high = estimate - margin, estimate + margin
    if low > 0 and estimate >= smallest_change:
        verdict = Verdict.HELPED
    elif high < smallest_change:
        verdict = Verdict.NO_IMPORTANT_CHANGE
    else:
        verdict = Verdict.CANT_TELL
    more = _more_pairs(sd, k, smallest_change) if verdict is Verdict.CANT_TELL else None
    return Analysis(
        verdict, estimate, low, high, no_variation=False, more_pairs_needed=more, **common
    )


def _more_pairs(sd: float, pairs: int, smallest_change: float) -> int | None:
    """Extra pairs for the final 95 % interval's half-width to fall to δ/2, assuming the spread
    of the pair differences stays as seen. An interval δ wide cannot straddle both 0 and δ
    by much, so most estimates then settle as HELPED or NO_IMPORTANT_CHANGE."""
    for total in range(pairs + 1, pairs + MAX_PAIRS_PROPOSED + 1):
        if _half_width(sd, total, CONFIDENCE) <= smallest_change / 2:
            return total - pairs
    return None


def _lag1(analysed: Sequence[Sequence[tuple[int, float]]]) -> float | None:
    """Lag-1 autocorrelation of the nights after removing each period's mean, over pairs of
    consecutive logged evenings in the same period.

    The plain ratio Σ e_t e_{t+1} / Σ e_t² is biased towards −1/m in short periods (m nights:
    removing the mean creates negative correlation), e.g. ≈ 0 when the true ρ is 0.5 and
    m = 5. We correct it by the method of moments: return the ρ of a stationary AR(1) whose
    expected numerator and denominator, for exactly these nights (gaps and period means
    included), have the observed ratio. Both expectations are polynomials in ρ.
    """
    numerator = denominator = 0.0
    expected_num: dict[int, float] = {}  # power of ρ -> coefficient
    expected_den: dict[int, float] = {}
    for values in analysed:
        m = len(values)
        if m < 2:
            continue
        days = [d for d, _ in values]
        centre = stats.mean([v for _, v in values])
        e = {d: v - centre for d, v in values}
        adjacent = [d for d in days if d + 1 in e]
        if not adjacent:
            continue
        numerator += sum(e[d] * e[d + 1] for d in adjacent)
        denominator += sum(x * x for x in e.values())
        # With Σ_ij = ρ^|t_i − t_j| and M = I − 11ᵀ/m: E[e_i e_j] = Σ_ij − r_i/m − r_j/m + S/m²
        # (r = row sums, S = total), and E[Σ e²] = m − S/m.
        rows = {d: _poly((abs(d - o), 1.0) for o in days) for d in days}
        total = _poly((p, c) for row in rows.values() for p, c in row.items())
        _add(expected_den, {0: float(m)}, 1.0)
        _add(expected_den, total, -1.0 / m)
        for d in adjacent:
            _add(expected_num, {1: 1.0}, 1.0)
            _add(expected_num, rows[d], -1.0 / m)
            _add(expected_num, rows[d + 1], -1.0 / m)
            _add(expected_num, total, 1.0 / (m * m))
    if not expected_num or denominator == 0:
        return None
    observed = numerator / denominator

    def gap(rho: float) -> float:
        return _value(expected_num, rho) / _value(expected_den, rho) - observed

    low, high = -0.99, 0.99  # the expected ratio increases with ρ
    if gap(low) >= 0:
        return low
    if gap(high) <= 0:
        return high
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if gap(middle) < 0 else (low, middle)
    return (low + high) / 2


def _poly(terms) -> dict[int, float]:
    out: dict[int, float] = {}
    for power, coefficient in terms:
        out[power] = out.get(power, 0.0) + coefficient
    return out


def _add(target: dict[int, float], poly: Mapping[int, float], factor: float) -> None:
    for power, coefficient in poly.items():
        target[power] = target.get(power, 0.0) + factor * coefficient


def _value(poly: Mapping[int, float], rho: float) -> float:
    return sum(c * rho**p for p, c in poly.items())
