"""Demo data: about 60 nights, a baseline month then a magnesium month, with honest noise.

Deterministic (each evening's values are seeded by the user and the date) and idempotent:
running it again only fills evenings that are missing — e.g. the days since the last run —
and never touches an entry the demo user has edited.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tracker import services
from tracker.evening import last_night, night_instant
from tracker.models import EveningSkip, Factor, LabResult, NightLog, SavedProduct, Trial

BASELINE_NIGHTS = 30
MAGNESIUM_FROM = 30  # evenings before today at which the magnesium phase starts
BASELINE_SEVERITY = 5.0
MAGNESIUM_SEVERITY = 4.0  # a modest change in the log, well inside what noise can produce


def _clock(rng: random.Random, hour: int, minute: int, spread: int) -> datetime.time:
    minutes = hour * 60 + minute + rng.randint(-spread, spread)
    return datetime.time((minutes // 60) % 24, minutes % 60)


def _night_values(rng: random.Random, evening: datetime.date, magnesium: bool) -> dict:
    centre = MAGNESIUM_SEVERITY if magnesium else BASELINE_SEVERITY
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


@transaction.atomic
def demo_data_ensure(*, user, now: datetime.datetime | None = None) -> int:
    """Fill the demo user's log up to last night; returns the number of nights created."""
    now = now or timezone.now()
    zone = user.zone
    newest = last_night(now, zone)
    trial = Trial.objects.filter(user=user).first()
    if trial is None:
        magnesium_start = newest - datetime.timedelta(days=MAGNESIUM_FROM - 1)
        trial = services.trial_set(
            user=user,
            baseline_start=magnesium_start - datetime.timedelta(days=BASELINE_NIGHTS),
            baseline_end=magnesium_start - datetime.timedelta(days=1),
            magnesium_start=magnesium_start,
        )
    if not SavedProduct.objects.filter(user=user).exists():
        services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    if not LabResult.objects.filter(user=user).exists():
        services.lab_record(
            user=user,
            taken_on=trial.baseline_start - datetime.timedelta(days=20),
            ferritin_ng_ml=68,
            tsat_percent=24,
            note="GP check",
        )
    logged = set(
        NightLog.objects.filter(user=user, evening__gte=trial.baseline_start).values_list(
            "evening", flat=True
        )
    )
    created = 0
    evening = trial.baseline_start
    while evening <= newest:
        if evening not in logged:
            rng = random.Random(f"restwell-demo-{user.pk}-{evening.isoformat()}")  # noqa: S311
            magnesium = evening >= trial.magnesium_start
            values = _night_values(rng, evening, magnesium)
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
