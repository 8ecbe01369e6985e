"""API latency: list and create through the JSON API, with a token, for a user with a year
of nights and two doses a day.

Builds its own SQLite database under var/, talks to the Redis from REDIS_URL (or
127.0.0.1:6379) under a private key prefix (the per-token rate limit is counted there, as in
production; the limits are raised so the bench is not throttled), and times Django's test
client (no network, production settings): p50 and p95 of N requests, in milliseconds. Every
create is a new row (a new dose, a new night, a new Idempotency-Key).
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
(BASE_DIR / "var").mkdir(exist_ok=True)
_db = Path(tempfile.mkdtemp(prefix="bench-api-", dir=BASE_DIR / "var")) / "db.sqlite3"
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings.base",
    DEBUG="false",
    SECRET_KEY="bench-only-" + uuid.uuid4().hex,
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="false",
    DATABASE_URL=f"sqlite:///{_db}",
    CACHE_KEY_PREFIX=f"bench-api-{uuid.uuid4().hex[:8]}",
    REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"),
    LOG_LEVEL="ERROR",
)
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

N = int(os.environ.get("BENCH_REQUESTS", "200"))
DAYS = 365


def _build() -> str:
    from api import ratelimit, services
    from bench.seed import history_seed
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    ratelimit.LIMITS.update(read=10**9, write=10**9)
    user = UserFactory(email="bench-api@example.com", time_zone="America/New_York")
    today = datetime.datetime.now(user.zone).date()
    history_seed(user=user, today=today, rng=random.Random(42), nights=DAYS)
    _token, secret = services.token_create(user=user, name="Bench", scope="write", days=30)
    return secret


def _forget_our_keys():
    """Delete this run's keys only: cache.clear() would FLUSHDB a Redis others share."""
    redis = cache._cache.get_client(write=True)
    keys = list(redis.scan_iter(match=f"{os.environ['CACHE_KEY_PREFIX']}:*", count=1000))
    if keys:
        redis.delete(*keys)


def _time(send, status: int) -> tuple[float, float]:
    for i in range(3):  # warm-up
        send(-1 - i)
    samples = []
    for i in range(N):
        start = time.perf_counter()
        response = send(i)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == status, (response.status_code, response.content[:300])
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    secret = _build()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    long_ago = datetime.date(2000, 1, 1)
    t0 = datetime.datetime(2024, 1, 1, 21, 0, tzinfo=datetime.UTC)

    def get(url):
        return lambda i: client.get(url)

    def new_dose(i):
        taken = (t0 + datetime.timedelta(minutes=i + 10)).isoformat()
        return {"taken_at": taken, "form": "glycinate", "amount_mg": 200, "unit": "elemental"}

    def new_night(i):
        evening = (long_ago + datetime.timedelta(days=i + 10)).isoformat()
        return {"evening": evening, "severity": 3, "sleep_quality": 4, "in_bed": "22:30",
                "out_of_bed": "07:00", "factors": ["stress"]}  # fmt: skip

    def dose_with_key(i):
        return client.post(
            "/api/v1/doses/", new_dose(i + 10_000), content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"bench-{i}",
        )  # fmt: skip

    replay_body = new_dose(-100)
    client.post("/api/v1/doses/", replay_body, content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="replayed")  # fmt: skip

    anonymous = Client()
    rows = [
        ("no token: 401 (the floor)", lambda i: anonymous.get("/api/v1/nights/"), 401),
        ("list nights, 20 per page", get("/api/v1/nights/"), 200),
        ("list nights, 100 per page", get("/api/v1/nights/?limit=100"), 200),
        ("list nights, page 10 with a date filter",
         get("/api/v1/nights/?limit=20&offset=180&from=2000-01-01"), 200),
        ("list doses, 20 per page", get("/api/v1/doses/"), 200),
        ("list doses, 100 per page", get("/api/v1/doses/?limit=100"), 200),
        ("dashboard figures, 30 days", get("/api/v1/dashboard/"), 200),
        ("dashboard figures, 365 days", get("/api/v1/dashboard/?days=365"), 200),
        ("create a night", lambda i: client.post(
            "/api/v1/nights/", new_night(i + 10), content_type="application/json"), 201),
        ("create a dose", lambda i: client.post(
            "/api/v1/doses/", new_dose(i + 1000), content_type="application/json"), 201),
        ("create a dose with an Idempotency-Key", dose_with_key, 201),
        ("replay of an Idempotency-Key", lambda i: client.post(
            "/api/v1/doses/", replay_body, content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="replayed"), 201),
        ("refused dose (422, typo limit)", lambda i: client.post(
            "/api/v1/doses/", {**new_dose(i), "amount_mg": 5000},
            content_type="application/json"), 422),
    ]  # fmt: skip
    print(f"{DAYS} nights and {2 * DAYS} doses; {N} requests each; milliseconds in Django\n")
    print(f"| {'request':<40} | {'p50':>6} | {'p95':>6} |")
    print(f"|{'-' * 42}|{'-' * 8}|{'-' * 8}|")
    for label, send, status in rows:
        median, p95 = _time(send, status)
        print(f"| {label:<40} | {median:6.2f} | {p95:6.2f} |", flush=True)
    _forget_our_keys()


if __name__ == "__main__":
    try:
        main()
    finally:
        for path in sorted(_db.parent.glob("*"), reverse=True):
            path.unlink()
        _db.parent.rmdir()
