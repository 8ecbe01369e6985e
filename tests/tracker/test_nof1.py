"""The personal experiment's statistics: schedule, analysis rules, and seeded calibration."""

import datetime
import random

import pytest

from tests.tracker import nof1_simulation as sim
from tracker import nof1, stats

START = datetime.date(2026, 3, 2)
V = nof1.Verdict


def _nights(periods, value_for, skip=()):
    """Every night of every period, valued by value_for(period, night_in_period)."""
    out = {}
    for period in periods:
        for i in range((period.last - period.first).days + 1):
            day = period.first + datetime.timedelta(days=i)
            if day not in skip:
                out[day] = value_for(period, i)
    return out


def _analyse(nights, periods, *, delta=1.0, washout=2, interim=False, lower_is_better=True):
    return nof1.analyse(
        nights=nights,
        periods=periods,
        washout=washout,
        smallest_change=delta,
        lower_is_better=lower_is_better,
        interim=interim,
    )


def _pair_design(differences, noise=0.5, nights_per_period=7):
    """One pair per given benefit: control nights 5, magnesium nights 5 − benefit, with a
    per-pair ±noise wobble so the differences differ."""
    periods = nof1.schedule(START, [i % 2 == 0 for i in range(len(differences))], 7)

    def value(period, i):
        if not period.magnesium:
            return 5.0
        return 5.0 - differences[period.pair] + (noise if i % 2 else -noise)

    return periods, _nights(periods, value)


def test_schedule_lays_out_consecutive_periods_with_the_drawn_order():
    periods = nof1.schedule(START, [True, False], 7)
    order = [(p.pair, p.magnesium) for p in periods]
    assert order == [(0, True), (0, False), (1, False), (1, True)]
    assert periods[0].first == START
    assert periods[0].last == START + datetime.timedelta(days=6)
    assert periods[1].first == START + datetime.timedelta(days=7)
    assert periods[3].last == START + datetime.timedelta(days=27)


def test_draw_orders_uses_the_system_csprng_by_default(monkeypatch):
    made = []

    class Fake:
        def __init__(self):
            made.append(self)

        def random(self):
            return 0.1

    monkeypatch.setattr(nof1.secrets, "SystemRandom", Fake)
    assert nof1.draw_orders(3) == [True, True, True]
    assert len(made) == 1


def test_draw_orders_takes_an_injected_rng():
    assert nof1.draw_orders(6, rng=random.Random(1)) == nof1.draw_orders(6, rng=random.Random(1))
    assert len(nof1.draw_orders(4)) == 4


def test_washout_nights_are_left_out():
    periods = nof1.schedule(START, [True, False], 7)
    # Washout nights hold wild values; if used they would swamp the 1-point benefit.
    nights = _nights(periods, lambda p, i: 99.0 if i < 2 else (4.0 if p.magnesium else 5.0))
    result = _analyse(nights, periods)
    assert result.nights_per_period == (5, 5, 5, 5)
    assert result.nights_analysed == 20
    assert result.estimate == pytest.approx(1.0)


def test_missing_nights_are_skipped_and_a_pair_needs_both_periods():
    periods = nof1.schedule(START, [True, False, True], 7)
    skip = {periods[0].first + datetime.timedelta(days=3)}
    # Pair 2's magnesium period has no analysed night at all: that pair is not used.
    skip |= {periods[4].first + datetime.timedelta(days=i) for i in range(2, 7)}
    nights = _nights(periods, lambda p, i: 4.0 + (p.pair * 0.1) if p.magnesium else 5.0, skip)
    result = _analyse(nights, periods)
    assert result.nights_per_period == (4, 5, 5, 5, 0, 5)
    assert result.pairs_used == 2
    assert result.enough_data


def test_one_pair_is_not_enough():
    periods = nof1.schedule(START, [True], 7)
    result = _analyse(_nights(periods, lambda p, i: 3.0 if p.magnesium else 6.0), periods)
    assert result.verdict is V.CANT_TELL
    assert not result.enough_data
    assert result.low is None and result.more_pairs_needed is None


def test_constant_data_never_excludes_zero():
    periods = nof1.schedule(START, [True, False, True, False], 7)
    result = _analyse(_nights(periods, lambda p, i: 5.0), periods)
    assert result.verdict is V.CANT_TELL
    assert result.no_variation
    assert result.low is None and result.high is None
    # The same difference in every pair is no evidence of how much it varies either.
    result = _analyse(_nights(periods, lambda p, i: 2.0 if p.magnesium else 5.0), periods)
    assert result.verdict is V.CANT_TELL and result.no_variation
    assert result.estimate == pytest.approx(3.0)


def test_helped_needs_the_interval_above_zero_and_the_estimate_at_least_delta():
    periods, nights = _pair_design([2.0, 2.2, 1.8, 2.1])
    result = _analyse(nights, periods)
    assert result.verdict is V.HELPED
    assert result.low > 0 and result.estimate >= 1.0
    assert result.confidence == 0.95
    # Same data, a smallest change above the estimate (but inside the interval): the interval
    # excludes 0, yet it is not HELPED.
    result = _analyse(nights, periods, delta=2.2)
    assert result.estimate < 2.2 < result.high
    assert result.low > 0
    assert result.verdict is V.CANT_TELL


