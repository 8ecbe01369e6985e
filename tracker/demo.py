"""Demo data: about 60 nights with honest noise, most of them a finished randomized
experiment (4 pairs of 7 nights, ending before tonight at any hour), so a newcomer sees
tonight's card, the progress table and a result.

Deterministic (each evening's values are seeded by the user and the date; the order within
pairs by the user) and idempotent: running it again only fills evenings that are missing —
e.g. the days since the last run — and never touches an entry the demo user has edited.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tracker import crossover, reference, services
from tracker.evening import evening_of, last_night, night_instant
from tracker.models import (
    EveningSkip,
    Experiment,
    Factor,
    LabResult,
    NightLog,
    SavedProduct,
    Stomach,
)

DEMO_NIGHTS = 60  # up to last night; the experiment's 56 and a few before it
CONTROL_SEVERITY = 5.0
MAGNESIUM_SEVERITY = 4.0  # a modest change: whether the experiment can tell is up to the data
DAY = datetime.timedelta(days=1)


def _clock(rng: random.Random, hour: int, minute: int, spread: int) -> datetime.time:
    minutes = hour * 60 + minute + rng.randint(-spread, spread)
    return datetime.time((minutes // 60) % 24, minutes % 60)


def _night_values(rng: random.Random, evening: datetime.date, magnesium: bool) -> dict:
    centre = MAGNESIUM_SEVERITY if magnesium else CONTROL_SEVERITY
    weekend = evening.weekday() in (4, 5)  # later, longer evenings on Friday and Saturday
    severity = round(min(10, max(0, rng.gauss(centre + (0.6 if weekend else 0), 1.9))))
    if rng.random() < 0.15:  # restless legs come and go: some nights are simply calm
        severity = 0
    quality = round(min(5, max(1, rng.gauss(4.3 - 0.32 * severity, 0.7))))
    latency = max(5, round(rng.gauss(12 + 5 * severity, 8)))
    factors = [
        f
        for f in (Factor.CAFFEINE, Factor.STRESS, Factor.SITTING, Factor.EXERCISE)
        if rng.random() < 0.12
    ]
    if weekend and rng.random() < 0.5:
        factors.append(Factor.ALCOHOL)
    return {
        "severity": severity,
        "sleep_quality": quality,
        "times": {
            "symptoms_started": _clock(rng, 21, 0, 75) if severity else None,
            "in_bed": _clock(rng, 23 if weekend else 22, 45, 20),
            "tried_sleep": None,  # filled below, after bed time
            "final_wake": _clock(rng, 6, 50, 20),
            "out_of_bed": None,
        },
        "sleep_latency_min": min(latency, 120),
        "awakenings": max(0, round(rng.gauss(severity / 3, 1))),
        "waso_min": max(0, round(rng.gauss(6 * severity, 10))),
        "factors": sorted(set(factors)),
    }


def _stomach(evening: datetime.date, magnesium: bool) -> str:
    """The morning's stomach question: skipped now and then, nearly always "no"; loose stools
    a little more often on magnesium evenings (its usual first sign, even at 200 mg).

    From a stream of its own (seeded by the date), so adding it left every other demo value
    as it was. The augmentation signs (arms, earlier in the day) stay unset: Sam takes no
    dopaminergic medicine, the only case where the diary asks for them up front and where
    they would mean something; ticked at random they would only raise a false alarm."""
    rng = random.Random(f"restwell-demo-stomach-{evening.isoformat()}")  # noqa: S311 - seeded demo data, not a secret  # nosec B311
    roll = rng.random()
    if roll < 0.2:
        return ""  # not answered that morning
    loose = 0.06 if magnesium else 0.02
    if roll < 0.2 + loose:
        return Stomach.LOOSE
    if roll < 0.2 + loose + 0.02:
        return Stomach.UPSET
    return Stomach.NONE


@transaction.atomic
def demo_data_ensure(*, user, now: datetime.datetime | None = None) -> int:
    """Fill the demo user's log up to last night; returns the number of nights created."""
    now = now or timezone.now()
    zone = user.zone
    newest = last_night(now, zone, user.wake_time)
    if not SavedProduct.objects.filter(user=user).exists():
        services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    experiment = Experiment.objects.filter(user=user).order_by("created_at").first()
    if experiment is None:
        experiment = _demo_experiment(user=user, now=now)
    first = min(newest - (DEMO_NIGHTS - 1) * DAY, experiment.start_evening)
    ended = crossover.last_evening(experiment)
    if not LabResult.objects.filter(user=user).exists():
        services.lab_record(
            user=user,
            taken_on=first - datetime.timedelta(days=20),
            ferritin_ng_ml=68,
            tsat_percent=24,
            note="GP check",
        )
    logged = set(
        NightLog.objects.filter(user=user, evening__gte=first).values_list("evening", flat=True)
    )
    created = 0
    evening = first
    while evening <= newest:
        if evening not in logged:
            # Seeded by the date alone: the demo reads the same on every machine and database
            # (a user id differs between SQLite and PostgreSQL runs).
            rng = random.Random(f"restwell-demo-{evening.isoformat()}")  # noqa: S311 - seeded demo data, not a secret  # nosec B311
            tonight = crossover.tonight_plan(experiment, evening=evening)
            # Before the experiment no magnesium; after it, Sam kept taking it.
            magnesium = tonight.magnesium if tonight else evening > ended
            values = _night_values(rng, evening, magnesium)
            values["stomach"] = _stomach(evening, magnesium)
            times = values["times"]
            bed = datetime.datetime.combine(datetime.date(2000, 1, 1), times["in_bed"])
            times["tried_sleep"] = (bed + datetime.timedelta(minutes=rng.randint(5, 25))).time()
            wake = datetime.datetime.combine(datetime.date(2000, 1, 1), times["final_wake"])
            times["out_of_bed"] = (wake + datetime.timedelta(minutes=rng.randint(3, 25))).time()
            # Seeded at any hour: a time of this night still ahead (the morning, at 01:30) is
            # left out, as a user filling in the diary at that hour would leave it.
            for name, clock in times.items():
                if clock is not None and night_instant(evening, clock, zone) > now:
                    times[name] = None
            services.night_log(user=user, evening=evening, now=now, **values)
            if magnesium:
                roll = rng.random()
                if roll < 0.9:
                    taken = datetime.datetime.combine(evening, _clock(rng, 21, 40, 25), tzinfo=zone)
                    services.dose_record(
                        user=user,
                        taken_at=taken,
                        form="glycinate",
                        amount_mg=200,
                        unit="elemental",
                        now=now,
                    )
                elif (
                    roll < 0.95
                    and not EveningSkip.objects.filter(user=user, evening=evening).exists()
                ):
                    services.evening_skip_record(user=user, evening=evening)
            created += 1
        evening += datetime.timedelta(days=1)
    return created


def _demo_experiment(*, user, now: datetime.datetime) -> Experiment:
    """A 4 × 7 experiment that ended the evening before "tonight" (so it is finished at any
    hour), planned and started through the services the evening before its start."""
    pairs = reference.EXPERIMENT_PAIRS.value
    nights = 2 * pairs * reference.EXPERIMENT_PERIOD_NIGHTS.value
    start = evening_of(now, user.zone, user.wake_time) - nights * DAY
    registered = datetime.datetime.combine(start - DAY, datetime.time(20, 0), tzinfo=user.zone)
    plan = services.experiment_plan(
        user=user,
        outcome="severity",
        smallest_change=reference.SMALLEST_CHANGE["severity"].value,
        pairs=pairs,
        period_nights=reference.EXPERIMENT_PERIOD_NIGHTS.value,
        washout_nights=reference.EXPERIMENT_WASHOUT_NIGHTS.value,
        start_evening=start,
        now=registered,
    )
    # A seeded order: the demo looks the same on every run (real users get the OS's CSPRNG).
    rng = random.Random("restwell-demo-order")  # noqa: S311 - seeded demo data, not a secret  # nosec B311
    return services.experiment_start(experiment=plan, now=registered, rng=rng)
