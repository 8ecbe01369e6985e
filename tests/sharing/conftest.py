"""Sharing fixtures: a log built through the tracker's services at a fixed instant, and a
helper that creates a link through the service (the token it returns is the only copy)."""

import datetime

import pytest
import time_machine

from sharing import services as sharing_services
from tracker import services

# 19:00 UTC on 15 June 2026 is 20:00 in London (the factory's zone): the evening of 15 June.
NOW = datetime.datetime(2026, 6, 15, 19, 0, tzinfo=datetime.UTC)
TONIGHT = datetime.date(2026, 6, 15)


@pytest.fixture
def history(user):
    """20 nights (legs 0-3) and a dose each evening (1000 mg glycinate compound), two blood
    tests, a saved product and a medicine, all before NOW."""
    with time_machine.travel(NOW, tick=False):
        for i in range(1, 21):
            evening = TONIGHT - datetime.timedelta(days=i)
            services.night_log(
                user=user,
                evening=evening,
                severity=i % 4,
                sleep_quality=1 + i % 5,
                times={"in_bed": datetime.time(23), "out_of_bed": datetime.time(7)},
                sleep_latency_min=15 if i == 2 else None,
                awakenings=2 if i == 2 else None,
            )
            taken = datetime.datetime.combine(evening, datetime.time(21), tzinfo=user.zone)
            services.dose_record(
                user=user, taken_at=taken, form="glycinate", amount_mg=1000, unit="compound"
            )
        services.lab_record(
            user=user, taken_on=datetime.date(2026, 5, 1), ferritin_ng_ml=48, tsat_percent=22
        )
        services.lab_record(user=user, taken_on=TONIGHT, tsat_percent=31)
        services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
        services.medicine_add(
            user=user, kind="gabapentin", name="Neurontin", usual_time=datetime.time(22, 0)
        )
        yield


@pytest.fixture
def make_link(user):
    def make(owner=None, **kwargs):
        values = {
            "label": "Dr Lee, June visit",
            "start": TONIGHT - datetime.timedelta(days=9),
            "end": TONIGHT - datetime.timedelta(days=1),
            "now": NOW,
        } | kwargs
        return sharing_services.share_create(user=owner or user, **values)

    return make
