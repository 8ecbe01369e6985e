import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Reference, Tag
from articles.services import article_save, editors_group_ensure
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
    **fields,
) -> Article:
    n = next(_counter)
    title = title or f"Article {n}"
    if status == Article.Status.PUBLISHED and publish_at is None:
        publish_at = timezone.now() - datetime.timedelta(days=1)
    article = Article(
        title=title,
        slug=fields.pop("slug", f"article-{n}"),
        summary=summary,
        body=body,
        status=status,
        publish_at=publish_at,
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
    return article


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
