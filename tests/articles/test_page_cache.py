"""The article pages' cached parts (articles/page_cache.py): the same bytes as the pages
read from the database, and every change through the services or the admin at once."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import page_cache, selectors
from articles.models import Article, Reference, Tag
from articles.services import (
    article_approve,
    article_publish,
    article_save,
    article_unpublish,
)
from tests.articles.conftest import make_reviewer
from tests.articles.test_review import _post_change
from tests.factories import UserFactory

T0 = datetime.datetime(2026, 6, 1, 20, 0, tzinfo=datetime.UTC)
# Each request masks its CSRF token anew: the only bytes two renderings may differ in.
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _html(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return _CSRF.sub("CSRF", response.content.decode())


def _rich_article(article_factory) -> Article:
    article_factory(title="Ferritin basics", tags=["Iron"])
    article = article_factory(
        title="Iron & <RLS>",
        body="## Ferritin\n\nCheck it.\n\n## Dose\n\nWith food.",
        tags=["Iron", "Sleep"],
        references=2,
        call_to_action="log_dose",
    )
    Reference.objects.filter(article=article).update(doi="10.1000/xyz", pubmed_id="123")
    return article


@pytest.fixture
def reader_client(db):
    """A signed-in reader beside editor_client (user_client is the same client as that)."""
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.fixture
def anonymous_client(settings):
    settings.ARTICLES_PUBLIC = True
    return Client()


@pytest.mark.parametrize("reader", ["user_client", "anonymous_client"])
def test_the_cached_page_is_the_page_read_from_the_database(
    request, reader, article_factory, stop_redis
):
    client = request.getfixturevalue(reader)
    with time_machine.travel(T0, tick=False):
        article = _rich_article(article_factory)
        first = _html(client, article)  # computed and kept
        cached = _html(client, article)
        stop_redis()
        fresh = _html(client, article)  # Redis down: everything from the database
    assert cached == first == fresh
    assert "Iron &amp; &lt;RLS&gt;" in cached and "Ferritin basics" in cached
    assert ("Log a dose" in cached) == (reader == "user_client")


def test_the_cached_part_equals_a_fresh_rendering(user, article_factory):
    article = _rich_article(article_factory)
    for reader, signed_in in ((user, True), (AnonymousUser(), False)):
        page_cache.article_page(slug=article.slug, user=reader)  # kept
        cached = page_cache.article_page(slug=article.slug, user=reader)
        fresh = page_cache.article_page_render(
            article=selectors.article_for_reader(slug=article.slug, user=reader),
            signed_in=signed_in,
        )
        assert cached == fresh


def test_a_hit_costs_the_session_and_the_user_only(
    user_client, article_factory, django_assert_num_queries
):
    article = _rich_article(article_factory)
    user_client.get(article.get_absolute_url())
    with django_assert_num_queries(2):
        assert user_client.get(article.get_absolute_url()).status_code == 200


def test_an_anonymous_hit_costs_no_query(
    anonymous_client, article_factory, django_assert_num_queries
):
    article = _rich_article(article_factory)
    anonymous_client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert anonymous_client.get(article.get_absolute_url()).status_code == 200


def test_an_edit_shows_at_once(user_client, article_factory):
    article = article_factory(body="## One\n\nfirst version")
    assert "first version" in _html(user_client, article)
    article.body = "## One\n\nsecond version"
    article.status = Article.Status.DRAFT
    article_save(article=article)
    assert user_client.get(article.get_absolute_url()).status_code == 404
    article_approve(article=article, user=make_reviewer(display_name="Dr B").user)
    article_publish(article=article)
    page = _html(user_client, article)
    assert "second version" in page and "first version" not in page
    assert "Reviewed by Dr B" in page


def test_unpublishing_and_publishing_show_at_once(user_client, anonymous_client, article_factory):
    article = article_factory(title="Short-lived")
    for client in (user_client, anonymous_client):
        assert "Short-lived" in _html(client, article)
    article_unpublish(article=article)
    for client in (user_client, anonymous_client):
        assert client.get(article.get_absolute_url()).status_code == 404
    article_publish(article=article)
    for client in (user_client, anonymous_client):
        assert "Short-lived" in _html(client, article)


def test_a_new_approval_shows_at_once(user_client, article_factory):
    article = article_factory()
    assert "Reviewed by Dr Test" in _html(user_client, article)
    article_approve(article=article, user=make_reviewer(display_name="Dr Second").user)
    assert "Reviewed by Dr Second" in _html(user_client, article)


def test_a_reference_changed_in_the_admin_shows_at_once(
    reader_client, editor_client, article_factory
):
    article = article_factory()
    assert "Source 0" in _html(reader_client, article)
    # Live text is not edited in place: back to draft with the new reference, approved, out.
    changed = {"references-0-title": "A better source"}
    assert _post_change(editor_client, article, status="draft", **changed).status_code == 302
    assert reader_client.get(article.get_absolute_url()).status_code == 404
    article_approve(article=article, user=make_reviewer(display_name="Dr B").user)
    article_publish(article=Article.objects.get(pk=article.pk))
    page = _html(reader_client, article)
    assert "A better source" in page and "Source 0" not in page and "Reviewed by Dr B" in page


def test_tags_changed_in_the_admin_show_at_once(reader_client, editor_client, article_factory):
    article = article_factory(tags=["Iron"])
    assert ">Iron</a>" in _html(reader_client, article)
    sleep = Tag.objects.create(name="Sleep", slug="sleep")
    data = {"tags": [sleep.pk]}
    assert _post_change(editor_client, article, status="published", **data).status_code == 302
    page = _html(reader_client, article)
    assert ">Sleep</a>" in page and ">Iron</a>" not in page
    url = reverse("admin:articles_tag_change", args=[sleep.pk])
    assert editor_client.post(url, {"name": "Sleep quality", "slug": "sleep"}).status_code == 302
    assert ">Sleep quality</a>" in _html(reader_client, article)


def test_a_reviewer_renamed_in_the_admin_shows_at_once(user_client, article_factory, settings):
    settings.ADMIN_REQUIRE_MFA = False
    article = article_factory()
    assert "Reviewed by Dr Test, MD, neurologist" in _html(user_client, article)
    reviewer = make_reviewer()
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:articles_medicalreviewer_change", args=[reviewer.pk])
    data = {"user": reviewer.user_id, "display_name": "Dr T. Test", "credentials": "MD, PhD"}
    assert admin.post(url, data).status_code == 302
    assert "Reviewed by Dr T. Test, MD, PhD" in _html(user_client, article)


def test_a_new_related_article_shows_at_once(user_client, article_factory):
    article = article_factory(tags=["Iron"])
    assert "Related articles" not in _html(user_client, article)
    article_factory(title="Ferritin basics", tags=["Iron"])
    assert "Ferritin basics" in _html(user_client, article)


def test_a_scheduled_article_goes_live_on_time(user_client, editor, article_factory):
    with time_machine.travel(T0, tick=False) as traveller:
        later = article_factory(title="Out at nine", publish_at=T0 + datetime.timedelta(hours=1))
        # An editor's preview (with its banner) is never what readers are served.
        editor_page = page_cache.article_page(slug=later.slug, user=editor)
        assert "Scheduled" in editor_page.content
        assert user_client.get(later.get_absolute_url()).status_code == 404
        traveller.move_to(T0 + datetime.timedelta(minutes=59, seconds=59))
        assert user_client.get(later.get_absolute_url()).status_code == 404
        traveller.move_to(T0 + datetime.timedelta(hours=1))
        page = _html(user_client, later)
        assert "Out at nine" in page and "Scheduled" not in page


def test_drafts_stay_404_for_readers_after_an_editor_previewed_them(
    reader_client, editor_client, article_factory
):
    draft = article_factory(title="Not yet", status=Article.Status.DRAFT)
    assert "Not yet" in _html(editor_client, draft)
    assert reader_client.get(draft.get_absolute_url()).status_code == 404


def test_the_review_note_appears_on_the_day_it_falls_due(anonymous_client, article_factory):
    late = datetime.datetime(2026, 6, 1, 23, 50, tzinfo=datetime.UTC)
    with time_machine.travel(late, tick=False) as traveller:
        article = article_factory(next_review_due=late.date())
        assert "due for its regular review" not in _html(anonymous_client, article)
        # Twenty minutes on, well within the catalogue's hour: the day is in the key.
        traveller.move_to(late + datetime.timedelta(minutes=20))
        assert "due for its regular review" in _html(anonymous_client, article)


def test_a_change_behind_the_services_back_shows_when_the_catalogue_expires(
    user_client, article_factory
):
    """The catalogue's own promise (selectors.CATALOGUE_MAX_AGE) bounds a raw SQL fix."""
    with time_machine.travel(T0, tick=False) as traveller:
        article = article_factory(title="Before")
        assert "Before" in _html(user_client, article)
        Article.objects.filter(pk=article.pk).update(title="After")
        assert "Before" in _html(user_client, article)
        traveller.move_to(T0 + selectors.CATALOGUE_MAX_AGE)
        assert "After" in _html(user_client, article)


