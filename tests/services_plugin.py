"""Starts the services the suite needs before Django reads its settings.

Loaded with `-p tests.services_plugin` (pyproject's addopts), so its hook runs before
pytest-django imports the test settings: settings only read REDIS_URL, they never start
anything. A machine with a Redis at 127.0.0.1:6379 (CI, most developers) uses it; a fresh
laptop gets a private embedded Redis for this run, stopped when the run ends.
"""

import os
import tempfile
import uuid
from pathlib import Path

import pytest

LOCAL_REDIS = "redis://127.0.0.1:6379"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Importing the portal package loads the Celery app, which defaults
    # DJANGO_SETTINGS_MODULE to the base settings: name the test settings first (the value
    # pytest-django reads from pyproject anyway; `--ds` still wins), then import.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", early_config.getini("DJANGO_SETTINGS_MODULE"))
    from portal import embedded_redis

    if os.environ.get("REDIS_URL"):
        return  # given by the caller, or by the controller of pytest-xdist workers
    if embedded_redis.reachable(f"{LOCAL_REDIS}/0"):
        os.environ["REDIS_URL"] = LOCAL_REDIS
        return
    # A short directory: a unix socket path is limited to 108 bytes.
    sock = Path(tempfile.gettempdir()) / f"rw-test-{uuid.uuid4().hex[:10]}" / "redis.sock"
    process = embedded_redis.start(sock=sock, data_dir=sock.parent)
    early_config.stash[_SERVER] = (process, sock.parent)
    os.environ["REDIS_URL"] = f"unix://{sock}"


def pytest_unconfigure(config):
    server = config.stash.get(_SERVER, None)
    if server is not None:
        from portal import embedded_redis

        process, socket_dir = server
        embedded_redis.stop(process, socket_dir=socket_dir)


_SERVER = pytest.StashKey[object]()
