import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

from portal.launcher import run_environment

BASE_DIR = Path(__file__).resolve().parents[2]


def _settings_import(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings.base"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def _site_url(env: dict) -> str:
    """SITE_URL as a fresh process with exactly `env` (plus PATH) computes it."""
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "true", **env}
    result = subprocess.run(
        [sys.executable, "-c",
         "from portal.settings import base; print(base.SITE_URL, base.CSRF_TRUSTED_ORIGINS)"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_site_url_follows_the_port_when_unset():
    assert _site_url({"PORT": "8101"}) == "http://127.0.0.1:8101 ['http://127.0.0.1:8101']"
    assert _site_url({"PORT": "8101", "SITE_URL": ""}).startswith("http://127.0.0.1:8101 ")
    assert _site_url({}).startswith("http://127.0.0.1:8000 ")
    assert _site_url({"PORT": "8101", "SITE_URL": "https://restwell.example/"}).startswith(
        "https://restwell.example "
    )


def test_make_run_gives_every_process_the_port_it_serves():
    env = run_environment({"PORT": "8101", "PATH": os.environ.get("PATH", "")})
    assert env["PORT"] == "8101"
    assert _site_url(env).startswith("http://127.0.0.1:8101 ")
    assert run_environment({"PORT": ""})["PORT"] == "8000"
    assert run_environment({})["PORT"] == "8000"


def test_missing_secret_key_in_production_stops_with_one_line():
    result = _settings_import({"DEBUG": "false"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Restwell: SECRET_KEY must be set when DEBUG is false (see .env.example)."
    ]


def test_debug_runs_without_a_secret_key():
    assert _settings_import({"DEBUG": "true"}).returncode == 0


def test_broker_results_and_cache_use_separate_redis_databases():
    locations = {
        settings.CELERY_BROKER_URL,
        settings.CELERY_RESULT_BACKEND,
        settings.CACHES["default"]["LOCATION"],
    }
    assert len(locations) == 3


def test_celery_is_json_only_and_acks_late():
    from portal.celery import app

    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit


def test_sqlite_is_configured_for_concurrent_traffic(db):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_embedded_redis_socket_path_fits_a_unix_socket():
    from portal import embedded_redis

    assert len(str(embedded_redis.socket_path(Path("/" + "x" * 200)))) < 108
