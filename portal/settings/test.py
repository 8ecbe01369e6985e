"""Test settings: the base settings with the values that make the suite fast and isolated.

Everything the suite decides is written to the environment before the base settings read
it, so a Celery worker process started by a test (which inherits the environment) sees the
same Redis, database numbers, key prefix and queue — and `make run` sees none of them.
"""

import os
import uuid

# One id per test process: pytest-xdist workers inherit the controller's environment, so the
# worker name is part of it (their rate-limit counters and queues must not mix).
_run_id = os.environ.setdefault("RESTWELL_TEST_RUN", uuid.uuid4().hex[:10])
_run_id += os.environ.get("PYTEST_XDIST_WORKER", "")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
if not os.environ.get("VAPID_PRIVATE_KEY"):
    # A pair per run, in the environment so a Celery worker started by a test signs alike.
    from portal.vapid import keys_generate

    _vapid = keys_generate()
    os.environ["VAPID_PRIVATE_KEY"], os.environ["VAPID_PUBLIC_KEY"] = (
        _vapid["private"],
        _vapid["public"],
    )
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("REDIS_DB_BROKER", "10")
os.environ.setdefault("REDIS_DB_RESULTS", "11")
os.environ.setdefault("REDIS_DB_CACHE", "12")
os.environ["CACHE_KEY_PREFIX"] = f"test-{_run_id}"
os.environ["CELERY_QUEUE"] = f"test-{_run_id}"

# REDIS_URL comes from the environment: tests/services_plugin.py sets it (starting an
# embedded Redis when none is reachable) before these settings are imported.
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
PUSH_ALLOW_LOOPBACK_ENDPOINTS = (
    True  # the tests' local push endpoint (tests/reminders/push_endpoint.py)
)
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
