"""Load test: a seeded deployment under a realistic mix, stepped 10 → 25 → 50 → 100 users.

Run: `make load` (PostgreSQL) or `.venv/bin/python bench/load.py --database sqlite`.

It seeds a fresh database with LOAD_PEOPLE people (300) who each have a year of nights and two
doses a night (bench/seed.py, as every bench seeds them), starts gunicorn with the production
settings (plus the bench's bare "hello" view and Server-Timing middleware,
bench/tracker_settings.py), and runs Locust (bench/locustfile.py) headless for each step.
Before the steps it measures the floor: the "hello" view alone at the largest step's users.
Each row gives requests/s, the client's p50/p95/p99, errors, and the CPU seconds each part used
per second of the step — web (gunicorn), the database (PostgreSQL backends of this database),
Redis (the whole server) and the load generator — so a saturated row says who ran out of CPU.
"""

import argparse
import csv
import datetime
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = int(os.environ.get("LOAD_PEOPLE", "300"))
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
DATABASE_NAME = "restwell_load"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_postgres() -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE_NAME}")
    return f"{POSTGRES}/{DATABASE_NAME}"


def _environment(tmp: Path, database: str) -> dict:
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="tracker_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",  # noqa: S106
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=(
            _fresh_postgres() if database == "postgres" else f"sqlite:///{tmp / 'load.sqlite3'}"
        ),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"),
        CACHE_KEY_PREFIX=f"load-{os.getpid()}",
        BENCH_STATIC_ROOT=str(tmp / "static"),
    )
    return env


