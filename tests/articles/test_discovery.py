"""RSS feed, sitemap and robots.txt: valid XML, absolute links from SITE_URL, privacy."""

import datetime
import email.utils
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://restwell.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _feed(client):
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(  # noqa: S314 - our own server's output
        response.content
    )


def test_feed_is_valid_rss_with_absolute_links(client, article_factory):
    article = article_factory(title="Iron & sleep <basics>", summary="Why iron matters.")
    root = _feed(client)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Restwell articles"
    assert channel.findtext("link") == f"{SITE}/articles/"
    for required in ("title", "link", "description"):
        assert channel.find(required) is not None
    items = channel.findall("item")
    assert len(items) == 1
    item = items[0]
    assert item.findtext("title") == "Iron & sleep <basics>"
    assert item.findtext("description") == "Why iron matters."
    assert item.findtext("link") == f"{SITE}{article.get_absolute_url()}"
    assert item.findtext("guid") == f"{SITE}{article.get_absolute_url()}"
    published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    assert abs(published - article.publish_at) < datetime.timedelta(seconds=1)


def test_feed_is_public_but_carries_only_live_articles_and_no_body(client, article_factory):
    article_factory(title="Live one", body="## Secret body words\n\nxyzzy")
    article_factory(title="Draft one", status=Article.Status.DRAFT)
    article_factory(title="Future one", publish_at=timezone.now() + datetime.timedelta(days=2))
    titles = [item.findtext("title") for item in _feed(client).iter("item")]
    assert titles == ["Live one"]
    assert b"xyzzy" not in client.get(reverse("articles:feed")).content


def _sitemap_locs(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(  # noqa: S314 - our own server's output
        response.content
    )
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = [url.findtext("sm:loc", namespaces=SITEMAP_NS) for url in root]
    assert all(loc.startswith(f"{SITE}/") for loc in locs)
    return locs


def test_sitemap_lists_public_pages_but_not_private_articles(client, article_factory, settings):
    settings.ARTICLES_PUBLIC = False
    article_factory()
    locs = _sitemap_locs(client)
    assert f"{SITE}/" in locs and f"{SITE}/privacy/" in locs
    assert not any("/articles/" in loc for loc in locs)
    assert not any(p in loc for loc in locs for p in ("/tracker/", "/accounts/", "/reminders/"))


def test_sitemap_lists_live_articles_when_public(client, article_factory, settings):
    settings.ARTICLES_PUBLIC = True
    live = article_factory()
    draft = article_factory(status=Article.Status.DRAFT)
    locs = _sitemap_locs(client)
    assert f"{SITE}/articles/" in locs
    assert f"{SITE}{live.get_absolute_url()}" in locs
    assert f"{SITE}{draft.get_absolute_url()}" not in locs
    root = ET.fromstring(  # noqa: S314 - our own server's output
        client.get("/sitemap.xml").content
    )
    lastmods = [url.findtext("sm:lastmod", namespaces=SITEMAP_NS) for url in root]
    assert any(lastmods)


def test_sitemap_ignores_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    response = client.get("/sitemap.xml", HTTP_HOST="evil.example")
    assert b"evil.example" not in response.content


@pytest.mark.parametrize("public", [False, True])
def test_robots_txt(client, db, settings, public):
    settings.ARTICLES_PUBLIC = public
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for private in ("/tracker/", "/accounts/", "/reminders/", "/share/"):
        assert f"Disallow: {private}" in lines
    assert ("Disallow: /articles/" in lines) is (not public)
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
