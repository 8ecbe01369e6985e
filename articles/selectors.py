"""Reads of articles shared by the reading pages, the feed, the sitemap and the admin."""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleApproval
from articles.services import (
    CATALOGUE_KEY,
    REFERENCE_HASH_FIELDS,
    REVIEW_DUE_SOON,
    article_content_hash,
)
from portal import fallback_cache

# The longest the catalogue is kept even when nothing is scheduled: a safety net for changes
# that bypass the services (a shell, a raw SQL fix). Scheduled publishing never waits on it.
CATALOGUE_MAX_AGE = timedelta(hours=1)
BODY_CACHE_TIMEOUT = 60 * 60 * 24 * 7  # keyed by updated_at, so an edit is a new key
SEARCH_MAX_LENGTH = 200


@dataclass(frozen=True)
class ArticleCard:
    """What lists, the feed, the sitemap and "related" need: no body, no references."""

    id: int
    title: str
    slug: str
    summary: str
    publish_at: datetime
    updated_at: datetime
    reading_minutes: int
    evidence_strength: str
    tags: tuple[tuple[str, str], ...]  # (slug, name)

    @property
    def url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def tag_slugs(self) -> frozenset[str]:
        return frozenset(slug for slug, _ in self.tags)


def live_articles(*, now: datetime | None = None) -> QuerySet[Article]:
    now = now or timezone.now()
    return Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__lte=now)