def test_each_time_zone_gets_its_own_dates(article_factory):
    with time_machine.travel(T0, tick=False):  # 20:00 UTC: already the next day in Auckland
        article = article_factory()
        in_utc = page_cache.article_page(slug=article.slug, user=AnonymousUser())
        with timezone.override("Pacific/Auckland"):
            in_auckland = page_cache.article_page(slug=article.slug, user=AnonymousUser())
        assert "on 1 June 2026" in in_utc.content and "on 2 June 2026" in in_auckland.content
        assert page_cache.article_page(slug=article.slug, user=AnonymousUser()) == in_utc


def _list_html(client, **params) -> str:
    response = client.get(reverse("articles:list"), params)
    assert response.status_code == 200
    return _CSRF.sub("CSRF", response.content.decode())


def _kept_lists() -> int:
    client = cache._cache.get_client()
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    return len(list(client.scan_iter(match=f"{prefix}:*articles:list:*")))


@pytest.mark.parametrize("params", [{}, {"tag": "iron"}, {"page": "2"}, {"page": "nonsense"}])
def test_the_cached_list_is_the_list_read_from_the_database(
    user_client, article_factory, stop_redis, params
):
    with time_machine.travel(T0, tick=False):
        for n in range(12):
            article_factory(title=f"Read {n}", tags=["Iron"] if n % 2 else ["Sleep"])
        first = _list_html(user_client, **params)
        cached = _list_html(user_client, **params)
        stop_redis()
        fresh = _list_html(user_client, **params)
    assert cached == first == fresh
    assert "Read " in cached


