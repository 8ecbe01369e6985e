"""`make run`: set up and start the whole product in the foreground.

Embedded Redis (when REDIS_URL is unset) → migrate → launch content and demo logins →
web, Celery worker and Celery beat. Ctrl-C (or SIGTERM) stops every child, Redis last.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from portal import embedded_redis, vapid

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
PYTHON = sys.executable


def _manage(*args: str, env: dict) -> None:
    # manage.py with arguments from this module, and no shell.
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # nosec B603


def _ensure_postgres_database(database_url: str) -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""
    # psycopg only when DATABASE_URL names PostgreSQL: a SQLite laptop never loads libpq.
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        return
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl().replace(parts.scheme, "postgresql", 1)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"Creating the PostgreSQL database {name}", flush=True)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _spawn(name: str, args: list[str], env: dict) -> tuple[str, subprocess.Popen]:
    # Own session: the launcher alone decides when and how each child stops.
    # Our own processes (web, worker, beat) with fixed arguments, and no shell.
    process = subprocess.Popen(args, cwd=BASE_DIR, env=env, start_new_session=True)  # nosec B603
    return name, process


def _stop_all(children: list[tuple[str, subprocess.Popen]], timeout: float = 6) -> None:
    for _, process in children:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for _, process in children:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_serving(url: str, stopping, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stopping():
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own URL  # nosec B310
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def run_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of every set-up step and child: development defaults, PORT always set.

    SITE_URL is left to the settings, which derive it from PORT when it is unset (here or in
    .env): web, worker, beat and the set-up commands then all link to the address served.
    Setting it here instead would override a SITE_URL written in .env.
    """
    env = dict(environ)
    env.setdefault("DEBUG", "true")
    env.setdefault("ADMIN_REQUIRE_MFA", "false")  # the demo editor can open the admin at once
    env.setdefault("PYTHONUNBUFFERED", "1")
    if not env.get("PORT"):
        env["PORT"] = "8000"
    return env


def main() -> int:
    env = run_environment(os.environ)
    port = env["PORT"]
    VAR_DIR.mkdir(exist_ok=True)
    # Push keys for development: made once, read by the settings when VAPID_* are unset.
    vapid.keys_file_ensure(VAR_DIR / "vapid.json")

    redis_process = None
    if not env.get("REDIS_URL"):
        sock = embedded_redis.socket_path(BASE_DIR)
        print(f"Starting the embedded Redis on {sock}", flush=True)
        redis_process = embedded_redis.start(
            sock=sock, data_dir=VAR_DIR / "redis", log_file=VAR_DIR / "redis.log"
        )

    children: list[tuple[str, subprocess.Popen]] = []
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        if env.get("DATABASE_URL"):
            _ensure_postgres_database(env["DATABASE_URL"])
        print("Bringing the database up to date…", flush=True)
        _manage("migrate", "--noinput", "--verbosity", "0", env=env)
        _manage("seed_content", env=env)
        _manage("create_demo_user", env=env)
        children = [
            _spawn("web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"], env),
            _spawn("worker", [PYTHON, "-m", "celery", "-A", "portal", "worker",
                              "--loglevel", "INFO", "--concurrency", "2"], env),
            _spawn("beat", [PYTHON, "-m", "celery", "-A", "portal", "beat", "--loglevel", "INFO",
                            "--schedule", str(VAR_DIR / "celerybeat-schedule")], env),
        ]  # fmt: skip
        if not _wait_until_serving(f"http://127.0.0.1:{port}/healthz/", lambda: stopping):
            print("Warning: /healthz/ is not answering 200 yet; see the log above.", flush=True)
        print(
            f"\n  Restwell is running at http://127.0.0.1:{port}/\n"
            "  Demo user:   demo@example.com / restwell-demo\n"
            "  Demo editor: editor@example.com / restwell-editor  (admin: /admin/)\n"
            "  Emails are written to var/mail/. Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        while not stopping:
            for name, process in children:
                if process.poll() is not None:
                    print(f"{name} exited with {process.returncode}; stopping.", flush=True)
                    stopping = True
            time.sleep(0.5)
        return 0
    except subprocess.CalledProcessError as error:
        print(f"Set-up step failed: {' '.join(error.cmd[1:])}", file=sys.stderr)
        return 1
    finally:
        print("Stopping…", flush=True)
        _stop_all(children)
        if redis_process is not None:
            embedded_redis.stop(redis_process, socket_dir=sock.parent)


if __name__ == "__main__":
    sys.exit(main())
