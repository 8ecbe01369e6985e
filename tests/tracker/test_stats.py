"""Statistics against hand-computed values and printed t tables."""

import math

import pytest

from tests.tracker.welch import welch_interval
from tracker import stats


@pytest.mark.parametrize(
    ("df", "expected"),
    # Two-sided 95% critical values from any printed Student's t table.
    [(1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (12, 2.179), (30, 2.042), (120, 1.980)],
)
def test_t_quantile_matches_the_table(df, expected):
    assert stats.t_quantile(0.975, df) == pytest.approx(expected, abs=0.0005)


def test_t_quantile_is_symmetric_and_reaches_the_normal():
    assert stats.t_quantile(0.025, 7) == pytest.approx(-stats.t_quantile(0.975, 7))
    assert stats.t_quantile(0.975, 1e6) == pytest.approx(1.95996, abs=1e-4)
    assert stats.t_quantile(0.5, 3) == pytest.approx(0.0, abs=1e-9)


def test_t_quantile_for_fractional_df_lies_between_its_neighbours():
    value = stats.t_quantile(0.975, 8.5)
    assert stats.t_quantile(0.975, 9) < value < stats.t_quantile(0.975, 8)


def test_t_cdf_known_points():
    assert stats.t_cdf(0.0, 4) == pytest.approx(0.5)
    # df = 1 is the Cauchy distribution: P(T ≤ 1) = 3/4 exactly.
    assert stats.t_cdf(1.0, 1) == pytest.approx(0.75)
    # df = 2 has a closed form: F(t) = 1/2 + t / (2 sqrt(2 + t²)).
    assert stats.t_cdf(1.5, 2) == pytest.approx(0.5 + 1.5 / (2 * math.sqrt(2 + 1.5**2)))


def test_quantile_rejects_impossible_probabilities():
    with pytest.raises(ValueError):
        stats.t_quantile(1.0, 5)


def test_welch_interval_by_hand():
    a = [1, 2, 3, 4, 5, 6, 7]  # mean 4, variance 28/6 = 4.6667
    b = [2, 2, 3, 3, 4, 4, 5]  # mean 23/7 = 3.2857, variance 7.4286/6 = 1.2381
    result = welch_interval(a, b)
    # se² = 4.6667/7 + 1.2381/7 = 0.66667 + 0.17687 = 0.84354; se = 0.91845
    # df = 0.84354² / (0.66667²/6 + 0.17687²/6) = 0.71156 / 0.079288 = 8.974
    # t(0.975, 8.974) ≈ 2.2627 (between 2.2622 at 9 and 2.3060 at 8); margin = 2.0782
    assert result.mean_a == pytest.approx(4.0)
    assert result.mean_b == pytest.approx(3.285714, abs=1e-6)
    assert result.difference == pytest.approx(-0.714286, abs=1e-6)
    assert result.df == pytest.approx(8.974, abs=0.001)
    assert result.low == pytest.approx(-0.714286 - 2.0782, abs=0.002)
    assert result.high == pytest.approx(-0.714286 + 2.0782, abs=0.002)
    assert not result.excludes_zero


def test_welch_interval_equal_variances_equal_sizes_is_the_pooled_t():
    # Equal n and equal variances: Welch's df = 2(n − 1) and se = sqrt(2 s² / n).
    a = [2, 4, 6, 8]  # mean 5, s² = 20/3
    b = [12, 14, 16, 18]  # mean 15, s² = 20/3
    result = welch_interval(a, b)
    assert result.df == pytest.approx(6.0)
    se = math.sqrt(2 * (20 / 3) / 4)
    assert result.high - result.difference == pytest.approx(2.4469 * se, abs=1e-3)
    assert result.excludes_zero


def test_welch_interval_with_no_spread_is_a_point():
    result = welch_interval([3, 3, 3], [5, 5, 5])
    assert (result.low, result.high) == (2, 2)


def test_welch_needs_two_values_per_group():
    with pytest.raises(ValueError):
        welch_interval([1], [1, 2])


def test_moving_average_needs_four_of_seven():
    values = [1, None, 3, None, 5, None, 7, 9]
    averages = stats.moving_average(values)
    assert averages[:6] == [None] * 6  # never 4 logged nights in the window yet
    assert averages[6] == pytest.approx((1 + 3 + 5 + 7) / 4)
    assert averages[7] == pytest.approx((3 + 5 + 7 + 9) / 4)  # window is nights 1..7
    assert stats.moving_average([None, None, 2, 2, 2]) == [None, None, None, None, None]
