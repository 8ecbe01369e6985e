"""Scheduled publishing: a future date hides an article until then, with no task and no save;
the cached list, feed and sitemap expire exactly at the next scheduled publish time."""

import datetime

import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import selectors
from articles.models import Article
from articles.services import CATALOGUE_KEY, catalogue_invalidate
from tests.articles.conftest import make_reviewer

T0 = datetime.datetime(2026, 6, 1, 20, 0, tzinfo=datetime.UTC)


def _list_titles(client):
    return [card.title for card in client.get(reverse("articles:list")).context["page"]]


def test_a_scheduled_article_goes_live_on_time_everywhere(user_client, article_factory, settings):
    settings.ARTICLES_PUBLIC = True
    with time_machine.travel(T0, tick=False) as traveller:
        article_factory(title="Already out", publish_at=T0 - datetime.timedelta(days=1))
        later = article_factory(
            title="Goes out at nine", publish_at=T0 + datetime.timedelta(hours=1)
        )
        assert _list_titles(user_client) == ["Already out"]
        assert user_client.get(later.get_absolute_url()).status_code == 404
        assert b"Goes out at nine" not in user_client.get(reverse("articles:feed")).content
        assert later.get_absolute_url().encode() not in user_client.get("/sitemap.xml").content

        traveller.move_to(T0 + datetime.timedelta(minutes=59, seconds=59))
        assert _list_titles(user_client) == ["Already out"]

        traveller.move_to(T0 + datetime.timedelta(hours=1))
        assert _list_titles(user_client) == ["Goes out at nine", "Already out"]
        assert user_client.get(later.get_absolute_url()).status_code == 200
        assert b"Goes out at nine" in user_client.get(reverse("articles:feed")).content
        assert later.get_absolute_url().encode() in user_client.get("/sitemap.xml").content


def test_the_catalogue_cache_expires_at_the_next_scheduled_publish(article_factory):
    with time_machine.travel(T0, tick=False):
        article_factory(publish_at=T0 - datetime.timedelta(days=1))
        article_factory(publish_at=T0 + datetime.timedelta(minutes=30))
        article_factory(publish_at=T0 + datetime.timedelta(hours=5))
        selectors.catalogue()
        cached = cache.get(CATALOGUE_KEY)
        assert cached["valid_until"] == T0 + datetime.timedelta(minutes=30)
        redis = cache._cache.get_client(CATALOGUE_KEY)
        assert 1_790 <= redis.ttl(cache.make_and_validate_key(CATALOGUE_KEY)) <= 1_800


def test_without_schedules_the_catalogue_keeps_at_most_an_hour(article_factory):
    with time_machine.travel(T0, tick=False):
        article_factory(publish_at=T0 - datetime.timedelta(days=1))
        selectors.catalogue()
        assert cache.get(CATALOGUE_KEY)["valid_until"] == T0 + selectors.CATALOGUE_MAX_AGE


def test_the_list_is_served_from_the_cache_until_something_changes(user_client, article_factory):
    article = article_factory(title="Before")
    assert _list_titles(user_client) == ["Before"]
    # Behind the services' back (a raw update): the cache still answers.
    Article.objects.filter(pk=article.pk).update(title="Sneaky")
    assert _list_titles(user_client) == ["Before"]
    # Through the services: invalidated at once (an edit to live text goes back to draft,
    # is approved, then published again).
    from articles.services import article_approve, article_publish, article_save

    article.refresh_from_db()
    article.title = "After"
    article.status = Article.Status.DRAFT
    article_save(article=article)
    assert _list_titles(user_client) == []
    article_approve(article=article, user=make_reviewer().user)
    article_publish(article=article)
    assert _list_titles(user_client) == ["After"]


def test_unpublishing_removes_it_at_once(user_client, article_factory):
    from articles.services import article_unpublish

    article = article_factory(title="Short-lived")
    assert _list_titles(user_client) == ["Short-lived"]
    article_unpublish(article=article)
    assert _list_titles(user_client) == []
    assert user_client.get(article.get_absolute_url()).status_code == 404


