import datetime

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, MedicalReviewer, Reference, Tag
from articles.services import (
    article_approve,
    article_save,
    editors_group_ensure,
    reviewers_group_ensure,
)
from tests.factories import UserFactory

_counter = iter(range(1, 1_000_000))


def make_article(
    *,
    title=None,
    status=Article.Status.PUBLISHED,
    publish_at=None,
    body="## First\n\nSome text about magnesium.\n\n## Second\n\nMore text.",
    summary="A short summary.",
    tags=(),
    references=1,
    next_review_due=None,
    approved=True,
    **fields,
) -> Article:
    """An article saved as a draft, approved by a medical reviewer (unless approved=False),
    then published if asked: the order the review gate allows."""
    n = next(_counter)
    title = title or f"Article {n}"
    if status == Article.Status.PUBLISHED and publish_at is None:
        publish_at = timezone.now() - datetime.timedelta(days=1)
    article = Article(
        title=title,
        slug=fields.pop("slug", f"article-{n}"),
        summary=summary,
        body=body,
        status=Article.Status.DRAFT,
        evidence_note=fields.pop("evidence_note", "Evidence is limited."),
        evidence_strength=fields.pop("evidence_strength", Article.Evidence.LIMITED),
        reviewed_on=fields.pop("reviewed_on", timezone.localdate()),
        reviewer_name=fields.pop("reviewer_name", "Dr Test"),
        next_review_due=next_review_due or timezone.localdate() + datetime.timedelta(days=365),
        **fields,
    )
    article_save(article=article)
    for name in tags:
        tag, _ = Tag.objects.get_or_create(slug=name.lower().replace(" ", "-"), name=name)
        article.tags.add(tag)
    for i in range(references):
        Reference.objects.create(
            article=article, position=i, title=f"Source {i}", url="https://example.org/source"
        )
    if approved:
        article_approve(article=article, user=make_reviewer().user)
        if next_review_due is not None:  # approval sets it a year ahead; keep the asked date
            Article.objects.filter(pk=article.pk).update(next_review_due=next_review_due)
            article.next_review_due = next_review_due
    if status == Article.Status.PUBLISHED:
        article.status = status
        article.publish_at = publish_at
        article_save(article=article)
    return article


def make_reviewer(*, display_name="Dr Test", credentials="MD, neurologist") -> MedicalReviewer:
    """A named reviewer in the Medical reviewers group (one per name per test)."""
    existing = MedicalReviewer.objects.filter(display_name=display_name).first()
    if existing is not None:
        return existing
    user = UserFactory(is_staff=True)
    user.groups.add(reviewers_group_ensure())
    return MedicalReviewer.objects.create(
        user=user, display_name=display_name, credentials=credentials
    )


@pytest.fixture
def article_factory(db):
    return make_article


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True)
    user.groups.add(editors_group_ensure())
    return user


@pytest.fixture
def editor_client(client, editor, settings):
    settings.ADMIN_REQUIRE_MFA = False
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer(db):
    return make_reviewer(display_name="Dr A. Patel", credentials="MD, neurologist").user


@pytest.fixture
def reviewer_client(reviewer, settings):
    settings.ADMIN_REQUIRE_MFA = False
    client = Client()
    client.force_login(reviewer)
    return client
