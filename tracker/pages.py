"""What the dashboard and the clinician report show: charts and page contexts.

Built from selectors (the rows), the period summary (nightly figures) and the SVG
primitives in tracker/charts.py; views pass the result straight to a template.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker import (
    chart_tables,
    charts,
    clinical,
    crossover,
    iron,
    nof1,
    page_cache,
    reference,
    safety,
    selectors,
)
from tracker.evening import evening_of, last_night
from tracker.models import ExperimentStatus
from tracker.models.stamp import NIGHTS, OTHER
from tracker.summary import period_nights, period_skips, period_summary
from tracker.trial import trial_result


def lab_charts(*, results) -> dict:
    """Ferritin and TSAT charts (SVG) against the AASM 2024 thresholds, from lab rows."""
    ferritin = [(r.taken_on, r.ferritin_ng_ml) for r in results if r.ferritin_ng_ml is not None]
    tsat = [(r.taken_on, r.tsat_percent) for r in results if r.tsat_percent is not None]
    out = {}
    if ferritin:
        threshold = reference.FERRITIN_THRESHOLD_NG_ML.value
        top = max(150.0, max(float(v) for _d, v in ferritin) * 1.1)
        out["ferritin"] = charts.points_chart(
            dates=[d for d, _v in ferritin],
            values=[float(v) for _d, v in ferritin],
            threshold=threshold,
            threshold_label=_("%(n)s ng/mL (AASM 2024)") % {"n": threshold},
            top=round(top, -1),
            title=_("Ferritin over time"),
            desc=_("Ferritin results in ng/mL with the guideline threshold of %(n)s ng/mL.")
            % {"n": threshold},
        )
    if tsat:
        threshold = reference.TSAT_THRESHOLD_PERCENT.value
        out["tsat"] = charts.points_chart(
            dates=[d for d, _v in tsat],
            values=[float(v) for _d, v in tsat],
            threshold=threshold,
            threshold_label=_("%(n)s%% (AASM 2024)") % {"n": threshold},
            top=60.0 if max(float(v) for _d, v in tsat) <= 54 else 100.0,
            title=_("Transferrin saturation over time"),
            desc=_("Transferrin saturation in percent with the guideline threshold of %(n)s%%.")
            % {"n": threshold},
        )
    return out


def iron_reference_context() -> dict:
    """The guideline's numbers and words the labs page and the report show beside results."""
    return {
        "ferritin_threshold": reference.FERRITIN_THRESHOLD_NG_ML,
        "ferritin_iv": reference.FERRITIN_IV_CONSIDERED_NG_ML,
        "tsat_threshold": reference.TSAT_THRESHOLD_PERCENT,
        "iron_caveat": reference.IRON_THRESHOLDS_CAVEAT,
        "iron_sampling": reference.IRON_SAMPLING_ADVICE,
        "iron_source": reference.AASM_SOURCE,
        "iron_article": reference.IRON_ARTICLE_PATH,
    }


PERIODS = (30, 90, 365)


def chart_days(summary) -> list:
    """The summary's evenings from the first one with a night or a dose logged: the charts'
    x range, so a year with two months logged is not squeezed into its last sixth."""
    first = next((i for i, d in enumerate(summary.days) if d.night or d.dosed), None)
    return [] if first is None else summary.days[first:]


def chart_weeks(summary, days) -> list:
    """The weekly chart's blocks: whole blocks of 7 evenings (a block cut short by the
    period's start is not a week) from the one holding the first logged evening."""
    if not days:
        return []
    first = days[0].evening
    return [w for w in summary.weeks if w.full and w.start + datetime.timedelta(days=6) >= first]


def charts_context(summary, *, tonight: datetime.date) -> dict:
    """The nightly and weekly charts with their tables (the dashboard and the report): no
    chart without a logged night, no weekly bars before 7 logged nights."""
    days = chart_days(summary)
    weeks = chart_weeks(summary, days)
    shown = summary.nights_logged > 0
    # Fewer nights than this and nights are not joined either (tracker/charts.py).
    weekly = bool(weeks) and summary.nights_logged >= charts.LINES_FROM_NIGHTS
    return {
        "chart": nightly_chart_for(summary, days) if shown else None,
        "chart_from": days[0].evening if shown and days[0].evening != summary.start else None,
        "table_rows": chart_tables.nightly_table_rows(days) if shown else "",
        "weekly_chart": weekly_chart_for(weeks, tonight=tonight) if weekly else None,
        "weekly_rows": weeks if weekly else [],
        "weekly_needs_nights": max(0, charts.LINES_FROM_NIGHTS - summary.nights_logged),
    }