def test_the_body_is_cached_per_version(user_client, article_factory, django_assert_num_queries):
    article = article_factory(body="## One\n\nfirst version")
    user_client.get(article.get_absolute_url())  # warms the session and the caches
    article = selectors.article_for_reader(slug=article.slug, user=AnonymousUser())
    assert "first version" in cache.get(selectors.article_body_key(article=article))["html"]
    # A raw update does not touch updated_at: the cached version is still served...
    Article.objects.filter(pk=article.pk).update(body_html="<p>changed behind our back</p>")
    assert b"first version" in user_client.get(article.get_absolute_url()).content
    # ...while a real edit gets a new updated_at, hence a new key.
    from articles.services import article_approve, article_publish, article_save

    article.refresh_from_db()
    article.body = "## One\n\nsecond version"
    article.status = Article.Status.DRAFT
    article_save(article=article)
    article_approve(article=article, user=make_reviewer().user)
    article_publish(article=article)
    html = user_client.get(article.get_absolute_url()).content.decode()
    assert "second version" in html and "first version" not in html


def test_detail_page_does_not_load_the_body_when_cached(user_client, article_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = article_factory(body="## One\n\nunique-body-marker")
    user_client.get(reverse("articles:list"))  # the session's first request
    # Another article changed (each time): the page is rendered again, from the database...
    catalogue_invalidate()
    with CaptureQueriesContext(connection) as cold:
        user_client.get(article.get_absolute_url())
    # ...but the second time, the body is still this version's, from its own cache.
    catalogue_invalidate()
    with CaptureQueriesContext(connection) as warm:
        assert b"unique-body-marker" in user_client.get(article.get_absolute_url()).content
    assert any("body_html" in q["sql"] for q in cold.captured_queries)
    assert not any("body_html" in q["sql"] for q in warm.captured_queries)
    assert len(warm) == len(cold) - 1


def test_now_is_injectable_for_selectors(article_factory):
    article = article_factory(publish_at=timezone.now() + datetime.timedelta(days=1))
    assert not selectors.live_articles().filter(pk=article.pk).exists()
    tomorrow = timezone.now() + datetime.timedelta(days=2)
    assert selectors.live_articles(now=tomorrow).filter(pk=article.pk).exists()


def test_the_reading_page_costs_two_queries_once_cached(
    user_client, article_factory, django_assert_num_queries
):
    article = article_factory(tags=("Sleep",), references=3)
    user_client.get(article.get_absolute_url())  # warms the session and the caches
    # Session and user: the catalogue and the article part come from Redis.
    with django_assert_num_queries(2):
        assert user_client.get(article.get_absolute_url()).status_code == 200


def test_an_approval_and_a_changed_reference_show_at_once(user_client, article_factory):
    from articles.models import Reference
    from articles.services import article_approve, article_save

    article = article_factory(body="## One\n\nfirst version")
    assert "Reviewed by Dr Test" in user_client.get(article.get_absolute_url()).text
    # A reference changed without saving the article (the admin saves the references after
    # the article, then drops the catalogue): the approval no longer covers the text.
    Reference.objects.filter(article=article).update(title="Another source")
    catalogue_invalidate()
    page = user_client.get(article.get_absolute_url()).text
    assert "Another source" in page and "Reviewed by Dr Test" not in page
    # An edit shows at once, and so does its approval.
    article.refresh_from_db()
    article.body = "## One\n\nsecond version"
    article.status = Article.Status.DRAFT
    article_save(article=article)
    article_approve(article=article, user=make_reviewer(display_name="Dr B").user)
    article.status = Article.Status.PUBLISHED
    article_save(article=article)
    page = user_client.get(article.get_absolute_url()).text
    assert "second version" in page and "Reviewed by Dr B" in page
