"""The calm clinical notes on the dashboard and the clinician report's clinical sections.

Built from the period summary (which already holds the nights and dose totals) and one
selector query (tracker.selectors.clinical_flags_get), so they add one query to a page.
Every number and source comes from tracker/reference.py.
"""

import datetime
from dataclasses import dataclass

from tracker import augmentation, iron, reference
from tracker.choices import Stomach

# Stomach answers that count as a side effect.
GUT_SYMPTOMS = (Stomach.UPSET, Stomach.LOOSE, Stomach.BOTH)


def augmentation_window_start(tonight: datetime.date) -> datetime.date:
    """The first evening the dashboard's period summary must load for the watch."""
    return augmentation.window_start(tonight)


@dataclass(frozen=True)
class GutSummary:
    answered: int  # nights with the stomach question answered
    with_symptoms: int  # of those, with stomach upset or loose stools
    after_high_dose: int  # of those, after an evening above reference.GUT_NOTE_DOSE_MG


def gut_summary(days) -> GutSummary:
    """Stomach answers over a summary's days, and how many followed a high-dose evening."""
    level = float(reference.GUT_NOTE_DOSE_MG.value)
    answered = [d for d in days if d.night and d.night.stomach]
    symptomatic = [d for d in answered if d.night.stomach in GUT_SYMPTOMS]
    return GutSummary(
        answered=len(answered),
        with_symptoms=len(symptomatic),
        after_high_dose=sum(1 for d in symptomatic if d.dose_mg > level),
    )


def dashboard_notes(
    *, user, summary, flags, tonight: datetime.date, now: datetime.datetime
) -> dict:
    """The dashboard's notes: augmentation watch, stomach after high doses, the health
    screens' cautions and the iron re-test nudge. No queries (the flags are loaded)."""
    watch = None
    if flags.dopaminergic:
        watch = augmentation.augmentation_watch(
            (augmentation.signs_of(n, user.zone) for n in summary.history), end=tonight
        )
    since = tonight - datetime.timedelta(days=reference.GUT_NOTE_LOOKBACK_NIGHTS)
    gut = gut_summary([d for d in summary.days if d.evening >= since])
    return {
        "augmentation": watch if watch is not None and watch.flagged else None,
        "augmentation_shift": clock_shift(watch),
        "augmentation_source": reference.AUGMENTATION_SOURCE,
        "gut": gut if gut.after_high_dose else None,
        "gut_level": reference.GUT_NOTE_DOSE_MG,
        "gut_nights": reference.GUT_NOTE_LOOKBACK_NIGHTS,
        **screen_notes(user=user),
        "retest": iron.retest_nudge_since(
            last_on=flags.last_ferritin_on,
            today=now.astimezone(user.zone).date(),
            on_iron=flags.on_iron,
        ),
    }


def clock_shift(watch) -> str | None:
    """How much earlier symptoms start, as 'H h MM min', when the watch measured it."""
    if watch is None or watch.shift_min is None or watch.shift_min <= 0:
        return None
    hours, minutes = divmod(watch.shift_min, 60)
    return f"{hours} h {minutes:02d} min"


def screen_notes(*, user) -> dict:
    """The cautions a 'yes' to a health screen turns on (dashboard and dose form)."""
    return {
        "kidney_caution": user.kidney_disease == "yes",
        "kidney_source": reference.KIDNEY_SOURCE,
        "pregnancy_caution": user.pregnant_or_breastfeeding == "yes",
        "pregnancy_source": reference.PREGNANCY_SOURCE,
    }


def report_sections(*, user, summary, flags) -> dict:
    """The report's onset trend (users on a dopaminergic medicine) and stomach figures."""
    return {
        "dopaminergic": flags.dopaminergic,
        "onset_weeks": (
            augmentation.weekly_onsets(summary.weeks, summary.days, user.zone)
            if flags.dopaminergic
            else []
        ),
        "augmentation_source": reference.AUGMENTATION_SOURCE,
        "gut": gut_summary(summary.days),
        "gut_level": reference.GUT_NOTE_DOSE_MG,
    }
