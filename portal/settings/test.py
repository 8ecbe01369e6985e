"""Test settings: the base settings plus what makes the suite fast and isolated.

Everything the suite decides is written to the environment before the base settings read
it, so a Celery worker process started by a test (which inherits the environment) sees the
same Redis, database numbers, key prefix and queue — and `make run` sees none of them.
"""

import atexit
import os
import uuid
from pathlib import Path

from portal import embedded_redis

# One id per test process: pytest-xdist workers inherit the controller's environment, so the
# worker name is part of it (their rate-limit counters and queues must not mix).
_run_id = os.environ.setdefault("RESTWELL_TEST_RUN", uuid.uuid4().hex[:10])
_run_id += os.environ.get("PYTEST_XDIST_WORKER", "")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("REDIS_DB_BROKER", "10")
os.environ.setdefault("REDIS_DB_RESULTS", "11")
os.environ.setdefault("REDIS_DB_CACHE", "12")
os.environ["CACHE_KEY_PREFIX"] = f"test-{_run_id}"
os.environ["CELERY_QUEUE"] = f"test-{_run_id}"

if not os.environ.get("REDIS_URL"):
    if embedded_redis.reachable("redis://127.0.0.1:6379/0"):
        os.environ["REDIS_URL"] = "redis://127.0.0.1:6379"
    else:
        # A fresh laptop: a private embedded Redis for this test run, stopped at exit.
        _sock = Path(f"/tmp/rw-test-{_run_id}/redis.sock")  # noqa: S108 - short path on purpose
        _redis = embedded_redis.start(sock=_sock, data_dir=_sock.parent)
        atexit.register(embedded_redis.stop, _redis)
        os.environ["REDIS_URL"] = f"unix://{_sock}"

from portal.settings.base import *  # noqa: E402,F403
from portal.settings.base import BASE_DIR, DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
if not os.environ.get("EMAIL_URL"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a real Celery worker process can open the test database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.setdefault(
            "TEST_SQLITE_NAME", str(BASE_DIR / "var" / f"test-{_run_id}.sqlite3")
        )
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)