def next_scheduled_publish(*, now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


def _card(article: Article) -> ArticleCard:
    return ArticleCard(
        id=article.pk,
        title=article.title,
        slug=article.slug,
        summary=article.summary,
        publish_at=article.publish_at,
        updated_at=article.updated_at,
        reading_minutes=article.reading_minutes,
        evidence_strength=article.evidence_strength,
        tags=tuple((tag.slug, tag.name) for tag in article.tags.all()),
    )


@dataclass(frozen=True)
class Catalogue:
    cards: list[ArticleCard]
    valid_until: datetime
    # New with every rebuild, and every change through the services drops the catalogue: what
    # is cached under a generation (articles.page_cache) is as current as the catalogue.
    generation: str

    def card(self, slug: str) -> ArticleCard | None:
        return next((card for card in self.cards if card.slug == slug), None)

    def seconds_left(self, *, now: datetime) -> int:
        """How long it, and what is cached from it, may be kept."""
        return max(1, math.ceil((self.valid_until - now).total_seconds()))


def catalogue_entry(*, now: datetime | None = None) -> Catalogue:
    """Every live article as a card, newest first; cached until the next scheduled publish.

    The expiry is stored inside the value (and as the Redis TTL): a scheduled article goes
    live on time without anyone saving anything. With Redis down it is read from the database.
    """
    now = now or timezone.now()
    cached = fallback_cache.get(CATALOGUE_KEY)
    # An entry without a generation was stored by the previous release: built again.
    if cached is not None and cached["valid_until"] > now and "generation" in cached:
        return Catalogue(**cached)
    cards = [
        _card(article)
        for article in live_articles(now=now)
        .only(
            "id", "title", "slug", "summary", "publish_at", "updated_at", "reading_minutes",
            "evidence_strength",
        )
        .prefetch_related("tags")
        .order_by("-publish_at", "-pk")
    ]  # fmt: skip
    valid_until = now + CATALOGUE_MAX_AGE
    upcoming = next_scheduled_publish(now=now)
    if upcoming is not None:
        valid_until = min(valid_until, upcoming)
    entry = Catalogue(cards=cards, valid_until=valid_until, generation=secrets.token_hex(8))
    fallback_cache.set(CATALOGUE_KEY, vars(entry), entry.seconds_left(now=now))
    return entry


def catalogue(*, now: datetime | None = None) -> list[ArticleCard]:
    """The live articles' cards (catalogue_entry)."""
    return catalogue_entry(now=now).cards


def catalogue_tags(cards: list[ArticleCard]) -> list[tuple[str, str]]:
    return sorted({tag for card in cards for tag in card.tags}, key=lambda tag: tag[1].lower())


def _search_ids(query: str, *, now: datetime) -> list[int]:
    """Ids of live articles matching `query`, most relevant first."""
    articles = live_articles(now=now)
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        return list(
            articles.annotate(document=vector, rank=SearchRank(vector, search))
            .filter(document=search)
            .order_by("-rank", "-publish_at")
            .values_list("id", flat=True)
        )
    # SQLite: every word must appear somewhere; a title match ranks first, then the summary.
    words = query.split()[:10]
    if not words:
        return []
    match = Q()
    title_hits = Q()
    summary_hits = Q()
    for word in words:
        match &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        title_hits |= Q(title__icontains=word)
        summary_hits |= Q(summary__icontains=word)
    return list(
        articles.filter(match)
        .annotate(
            rank=Case(
                When(title_hits, then=Value(2)),
                When(summary_hits, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-rank", "-publish_at")
        .values_list("id", flat=True)
    )


def article_cards(
    *,
    query: str = "",
    tag: str = "",
    cards: list[ArticleCard] | None = None,
    now: datetime | None = None,
) -> list[ArticleCard]:
    """Live article cards for the list page: searched (by relevance) and/or by tag."""
    now = now or timezone.now()
    if cards is None:
        cards = catalogue(now=now)
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if query:
        by_id = {card.id: card for card in cards}
        cards = [by_id[pk] for pk in _search_ids(query, now=now) if pk in by_id]
    if tag:
        cards = [card for card in cards if tag in card.tag_slugs]
    return cards


def related_cards(
    *,
    article: Article,
    limit: int = 3,
    cards: list[ArticleCard] | None = None,
    now: datetime | None = None,
):
    """Live articles sharing most tags with `article` (then the newest). `cards`: the
    catalogue's, when the caller has it."""
    own = {tag.slug for tag in article.tags.all()}  # prefetched by article_for_reader
    if not own:
        return []
    scored = [
        (len(own & card.tag_slugs), card)
        for card in (catalogue(now=now) if cards is None else cards)
        if card.id != article.pk and own & card.tag_slugs
    ]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].publish_at.timestamp()))
    return [card for _, card in scored[:limit]]


def can_preview(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm("articles.change_article")


def article_for_reader(*, slug: str, user, now: datetime | None = None) -> Article:
    """The article a reader may see at /articles/<slug>/, or 404.

    Drafts and scheduled articles exist only for staff who edit articles (a preview at the
    real URL); everyone else gets the same 404 as for a slug that never existed.
    """
    articles = Article.objects.defer("body", "body_html", "toc")
    if not can_preview(user):
        now = now or timezone.now()
        articles = articles.filter(status=Article.Status.PUBLISHED, publish_at__lte=now)
    try:
        return articles.prefetch_related("tags", "references").get(slug=slug)
    except Article.DoesNotExist:
        raise Http404 from None


def _reference_dicts(article: Article) -> list[dict]:
    return [
        {name: getattr(ref, name) for name in REFERENCE_HASH_FIELDS}
        for ref in article.references.all()  # prefetched by article_for_reader
    ]


def article_body_key(*, article: Article) -> str:
    """This version's cache key: an edit, a publish and an approval each save the article
    (a new updated_at); the references are in it too, as the approval's hash covers them."""
    references = sorted(tuple(str(v) for v in ref.values()) for ref in _reference_dicts(article))
    digest = hashlib.sha256(repr(references).encode()).hexdigest()[:16]
    return f"articles:body:{article.pk}:{article.updated_at.timestamp()}:{digest}"


def article_body(*, article: Article) -> dict:
    """The rendered body, table of contents and content hash (what an approval must match),
    from Redis when this version is cached: the reading page then never loads the Markdown."""
    key = article_body_key(article=article)
    cached = fallback_cache.get(key)
    if cached is None:
        html, toc, body = (
            Article.objects.filter(pk=article.pk).values_list("body_html", "toc", "body").get()
        )
        article.body = body  # deferred by article_for_reader; the hash needs it
        content = article_content_hash(article=article, references=_reference_dicts(article))
        cached = {"html": html, "toc": toc, "content_hash": content}
        fallback_cache.set(key, cached, BODY_CACHE_TIMEOUT)
    return cached


def article_approval(
    *, article: Article, content_hash: str | None = None
) -> ArticleApproval | None:
    """The latest approval of the text as it stands now, else None ("Awaiting clinical
    review"): an approval of other text must not vouch for text its reviewer never saw. A
    restored version a reviewer approved earlier is approved again. `content_hash`: the
    article's, when the caller has it (article_body)."""
    if content_hash is None:
        content_hash = article_content_hash(article=article, references=_reference_dicts(article))
    return article.approvals.select_related("reviewer").filter(content_hash=content_hash).first()


def last_approval(*, article: Article) -> ArticleApproval | None:
    """The most recent approval whatever text it was of (what a reviewer compares with)."""
    return article.approvals.select_related("reviewer").first()


def articles_due_for_review(*, today: date) -> QuerySet[Article]:
    """Articles whose next clinical review is overdue (or unset) or falls within
    REVIEW_DUE_SOON of `today`, the most overdue first."""
    return Article.objects.filter(
        Q(next_review_due__isnull=True) | Q(next_review_due__lte=today + REVIEW_DUE_SOON)
    ).order_by(F("next_review_due").asc(nulls_first=True), "title")


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
