"""What the log shows before/after: baseline vs magnesium phase (or nights with vs without
a dose), as plain averages.

Descriptive only, on purpose: the groups were not randomized (people dose on bad evenings;
symptoms drift; consecutive nights are alike), so no interval here could be trusted — a
simulation showed Welch's interval "excluding 0" in a quarter of no-effect trials. The fair
comparison is the randomized experiment (tracker/crossover.py). Built on a period summary
(tracker/summary.py), so it usually needs no query of its own.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tracker import stats
from tracker.models import NightLog, Trial
from tracker.summary import NIGHT_COLUMNS, Summary

# Fewer nights than this in a group and its average is not shown at all.
MIN_NIGHTS_PER_GROUP = 7


@dataclass
class Metric:
    label: str
    mean_a: float | None  # None until the group has MIN_NIGHTS_PER_GROUP nights with a value
    mean_b: float | None
    n_a: int
    n_b: int


@dataclass
class TrialResult:
    mode: str  # "phases" or "dose"
    label_a: str
    label_b: str
    n_a: int
    n_b: int
    needed_a: int
    needed_b: int
    metrics: list[Metric] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.needed_a == 0 and self.needed_b == 0


def _metrics(group_a: list[NightLog], group_b: list[NightLog]) -> list[Metric]:
    rows = []
    for label, value in (
        (_("Legs (0–10, lower is better)"), lambda n: n.severity),
        (_("Sleep quality (1–5, higher is better)"), lambda n: n.sleep_quality),
        (_("Sleep efficiency (%)"), lambda n: n.sleep_efficiency),
    ):
        a = [v for v in map(value, group_a) if v is not None]
        b = [v for v in map(value, group_b) if v is not None]
        enough = len(a) >= MIN_NIGHTS_PER_GROUP and len(b) >= MIN_NIGHTS_PER_GROUP
        rows.append(
            Metric(
                label,
                stats.mean(a) if enough else None,
                stats.mean(b) if enough else None,
                len(a),
                len(b),
            )
        )
    return rows


def trial_result(*, user, summary: Summary, trial: Trial | None) -> TrialResult:
    """Baseline vs magnesium phase when set; otherwise nights with vs without a dose."""
    if trial is not None:
        phase_end = trial.magnesium_end or summary.end
        if summary.start <= trial.baseline_start and phase_end <= summary.end:
            nights = [d.night for d in summary.days if d.night]  # already loaded
        else:
            nights = list(
                NightLog.objects.filter(
                    user=user, evening__range=(trial.baseline_start, phase_end)
                ).only(*NIGHT_COLUMNS)
            )
        group_a = [n for n in nights if trial.baseline_start <= n.evening <= trial.baseline_end]
        group_b = [n for n in nights if trial.magnesium_start <= n.evening <= phase_end]
        mode, label_a, label_b = "phases", _("Before magnesium"), _("With magnesium")
    else:
        group_a = [d.night for d in summary.days if d.night and not d.dosed]
        group_b = [d.night for d in summary.days if d.night and d.dosed]
        mode, label_a, label_b = "dose", _("Nights without a dose"), _("Nights with a dose")
    need = MIN_NIGHTS_PER_GROUP
    result = TrialResult(
        mode=mode,
        label_a=label_a,
        label_b=label_b,
        n_a=len(group_a),
        n_b=len(group_b),
        needed_a=max(0, need - len(group_a)),
        needed_b=max(0, need - len(group_b)),
    )
    if result.ready:
        result.metrics = _metrics(group_a, group_b)
    return result
