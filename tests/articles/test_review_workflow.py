"""The reviewer's approve page (with what changed), no self-approval, roles checked in the
admin and in the services, and the revision history with its diff and restore."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from articles.history import version_author
from articles.models import Article, ArticleApproval, Reference
from articles.selectors import article_approval
from articles.services import (
    REVIEW_INTERVAL,
    article_approve,
    article_publish,
    article_save,
    article_unpublish,
    editors_group_ensure,
)
from tests.articles.conftest import make_reviewer
from tests.articles.test_review import _post_change

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _approve_url(article):
    return reverse("admin:articles_article_approve", args=[article.pk])


@pytest.fixture
def draft(article_factory):
    return article_factory(status=Article.Status.DRAFT, approved=False, body="One.\n\nTwo.")


@pytest.fixture
def editor_reviewer(client, settings, db):
    """One person in both groups: may write and may approve, but never their own text."""
    settings.ADMIN_REQUIRE_MFA = False
    user = make_reviewer(display_name="Dr Both", credentials="MD").user
    user.groups.add(editors_group_ensure())
    client.force_login(user)
    return client, user


def test_reviewers_see_the_approve_button_editors_do_not(editor_client, reviewer_client, draft):
    assert "Review and approve this version" in reviewer_client.get(_change_url(draft)).text
    assert "Review and approve this version" not in editor_client.get(_change_url(draft)).text
    assert editor_client.get(_approve_url(draft)).status_code == 403
    assert editor_client.post(_approve_url(draft)).status_code == 403
    assert not ArticleApproval.objects.exists()


def test_the_approve_page_shows_what_changed_since_the_last_approval(
    editor_client, reviewer_client, draft, reviewer
):
    first = reviewer_client.get(_approve_url(draft))
    assert "No earlier approved text" in first.text and "One." in first.text
    with time_machine.travel(NOON, tick=False):
        reviewer_client.force_login(reviewer)  # a session made at the instant travelled to
        assert reviewer_client.post(_approve_url(draft)).status_code == 302
    reviewer_client.force_login(reviewer)
    approval = draft.approvals.get()
    assert approval.text["body"] == "One.\n\nTwo."
    draft.refresh_from_db()
    assert draft.reviewed_on == datetime.date(2026, 3, 10)
    assert draft.next_review_due == datetime.date(2026, 3, 10) + REVIEW_INTERVAL

    assert _post_change(editor_client, draft, body="One.\n\nTwo, changed.").status_code == 302
    page = reviewer_client.get(_approve_url(draft))
    assert "What changed since Dr A. Patel approved it on 10 March 2026" in page.text
    assert '<span class="diff-removed">− Two.</span>' in page.text
    assert '<span class="diff-added">+ Two, changed.</span>' in page.text
    assert '<span class="diff-same">  One.</span>' in page.text


@pytest.mark.parametrize("object_id", ["999999", "not-a-number"])
def test_the_approve_page_of_no_article_is_404(reviewer_client, object_id, db):
    url = reverse("admin:articles_article_approve", args=[object_id])
    assert reviewer_client.get(url).status_code == 404
    assert reviewer_client.post(url).status_code == 404


def test_approving_from_the_page_then_publishing(editor_client, reviewer_client, draft):
    response = reviewer_client.post(_approve_url(draft), follow=True)
    assert "You approved this version" in response.text
    assert _post_change(editor_client, draft, status="published").status_code == 302
    draft.refresh_from_db()
    assert draft.is_live and article_approval(article=draft).reviewer.display_name == "Dr A. Patel"


def test_no_self_approval_of_the_text_you_wrote_last(editor_reviewer, draft, reviewer):
    client, both = editor_reviewer
    assert _post_change(client, draft, body="My own words.").status_code == 302
    assert version_author(article=draft) == both
    page = client.get(_approve_url(draft))
    assert "You made the last change to this text" in page.text
    assert 'value="Approve this version"' not in page.text
    response = client.post(_approve_url(draft), follow=True)
    assert "another medical reviewer must approve it" in response.text
    with pytest.raises(PermissionDenied, match="You made the last change"):
        article_approve(article=draft, user=both)
    assert not ArticleApproval.objects.exists()
    # The list action obeys the same rule.
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "approve_version", "_selected_action": [draft.pk]})
    assert not ArticleApproval.objects.exists()
    # Another reviewer may.
    article_approve(article=draft, user=reviewer)
    assert draft.approvals.get().reviewer.user == reviewer


def test_a_reference_edit_makes_its_author_the_author_of_the_version(editor_reviewer, draft):
    client, both = editor_reviewer
    assert version_author(article=draft) is None  # saved with no one named (the factory)
    response = _post_change(client, draft, **{"references-0-title": "A better source"})
    assert response.status_code == 302
    assert Reference.objects.get(article=draft).title == "A better source"
    assert version_author(article=draft) == both
    with pytest.raises(PermissionDenied):
        article_approve(article=draft, user=both)


def test_saves_that_leave_the_text_alone_make_no_author(editor_client, editor, draft, reviewer):
    draft.body = "Edited by the editor."
    article_save(article=draft, author=editor)
    assert version_author(article=draft) == editor
    article_approve(article=draft, user=reviewer)  # saves review dates as the reviewer
    article_publish(article=draft, user=editor)
    assert version_author(article=draft) == editor


def test_the_services_check_the_roles_too(draft, reviewer, editor):
    with pytest.raises(PermissionDenied):
        article_publish(article=draft, user=reviewer)
    draft.body = "A reviewer's rewrite."
    with pytest.raises(PermissionDenied):
        article_save(article=draft, author=reviewer)
    draft.refresh_from_db()
    assert draft.body == "One.\n\nTwo."
    with pytest.raises(PermissionDenied):
        article_approve(article=draft, user=editor)
    article_approve(article=draft, user=make_reviewer(display_name="Dr Other").user)
    article_publish(article=draft, user=editor)
    with pytest.raises(PermissionDenied):
        article_unpublish(article=draft, user=reviewer)
    article_unpublish(article=draft, user=editor)


def test_editing_approved_text_sends_it_back_to_review(editor_client, draft, reviewer, user):
    article_approve(article=draft, user=reviewer)
    article_publish(article=draft)
    reader = Client()
    reader.force_login(user)
    assert "Reviewed by Dr A. Patel" in reader.get(draft.get_absolute_url()).text
    assert _post_change(editor_client, draft, status="draft", body="New claim.").status_code == 302
    draft.refresh_from_db()
    assert article_approval(article=draft) is None
    with pytest.raises(ValidationError, match="Waiting for medical review"):
        article_publish(article=draft)


# --- Revision history ----------------------------------------------------------------------


def _history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def _restore(client, article, record, **overrides):
    """Post the history page's restore form as shown (the old version's fields)."""
    url = reverse("admin:articles_article_simple_history", args=[article.pk, record.history_id])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(tags=[tag.pk for tag in article.tags.all()], publish_at="")
    data.update(overrides)
    return client.post(url, data)


def test_the_history_lists_each_version_with_a_readable_diff(editor_client, draft):
    _post_change(editor_client, draft, body="One.\n\nThree.")
    page = editor_client.get(_history_url(draft))
    assert page.status_code == 200
    assert '<span class="diff-removed">− Two.</span>' in page.text
    assert '<span class="diff-added">+ Three.</span>' in page.text


def test_restoring_an_unapproved_version_of_a_live_article_is_refused(
    editor_client, draft, reviewer
):
    oldest = draft.history.earliest("history_date")  # "One. Two.", never approved
    _post_change(editor_client, draft, body="Approved words.")
    draft.refresh_from_db()
    article_approve(article=draft, user=reviewer)
    article_publish(article=draft)
    response = _restore(editor_client, draft, oldest, status="published")
    assert response.status_code == 200 and "Waiting for medical review" in response.text
    draft.refresh_from_db()
    assert draft.body == "Approved words." and draft.is_live
    # As a draft it restores, and waits for review.
    assert _restore(editor_client, draft, oldest, status="draft").status_code == 302
    draft.refresh_from_db()
    assert draft.body == "One.\n\nTwo." and article_approval(article=draft) is None


def test_restoring_a_version_that_was_approved_needs_no_new_review(editor_client, draft, reviewer):
    article_approve(article=draft, user=reviewer)  # "One. Two." approved
    approved_version = draft.history.latest("history_date")
    _post_change(editor_client, draft, body="Newer words.")
    draft.refresh_from_db()
    assert article_approval(article=draft) is None
    assert _restore(editor_client, draft, approved_version, status="published").status_code == 302
    draft.refresh_from_db()
    assert draft.is_live and draft.body == "One.\n\nTwo."
    assert article_approval(article=draft).reviewer.user == reviewer


def test_reviewers_see_the_history_but_cannot_restore(reviewer_client, editor_client, draft):
    _post_change(editor_client, draft, body="Changed.")
    oldest = draft.history.earliest("history_date")
    assert reviewer_client.get(_history_url(draft)).status_code == 200
    url = reverse("admin:articles_article_simple_history", args=[draft.pk, oldest.history_id])
    reviewer_client.post(url, {"title": "x", "body": "Hijack"})
    draft.refresh_from_db()
    assert draft.body == "Changed."


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/abc/history/",
        "/admin/articles/article/abc/history/abc/",
        "/admin/articles/article/1/history/abc/",
        "/admin/articles/article/999999/history/",
        "/admin/articles/article/999999/history/1/",
    ],
)
def test_history_pages_of_bad_or_unknown_ids_are_404(editor_client, path):
    assert editor_client.get(path).status_code == 404


def test_the_list_counts_any_approval_of_the_exact_text(editor_client, draft, reviewer):
    article_approve(article=draft, user=reviewer)  # "One. Two."
    _post_change(editor_client, draft, body="Newer words.")
    draft.refresh_from_db()
    article_approve(article=draft, user=make_reviewer(display_name="Dr Other").user)
    _post_change(editor_client, draft, body="One.\n\nTwo.")  # back to the first approved text
    changelist = editor_client.get(reverse("admin:articles_article_changelist")).text
    assert "Waiting for medical review" not in changelist
