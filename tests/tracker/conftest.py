"""Tracker fixtures: a user's night, dose and other rows built through the services."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from tracker import services
from tracker.models import Experiment


@pytest.fixture
def night(user):
    evening = timezone.localdate(timezone=user.zone) - datetime.timedelta(days=2)
    return services.night_log(
        user=user,
        evening=evening,
        severity=4,
        sleep_quality=3,
        times={"in_bed": datetime.time(22, 30), "out_of_bed": datetime.time(7, 0)},
    )


@pytest.fixture
def dose(user):
    return services.dose_record(
        user=user,
        taken_at=timezone.now() - datetime.timedelta(days=1),
        form="glycinate",
        amount_mg=200,
        unit="elemental",
    )


@pytest.fixture
def lab(user):
    return services.lab_record(
        user=user, taken_on=datetime.date(2026, 1, 5), ferritin_ng_ml=60, tsat_percent=25
    )


@pytest.fixture
def medicine(user):
    return services.medicine_add(user=user, kind="gabapentin", usual_time=datetime.time(22, 0))


@pytest.fixture
def call_view(rf):
    """Call a view directly (no middleware), so a query count measures the page itself.

    Through the test client every request also pays the foundation's middleware (session,
    user, allauth's user-session tracking: about 7 queries), which is the same on every page.
    """

    def call(view, user, path="/", data=None, **kwargs):
        request = rf.get(path, data or {})
        request.user = user
        request.session = {}
        return view(request, **kwargs)

    return call


def experiment_running(user, *, start_evening, now, orders, blinded=False):
    """A 2 × 7 experiment (washout 2, the legs score, δ 1) planned and started through the
    services at `now`, with its drawn order pinned to `orders` so a test can name tonight."""
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    plan = services.experiment_plan(
        user=user,
        outcome="severity",
        smallest_change=Decimal("1.0"),
        pairs=2,
        period_nights=7,
        washout_nights=2,
        start_evening=start_evening,
        blinded=blinded,
        now=now,
    )
    experiment = services.experiment_start(experiment=plan, now=now, rng=random.Random(1))
    Experiment.objects.filter(pk=experiment.pk).update(orders=list(orders))
    experiment.refresh_from_db()
    return experiment