def nightly_chart_for(summary, days) -> str:
    """The nightly SVG chart over `days` (from chart_days) of a period summary."""
    return charts.nightly_chart(
        days=[d.evening for d in days],
        severity=[d.night.severity if d.night else None for d in days],
        quality=[d.night.sleep_quality if d.night else None for d in days],
        severity_avg=[d.severity_avg for d in days],
        dosed=[d.dosed for d in days],
        title=_("Legs and sleep, night by night"),
        desc=_(
            "From %(first)s to %(last)s. Top: how bad your legs were (0 to 10) as bars, with "
            "a dashed 7-night average once 7 nights are logged. Marks below it: evenings with "
            "a dose. Bottom: sleep quality (1 to 5) as dots. %(n)s nights logged."
        )
        % {
            "first": date_format(days[0].evening, "j M Y"),
            "last": date_format(days[-1].evening, "j M Y"),
            "n": summary.nights_logged,
        },
    )


def weekly_chart_for(weeks, *, tonight: datetime.date) -> str:
    threshold = reference.CLINICALLY_SIGNIFICANT_NIGHTS_PER_WEEK.value
    return charts.weekly_chart(
        weeks=[w.start for w in weeks],
        counts=[w.moderate for w in weeks],
        logged=[w.logged for w in weeks],
        # Tonight's night is not over yet: a block holding it is whole with 6 logged.
        loggable=[min(7, (tonight - w.start).days) for w in weeks],
        threshold=threshold,
        title=_("Nights with at least moderate symptoms, week by week"),
        desc=_(
            "Bars: nights in each block of 7 nights with a legs score of %(score)s or more; "
            "lighter bars: blocks with some nights not logged. Dashed line: %(n)s such "
            "nights a week."
        )
        % {"score": reference.MODERATE_SEVERITY_SCORE.value, "n": threshold},
    )


def dashboard_context(
    *, user, days: int, now: datetime.datetime, page_parts: page_cache.PageParts
) -> dict:
    """Everything the dashboard shows, in a bounded number of queries, but which card leads:
    the morning card ("How was last night?") in the morning, the evening card ("Tonight")
    from midway through the user's day (tracker.evening.morning_first), which the view
    decides, as it changes with the hour and is part of the whole page's key. What the
    summary reads from nights alone, and the records and skipped evenings read from the other
    tables alone, are cached parts of their own (`page_parts`): after a dose, only what reads
    doses and the rest is computed again.
    """

    tonight = evening_of(now, user.zone, user.wake_time)
    morning_night = last_night(now, user.zone, user.wake_time)
    records = page_parts.cached(
        "dashboard_records",
        reads=(OTHER,),
        compute=lambda: selectors.dashboard_records_get(user=user),
    )
    flags = records.flags
    start = tonight - datetime.timedelta(days=days - 1)
    # The augmentation watch reads 8 weeks, whatever the period shown: same query.
    history_from = clinical.augmentation_window_start(tonight) if flags.dopaminergic else None
    summary = period_summary(
        user=user,
        start=start,
        end=tonight,
        now=now,
        history_from=history_from,
        nights_read=page_parts.cached(
            "dashboard_nights",
            reads=(NIGHTS,),
            extra=(start, tonight, history_from),
            compute=lambda: period_nights(
                user=user, start=start, end=tonight, history_from=history_from
            ),
        ),
        skips_read=page_parts.cached(
            "dashboard_skips",
            reads=(OTHER,),
            extra=(start, tonight),
            compute=lambda: period_skips(user=user, start=start, end=tonight),
        ),
    )
    by_evening = {d.evening: d for d in summary.days}
    trial = records.trial
    today = by_evening[tonight]
    # Only when tonight has a dose: the doses within the window of its newest one.
    upper_level_total = (
        safety.supplement_mg_around(user=user, at=today.last_dose_at) if today.dosed else None
    )
    return {
        "days": days,
        "periods": PERIODS,
        "summary": summary,
        "tonight": today,
        "last_night": by_evening.get(morning_night),
        "last_night_evening": morning_night,
        "over_limit": upper_level_total is not None and safety.over_upper_limit(upper_level_total),
        "upper_level_total": upper_level_total,
        "upper_level_hours": reference.UPPER_LEVEL_WINDOW_HOURS,
        "ul": reference.SUPPLEMENT_UL_MG,
        "safety_article": reference.SAFETY_ARTICLE_PATH,
        "product": records.product,
        **charts_context(summary, tonight=tonight),
        "trial": trial,
        "trial_result": trial_result(user=user, summary=summary, trial=trial),
        "trial_article": reference.TRIAL_ARTICLE_PATH,
        "latest_nights": chart_tables.latest_night_entries(
            [d.night for d in reversed(summary.days) if d.night][:5]
        ),
        "latest_doses": chart_tables.latest_dose_entries(selectors.dose_list(user=user)[:5]),
        "significant_threshold": reference.CLINICALLY_SIGNIFICANT_NIGHTS_PER_WEEK.value,
        "moderate_score": reference.MODERATE_SEVERITY_SCORE.value,
        "experiment_card": (
            experiment_card(user=user, tonight=tonight) if records.has_experiment else None
        ),
        **clinical.dashboard_notes(
            user=user, summary=summary, flags=flags, tonight=tonight, now=now
        ),
    }


