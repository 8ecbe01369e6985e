"""Idempotency-Key: a resent write answers the first response and writes nothing twice."""

import datetime

import pytest
import time_machine
from django.conf import settings

from tracker import services
from tracker.models import Dose, IdempotencyKey
from tracker.tasks import idempotency_keys_purge_task

DOSES, NIGHTS = "/api/v1/doses/", "/api/v1/nights/"
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
DOSE = {"taken_at": "2026-11-24T21:30:00+00:00", "form": "glycinate", "amount_mg": 200,
        "unit": "elemental"}  # fmt: skip


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


def _post(api, body, key):
    return api.post(DOSES, body, HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_and_body_replay_the_first_answer(api, user):
    first = _post(api, DOSE, "3f1c-a")
    again = _post(api, {**DOSE}, "3f1c-a")
    assert first.status_code == again.status_code == 201
    # The same answer (PostgreSQL's jsonb keeps the stored keys in its own order).
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Dose.objects.filter(user=user).count() == 1


def test_without_a_key_each_write_counts(api, user):
    api.post(DOSES, DOSE)
    api.post(DOSES, DOSE)
    assert Dose.objects.filter(user=user).count() == 2


def test_the_same_key_with_another_body_is_refused(api, user):
    _post(api, DOSE, "k1")
    response = _post(api, {**DOSE, "amount_mg": 250}, "k1")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "Idempotency-Key": [
            "This key was already used for a different request. Send a new key with each "
            "new request."
        ]
    }
    assert list(Dose.objects.filter(user=user).values_list("elemental_mg", flat=True)) == [200]


def test_the_same_key_on_another_endpoint_is_another_request(api, user):
    _post(api, DOSE, "k1")
    response = api.post(
        NIGHTS, {"evening": "2026-11-24", "severity": 2, "sleep_quality": 4},
        HTTP_IDEMPOTENCY_KEY="k1",
    )  # fmt: skip
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]


def test_a_refused_write_is_replayed_as_refused(api, user):
    wrong = {**DOSE, "amount_mg": 5000}
    first = _post(api, wrong, "k2")
    assert first.status_code == 422
    again = _post(api, wrong, "k2")
    assert again.status_code == 422 and again.content == first.content
    assert not Dose.objects.filter(user=user).exists()


def test_keys_belong_to_one_user(api, other_api, user, other_user):
    _post(api, DOSE, "shared")
    assert _post(other_api, {**DOSE, "amount_mg": 100}, "shared").status_code == 201
    assert Dose.objects.filter(user=other_user).count() == 1


def test_a_key_is_forgotten_after_24_hours(api, user):
    _post(api, DOSE, "k3")
    with time_machine.travel(NOW + datetime.timedelta(hours=24, seconds=1), tick=False):
        response = _post(api, {**DOSE, "taken_at": "2026-11-25T21:30:00+00:00"}, "k3")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Dose.objects.filter(user=user).count() == 2


def test_a_key_still_being_handled_answers_409(api, user):
    body = {**DOSE, "note": None, "remember": None}
    IdempotencyKey.objects.create(
        user=user, key="busy",
        fingerprint=services.idempotency_fingerprint(path=DOSES, payload=body),
    )  # fmt: skip
    response = _post(api, DOSE, "busy")
    assert response.status_code == 409
    assert "still being handled" in response.json()["detail"]
    assert not Dose.objects.filter(user=user).exists()


def test_a_write_that_fails_unexpectedly_gives_its_key_back(api, user, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("tracker.services.dose_record", broken)
    api.client.raise_request_exception = False
    assert _post(api, DOSE, "k4").status_code == 500
    assert not IdempotencyKey.objects.filter(key="k4").exists()
    monkeypatch.undo()
    assert _post(api, DOSE, "k4").status_code == 201


@pytest.mark.parametrize("key", ["x" * 256, "with space", "naïve"])
def test_a_malformed_key_is_422(api, key):
    response = api.client.post(
        DOSES, DOSE, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.secret}", HTTP_IDEMPOTENCY_KEY=key,
    )  # fmt: skip
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


def test_stored_answers_are_purged_after_24_hours(api, user):
    _post(api, DOSE, "old")
    with time_machine.travel(NOW + datetime.timedelta(hours=23), tick=False):
        _post(api, {**DOSE, "amount_mg": 100}, "newer")
    with time_machine.travel(NOW + datetime.timedelta(hours=24, minutes=1), tick=False):
        idempotency_keys_purge_task()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["newer"]
    assert services.idempotency_keys_purge(now=NOW + datetime.timedelta(days=2)) == 1


def test_beat_purges_the_stored_answers_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["idempotency-keys-purge"]
    assert entry["task"] == "tracker.tasks.idempotency_keys_purge"
    assert entry["schedule"].minute == {41}
