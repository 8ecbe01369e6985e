"""Personal experiment statistics: is the "helped" verdict calibrated, and how often does it
find a real effect? Seeded simulation (tests/tracker/nof1_simulation.py), no database.

Run: .venv/bin/python bench/bench_experiment.py   (BENCH_TRIALS=2000 trials per row).
Prints Markdown tables: the chosen method (tracker.nof1: paired t on period means, Haybittle–
Peto at interim looks) per ρ with no true effect; the candidates it was chosen over, measured
on the same simulated trials; the old baseline-vs-magnesium Welch interval; and power for a
true effect of 1 point (δ = 1, SD 1.75, ρ = 0.5) for several designs.
"""

import datetime
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.tracker.nof1_simulation import START, Scenario, looks, run, simulate  # noqa: E402
from tests.tracker.welch import welch_interval  # noqa: E402
from tracker import nof1, stats  # noqa: E402

TRIALS = int(os.environ.get("BENCH_TRIALS", "2000"))
RHOS = (0.0, 0.3, 0.5, 0.7)
H = nof1.Verdict.HELPED


def _se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def _pct(p: float) -> str:
    return f"{100 * p:.1f}"


def _verdict(estimate: float, margin: float, delta: float) -> tuple[bool, bool]:
    """(interval excludes 0, HELPED by the product's rule) for a benefit estimate."""
    low, high = estimate - margin, estimate + margin
    return (low > 0 or high < 0), (low > 0 and estimate >= delta)


def _analysed(trial, scenario):
    """Per period: list of (night index, value) of analysed nights."""
    out = []
    for period in trial.periods:
        first = (period.first - START).days
        out.append(
            [
                (night, trial.nights[day])
                for night in range(first + scenario.washout, first + scenario.period_nights)
                if (day := START + datetime.timedelta(days=night)) in trial.nights
            ]
        )
    return out


def unpaired_period_means(trial, scenario):
    """Pooled t on the 2k period means, pairs ignored (df = 2k − 2)."""
    mg, ctl = [], []
    for period, values in zip(trial.periods, _analysed(trial, scenario), strict=True):
        if values:
            (mg if period.magnesium else ctl).append(stats.mean([v for _, v in values]))
    if len(mg) < 2 or len(ctl) < 2:
        return None
    df = len(mg) + len(ctl) - 2
    pooled = (
        (len(mg) - 1) * stats.sample_variance(mg) + (len(ctl) - 1) * stats.sample_variance(ctl)
    ) / df
    se = math.sqrt(pooled * (1 / len(mg) + 1 / len(ctl)))
    return stats.mean(ctl) - stats.mean(mg), stats.t_quantile(0.975, df) * se


def gls_ar1(trial, scenario):
    """GLS on all analysed nights: pair intercepts + magnesium, AR(1) errors over calendar
    nights (gaps handled exactly: x_t − φ^g x_{t−g}, scaled by 1/√(1 − φ^{2g})), φ = the
    bias-corrected within-period lag-1 estimate from tracker.nof1, clipped to [0, 0.95];
    t with n − k − 1 df."""
    per_period = _analysed(trial, scenario)
    phi = nof1._lag1(per_period)
    phi = 0.0 if phi is None else min(max(phi, 0.0), 0.95)
    rows = []
    for period, values in zip(trial.periods, per_period, strict=True):
        for night, value in values:
            x = [0.0] * (scenario.pairs + 1)
            x[period.pair] = 1.0
            x[-1] = -1.0 if period.magnesium else 0.0  # benefit: score falls on magnesium
            rows.append((night, x, value))
    rows.sort(key=lambda r: r[0])
    p = scenario.pairs + 1
    xtx = [[0.0] * p for _ in range(p)]
    xty = [0.0] * p
    whitened = []
    previous = None
    for night, x, y in rows:
        if previous is None:
            wx, wy = x, y
        else:
            g = night - previous[0]
            a = phi**g
            s = math.sqrt(1 - a * a) if a < 1 else 1.0
            wx = [(xi - a * pi) / s for xi, pi in zip(x, previous[1], strict=True)]
            wy = (y - a * previous[2]) / s
        previous = (night, x, y)
        whitened.append((wx, wy))
        for i in range(p):
            xty[i] += wx[i] * wy
            for j in range(p):
                xtx[i][j] += wx[i] * wx[j]
    # Pairs without data make X'X singular: keep only columns with information.
    keep = [i for i in range(p) if xtx[i][i] > 1e-12]
    if p - 1 not in keep or len(rows) - len(keep) < 2:
        return None
    inverse = _invert([[xtx[i][j] for j in keep] for i in keep])
    if inverse is None:
        return None
    beta = [sum(inverse[a][b] * xty[keep[b]] for b in range(len(keep))) for a in range(len(keep))]
    rss = sum(
        (wy - sum(beta[a] * wx[keep[a]] for a in range(len(keep)))) ** 2 for wx, wy in whitened
    )
    df = len(rows) - len(keep)
    se = math.sqrt(rss / df * inverse[-1][-1])
    return beta[-1], stats.t_quantile(0.975, df) * se


