"""CPU time per request of each page in the load mix (bench/locustfile.py), in this process.

Run: .venv/bin/python bench/bench_pages_cpu.py   (SQLite by default, so the database's own work
is counted too; set BENCH_DATABASE_URL to a PostgreSQL URL to count only the web side).

Wall-clock load figures swing with whatever else the machine runs; the CPU a request costs
(time.process_time around a Django test-client request, through every middleware, production
settings as in bench/tracker_settings.py) does not. One person with a year of nights and two
doses a night, as bench/load.py seeds them. Prints, per page, the median and p90 CPU ms over
BENCH_CPU_REQUESTS requests (after 3 warm-ups) and the number of queries one request makes,
twice: "hit", the page asked again with its cached parts in Redis (tracker/page_cache.py),
and "miss", every cached entry of the user deleted before each request (outside the timed
part), as after a write. Then "mix": BENCH_CPU_MIX requests drawn with bench/locustfile.py's
weights in a seeded random order ("I took it" followed to the dashboard, as Locust does),
so hits and misses come as the load test makes them; its mean CPU per Locust request is
the figure the capacity follows. MIX=0 skips it.
ONLY=<page>,<page> measures only those pages; SHOW_QUERIES=1 prints each page's queries (a
hit's); PROFILE=<page name> prints a cProfile of that page instead (hits; PROFILE_MISS=1 for
misses; PROFILE_SORT, default cumulative; PROFILE_FILTER, a regular expression on file names,
e.g. the repository's folder name).
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
MIX_REQUESTS = int(os.environ.get("BENCH_CPU_MIX", "400"))
# bench/locustfile.py's tasks and weights.
MIX = (
    ("dashboard", 30),
    ("night list", 13),
    ("dose list", 12),
    ("article", 15),
    ("night form", 5),
    ("dose form", 5),
    ("I took it (POST)", 10),
    ("reminder settings", 5),
    ("CSV export", 5),
)


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
    return client, article, user


def _forget(user) -> None:
    """Delete the user's cached pages: the next request of each page is a miss."""
    try:
        from portal.user_cache import user_entries_purge
    except ImportError:  # the code before the page cache: every request is a miss
        return
    user_entries_purge(user_pk=user.pk)


def _clear_messages(client) -> None:
    """Drop the flash messages a POST left in the session: the browser reads them on the page
    the POST redirects to; left there, each timed POST would save one message more."""
    session = client.session
    if session.pop("_messages", None) is not None:
        session.save()


def _before(client, method: str, then=None):
    """What runs before each timed request, outside the timing: the POST starts from an empty
    message list, as in the load test, where each POST's redirect is followed."""
    if method != "POST":
        return then

    def before():
        _clear_messages(client)
        if then:
            then()

    return before


def _queries(client, method, path, *, before=None) -> list[str]:
    from django.db import connection

    seen = []

    def count(run, sql, *args):
        seen.append(sql)
        return run(sql, *args)

    if before:
        before()
    with connection.execute_wrapper(count):
        _request(client, method, path)
    return seen


def _timed(client, method, path, *, before=None, count=REQUESTS) -> list[float]:
    spent = []
    for _ in range(count):
        if before:
            before()
        start = time.process_time()
        _request(client, method, path)
        spent.append((time.process_time() - start) * 1000)
    return spent


def _mix(client, article, user) -> None:
    pages = {name: (method, path) for name, method, path in _pages(article)}
    rng = random.Random(13)
    names = rng.choices([n for n, _w in MIX], weights=[w for _n, w in MIX], k=MIX_REQUESTS)
    _forget(user)
    spent = []
    for name in names:
        method, path = pages[name]
        start = time.process_time()
        _request(client, method, path, follow_post=True)
        spent.append((time.process_time() - start) * 1000)
    print(
        f"\nmix of bench/locustfile.py, {MIX_REQUESTS} requests in a seeded order: "
        f"mean {statistics.mean(spent):.2f} CPU ms per Locust request, "
        f"median {statistics.median(spent):.1f}, p90 {statistics.quantiles(spent, n=10)[-1]:.1f}",
        flush=True,
    )


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


def _request(client, method: str, path: str, follow_post: bool = False):
    if method == "POST":
        token = client.cookies["csrftoken"].value
        response = client.post(path, {"csrfmiddlewaretoken": token}, follow=follow_post)
        expected = 200 if follow_post else 302
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
        client, article, user = _setup(Path(folder))
        from django.db import connection

        profile_name = os.environ.get("PROFILE")
        only = os.environ.get("ONLY", "").split(",") if os.environ.get("ONLY") else []
        only = only or [name for name, _method, _path in _pages(article)]
        database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        if not profile_name:
            print(f"\n{database}; CPU ms per request (time.process_time), {REQUESTS} requests\n")
            print("| page | hit median | hit p90 | miss median | miss p90 | queries hit / miss |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, method, path in _pages(article):
            if profile_name and profile_name != name or name not in only:
                continue
            for _ in range(3):
                _request(client, method, path)

            forget = _before(client, method, lambda: _forget(user))
            keep = _before(client, method)
            queries_miss = _queries(client, method, path, before=forget)
            queries = _queries(client, method, path, before=keep)
            if os.environ.get("SHOW_QUERIES"):
                print(f"{name}:", *(f"  {sql[:300]}" for sql in queries), sep="\n")
            if profile_name:
                before = forget if os.environ.get("PROFILE_MISS") else keep
                profiler = cProfile.Profile()
                for _ in range(REQUESTS):
                    if before:
                        before()
                    profiler.enable()
                    _request(client, method, path)
                    profiler.disable()
                stats = pstats.Stats(profiler).sort_stats(
                    os.environ.get("PROFILE_SORT", "cumulative")
                )
                stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 60)
                continue
            hit = _timed(client, method, path, before=keep)
            miss = _timed(client, method, path, before=forget)
            print(
                f"| {name} | {statistics.median(hit):.1f} | "
                f"{statistics.quantiles(hit, n=10)[-1]:.1f} | {statistics.median(miss):.1f} | "
                f"{statistics.quantiles(miss, n=10)[-1]:.1f} | "
                f"{len(queries)} / {len(queries_miss)} |",
                flush=True,
            )
        if not profile_name and os.environ.get("MIX", "1") != "0":
            _mix(client, article, user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
