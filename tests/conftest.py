"""Shared fixtures: isolated Redis keys, a dead Redis, users, an SMTP sink, a Celery worker."""

import logging
import os
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def clear_run_cache() -> None:
    """Delete this run's cache keys (rate-limit counters included), and only those.

    Never `cache.clear()`: on Redis it empties the whole database, under the feet of the
    other xdist process and of any other run sharing the server (a PDF job mid-render).
    """
    client = cache._cache.get_client(write=True)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with none of this run's cache keys."""
    clear_run_cache()
    yield


@pytest.fixture
def stop_redis(settings, caplog):
    """Call it (after setting up data) to point the cache at a Redis nothing listens on.

    Returns caplog, capturing warnings from then on. Django drops its cache connections when
    CACHES changes, and again when the test ends.
    """

    def stop():
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        caplog.clear()
        caplog.set_level(logging.WARNING)
        return caplog

    return stop


def tracebacks(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.exc_info]


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) in the test process that keeps what it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.refuse: dict[str, str] = {}  # recipient → the server's reply, e.g. "550 ..."
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()

    def wait_for(self, count: int, timeout: float = 20) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp_sink(settings):
    """Route Django's email through a real SMTP conversation to the sink."""
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.stop()


def _database_url_for_worker() -> str:
    """The test database, as a URL another process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, request):
    """A real `celery worker` process on this run's queue, reading the test database.

    Tests that use it must commit their data (transactional_db) so the worker can see it;
    time-machine does not reach the worker, so time logic lives in functions taking `now`.
    Email goes to the `smtp_sink` fixture when the test uses it.
    """
    env = os.environ.copy()
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    env["DATABASE_URL"] = _database_url_for_worker()
    env.pop("TEST_SQLITE_NAME", None)
    if "smtp_sink" in request.fixturenames:
        env["EMAIL_URL"] = request.getfixturevalue("smtp_sink").url
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING",
         "--concurrency", "2", "--queues", settings.CELERY_TASK_DEFAULT_QUEUE,
         "--hostname", f"test-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=BASE_DIR, env=env, start_new_session=True,
    )  # fmt: skip
    from portal.celery import app

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(destination=[f"test-{os.getpid()}@{socket.gethostname()}"],
                            timeout=0.5):  # fmt: skip
            break
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {process.returncode}")
    else:
        process.kill()
        pytest.fail("the Celery worker did not answer a ping within 30 s")
    yield process
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
