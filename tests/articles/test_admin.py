"""The articles admin: list columns and warnings, filters, search, actions, saving."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_approve
from tests.articles.conftest import make_reviewer
from tests.factories import UserFactory

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def _form_data(**overrides):
    data = {
        "title": "Leg cramps and magnesium",
        "slug": "leg-cramps-and-magnesium",
        "summary": "Cramps are not restless legs.",
        "body": "## Cramps\r\n\r\nA cramp is a painful, hard muscle.\r\n\r\n[NIH](https://nih.gov)",
        "status": "draft",
        "publish_at": "",
        "call_to_action": "",
        "evidence_strength": "limited",
        "evidence_note": "Mixed results.",
        "reviewed_on": "2026-11-01",
        "reviewer_name": "Dr R",
        "next_review_due": "2027-11-01",
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "references-0-position": "1",
        "references-0-title": "Someone et al. 2020",
        "references-0-url": "https://example.org/paper",
        "references-0-doi": "10.1000/xyz123",
        "references-0-pubmed_id": "",
    }
    data.update(overrides)
    return data


def test_editor_creates_a_draft_rendered_on_save(editor_client, editor):
    response = editor_client.post(ADD, _form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="leg-cramps-and-magnesium")
    assert article.status == Article.Status.DRAFT
    assert article.author == editor
    assert '<h2 id="cramps">Cramps</h2>' in article.body_html
    assert 'rel="nofollow noopener"' in article.body_html
    assert "\r" not in article.body
    assert article.references.get().doi == "10.1000/xyz123"


def test_bad_reference_input_gets_a_clear_message_and_nothing_is_lost(editor_client):
    response = editor_client.post(
        ADD, _form_data(**{"references-0-doi": "doi:nonsense", "references-0-pubmed_id": "x1"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a DOI such as 10.5664/jcsm.11390" in html
    assert "Enter the PubMed id as digits only" in html
    assert "Cramps are not restless legs." in html  # the rest of the form is kept
    assert not Article.objects.exists()


def _approved_draft(client) -> Article:
    """A draft written in the admin and approved by a medical reviewer."""
    assert client.post(ADD, _form_data()).status_code == 302
    article = Article.objects.get()
    article_approve(article=article, user=make_reviewer().user)
    return article


def _change(client, article, **overrides):
    """Post the change form as the editor would, keeping the saved reference."""
    reference = article.references.get()
    data = _form_data(**{"references-INITIAL_FORMS": "1", "references-0-id": str(reference.pk)})
    data.update(overrides)
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def test_published_without_a_date_means_now(editor_client):
    article = _approved_draft(editor_client)
    before = timezone.now()
    assert _change(editor_client, article, status="published").status_code == 302
    article.refresh_from_db()
    assert article.is_live and article.publish_at >= before


def test_changelist_columns_warnings_and_message(editor_client, article_factory):
    article_factory(title="Fine article")
    article_factory(
        title="Stale article", next_review_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    article_factory(title="Unsourced article", references=0)
    article_factory(title="Later article", publish_at=timezone.now() + datetime.timedelta(days=3))
    article_factory(title="Draft article", status=Article.Status.DRAFT)
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for column in ("Visibility", "Publish date", "Next review due", "Tags", "Warnings"):
        assert column in html
    assert "Medical review overdue" in html and "No references" in html
    assert "Scheduled" in html and "Live" in html and "Draft" in html
    messages = [str(m) for m in response.context["messages"]]
    assert any("2 articles on this page need attention" in m for m in messages)


def test_changelist_query_count_is_constant(
    editor_client, article_factory, django_assert_max_num_queries
):
    article_factory(tags=["Iron"])
    editor_client.get(CHANGELIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHANGELIST)
    for _ in range(20):
        article_factory(tags=["Iron", "Sleep"], references=0)
    with django_assert_max_num_queries(len(few)):
        editor_client.get(CHANGELIST)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "live"}, {"Live one"}),
        ({"state": "scheduled"}, {"Future one"}),
        ({"state": "draft"}, {"Draft one"}),
        ({"review": "overdue"}, {"Draft one"}),
        ({"q": "Future"}, {"Future one"}),
    ],
)
def test_filters_and_search(editor_client, article_factory, params, expected):
    article_factory(title="Live one")
    article_factory(title="Future one", publish_at=timezone.now() + datetime.timedelta(days=1))
    article_factory(
        title="Draft one",
        status=Article.Status.DRAFT,
        next_review_due=timezone.localdate() - datetime.timedelta(days=3),
    )
    response = editor_client.get(CHANGELIST, params)
    assert {a.title for a in response.context["cl"].result_list} == expected


def test_a_scheduled_date_is_read_in_the_editors_time_zone(editor_client, editor):
    editor.time_zone = "America/New_York"
    editor.save()
    article = _approved_draft(editor_client)
    response = _change(editor_client, article, status="published", publish_at="2030-01-15T21:30")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.publish_at == datetime.datetime(2030, 1, 16, 2, 30, tzinfo=datetime.UTC)
    assert article.is_scheduled


def test_slug_is_prefilled_from_the_title(editor_client):
    response = editor_client.get(ADD)
    fields = response.context["prepopulated_fields"]
    assert any(f["field"].name == "slug" and f["dependencies"][0].name == "title" for f in fields)


def test_publish_now_and_unpublish_actions(editor_client, article_factory):
    draft = article_factory(status=Article.Status.DRAFT)
    scheduled = article_factory(publish_at=timezone.now() + datetime.timedelta(days=5))
    response = editor_client.post(
        CHANGELIST,
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]},
        follow=True,
    )
    assert "2 articles published." in response.content.decode()
    draft.refresh_from_db()
    scheduled.refresh_from_db()
    assert draft.is_live and scheduled.is_live
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_without_publish_permission_no_actions_and_no_status(client, article_factory, settings):
    settings.ADMIN_REQUIRE_MFA = False
    writer = UserFactory(is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["add_article", "change_article", "view_article"],
        )
    )
    client.force_login(writer)
    article = article_factory(status=Article.Status.DRAFT)
    response = client.get(CHANGELIST)
    # No action left at all (editors cannot delete either), so no action form.
    assert response.context["action_form"] is None
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "status" not in change.context["adminform"].form.fields
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_editors_cannot_delete_articles(editor_client, article_factory):
    article = article_factory()
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert editor_client.get(url).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_superuser_delete_clears_the_cached_list(article_factory, settings, user_client):
    settings.ADMIN_REQUIRE_MFA = False
    article = article_factory(title="Soon gone")
    assert b"Soon gone" in user_client.get(reverse("articles:list")).content
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert b"Soon gone" not in user_client.get(reverse("articles:list")).content


def test_view_on_site_points_at_the_real_url(editor_client, article_factory):
    article = article_factory(status=Article.Status.DRAFT)
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.context["has_absolute_url"]
    assert editor_client.get(article.get_absolute_url()).status_code == 200
