"""Medical review: nothing is published until a reviewer approved that exact text."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles.launch_content import LAUNCH_ARTICLES
from articles.models import Article, ArticleApproval, MedicalReviewer, Reference
from articles.seeding import launch_content_seed
from articles.services import (
    article_approve,
    article_publish,
    article_save,
    editors_group_ensure,
)
from tests.articles.conftest import make_reviewer
from tests.factories import UserFactory

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def draft(article_factory):
    return article_factory(status=Article.Status.DRAFT, approved=False)


def test_publishing_without_an_approval_is_refused(draft):
    with pytest.raises(ValidationError, match="Waiting for medical review"):
        article_publish(article=draft)
    draft.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError, match="Waiting for medical review"):
        article_save(article=draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and not draft.is_live


def test_approve_then_publish(draft, reviewer):
    approval = article_approve(article=draft, user=reviewer)
    assert approval.reviewer.display_name == "Dr A. Patel"
    article_publish(article=draft)
    draft.refresh_from_db()
    assert draft.is_live


@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_an_edit_after_approval_reopens_review(draft, reviewer, field):
    article_approve(article=draft, user=reviewer)
    setattr(draft, field, getattr(draft, field) + " Changed.")
    article_save(article=draft)  # as a draft, fine
    with pytest.raises(ValidationError):
        article_publish(article=draft)


def test_a_reference_edit_after_approval_reopens_review(draft, reviewer):
    article_approve(article=draft, user=reviewer)
    Reference.objects.create(article=draft, title="New source", url="https://example.org/new")
    with pytest.raises(ValidationError):
        article_publish(article=draft)


def test_live_text_cannot_change_without_a_new_review(article_factory, reviewer):
    article = article_factory()  # approved and live
    article.body += "\n\nA new claim."
    with pytest.raises(ValidationError):
        article_save(article=article)
    article.refresh_from_db()
    assert "A new claim." not in article.body and article.is_live
    # The honest path: back to draft, approved again, published again.
    article.body += "\n\nA new claim."
    article.status = Article.Status.DRAFT
    article_save(article=article)
    article_approve(article=article, user=reviewer)
    article_publish(article=article)
    article.refresh_from_db()
    assert article.is_live and "A new claim." in article.body


def test_a_named_reviewer_outside_the_group_cannot_approve(draft):
    outsider = UserFactory(is_staff=True)
    MedicalReviewer.objects.create(user=outsider, display_name="Dr X", credentials="MD")
    with pytest.raises(PermissionDenied):
        article_approve(article=draft, user=outsider)
    assert not ArticleApproval.objects.exists()


def test_an_editor_cannot_approve(draft, editor):
    with pytest.raises(PermissionDenied):
        article_approve(article=draft, user=editor)


def test_a_superuser_is_not_a_clinician(draft):
    with pytest.raises(PermissionDenied):
        article_approve(article=draft, user=UserFactory(is_staff=True, is_superuser=True))


def test_admin_publish_action_refuses_unapproved_articles(editor_client, draft):
    response = editor_client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Waiting for medical review" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def _post_change(client, article, **overrides):
    """Post the change form as the editor sees it, references included, with `overrides`."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(tags=[tag.pk for tag in article.tags.all()], publish_at="")
    references = list(article.references.all())
    data.update(
        {
            "references-TOTAL_FORMS": str(len(references)),
            "references-INITIAL_FORMS": str(len(references)),
            "references-MIN_NUM_FORMS": "0",
            "references-MAX_NUM_FORMS": "1000",
        }
    )
    for i, ref in enumerate(references):
        data.update(
            {
                f"references-{i}-{name}": getattr(ref, name)
                for name in ("id", "position", "title", "url", "doi", "pubmed_id")
            }
        )
    data.update(overrides)
    return client.post(url, data)


def test_admin_form_refuses_publishing_unapproved_text(editor_client, draft):
    page = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert any("Waiting for medical review" in str(m) for m in page.context["messages"])
    response = _post_change(editor_client, draft, status="published")
    assert response.status_code == 200
    assert "Waiting for medical review" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_admin_refuses_an_edit_to_live_text_until_it_goes_back_to_draft(
    editor_client, article_factory, reviewer
):
    article = article_factory()  # approved and live
    assert _post_change(editor_client, article, status="published").status_code == 302  # no-op
    response = _post_change(editor_client, article, status="published", body="New claim.")
    assert response.status_code == 200
    assert "Waiting for medical review" in response.content.decode()
    changed_reference = {"references-0-title": "Another source"}
    response = _post_change(editor_client, article, status="published", **changed_reference)
    assert "Waiting for medical review" in response.content.decode()
    article.refresh_from_db()
    assert article.is_live and "New claim." not in article.body
    # Back to draft, the edit saves; approved, it can be published again.
    assert (
        _post_change(editor_client, article, status="draft", body="New claim.").status_code == 302
    )
    article_approve(article=article, user=reviewer)
    assert _post_change(editor_client, article, status="published").status_code == 302
    article.refresh_from_db()
    assert article.is_live and article.body == "New claim."


def test_only_reviewers_get_the_approve_action(editor_client, reviewer_client, draft):
    editor_actions = editor_client.get(CHANGELIST).context["action_form"].fields["action"]
    assert "approve_version" not in dict(editor_actions.choices)
    editor_client.post(CHANGELIST, {"action": "approve_version", "_selected_action": [draft.pk]})
    assert not ArticleApproval.objects.exists()

    response = reviewer_client.post(
        CHANGELIST, {"action": "approve_version", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 article approved." in response.content.decode()
    assert draft.approvals.get().reviewer.user.groups.filter(name="Medical reviewers").exists()


def test_the_changelist_flags_articles_waiting_for_review(editor_client, article_factory, draft):
    article_factory(title="Approved one")
    html = editor_client.get(CHANGELIST).content.decode()
    assert html.count("Waiting for medical review") == 1


def test_the_page_shows_who_reviewed_it(user_client, article_factory):
    article = article_factory()
    reviewer = article.approvals.get().reviewer
    assert str(reviewer) == "Dr Test, MD, neurologist"
    html = user_client.get(article.get_absolute_url()).content.decode()
    assert "Reviewed by Dr Test, MD, neurologist on" in html
    assert "Awaiting clinical review" not in html


def test_launch_articles_say_they_await_clinical_review(user_client):
    call_command("seed_content", verbosity=0)
    assert not ArticleApproval.objects.exists()  # the seed never makes one up
    article = Article.objects.get(slug=LAUNCH_ARTICLES[0].slug)
    assert article.is_live
    html = user_client.get(article.get_absolute_url()).content.decode()
    assert "Awaiting clinical review" in html and "Reviewed by" not in html


def test_the_seed_keeps_off_a_launch_article_a_clinician_approved(db):
    call_command("seed_content", verbosity=0)
    article = Article.objects.get(slug=LAUNCH_ARTICLES[0].slug)
    article_approve(article=article, user=make_reviewer().user)
    assert article.slug in launch_content_seed().kept_edits


def test_reviewers_are_not_editors(db, reviewer):
    assert not reviewer.groups.filter(pk=editors_group_ensure().pk).exists()
    assert reviewer.has_perm("articles.view_article")
    assert not reviewer.has_perm("articles.change_article")
    assert not reviewer.has_perm("articles.publish_article")
