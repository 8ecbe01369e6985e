"""Redis down: articles are read from the database, with one warning and no traceback."""

import logging

from django.urls import reverse

from tests.conftest import tracebacks


def test_the_list_is_read_from_the_database(client, article_factory, settings, stop_redis):
    settings.ARTICLES_PUBLIC = True
    article_factory(title="Magnesium and sleep", tags=["Sleep"])
    logs = stop_redis()
    response = client.get(reverse("articles:list"))
    assert response.status_code == 200
    assert "Magnesium and sleep" in response.content.decode()
    assert [r.levelno for r in logs.records] == [logging.WARNING]
    assert tracebacks(logs) == []


def test_an_article_is_read_from_the_database(user_client, article_factory, stop_redis):
    article_factory(title="Related reading", tags=["Iron"])
    article = article_factory(title="Iron and RLS", body="## Ferritin\n\nCheck it.", tags=["Iron"])
    logs = stop_redis()
    response = user_client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iron and RLS" in html and "Check it." in html and "Related reading" in html
    # The body and the catalogue both missed the cache: one warning for the request.
    assert [r.levelno for r in logs.records] == [logging.WARNING]
    assert tracebacks(logs) == []


def test_each_request_warns_again(user_client, article_factory, stop_redis):
    article = article_factory()
    logs = stop_redis()
    user_client.get(article.get_absolute_url())
    user_client.get(article.get_absolute_url())
    assert len(logs.records) == 2
