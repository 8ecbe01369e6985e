"""What the security probes share: a user with one row of every kind, and a snapshot of the
database to prove a request changed nothing.

Everything happens at fixed instants (time-machine): NOW is a Wednesday evening in London,
after the evening reminder went out, so the email links are fresh.
"""

import datetime
import random
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.db import models

from api.services import token_create
from reminders import dispatch, tokens
from reminders.models import Delivery, PushSubscription, ReminderKind
from reminders.services import calendar_feed_reset, reminder_setting_update
from sharing.services import share_create, share_view_record
from tests.pdf_download import pdf_job_made
from tracker import services as tracker
from tracker.models import ExperimentCapsule, ExperimentLook
from tracker.sleep_import import ImportResult
from tracker.sleep_import.nights import Candidate

UTC = datetime.UTC
# A Wednesday in London (GMT): the evening reminder (22:30 bedtime, 30 min before) is due at
# 22:00 = 22:00 UTC; the morning one at 07:30 the next day.
BEFORE = datetime.datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
DUE = datetime.datetime(2026, 11, 18, 22, 0, tzinfo=UTC)
NOW = DUE + datetime.timedelta(minutes=5)
EVENING = datetime.date(2026, 11, 18)
DAY = datetime.timedelta(days=1)


def populate(user, text: str) -> dict:
    """One row of every kind the user can own, each free-text field holding `text`.

    Returns the objects and the one-time secrets (share link, API token, calendar feed,
    email-link tokens) a test needs to reach them. Run it inside time_machine at NOW.
    """
    user.display_name = text[:80]
    user.bedtime = datetime.time(22, 30)
    user.save(update_fields=["display_name", "bedtime"])
    for day in range(1, 15):
        night = tracker.night_log(
            user=user,
            evening=EVENING - day * DAY,
            severity=day % 8,
            sleep_quality=1 + day % 5,
            times={},
            tags=f"{text[:40]}, travel",
            notes=text,
        )
        dose = tracker.dose_record(
            user=user,
            taken_at=NOW - day * DAY,
            form="glycinate",
            amount_mg=200,
            unit="elemental",
            note=text[:200],
        )
    product = tracker.saved_product_set(
        user=user, form="glycinate", amount_mg=200, unit="elemental"
    )
    medicine = tracker.medicine_add(
        user=user, kind="other", name=text[:80], usual_time=datetime.time(8)
    )
    iron = tracker.iron_product_set(
        user=user, name=text[:80], elemental_mg=65, frequency="daily", usual_time=None
    )
    lab = tracker.lab_record(
        user=user, taken_on=EVENING - 3 * DAY, ferritin_ng_ml=60, tsat_percent=25, note=text
    )
    tracker.trial_set(
        user=user,
        baseline_start=EVENING - 14 * DAY,
        baseline_end=EVENING - 8 * DAY,
        magnesium_start=EVENING - 7 * DAY,
    )
    tracker.evening_skip_record(user=user, evening=EVENING - 20 * DAY)
    experiment = tracker.experiment_plan(
        user=user,
        outcome="severity",
        smallest_change=Decimal("1.0"),
        pairs=2,
        period_nights=7,
        washout_nights=2,
        start_evening=EVENING,
        now=BEFORE,
    )
    experiment = tracker.experiment_start(experiment=experiment, now=BEFORE, rng=random.Random(0))
    # Tomorrow's capsule: tonight stays unlogged, so the evening email still goes out.
    ExperimentCapsule.objects.create(experiment=experiment, evening=EVENING + DAY, taken_at=NOW)
    ExperimentLook.objects.create(
        experiment=experiment, looked_at=BEFORE, pairs_complete=0, verdict=text[:24]
    )
    amendment = tracker.experiment_amend(
        experiment=experiment, reason=text[:200], now=BEFORE, rng=random.Random(1), pairs=3
    )
    # An imported night's device name comes from the file: text the user controls.
    asleep = datetime.datetime.combine(EVENING - DAY, datetime.time(23, 10), tzinfo=user.zone)
    sleep_import = tracker.sleep_import_store(
        user=user,
        result=ImportResult(
            kind="hae_json",
            nights=[
                Candidate(
                    source=text[:100],
                    starts=asleep,
                    asleep_at=asleep,
                    final_wake_at=asleep + datetime.timedelta(hours=7),
                    asleep_min=400,
                    evening=EVENING - DAY,
                )
            ],
            records=1,
            left_out=0,
        ),
        now=BEFORE,
    )
    # A device's label is made from the browser's User-Agent: text the user controls.
    device = PushSubscription.objects.create(
        user=user,
        endpoint=f"https://push.example.net/send/{user.pk}",
        p256dh="p256dh",
        auth="auth",
        label=text[:64],
        created_at=BEFORE,
    )
    share, share_token = share_create(
        user=user, label=text[:60], start=EVENING - 14 * DAY, end=EVENING - DAY, now=BEFORE
    )
    share_view_record(link=share, now=BEFORE)
    api_token, api_secret = token_create(user=user, name=text[:60], scope="write", days=30)
    feed = calendar_feed_reset(user=user, now=BEFORE)
    for kind in (ReminderKind.EVENING, ReminderKind.MORNING):
        reminder_setting_update(user=user, kind=kind, enabled=True, now=BEFORE)
    dispatch.reminders_claim_due(now=DUE)
    delivery = Delivery.objects.get(user=user, kind=ReminderKind.EVENING)
    links = tokens.tokens_make(
        purposes=[tokens.TAKEN, tokens.SKIP, tokens.SNOOZE, tokens.UNSUBSCRIBE],
        user_id=user.pk,
        delivery_id=delivery.pk,
    )
    return {
        "pdf_job": pdf_job_made(user),  # in Redis, not a row: made for the URL probes
        "night": night,
        "dose": dose,
        "token": api_token,
        "product": product,
        "medicine": medicine,
        "iron": iron,
        "lab": lab,
        "experiment": experiment,
        "amendment": amendment,
        "share": share,
        "share_token": share_token,
        "api_token": api_token,
        "api_secret": api_secret,
        "feed": feed,
        "delivery": delivery,
        "links": links,
        "sleep_import": sleep_import,
        "device": device,
    }


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def snapshot() -> dict:
    """Every row of every table, as comparable values (timestamps included): a request that
    changes nothing leaves it equal. Sessions are left out (a page visit may save one)."""
    state = {}
    for model in apps.get_models():
        if model._meta.label in {"sessions.Session", "usersessions.UserSession"}:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.order_by("pk").values_list(*fields)
        state[model._meta.label] = [tuple(map(_comparable, row)) for row in rows]
    return state


def _comparable(value):
    return value if not isinstance(value, memoryview) else bytes(value)


def snapshot_difference(before: dict, after: dict) -> dict:
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


def user_tables() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if not model._meta.auto_created]