def _seed(env: dict, sessions_file: Path) -> None:
    """Migrate, load the launch articles, create the people and their sessions."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article
    from bench.seed import history_seed
    from tests.factories import UserFactory
    from tracker import services

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_content", verbosity=0)
    # Seeded by the run's date alone: the same data whatever the hour.
    today = datetime.datetime.now(datetime.UTC).date()
    rng = random.Random(42)
    sessions = []
    nights = doses = 0
    started = time.monotonic()
    for number in range(PEOPLE):
        # No password: the sessions are made here, and hashing 300 passwords takes minutes.
        user = UserFactory(
            email=f"load-{number}@example.com", time_zone="Europe/London", password=None
        )
        counts = history_seed(user=user, today=today, rng=rng)
        nights, doses = nights + counts[0], doses + counts[1]
        services.saved_product_set(user=user, form="glycinate", amount_mg=100, unit="elemental")
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    slugs = list(Article.objects.filter(status="published").values_list("slug", flat=True))
    sessions_file.write_text(json.dumps({"sessions": sessions, "articles": slugs}))
    print(
        f"seeded {PEOPLE} people × {nights / PEOPLE:.0f} nights and {doses / PEOPLE:.0f} doses "
        f"in {time.monotonic() - started:.0f} s",
        flush=True,
    )


def _tree(process: psutil.Process) -> list[psutil.Process]:
    return [process, *process.children(recursive=True)]


def _cpu_seconds(processes) -> float:
    return sum(_cpu_by_process(processes).values())


def _cpu_by_process(processes) -> dict[int, float]:
    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


class _CpuWatch:
    """CPU seconds a group of processes used during a step, counted per process from its
    last reading: a process that ends mid-step (a PostgreSQL backend closing) keeps what it
    used until its last sample, instead of taking its whole past away from the total."""

    def __init__(self, find):
        self.find = find
        self.start = _cpu_by_process(find())
        self.latest = dict(self.start)

    def sample(self) -> None:
        self.latest |= _cpu_by_process(self.find())

    def used(self) -> float:
        return sum(value - self.start.get(pid, 0.0) for pid, value in self.latest.items())


def _database_backends(database_url: str) -> list[psutil.Process]:
    if not database_url.startswith("postgres"):
        return []  # SQLite runs inside the web workers
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if line.startswith("postgres:") and f" {DATABASE_NAME} " in line:
            found.append(process)
    return found


def _redis_servers() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] == "redis-server"]


def _step(port: int, users: int, seconds: int, env: dict, tmp: Path, gunicorn, mix: str) -> dict:
    prefix = tmp / f"{mix}-{users}"
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", str(users),
        "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
        "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR",
    ]  # fmt: skip
    watches = (
        _CpuWatch(lambda: _tree(gunicorn)),
        _CpuWatch(lambda: _database_backends(env["DATABASE_URL"])),
        _CpuWatch(_redis_servers),
    )
    started = time.monotonic()
    locust = subprocess.Popen(  # noqa: S603 - our own interpreter and locustfile
        command,
        env=env | {"LOAD_MIX": mix},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    generator = psutil.Process(locust.pid)
    generator_cpu = 0.0
    while locust.poll() is None:
        try:
            generator_cpu = _cpu_seconds([generator])
        except psutil.Error:
            pass
        for watch in watches:
            watch.sample()
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    problems = locust.stderr.read()
    for watch in watches:
        watch.sample()
    with open(f"{prefix}_stats.csv", newline="") as handle:  # noqa: PTH123
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    if not int(total["Request Count"]):
        raise SystemExit(f"no request completed in the {mix} step of {users} users:\n{problems}")
    return {
        "users": users,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "cpu": [watch.used() / elapsed for watch in watches] + [generator_cpu / elapsed],
    }


def _start_gunicorn(env: dict, port: int, workers: int, threads: int) -> psutil.Process:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and config
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
            "--max-requests",
            "0",
            "portal.wsgi",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    # Ready when every worker has answered: each one imports Django on its first request.
    deadline = time.monotonic() + 120
    answered = 0
    while answered < workers * 4:
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not start")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello/", timeout=30):  # noqa: S310
                answered += 1
        except OSError:
            time.sleep(0.2)
    return psutil.Process(process.pid)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--steps", default="10,25,50,100", help="users per step")
    parser.add_argument("--seconds", type=int, default=30, help="length of each step")
    # One sync worker per core: the mix is CPU-bound, and on 2 cores 2 workers served more
    # with a lower p95 than 3 or 5 (bench/README.md, "Fifth round").
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn worker processes"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of unreported load first")
    options = parser.parse_args()
    steps = [int(users) for users in options.steps.split(",")]
    with tempfile.TemporaryDirectory(prefix="restwell-load-") as folder:
        tmp = Path(folder)
        env = _environment(tmp, options.database)
        sessions = tmp / "sessions.json"
        env["LOAD_SESSIONS"] = str(sessions)
        _seed(env, sessions)
        port = _free_port()
        gunicorn = _start_gunicorn(env, port, options.workers, options.threads)
        try:
            # Warm every worker (imports, template loading, connections) before measuring.
            _step(port, min(steps), options.warmup, env, tmp, gunicorn, "mix")
            floor = _step(port, max(steps), options.seconds, env, tmp, gunicorn, "hello")
            rows = [("hello (floor)", floor)]
            for users in steps:
                rows.append(("mix", _step(port, users, options.seconds, env, tmp, gunicorn, "mix")))
        finally:
            gunicorn.terminate()
            gunicorn.wait(15)
    database = "PostgreSQL" if options.database == "postgres" else "SQLite"
    print(
        f"\n{database}, gunicorn {options.workers} workers × {options.threads} threads, "
        f"{PEOPLE} people with a year each, {options.seconds} s per step, "
        f"{os.cpu_count()} cores; times in ms; CPU in cores busy\n"
    )
    print(
        "| load | users | requests/s | p50 | p95 | p99 | errors "
        "| CPU web | CPU database | CPU Redis | CPU load generator |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in rows:
        cpu = " | ".join(f"{value:.2f}" for value in row["cpu"])
        print(
            f"| {name} | {row['users']} | {row['rps']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} | "
            f"{row['p99']:.0f} | {row['errors']} | {cpu} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