def _invert(matrix):
    n = len(matrix)
    a = [row[:] + [float(i == j) for j in range(n)] for i, row in enumerate(matrix)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(a[r][c]))
        if abs(a[pivot][c]) < 1e-12:
            return None
        a[c], a[pivot] = a[pivot], a[c]
        f = a[c][c]
        a[c] = [v / f for v in a[c]]
        for r in range(n):
            if r != c and a[r][c]:
                g = a[r][c]
                a[r] = [v - g * w for v, w in zip(a[r], a[c], strict=True)]
    return [row[n:] for row in a]


def old_welch(scenario, rng):
    """The old design: 28 baseline nights then 28 magnesium nights, Welch on the nights."""
    old = Scenario(
        rho=scenario.rho, effect=scenario.effect, pairs=1, period_nights=28, washout=0,
    )  # fmt: skip
    trial = simulate(old, rng, orders=[False])  # baseline first, as the old app had it
    baseline, magnesium = [], []
    for day, value in trial.nights.items():
        (magnesium if (day - START).days >= 28 else baseline).append(value)
    c = welch_interval(magnesium, baseline)  # baseline − magnesium = benefit
    return c.excludes_zero, c.low > 0 and c.difference >= scenario.smallest_change


def null_rows():
    print(f"\nNo true effect, default design (4 pairs × 7 nights, washout 2, δ = 1), {TRIALS}")
    print("trials per row, 10–20 % nights missing, bad spell at the start. Rates in %.\n")
    print("| ρ | HELPED (final) | ± SE | HELPED at any look | ± SE | NO_IMPORTANT_CHANGE |"
          " CANT_TELL | excludes 0 (final) |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    candidates = {}
    for index, rho in enumerate(RHOS):
        scenario = Scenario(rho=rho)
        rng = random.Random(1000 + index)
        old_rng = random.Random(5000 + index)
        final = {v: 0 for v in nof1.Verdict}
        ever = excludes = 0
        cand = {"unpaired": [0, 0], "gls": [0, 0], "old": [0, 0]}
        for _ in range(TRIALS):
            trial = simulate(scenario, rng)
            results = looks(trial, scenario)
            last = results[-1]
            final[last.verdict] += 1
            ever += any(r.verdict is H for r in results)
            excludes += last.low is not None and (last.low > 0 or last.high < 0)
            for name, method in (("unpaired", unpaired_period_means), ("gls", gls_ar1)):
                out = method(trial, scenario)
                if out is not None:
                    ex, helped = _verdict(*out, scenario.smallest_change)
                    cand[name][0] += ex
                    cand[name][1] += helped
            ex, helped = old_welch(scenario, old_rng)
            cand["old"][0] += ex
            cand["old"][1] += helped
        f = final[H] / TRIALS
        e = ever / TRIALS
        print(
            f"| {rho} | {_pct(f)} | {_pct(_se(f, TRIALS))} | {_pct(e)} | {_pct(_se(e, TRIALS))} |"
            f" {_pct(final[nof1.Verdict.NO_IMPORTANT_CHANGE] / TRIALS)} |"
            f" {_pct(final[nof1.Verdict.CANT_TELL] / TRIALS)} | {_pct(excludes / TRIALS)} |",
            flush=True,
        )
        candidates[rho] = (excludes / TRIALS, f, cand)
    return candidates


def candidate_rows(candidates, power):
    print("\nCandidates on the same simulated trials (no effect; nominal: 95 % interval excludes")
    print("0 in 5 %, HELPED ≤ 2.5 %). Power: true effect 1 point, ρ = 0.5, default design.\n")
    print("| method | ρ = 0 excl. 0 / HELPED | ρ = 0.3 | ρ = 0.5 | ρ = 0.7 | power |")
    print("|---|---:|---:|---:|---:|---:|")
    names = {
        "paired": "paired t on period means, df k−1 (chosen)",
        "unpaired": "unpaired t on 2k period means, df 2k−2",
        "gls": "GLS, AR(1) + pair terms, ρ̂ bias-corrected, df n−k−1",
        "old": "old: Welch, 28 baseline vs 28 magnesium nights",
    }
    for key, label in names.items():
        cells = []
        for rho in RHOS:
            excl, helped, cand = candidates[rho]
            if key != "paired":
                excl, helped = (c / TRIALS for c in cand[key])
            cells.append(f"{_pct(excl)} / {_pct(helped)}")
        print(f"| {label} | " + " | ".join(cells) + f" | {_pct(power[key])} |")


def power_rows():
    designs = [(4, 7), (3, 14), (4, 10), (6, 7), (5, 10), (6, 10)]
    print("\nPower: HELPED rate (%) for a true benefit of 1 point (= δ) and of 2 points, SD 1.75,")
    print(f"ρ = 0.5, washout 2, 10–20 % missing, bad spell at the start; {TRIALS} trials per cell.")
    print(
        "Note: HELPED needs the estimate ≥ δ, so for a true effect of exactly δ it is capped near"
    )
    print("50 % whatever the design.\n")
    print(
        "| design (pairs × nights) | total nights | effect 1: HELPED (final) | at any look |"
        " NO_IMPORTANT_CHANGE | effect 2: HELPED (final) | at any look |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    default_power = {}
    for index, (pairs, nights) in enumerate(designs):
        cells = []
        for effect in (1.0, 2.0):
            scenario = Scenario(rho=0.5, effect=effect, pairs=pairs, period_nights=nights)
            rng = random.Random(2000 + 10 * index + int(effect))
            old_rng = random.Random(6000 + index)
            final = {v: 0 for v in nof1.Verdict}
            ever = 0
            cand = {"unpaired": 0, "gls": 0, "old": 0}
            default = (pairs, nights) == (4, 7) and effect == 1.0
            for _ in range(TRIALS):
                trial = simulate(scenario, rng)
                results = looks(trial, scenario)
                final[results[-1].verdict] += 1
                ever += any(r.verdict is H for r in results)
                if default:
                    for name, method in (("unpaired", unpaired_period_means), ("gls", gls_ar1)):
                        out = method(trial, scenario)
                        cand[name] += out is not None and _verdict(*out, 1.0)[1]
                    cand["old"] += old_welch(scenario, old_rng)[1]
            cells += [_pct(final[H] / TRIALS), _pct(ever / TRIALS)]
            if effect == 1.0:
                cells.append(_pct(final[nof1.Verdict.NO_IMPORTANT_CHANGE] / TRIALS))
            if default:
                default_power = {k: v / TRIALS for k, v in cand.items()}
                default_power["paired"] = final[H] / TRIALS
        print(f"| {pairs} × {nights} | {2 * pairs * nights} | " + " | ".join(cells) + " |")
    return default_power


def robustness_rows():
    """Week-on/week-off symptoms (e.g. alternating shifts): a swing aligned with the 7-night
    periods, the kind of period-to-period structure the randomisation must protect against."""
    print("\nRobustness, no true effect, default design: symptoms ± a points on alternate calendar")
    print(
        f"weeks (week-on/week-off), {TRIALS} trials per row; 95 % interval excludes 0 / HELPED"
        " (%).\n"
    )
    print("| swing a | ρ | paired t (chosen) | unpaired t | GLS AR(1) |")
    print("|---:|---:|---:|---:|---:|")
    for index, (swing, rho) in enumerate([(0.5, 0.0), (0.5, 0.5), (1.0, 0.0), (1.0, 0.5)]):
        scenario = Scenario(rho=rho, weekly_swing=swing)
        rng = random.Random(3000 + index)
        counts = {"paired": [0, 0], "unpaired": [0, 0], "gls": [0, 0]}
        for _ in range(TRIALS):
            trial = simulate(scenario, rng)
            result = run(trial, scenario)
            if result.low is not None:
                counts["paired"][0] += result.low > 0 or result.high < 0
                counts["paired"][1] += result.verdict is H
            for name, method in (("unpaired", unpaired_period_means), ("gls", gls_ar1)):
                out = method(trial, scenario)
                if out is not None:
                    ex, helped = _verdict(*out, scenario.smallest_change)
                    counts[name][0] += ex
                    counts[name][1] += helped
        cells = [f"{_pct(a / TRIALS)} / {_pct(b / TRIALS)}" for a, b in counts.values()]
        print(f"| {swing} | {rho} | " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    started = time.perf_counter()
    candidates = null_rows()
    power = power_rows()
    candidate_rows(candidates, power)
    robustness_rows()
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
