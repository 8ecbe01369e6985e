"""Changes to articles. Admin, the seed command and tests all go through these functions."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.rendering import render_markdown

EDITORS_GROUP = "Editors"
CATALOGUE_KEY = "articles:catalogue"

# What an editor may do: write and publish articles (with their tags and references).
# Nothing on users, tracker data or reminders: those models are simply not in this list.
EDITOR_PERMISSIONS = {
    "article": ("add", "change", "view", "publish"),
    "tag": ("add", "change", "view"),
    "reference": ("add", "change", "delete", "view"),
}


def catalogue_invalidate() -> None:
    """Drop the cached list of live articles (list page, feed, sitemap, related)."""
    cache.delete(CATALOGUE_KEY)
    # Again after commit: a reader may have cached the pre-commit state in between.
    transaction.on_commit(lambda: cache.delete(CATALOGUE_KEY))


def article_render(*, article: Article) -> Article:
    """Fill the derived fields (HTML, table of contents, reading time) from the Markdown."""
    rendered = render_markdown(article.body)
    article.body_html = rendered.html
    article.toc = rendered.toc
    article.reading_minutes = rendered.reading_minutes
    return article


@transaction.atomic
def article_save(*, article: Article, author=None) -> Article:
    """Validate-free save of an article that a form (or the seed) has already validated."""
    if article.author_id is None and author is not None:
        article.author = author
    if article.status == Article.Status.PUBLISHED and article.publish_at is None:
        article.publish_at = timezone.now()
    # Browsers post textareas with CRLF: normalise, or a no-op admin save changes the body.
    article.body = article.body.replace("\r\n", "\n")
    article_render(article=article)
    article.save()
    catalogue_invalidate()
    return article


@transaction.atomic
def article_publish(*, article: Article, now=None) -> Article:
    """Publish now: live at once, whatever date was scheduled before."""
    article.status = Article.Status.PUBLISHED
    article.publish_at = now or timezone.now()
    article.save(update_fields=["status", "publish_at", "updated_at"])
    catalogue_invalidate()
    return article


@transaction.atomic
def article_unpublish(*, article: Article) -> Article:
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    catalogue_invalidate()
    return article


@transaction.atomic
def article_delete(*, article: Article) -> None:
    article.delete()
    catalogue_invalidate()


@transaction.atomic
def editors_group_ensure() -> Group:
    """Create or repair the Editors group with exactly the article permissions. Idempotent.

    Runs after every migrate (post_migrate) and from seed_content. Permissions are created
    first because on a fresh database (or after a test flush) they may not exist yet.
    """
    create_permissions(apps.get_app_config("articles"), verbosity=0)
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = [
        f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=wanted)
    if permissions.count() != len(wanted):
        missing = set(wanted) - set(permissions.values_list("codename", flat=True))
        raise RuntimeError(f"article permissions missing: {sorted(missing)}")
    group.permissions.set(permissions)
    return group
