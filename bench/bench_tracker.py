"""Tracker speed: the 365-day dashboard and the HTML report for a user with 3 years of nights
and two doses a day, under gunicorn, against a bare "hello" view on the same gunicorn.

Run: .venv/bin/python bench/bench_tracker.py   (SQLite by default; set BENCH_DATABASE_URL
to a PostgreSQL URL to bench that instead). Prints a Markdown table of medians (and p90)
of the server's own time (Server-Timing, measured by the outermost middleware) and of the
client's round trip.

The PDF is made by a Celery worker (one process, started here beside gunicorn): its rows time
the web's part (the request that starts the job, then every status poll and the file's
download, as the waiting page's script makes them) and the client's time from the click to the
whole file, PDF_REQUESTS times one after the other.
"""

import datetime
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
PDF_REQUESTS = int(os.environ.get("BENCH_PDF_REQUESTS", "20"))
POLL_SECONDS = 0.25  # the bench polls a little faster than the page's script (0.8 s and up)
WORKERS = os.environ.get("BENCH_WORKERS", "2")


def _today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp: Path) -> dict:
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
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}"),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"),
        CACHE_KEY_PREFIX=f"bench-tracker-{os.getpid()}",
        CELERY_QUEUE=f"bench-tracker-{os.getpid()}",  # our worker only: others share Redis
        BENCH_STATIC_ROOT=str(tmp / "static"),
    )
    return env


def _setup(env: dict) -> str:
    """Migrate, build the 3-year user, and return a signed-in session cookie."""
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.seed import history_seed
    from tests.factories import UserFactory
    from tracker import services

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment would
    user = UserFactory(email=f"bench-{os.getpid()}@example.com", time_zone="America/New_York")
    today = _today()
    nights, doses = history_seed(user=user, today=today, rng=random.Random(42), nights=3 * 365)
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    services.trial_set(
        user=user,
        baseline_start=today - datetime.timedelta(days=120),
        baseline_end=today - datetime.timedelta(days=61),
        magnesium_start=today - datetime.timedelta(days=60),
    )
    for months in (3, 9, 15):
        services.lab_record(
            user=user,
            taken_on=today - datetime.timedelta(days=30 * months),
            ferritin_ng_ml=40 + months * 3,
            tsat_percent=18 + months,
        )
    client = Client()
    client.force_login(user)
    print(f"data: {nights} nights, {doses} doses", flush=True)
    return client.cookies["sessionid"].value


def _measure(port: int, path: str, cookie: str, count: int) -> tuple[list[float], list[float]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    server, client = [], []
    for i in range(count + 3):  # three warm-up requests, not counted
        start = time.perf_counter()
        connection.request(
            "GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
        )
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        timing = response.getheader("Server-Timing", "app;dur=nan").split("dur=")[1]
        if i >= 3:
            server.append(float(timing))
            client.append(elapsed)
    connection.close()
    return server, client


def _get(connection, path: str, cookie: str):
    start = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
    response = connection.getresponse()
    body = response.read()
    timing = float(response.getheader("Server-Timing", "app;dur=nan").split("dur=")[1])
    return response, body, timing, (time.perf_counter() - start) * 1000


def _measure_pdf(port: int, path: str, cookie: str, count: int) -> dict[str, list[float]]:
    """Per PDF: the web's time for the request that starts it, the web's time for the whole
    PDF (start, polls, file), and the client's time from the request to the last byte."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    figures = {"start": [], "web": [], "ready": [], "polls": []}
    for i in range(count + 1):  # one warm-up (the worker's first render imports WeasyPrint)
        began = time.perf_counter()
        response, _body, web, _client = _get(connection, path, cookie)
        if response.status != 303:
            raise SystemExit(f"{path}: HTTP {response.status}")
        start_ms, page, polls = web, response.getheader("Location"), 0
        while True:
            response, body, timing, _client = _get(connection, f"{page}status/", cookie)
            web += timing
            polls += 1
            state = json.loads(body)["state"]
            if state == "ready":
                break
            if state not in ("queued", "rendering"):
                raise SystemExit(f"PDF job: {state}")
            time.sleep(POLL_SECONDS)
        response, body, timing, _client = _get(connection, f"{page}file/", cookie)
        if response.status != 200 or not body.startswith(b"%PDF-"):
            raise SystemExit(f"PDF file: HTTP {response.status}")
        if i:
            figures["start"].append(start_ms)
            figures["web"].append(web + timing)
            figures["ready"].append((time.perf_counter() - began) * 1000)
            figures["polls"].append(polls)
    connection.close()
    return figures


def _row(name: str, server: list[float], client: list[float]) -> str:
    def p90(values):
        return statistics.quantiles(values, n=10)[-1] if len(values) >= 10 else max(values)

    return (
        f"| {name} | {len(server)} | {statistics.median(server):.1f} | {p90(server):.1f} | "
        f"{statistics.median(client):.1f} |"
    )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-tracker-") as tmp:
        env = _environment(Path(tmp))
        cookie = _setup(env)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                WORKERS,
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
                "portal.wsgi",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING",
             "--concurrency", "1", "--queues", env["CELERY_QUEUE"], "--without-gossip",
             "--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            year_ago = (_today() - datetime.timedelta(days=364)).isoformat()
            today = _today().isoformat()
            rows = [
                ('bare "hello" view (floor)', "/bench/hello/", REQUESTS),
                ("dashboard, 365 days", "/tracker/?days=365", REQUESTS),
                ("dashboard, 30 days", "/tracker/", REQUESTS),
                ("report HTML, 365 days", f"/tracker/report/?from={year_ago}&to={today}", REQUESTS),
            ]
            database = "PostgreSQL" if "postgres" in env["DATABASE_URL"] else "SQLite"
            print(f"\ngunicorn, {WORKERS} sync workers, {database}; times in ms\n")
            print("| page | requests | server median | server p90 | client median |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for name, path, count in rows:
                print(_row(name, *_measure(port, path, cookie, count)), flush=True)
            pdf = _measure_pdf(port, f"/tracker/report.pdf?from={year_ago}&to={today}", cookie,
                               PDF_REQUESTS)  # fmt: skip
            print(f"\nreport PDF, 365 days, made by 1 Celery worker; {PDF_REQUESTS} PDFs\n")
            print("| figure | median | p90 |")
            print("| --- | ---: | ---: |")
            for name, key in (
                ("web time of the request that starts it (ms)", "start"),
                ("web time per PDF: start, status polls and the file (ms)", "web"),
                ("click to the whole file, client (ms)", "ready"),
                ("status polls per PDF", "polls"),
            ):
                values = pdf[key]
                p90 = statistics.quantiles(values, n=10)[-1] if len(values) >= 10 else max(values)
                print(f"| {name} | {statistics.median(values):.1f} | {p90:.1f} |", flush=True)
        finally:
            server.terminate()
            server.wait(15)
            worker.terminate()
            worker.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
