"""The benches' one seeder (bench/seed.py): rows the database and the diary's rules accept,
last night always there, a few gaps, the newer night fields filled, the same for a seed."""

import datetime
import random

import pytest

from bench.seed import history_seed
from tests.factories import UserFactory
from tracker.models import Dose, NightLog

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 30)  # a DST change in Europe falls inside the 120 evenings


def test_a_seeded_history_has_the_load_tests_shape():
    user = UserFactory(time_zone="Europe/London")
    nights, doses = history_seed(user=user, today=TODAY, rng=random.Random(42), nights=120)
    assert (nights, doses) == (NightLog.objects.count(), Dose.objects.count())
    assert 100 <= nights < 120  # some evenings missing
    assert 200 <= doses < 240 and doses % 2 == 0  # two an evening, a few evenings without
    logged = NightLog.objects.filter(user=user)
    assert logged.latest("evening").evening == TODAY - datetime.timedelta(days=1)
    for night in logged:
        assert night.in_bed_at < night.tried_sleep_at < night.final_wake_at < night.out_of_bed_at
        awake = datetime.timedelta(minutes=night.sleep_latency_min + night.waso_min)
        assert awake < night.final_wake_at - night.tried_sleep_at
    answered = [n.stomach for n in logged if n.stomach]
    assert len(answered) > nights / 2 and answered.count("none") > 0.8 * len(answered)
    severities = [n.severity for n in logged.order_by("evening")]
    # Correlated: neighbouring nights closer than nights chosen at random.
    steps = sum(abs(a - b) for a, b in zip(severities, severities[1:], strict=False))
    shuffled = random.Random(1).sample(severities, len(severities))
    jumps = sum(abs(a - b) for a, b in zip(shuffled, shuffled[1:], strict=False))
    assert steps < jumps


def test_the_same_seed_gives_the_same_history():
    rows = []
    for _ in range(2):
        user = UserFactory(time_zone="America/New_York")
        history_seed(user=user, today=TODAY, rng=random.Random(7), nights=30)
        rows.append(
            list(
                NightLog.objects.filter(user=user)
                .order_by("evening")
                .values_list("evening", "severity", "stomach", "in_bed_at")
            )
        )
    assert rows[0] == rows[1]
