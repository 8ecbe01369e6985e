"""Reading pages: who sees what, and what an article page shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


def test_list_and_detail_need_login_by_default(client, article_factory, settings):
    settings.ARTICLES_PUBLIC = False
    article = article_factory()
    for url in (reverse("articles:list"), article.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_articles_public_lets_anyone_read_published_articles(client, article_factory, settings):
    settings.ARTICLES_PUBLIC = True
    article = article_factory(title="Open to all")
    assert "Open to all" in client.get(reverse("articles:list")).content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_public_does_not_open_drafts(client, article_factory, settings):
    settings.ARTICLES_PUBLIC = True
    draft = article_factory(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("state", ["draft", "scheduled", "missing"])
def test_drafts_and_scheduled_articles_are_404_for_readers(user_client, article_factory, state):
    if state == "draft":
        url = article_factory(status=Article.Status.DRAFT).get_absolute_url()
    elif state == "scheduled":
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        url = article_factory(publish_at=tomorrow).get_absolute_url()
    else:
        url = reverse("articles:detail", args=["no-such-article"])
    assert user_client.get(url).status_code == 404


def test_staff_who_are_not_editors_cannot_preview(client, article_factory):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    draft = article_factory(status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_editors_preview_a_draft_at_its_real_url_with_a_banner(editor_client, article_factory):
    draft = article_factory(status=Article.Status.DRAFT, title="Work in progress")
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Work in progress" in html
    assert "Draft" in html and "draft-banner" in html
    assert '<meta name="robots" content="noindex">' in html


def test_live_articles_have_no_draft_banner(editor_client, article_factory):
    html = editor_client.get(article_factory().get_absolute_url()).content.decode()
    assert "draft-banner" not in html


def test_article_page_shows_evidence_review_references_toc_and_disclaimer(
    user_client, article_factory, settings
):
    settings.SITE_URL = "https://restwell.example"
    article = article_factory(
        title="Iron and RLS",
        summary="Why iron matters.",
        evidence_strength=Article.Evidence.STRONG,
        evidence_note="Well established.",
    )
    noon = datetime.datetime(2026, 3, 4, 12, tzinfo=datetime.UTC)  # the same day everywhere
    article.approvals.update(approved_at=noon)
    html = user_client.get(article.get_absolute_url()).content.decode()
    assert "What the evidence says" in html and "Strong evidence" in html
    assert "Well established." in html
    assert "Reviewed by Dr Test, MD, neurologist on 4 March 2026" in html
    assert "References" in html and "https://example.org/source" in html
    assert 'href="#first"' in html and 'id="first"' in html
    assert "not medical advice" in html
    canonical = f"https://restwell.example{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title" content="Iron and RLS">' in html
    assert '<meta name="description" content="Why iron matters.">' in html


def test_related_articles_share_tags(user_client, article_factory):
    article = article_factory(tags=["Iron"])
    sibling = article_factory(title="Sibling", tags=["Iron", "Sleep"])
    stranger = article_factory(title="Stranger", tags=["Tracking"])
    related = user_client.get(article.get_absolute_url()).context["related"]
    assert [card.id for card in related] == [sibling.pk]
    assert stranger.pk not in [card.id for card in related]


def test_list_shows_only_live_articles_newest_first(user_client, article_factory):
    now = timezone.now()
    old = article_factory(title="Old", publish_at=now - datetime.timedelta(days=9))
    new = article_factory(title="New", publish_at=now - datetime.timedelta(days=1))
    article_factory(title="Drafty", status=Article.Status.DRAFT)
    article_factory(title="Later", publish_at=now + datetime.timedelta(days=1))
    page = user_client.get(reverse("articles:list")).context["page"]
    assert [card.id for card in page.object_list] == [new.pk, old.pk]


def test_tag_filter(user_client, article_factory):
    iron = article_factory(title="Iron one", tags=["Iron"])
    article_factory(title="Sleep one", tags=["Sleep"])
    page = user_client.get(reverse("articles:list"), {"tag": "iron"}).context["page"]
    assert [card.id for card in page.object_list] == [iron.pk]


def test_pagination_and_bad_page_numbers(user_client, article_factory):
    for _ in range(12):
        article_factory()
    url = reverse("articles:list")
    assert len(user_client.get(url).context["page"].object_list) == 10
    assert len(user_client.get(url, {"page": 2}).context["page"].object_list) == 2
    for bad in ("0", "999", "abc", "-1"):
        assert user_client.get(url, {"page": bad}).status_code == 200


def test_nasty_query_strings_never_fail(user_client, article_factory):
    article_factory()
    url = reverse("articles:list")
    for params in ({"q": "x" * 5000}, {"q": "'\"); DROP --"}, {"tag": "<script>"}, {"q": "&|!:*"}):
        assert user_client.get(url, params).status_code == 200


def _list_queries(client, cold: bool) -> int:
    from django.core.cache import cache

    if cold:
        cache.delete("articles:catalogue")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("articles:list")).status_code == 200
    return len(queries)


def test_list_query_count_is_constant(user_client, article_factory, django_assert_max_num_queries):
    article_factory(tags=["Iron"])
    user_client.get(reverse("articles:list"))  # the session's first request does extra work
    few_cold, few_warm = _list_queries(user_client, True), _list_queries(user_client, False)
    for _ in range(25):
        article_factory(tags=["Iron", "Sleep"])
    many_cold, many_warm = _list_queries(user_client, True), _list_queries(user_client, False)
    assert few_cold == many_cold
    assert few_warm == many_warm
    with django_assert_max_num_queries(few_cold):
        user_client.get(reverse("articles:list"), {"tag": "iron", "page": 2})


def test_a_get_changes_nothing(user_client, article_factory):
    article = article_factory()
    before = Article.objects.values().get(pk=article.pk)
    user_client.get(article.get_absolute_url())
    user_client.get(reverse("articles:list"))
    assert Article.objects.values().get(pk=article.pk) == before


def test_post_is_not_allowed(user_client, article_factory):
    assert user_client.post(reverse("articles:list")).status_code == 405


def test_detail_query_count_does_not_grow_with_tags_references_or_related(
    user_client, article_factory
):
    from articles.models import Reference, Tag

    article = article_factory(tags=["Iron"], references=1)
    article_factory(tags=["Iron"])
    user_client.get(reverse("articles:list"))  # the session's first request
    user_client.get(article.get_absolute_url())  # warm the caches
    with CaptureQueriesContext(connection) as few:
        user_client.get(article.get_absolute_url())
    for i in range(8):
        tag = Tag.objects.create(name=f"Topic {i}", slug=f"topic-{i}")
        article.tags.add(tag)
        article_factory(tags=[f"Topic {i}"])
        Reference.objects.create(article=article, title=f"Ref {i}", url="https://example.org")
    user_client.get(article.get_absolute_url())  # the catalogue was invalidated: warm it
    with CaptureQueriesContext(connection) as many:
        response = user_client.get(article.get_absolute_url())
    related = response.text.split('class="article-related"')[1].split("</section>")[0]
    assert related.count("<li>") == 3
    assert len(many) == len(few)


def test_an_overdue_review_is_told_to_readers(user_client, article_factory):
    overdue = article_factory(next_review_due=timezone.localdate() - datetime.timedelta(days=1))
    current = article_factory()
    assert (
        "due for its regular review" in user_client.get(overdue.get_absolute_url()).content.decode()
    )
    assert (
        "due for its regular review"
        not in user_client.get(current.get_absolute_url()).content.decode()
    )


def _url_or_none(name):
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize(
    ("action", "url_name", "label"),
    [
        ("set_reminder", "reminders:settings", "Set an evening reminder"),
        ("open_log", "tracker:dashboard", "Open your log"),
        ("log_dose", "tracker:dose_new", "Log a dose"),
    ],
)
def test_call_to_action_links_into_the_tracker_or_reminders(
    user_client, article_factory, action, url_name, label
):
    html = user_client.get(
        article_factory(call_to_action=action).get_absolute_url()
    ).content.decode()
    url = _url_or_none(url_name)
    if url is None:  # that app's page is not built on this branch yet: no dead link
        assert label not in html
    else:
        assert f'href="{url}">{label}</a>' in html


def test_no_call_to_action_for_anonymous_readers(client, article_factory, settings):
    settings.ARTICLES_PUBLIC = True
    html = client.get(
        article_factory(call_to_action="set_reminder").get_absolute_url()
    ).content.decode()
    assert "Set an evening reminder" not in html