def experiment_card(*, user, tonight: datetime.date) -> dict | None:
    """The dashboard's experiment card while one runs: tonight and progress, no comparison."""
    experiment = selectors.experiment_current(user=user)
    if experiment is None or experiment.status != ExperimentStatus.RUNNING:
        return None
    finished = crossover.is_finished(experiment, tonight=tonight)
    rows = (
        []
        if finished
        else crossover.progress(
            experiment, selectors.experiment_log(experiment=experiment), tonight=tonight
        )
    )
    return {
        "experiment": experiment,
        "tonight": crossover.tonight_plan(experiment, evening=tonight),
        "finished": finished,
        "pairs_complete": crossover.pairs_complete(experiment, tonight=tonight),
        "nights_logged": sum(row.nights_logged for row in rows),
        "nights_missing": sum(row.nights_missing for row in rows),
        "reveal": not experiment.blinded,
        "capsule_logged": experiment.blinded
        and experiment.capsules.filter(evening=tonight).exists(),
    }


REPORT_MAX_DAYS = 366
REPORT_DEFAULT_DAYS = 30


def report_range(
    *, user, start, end, now: datetime.datetime
) -> tuple[datetime.date, datetime.date, bool]:
    """The evenings a report asked for start..end covers: (start, end, clamped to the most)."""
    tonight = evening_of(now, user.zone, user.wake_time)
    span = datetime.timedelta(days=REPORT_DEFAULT_DAYS - 1)
    if start and start > tonight:  # nothing can be logged after tonight
        start = tonight
    end = min(end or (start + span if start else tonight), tonight)
    start = start or end - span
    clamped = (end - start).days >= REPORT_MAX_DAYS
    if clamped:
        start = end - datetime.timedelta(days=REPORT_MAX_DAYS - 1)
    if start > end:
        start = end
    return start, end, clamped