def test_the_interval_is_the_paired_t_on_pair_differences():
    differences = [2.0, 1.0, 0.5, 1.5]
    periods, nights = _pair_design(differences, noise=0.0)
    result = _analyse(nights, periods)
    mean = stats.mean(differences)
    half = stats.t_quantile(0.975, 3) * (stats.sample_variance(differences) / 4) ** 0.5
    assert result.estimate == pytest.approx(mean)
    assert (result.low, result.high) == (pytest.approx(mean - half), pytest.approx(mean + half))


def test_higher_is_better_outcomes_flip_the_sign():
    periods = nof1.schedule(START, [False, True, True], 7)
    nights = _nights(periods, lambda p, i: 80.0 + (5 + p.pair if p.magnesium else 0))
    result = _analyse(nights, periods, delta=5.0, lower_is_better=False)
    assert result.estimate == pytest.approx(6.0)
    assert result.verdict is V.HELPED


def test_no_important_change_when_the_upper_end_is_below_delta():
    periods, nights = _pair_design([0.1, -0.1, 0.0, 0.05, -0.05, 0.1], noise=0.2)
    result = _analyse(nights, periods)
    assert result.high < 1.0
    assert result.verdict is V.NO_IMPORTANT_CHANGE
    assert result.more_pairs_needed is None


def test_cant_tell_says_how_many_more_pairs():
    periods, nights = _pair_design([2.0, -0.5, 1.5, 0.0])
    result = _analyse(nights, periods)
    assert result.verdict is V.CANT_TELL
    sd = stats.sample_variance([2.0, -0.5, 1.5, 0.0]) ** 0.5
    total = 4 + result.more_pairs_needed
    # The smallest total whose 95 % half-width is at most δ/2.
    assert stats.t_quantile(0.975, total - 1) * sd / total**0.5 <= 0.5
    assert stats.t_quantile(0.975, total - 2) * sd / (total - 1) ** 0.5 > 0.5


def test_interim_looks_use_the_stricter_boundary():
    periods, nights = _pair_design([2.0, 2.4, 1.6])
    final = _analyse(nights, periods)
    interim = _analyse(nights, periods, interim=True)
    assert final.verdict is V.HELPED
    assert interim.confidence == 0.999
    assert interim.low < final.low
    assert interim.verdict is V.CANT_TELL
    # An overwhelming, consistent effect may still stop early.
    periods, nights = _pair_design([3.0, 3.01, 2.99, 3.0, 3.02], noise=0.0)
    assert _analyse(nights, periods, interim=True).verdict is V.HELPED


def test_autocorrelation_and_effective_nights():
    periods = nof1.schedule(START, [True, False, True, False], 7)
    rng = random.Random(3)
    flat = _nights(periods, lambda p, i: rng.gauss(5, 1))
    result = _analyse(flat, periods)
    assert -0.6 < result.autocorrelation < 0.6
    rho = min(max(result.autocorrelation, 0.0), 0.95)
    assert result.nights_analysed == 40
    assert result.effective_nights == pytest.approx(40 * (1 - rho) / (1 + rho))
    # Smooth within-period trends are strongly autocorrelated.
    trend = _nights(periods, lambda p, i: float(i))
    assert _analyse(trend, periods).autocorrelation > 0.8


def test_bias_corrected_autocorrelation_is_about_right_on_average():
    scenario = sim.Scenario(rho=0.5, bad_spell_sd=0.0, missing=(0.0, 0.0), sd=100.0, mean=0.0)
    rng = random.Random(7)
    # Large SD (rounding irrelevant) and no clipping: the raw estimate averages near 0 here.
    values = []
    for _ in range(300):
        trial = sim.simulate(scenario, rng)
        nights = {START + datetime.timedelta(days=i): v for i, v in enumerate(trial.true_nights)}
        periods = nof1.schedule(START, [p.magnesium for p in trial.periods[::2]], 7)
        values.append(_analyse(nights, periods).autocorrelation)
    assert stats.mean(values) == pytest.approx(0.5, abs=0.06)


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.5, 0.7])
def test_no_effect_rarely_reads_helped_even_with_a_look_after_every_pair(rho):
    """Seeded calibration: default design, no true effect, 10–20 % missing, bad spell first.
    The chance of HELPED (at the end, and at any of the looks) must stay ≤ 5 % + 2 SE."""
    trials = 400
    result = sim.rates(sim.Scenario(rho=rho), trials=trials, seed=int(rho * 10) + 11)
    bound = 0.05 + 2 * (0.05 * 0.95 / trials) ** 0.5
    assert result["helped"] <= bound
    assert result["ever_helped"] <= bound


def test_a_true_effect_is_found_more_often_than_none():
    effect = sim.rates(sim.Scenario(rho=0.5, effect=2.0), trials=200, seed=5)
    assert effect["helped"] > 0.3
