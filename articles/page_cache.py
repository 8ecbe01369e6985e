"""The article pages' parts that are the same for every reader, rendered once per version:
the reading page's head tags and content, and the list's content (/articles/, no search).

Nothing of them depends on the reader but whether they are signed in (the call to action) and
the language and time zone they render in; everything else comes from the articles, their
tags, references, approvals and reviewers. Each of those changes through the services or the
admin, which drop the catalogue (services.catalogue_invalidate): an entry is keyed by the
catalogue's generation, so it is as current as the catalogue is, and a hit needs no query at
all. A scheduled article goes live when the catalogue expires (at its publish time); the day
is in the key for "due for its regular review"; a digest of the release (portal/release.py)
is too, so a deploy never serves the previous release's HTML.

Staff who may preview get drafts and scheduled articles with a banner: never cached. Redis
unreachable: the catalogue and the pages are read from the database (portal/fallback_cache.py).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.core.paginator import Paginator
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from articles import selectors
from articles.models import Article
from portal import fallback_cache, release

LIST_PAGE_SIZE = 10
T = TypeVar("T")


@dataclass(frozen=True)
class ArticlePage:
    title: str
    summary: str
    head: SafeString
    content: SafeString


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


def _key(*, name: str, catalogue: selectors.Catalogue, now: datetime, extra: tuple) -> str:
    material = (
        catalogue.generation,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate(now),
        get_urlconf(),
        get_script_prefix(),
        release.release_digest(),
        extra,
    )
    digest = hashlib.blake2b(repr(material).encode(), digest_size=16).hexdigest()
    return f"articles:{name}:{digest}"


def _kept(
    *, key: str, catalogue: selectors.Catalogue, now: datetime, compute: Callable[[], T]
) -> T:
    value = fallback_cache.get(key)
    if value is None:
        value = compute()
        # No longer than the catalogue it was keyed by: its generation ends with it.
        fallback_cache.set(key, value, catalogue.seconds_left(now=now))
    return value


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
    return _kept(
        key=_key(name=f"page:{card.id}", catalogue=catalogue, now=now, extra=(signed_in,)),
        catalogue=catalogue,
        now=now,
        compute=lambda: article_page_render(
            article=selectors.article_for_reader(slug=slug, user=user, now=now),
            signed_in=signed_in,
            cards=catalogue.cards,
        ),
    )


def article_list(*, query: str, tag: str, page_number, now: datetime | None = None) -> dict:
    """What /articles/ shows: the page of cards (searched and/or by tag) and its rendered
    content. Kept when it comes from the catalogue alone (no search) with a known tag or
    none: whatever else is typed into the address bar gets no entry of its own."""
    now = now or timezone.now()
    catalogue = selectors.catalogue_entry(now=now)
    cards = selectors.article_cards(query=query, tag=tag, cards=catalogue.cards, now=now)
    tags = selectors.catalogue_tags(catalogue.cards)
    context = {
        "page": Paginator(cards, LIST_PAGE_SIZE).get_page(page_number),
        "query": query,
        "tag": tag,
        "tag_name": dict(tags).get(tag, ""),
        "tags": tags,
    }

    def render() -> SafeString:
        return render_to_string("articles/includes/article_list_content.html", context)

    if query or (tag and not context["tag_name"]):
        context["content"] = render()
    else:
        extra = (tag, context["page"].number)
        key = _key(name="list", catalogue=catalogue, now=now, extra=extra)
        context["content"] = _kept(key=key, catalogue=catalogue, now=now, compute=render)
    return context