def report_context(*, user, start, end, now: datetime.datetime) -> dict:
    """The clinician report for evenings start..end (defaults: the last 30 evenings)."""

    tonight = evening_of(now, user.zone, user.wake_time)
    start, end, clamped = report_range(user=user, start=start, end=end, now=now)
    summary = period_summary(user=user, start=start, end=end, now=now)
    labs = selectors.lab_result_list(user=user, until=end)
    trial = selectors.trial_get(user=user)
    flags = selectors.clinical_flags_get(user=user)
    return {
        # Whose report: the signed-in user, or the owner of a share link its reader opened.
        "patient": user,
        "start": start,
        "end": end,
        "clamped": clamped,
        "max_days": REPORT_MAX_DAYS,
        "generated_at": now,
        "summary": summary,
        **charts_context(summary, tonight=tonight),
        "labs": [iron.lab_reading(lab) for lab in labs],
        "iron_product": selectors.iron_product_get(user=user),
        "lab_charts": lab_charts(results=labs),
        "trial": trial,
        "trial_result": trial_result(user=user, summary=summary, trial=trial),
        "trial_article": reference.TRIAL_ARTICLE_PATH,
        "ul": reference.SUPPLEMENT_UL_MG,
        **iron_reference_context(),
        "significant_threshold": reference.CLINICALLY_SIGNIFICANT_NIGHTS_PER_WEEK.value,
        "moderate_score": reference.MODERATE_SEVERITY_SCORE.value,
        "entry_rows": chart_tables.entries_table_rows(summary.days),
        # The onset trend (dopaminergic medicines) and the stomach answers.
        **clinical.report_sections(user=user, summary=summary, flags=flags),
        # The experiment's CENT section (its own names: nothing above uses them).
        **_report_experiment(user=user, tonight=tonight),
    }


def _report_experiment(*, user, tonight: datetime.date) -> dict:
    experiment = selectors.experiment_current(user=user)
    if experiment is None or experiment.orders is None:
        return {"experiment": None}
    return experiment_state(experiment=experiment, tonight=tonight)


def experiment_context(*, user, now: datetime.datetime) -> dict:
    """The experiment page: the planner's defaults, and the experiment's state if started."""
    experiment = selectors.experiment_current(user=user)
    context = {
        "experiment": experiment,
        "defaults": {
            "pairs": reference.EXPERIMENT_PAIRS,
            "period_nights": reference.EXPERIMENT_PERIOD_NIGHTS,
            "washout_nights": reference.EXPERIMENT_WASHOUT_NIGHTS,
            "smallest_change": reference.SMALLEST_CHANGE,
        },
        "product": selectors.saved_product_get(user=user),
        "trial_article": reference.TRIAL_ARTICLE_PATH,
    }
    if experiment is not None and experiment.orders is not None:
        context |= experiment_state(
            experiment=experiment, tonight=evening_of(now, user.zone, user.wake_time)
        )
    return context


def experiment_state(*, experiment, tonight: datetime.date) -> dict:
    """A started experiment as the page and the report show it: tonight, progress, looks,
    amendments, and — only once the planned end has passed, or it was stopped — the result."""
    tonight = crossover.reading_evening(experiment, tonight=tonight)
    log = selectors.experiment_log(experiment=experiment)
    finished = crossover.is_finished(experiment, tonight=tonight)
    stopped = experiment.status == ExperimentStatus.STOPPED
    rows = crossover.progress(experiment, log, tonight=tonight)
    state = {
        "experiment": experiment,
        "periods": rows,
        "last_evening": crossover.last_evening(experiment),
        "pairs_complete": crossover.pairs_complete(experiment, tonight=tonight),
        "tonight": crossover.tonight_plan(experiment, evening=tonight),
        "finished": finished,
        "stopped": stopped,
        "nights_logged": sum(row.nights_logged for row in rows),
        "nights_missing": sum(row.nights_missing for row in rows),
        "deviations": sum(len(row.deviations) for row in rows),
        "amendments": list(experiment.amendments.all()),
        "looks": list(experiment.looks.all()),
        # A blinded allocation stays hidden until the end.
        "reveal": not experiment.blinded or finished or stopped,
        "interim_percent": f"{nof1.INTERIM_CONFIDENCE * 100:g}",
    }
    if crossover.is_over(experiment, tonight=tonight):
        state["result"] = crossover.analysis(experiment, log, tonight=tonight)
        state["secondary"] = crossover.secondary_outcomes(experiment, log, tonight=tonight)
    return state


def helper_sheet(*, experiment) -> list[dict]:
    """Blinded: per packet, its evenings and what the helper puts in it."""
    return [
        {
            "number": number,
            "first": period.first,
            "last": period.last,
            "capsules": experiment.period_nights,
            "magnesium": period.magnesium,
        }
        for number, period in enumerate(crossover.periods(experiment), start=1)
    ]