def test_a_cached_list_costs_the_session_and_the_user_only(
    user_client, article_factory, django_assert_num_queries
):
    article_factory(title="Iron and RLS", tags=["Iron"])
    user_client.get(reverse("articles:list"), {"tag": "iron"})
    with django_assert_num_queries(2):
        assert "Iron and RLS" in _list_html(user_client, tag="iron")


def test_searches_and_unknown_tags_are_not_kept(user_client, article_factory):
    article_factory(title="Iron and RLS", tags=["Iron"])
    _list_html(user_client)
    _list_html(user_client, tag="iron")
    assert _kept_lists() == 2
    _list_html(user_client, tag="no-such-topic")
    _list_html(user_client, q="iron")
    assert _kept_lists() == 2


def test_the_list_shows_a_publish_and_a_tag_rename_at_once(
    reader_client, editor_client, article_factory
):
    article_factory(title="First", tags=["Iron"])
    assert "First" in _list_html(reader_client, tag="iron")
    article_factory(title="Second", tags=["Iron"])
    assert "Second" in _list_html(reader_client, tag="iron")
    iron = Tag.objects.get(slug="iron")
    url = reverse("admin:articles_tag_change", args=[iron.pk])
    assert editor_client.post(url, {"name": "Iron stores", "slug": "iron"}).status_code == 302
    assert "Iron stores" in _list_html(reader_client, tag="iron")
