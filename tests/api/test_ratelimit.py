"""Per-token rate limits in Redis; with Redis unreachable the API waits (503), never unthrottled."""

import datetime

import pytest
import time_machine

from api import ratelimit
from tests.conftest import tracebacks
from tracker.models import NightLog

NIGHTS = "/api/v1/nights/"
# 10 s into a minute, so a test's requests share one window.
NOW = datetime.datetime(2026, 11, 25, 9, 0, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch):
    monkeypatch.setattr(ratelimit, "LIMITS", {"read": 3, "write": 2})
    with time_machine.travel(NOW, tick=False):
        yield


def _night(day: int) -> dict:
    return {"evening": f"2026-11-{day:02d}", "severity": 2, "sleep_quality": 4}


def test_reads_past_the_limit_get_429_with_retry_after(api):
    assert [api.get(NIGHTS).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(NIGHTS)
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert response.json()["detail"].startswith("Too many requests")


def test_the_next_minute_starts_afresh(api):
    for _ in range(4):
        api.get(NIGHTS)
    with time_machine.travel(NOW + datetime.timedelta(seconds=50), tick=False):
        assert api.get(NIGHTS).status_code == 200


def test_writes_have_their_own_smaller_limit(api, user):
    assert api.post(NIGHTS, _night(1)).status_code == 201
    assert api.post(NIGHTS, _night(2)).status_code == 201
    refused = api.post(NIGHTS, _night(3))
    assert refused.status_code == 429
    assert NightLog.objects.filter(user=user).count() == 2
    assert api.get(NIGHTS).status_code == 200


def test_limits_count_per_token(api, other_api, user):
    from api import services
    from tests.api.conftest import ApiClient

    for _ in range(4):
        api.get(NIGHTS)
    assert other_api.get(NIGHTS).status_code == 200
    _token, secret = services.token_create(user=user, name="Second", scope="read", days=30)
    assert ApiClient(secret).get(NIGHTS).status_code == 200


def test_with_redis_unreachable_the_api_answers_503_calmly(api, user, stop_redis):
    caplog = stop_redis()
    for response in (api.get(NIGHTS), api.post(NIGHTS, _night(1))):
        assert response.status_code == 503
        assert response["Retry-After"] == "60"
        assert response.json() == {"detail": "Please try again in a minute."}
    assert not NightLog.objects.filter(user=user).exists()
    assert not tracebacks(caplog)
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)
