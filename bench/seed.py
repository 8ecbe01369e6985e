"""The benches' one seeded person: a history of nights and two doses an evening.

Every bench that needs "a person with a year of nights" calls `history_seed`, so the pages
they time read the same shape of data (and a change to the diary reaches all of them at once):

- nights correlated from one to the next (a slowly wandering level, as restless legs come
  and go over weeks, plus each night's noise and some calm nights), sleep quality and the
  diary times following the night's severity;
- about 1 evening in 20 not logged, never last night (the dashboard's morning card and the
  night form then take the same path in every bench: last night's entry exists);
- two doses an evening (18:30 and 21:30, as the load test has always had), an evening in 30
  without any;
- the newer night fields: the stomach question answered on most mornings, nearly always
  "no"; the augmentation signs (arms, earlier) very rarely, as for someone not on a
  dopaminergic medicine.

Deterministic for a given `rng` and `today`: seeded by the run's date, never by its hour.
Rows are bulk-created (no service validation: 300 people × 365 nights in seconds), so every
value here keeps to the database's constraints and the services' rules (times in order, the
awake minutes fit the night).
"""

import datetime
import random
from decimal import Decimal

MISSING_NIGHT = 0.05
MISSING_DOSES = 1 / 30
DOSE_TIMES = (datetime.time(18, 30), datetime.time(21, 30))


def _night(user, evening, level: float, rng: random.Random):
    from tracker.models import NightLog

    zone = user.zone
    severity = round(min(10, max(0, rng.gauss(level, 1.5))))
    if rng.random() < 0.12:  # some nights are simply calm
        severity = 0
    weekend = evening.weekday() in (4, 5)
    in_bed = datetime.datetime.combine(
        evening, datetime.time(23 if weekend else 22, 40), tzinfo=zone
    ) + datetime.timedelta(minutes=rng.randint(-20, 20))
    tried = in_bed + datetime.timedelta(minutes=rng.randint(5, 25))
    final_wake = in_bed + datetime.timedelta(hours=8, minutes=rng.randint(-30, 30))
    stomach = ""
    if rng.random() < 0.7:  # answered on most mornings; loose stools now and then
        stomach = rng.choices(["none", "loose", "upset", "both"], weights=[92, 5, 2, 1])[0]
    factors = [f for f in ("caffeine", "stress", "sitting", "exercise") if rng.random() < 0.12]
    if weekend and rng.random() < 0.5:
        factors.append("alcohol")
    return NightLog(
        user=user,
        evening=evening,
        severity=severity,
        sleep_quality=round(min(5, max(1, rng.gauss(4.3 - 0.32 * severity, 0.7)))),
        symptoms_started_at=(
            in_bed - datetime.timedelta(minutes=rng.randint(30, 150)) if severity else None
        ),
        in_bed_at=in_bed,
        tried_sleep_at=tried,
        sleep_latency_min=min(120, max(5, round(rng.gauss(12 + 5 * severity, 8)))),
        awakenings=max(0, round(rng.gauss(severity / 3, 1))),
        waso_min=min(120, max(0, round(rng.gauss(6 * severity, 10)))),
        final_wake_at=final_wake,
        out_of_bed_at=final_wake + datetime.timedelta(minutes=rng.randint(3, 25)),
        factors=sorted(set(factors)),
        tags="travel" if rng.random() < 0.09 else "",
        stomach=stomach,
        symptoms_in_arms=severity >= 7 and rng.random() < 0.05,
        symptoms_earlier=severity >= 7 and rng.random() < 0.05,
    )


def history_seed(
    *,
    user,
    today: datetime.date,
    rng: random.Random,
    nights: int = 365,
    elemental_mg: Decimal = Decimal("100.0"),
) -> tuple[int, int]:
    """Give `user` the `nights` evenings before `today`; returns (nights, doses) created."""
    from tracker.evening import evening_of
    from tracker.models import Dose, NightLog

    zone = user.zone
    level = 5.0
    rows, doses = [], []
    for days_ago in range(1, nights + 1):
        evening = today - datetime.timedelta(days=days_ago)
        # The level wanders back towards 4.5: weeks of bad nights, then better ones.
        level = 4.5 + 0.85 * (level - 4.5) + rng.gauss(0, 0.8)
        if days_ago == 1 or rng.random() >= MISSING_NIGHT:
            rows.append(_night(user, evening, level, rng))
        if rng.random() < MISSING_DOSES:
            continue
        for clock in DOSE_TIMES:
            taken = datetime.datetime.combine(evening, clock, tzinfo=zone)
            doses.append(
                Dose(
                    user=user,
                    taken_at=taken,
                    evening=evening_of(taken, zone, user.wake_time),
                    form="glycinate",
                    elemental_mg=elemental_mg,
                )
            )
    NightLog.objects.bulk_create(rows, batch_size=500)
    Dose.objects.bulk_create(doses, batch_size=1000)
    return len(rows), len(doses)
