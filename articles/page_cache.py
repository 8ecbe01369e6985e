"""The reading page's article part (its head tags and its content), rendered once per version.

Nothing of it depends on the reader but whether they are signed in (the call to action) and
the language and time zone it renders in; everything else comes from the article, its tags,
references, approval and reviewer, and the related articles. Each of those changes through
the services or the admin, which drop the catalogue (services.catalogue_invalidate): an entry
is keyed by the catalogue's generation, so it is as current as the catalogue is, and a hit
needs no query at all. A scheduled article goes live when the catalogue expires (at its
publish time); the day is in the key for "due for its regular review"; a digest of the
articles' code and templates is too, so a deploy never serves the previous release's HTML.

Staff who may preview get drafts and scheduled articles with a banner: never cached. Redis
unreachable: the catalogue and the page are read from the database (portal/fallback_cache.py).
"""

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from articles import selectors
from articles.models import Article
from portal import fallback_cache


@dataclass(frozen=True)
class ArticlePage:
    title: str
    summary: str
    head: SafeString
    content: SafeString


@functools.cache
def code_version() -> str:
    """A digest of the articles' code and templates, read once per process: the same on
    every host running the same release, new with any change to what renders the page."""
    roots = (Path(__file__).resolve().parent, Path(settings.BASE_DIR) / "templates" / "articles")
    digest = hashlib.blake2b(digest_size=8)
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".html"}):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def article_page_render(
    *, article: Article, signed_in: bool, cards: list[selectors.ArticleCard] | None = None
) -> ArticlePage:
    """The article part of its reading page, from the database (and the body's own cache)."""
    body = selectors.article_body(article=article)
    context = {
        "article": article,
        "body": body,
        "approval": selectors.article_approval(article=article, content_hash=body["content_hash"]),
        "related": selectors.related_cards(article=article, cards=cards),
        "canonical_url": selectors.absolute_url(article.get_absolute_url()),
        "signed_in": signed_in,
    }
    return ArticlePage(
        title=article.title,
        summary=article.summary,
        head=render_to_string("articles/includes/article_head.html", context),
        content=render_to_string("articles/includes/article_content.html", context),
    )


def _page_key(*, card: selectors.ArticleCard, generation: str, signed_in: bool, now) -> str:
    material = (
        generation,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate(now),
        signed_in,
        get_urlconf(),
        get_script_prefix(),
        code_version(),
    )
    digest = hashlib.blake2b(repr(material).encode(), digest_size=16).hexdigest()
    return f"articles:page:{card.id}:{digest}"


def article_page(*, slug: str, user, now: datetime | None = None) -> ArticlePage:
    """The article part of /articles/<slug>/ for `user`, or 404 (drafts and scheduled
    articles exist only for staff who edit articles, as selectors.article_for_reader says)."""
    signed_in = user.is_authenticated
    if selectors.can_preview(user):
        article = selectors.article_for_reader(slug=slug, user=user, now=now)
        return article_page_render(article=article, signed_in=signed_in)
    now = now or timezone.now()
    catalogue = selectors.catalogue_entry(now=now)
    card = catalogue.card(slug)
    if card is None:
        raise Http404
    key = _page_key(card=card, generation=catalogue.generation, signed_in=signed_in, now=now)
    page = fallback_cache.get(key)
    if not isinstance(page, ArticlePage):
        article = selectors.article_for_reader(slug=slug, user=user, now=now)
        page = article_page_render(article=article, signed_in=signed_in, cards=catalogue.cards)
        # No longer than the catalogue it was keyed by: its generation ends with it.
        fallback_cache.set(key, page, catalogue.seconds_left(now=now))
    return page
