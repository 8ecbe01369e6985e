"""The old comparison: Welch's t interval on nights treated as independent.

Kept only to measure against (bench/bench_experiment.py): consecutive nights are
correlated, so this interval excludes 0 far more often than 5 % when nothing changed —
the reason the product now runs a randomized experiment (tracker/nof1.py).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.stats import mean, sample_variance, t_quantile


@dataclass(frozen=True)
class Comparison:
    """Group B minus group A, with Welch's 95% interval for the difference of means."""

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    difference: float
    low: float
    high: float
    df: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def welch_interval(a: Sequence[float], b: Sequence[float], confidence: float = 0.95) -> Comparison:
    """Welch's t interval for mean(b) − mean(a). Both groups need at least 2 values."""
    if len(a) < 2 or len(b) < 2:
        raise ValueError("each group needs at least two values")
    var_a, var_b = sample_variance(a) / len(a), sample_variance(b) / len(b)
    se = math.sqrt(var_a + var_b)
    difference = mean(b) - mean(a)
    if se == 0:
        df = float(len(a) + len(b) - 2)
        return Comparison(len(a), len(b), mean(a), mean(b), difference, difference, difference, df)
    # Welch–Satterthwaite degrees of freedom.
    df = (var_a + var_b) ** 2 / (var_a**2 / (len(a) - 1) + var_b**2 / (len(b) - 1))
    margin = t_quantile(1 - (1 - confidence) / 2, df) * se
    return Comparison(
        len(a), len(b), mean(a), mean(b), difference, difference - margin, difference + margin, df
    )
