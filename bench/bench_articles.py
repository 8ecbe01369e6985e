"""Articles: server-side time of the reading pages, feed and sitemap, with warm and cold caches.

Builds its own SQLite database (200 live articles, 3 tags each, 5 references each) under
var/, talks to the Redis from REDIS_URL (or 127.0.0.1:6379) under a private key prefix, and
times Django's test client (no network): the median and 95th percentile of N requests.
"""

import os
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
_db = Path(tempfile.mkdtemp(prefix="bench-articles-", dir=BASE_DIR / "var")) / "db.sqlite3"
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings.base",
    DEBUG="false",
    SECRET_KEY="bench-only-" + uuid.uuid4().hex,
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="false",
    DATABASE_URL=f"sqlite:///{_db}",
    CACHE_KEY_PREFIX=f"bench-{uuid.uuid4().hex[:8]}",
    REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"),
    LOG_LEVEL="WARNING",
)
# WhiteNoise warns once that var/staticfiles/ is missing: irrelevant to what is timed.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

ARTICLES = 200
N = 200


def _build():
    from accounts.models import User
    from articles.models import Article, MedicalReviewer, Reference, Tag
    from articles.seeding import launch_content_seed
    from articles.services import (
        article_approve,
        article_publish,
        article_save,
        reviewers_group_ensure,
    )

    call_command("migrate", verbosity=0)
    launch_content_seed()
    # Nothing goes live unapproved: one reviewer approves every bench article.
    reviewer = User.objects.create_user(email="reviewer@example.com")
    reviewer.groups.add(reviewers_group_ensure())
    MedicalReviewer.objects.create(user=reviewer, display_name="Dr Bench", credentials="MD")
    body = (BASE_DIR / "articles/content/magnesium-glycinate-and-restless-legs.md").read_text()
    tags = [Tag.objects.get_or_create(name=f"Topic {i}", slug=f"topic-{i}")[0] for i in range(12)]
    for i in range(ARTICLES):
        article = article_save(
            article=Article(
                title=f"Bench article {i} about sleep",
                slug=f"bench-{i}",
                summary="A summary for the benchmark.",
                body=body,
                evidence_note="Limited.",
                evidence_strength="limited",
            )
        )
        article.tags.set(tags[i % 12 : i % 12 + 3])
        Reference.objects.bulk_create(
            Reference(article=article, position=n, title=f"Ref {n}", url="https://example.org")
            for n in range(5)
        )
        article_approve(article=article, user=reviewer)
        article_publish(article=article)
    user = User.objects.create_user(email="bench@example.com")  # force_login: no password
    client = Client()
    client.force_login(user)
    return client


def _forget_our_keys():
    """Delete this run's keys only: cache.clear() would FLUSHDB a Redis others share."""
    redis = cache._cache.get_client(write=True)
    keys = list(redis.scan_iter(match=f"{os.environ['CACHE_KEY_PREFIX']}:*", count=1000))
    if keys:
        redis.delete(*keys)


def _time(client, url, before=None):
    samples = []
    for _ in range(N):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    client = _build()

    def cold_catalogue():
        cache.delete("articles:catalogue")

    def cold_everything():
        _forget_our_keys()

    rows = [
        ("list, warm cache", "/articles/", None),
        ("list, cold catalogue", "/articles/", cold_catalogue),
        ("list, page 15", "/articles/?page=15", None),
        ("list, tag filter", "/articles/?tag=topic-3", None),
        ("search (SQLite fallback)", "/articles/?q=glycinate+kidney", None),
        ("detail, warm cache", "/articles/bench-7/", None),
        ("detail, cold body + catalogue", "/articles/bench-7/", cold_everything),
        ("feed", "/articles/feed/", None),
        ("sitemap (ARTICLES_PUBLIC)", "/sitemap.xml", None),
    ]
    print(f"{ARTICLES + 3} live articles; {N} requests each; milliseconds in Django\n")
    print(f"| {'request':<32} | {'median':>7} | {'p95':>7} |")
    print(f"|{'-' * 34}|{'-' * 9}|{'-' * 9}|")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }  # no collectstatic manifest here; static URLs are not what is measured
    with override_settings(ARTICLES_PUBLIC=True, STORAGES=storages):
        for label, url, before in rows:
            median, p95 = _time(client, url, before)
            print(f"| {label:<32} | {median:7.2f} | {p95:7.2f} |")
    _forget_our_keys()


if __name__ == "__main__":
    try:
        main()
    finally:
        for path in sorted(_db.parent.glob("*"), reverse=True):
            path.unlink()
        _db.parent.rmdir()
