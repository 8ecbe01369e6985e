"""CPU time per request of each page in the load mix (bench/locustfile.py), in this process.

Run: .venv/bin/python bench/bench_pages_cpu.py   (SQLite by default, so the database's own work
is counted too; set BENCH_DATABASE_URL to a PostgreSQL URL to count only the web side).

Wall-clock load figures swing with whatever else the machine runs; the CPU a request costs
(time.process_time around a Django test-client request, through every middleware, production
settings as in bench/tracker_settings.py) does not. One person with a year of nights and two
doses a night, as bench/load.py seeds them. Prints, per page, the median and p90 CPU ms over
BENCH_CPU_REQUESTS requests (after 3 warm-ups) and the number of queries one request makes.
ONLY=<page>,<page> measures only those pages; SHOW_QUERIES=1 prints each page's queries;
PROFILE=<page name> prints a cProfile of that page instead (PROFILE_SORT, default cumulative;
PROFILE_FILTER, a regular expression on file names, e.g. the repository's folder name).
"""

import cProfile
import datetime
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_CPU_REQUESTS", "40"))


def _setup(tmp: Path):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tracker_settings",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",  # noqa: S106
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'cpu.sqlite3'}"),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"),
        CACHE_KEY_PREFIX=f"bench-cpu-{os.getpid()}",
        BENCH_STATIC_ROOT=str(tmp / "static"),
    )
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
    user = UserFactory(
        email=f"cpu-{os.getpid()}@example.com", time_zone="Europe/London", password=None
    )
    today = datetime.datetime.now(datetime.UTC).date()
    history_seed(user=user, today=today, rng=random.Random(42))
    services.saved_product_set(user=user, form="glycinate", amount_mg=100, unit="elemental")
    client = Client()
    client.force_login(user)
    client.get("/tracker/")  # sets the CSRF cookie
    article = Article.objects.filter(status="published").values_list("slug", flat=True).first()
    return client, article


def _pages(article: str) -> list[tuple[str, str, str]]:
    return [
        ("signed-in floor (hello)", "GET", "/bench/hello/"),
        ("dashboard", "GET", "/tracker/"),
        ("night list", "GET", "/tracker/nights/"),
        ("dose list", "GET", "/tracker/doses/"),
        ("article", "GET", f"/articles/{article}/"),
        ("night form", "GET", "/tracker/nights/new/"),
        ("dose form", "GET", "/tracker/doses/new/"),
        ("I took it (POST)", "POST", "/tracker/doses/now/"),
        ("reminder settings", "GET", "/reminders/"),
        ("CSV export", "GET", "/tracker/export.csv"),
    ]


def _request(client, method: str, path: str):
    if method == "POST":
        token = client.cookies["csrftoken"].value
        response = client.post(path, {"csrfmiddlewaretoken": token})
        expected = 302
    else:
        response = client.get(path, follow=True)  # the night form opens last night's entry
        expected = 200
    if response.status_code != expected:
        raise SystemExit(f"{method} {path}: HTTP {response.status_code}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as folder:
        client, article = _setup(Path(folder))
        from django.db import connection

        profile_name = os.environ.get("PROFILE")
        only = os.environ.get("ONLY", "").split(",") if os.environ.get("ONLY") else []
        only = only or [name for name, _method, _path in _pages(article)]
        database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        if not profile_name:
            print(f"\n{database}; CPU ms per request (time.process_time), {REQUESTS} requests\n")
            print("| page | CPU median | CPU p90 | queries |")
            print("| --- | ---: | ---: | ---: |")
        for name, method, path in _pages(article):
            if profile_name and profile_name != name or name not in only:
                continue
            for _ in range(3):
                _request(client, method, path)
            queries = []

            def count(run, sql, *args, seen=queries):
                seen.append(sql)
                return run(sql, *args)

            with connection.execute_wrapper(count):
                _request(client, method, path)
            if os.environ.get("SHOW_QUERIES"):
                print(f"{name}:", *(f"  {sql[:300]}" for sql in queries), sep="\n")
            if profile_name:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(REQUESTS):
                    _request(client, method, path)
                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats(
                    os.environ.get("PROFILE_SORT", "cumulative")
                )
                stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 60)
                continue
            spent = []
            for _ in range(REQUESTS):
                start = time.process_time()
                _request(client, method, path)
                spent.append((time.process_time() - start) * 1000)
            p90 = statistics.quantiles(spent, n=10)[-1]
            print(
                f"| {name} | {statistics.median(spent):.1f} | {p90:.1f} | {len(queries)} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
