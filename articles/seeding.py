"""Load the launch articles: create, update, or keep off an article staff have edited."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.launch_content import LAUNCH_ARTICLES, LaunchArticle
from articles.models import Article, Reference, Tag
from articles.services import (
    article_save,
    catalogue_invalidate,
    editors_group_ensure,
    reviewers_group_ensure,
)

_FIELDS = (
    "title", "slug", "summary", "body", "evidence_strength", "evidence_note", "call_to_action",
    "reviewed_on", "reviewer_name", "next_review_due",
)  # fmt: skip
_REFERENCE_FIELDS = ("title", "url", "doi", "pubmed_id")


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _text(value) -> str:
    """A value as the admin would save it back: forms strip surrounding whitespace (a body
    file's final newline) and article_save turns a browser's CRLF into LF."""
    return str(value).replace("\r\n", "\n").strip()


def _digest(values: dict, tags: list[str], refs: list[dict], *, raw: bool = False) -> str:
    """What the seed compares. `raw` is the digest as stored before values were normalised
    (unstripped): databases seeded then still hold it, so it is recognised once."""
    text = str if raw else _text
    payload = {
        "fields": {name: text(values[name]) for name in _FIELDS},
        "tags": sorted(tags),
        "references": [[text(ref.get(name, "")) for name in _REFERENCE_FIELDS] for ref in refs],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _spec_values(spec: LaunchArticle) -> dict:
    return {name: getattr(spec, name) for name in _FIELDS}


def _spec_digest(spec: LaunchArticle) -> str:
    return _digest(_spec_values(spec), list(spec.tags), list(spec.references))


def _current_digest(article: Article, *, raw: bool = False) -> str:
    values = {name: getattr(article, name) for name in _FIELDS}
    tags = [tag.name for tag in article.tags.all()]
    references = [
        {name: getattr(ref, name) for name in _REFERENCE_FIELDS} for ref in article.references.all()
    ]
    return _digest(values, tags, references, raw=raw)


def _write(article: Article, spec: LaunchArticle) -> None:
    for name, value in _spec_values(spec).items():
        setattr(article, name, value)
    article.seed_key = spec.key
    article.seed_digest = _spec_digest(spec)
    # Live without a clinician's approval, and never a made-up one: the page says so.
    article_save(article=article, unreviewed_launch=True)
    tags = [
        Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in spec.tags
    ]
    article.tags.set(tags)
    article.references.all().delete()
    Reference.objects.bulk_create(
        Reference(
            article=article, position=number, **{k: ref.get(k, "") for k in _REFERENCE_FIELDS}
        )
        for number, ref in enumerate(spec.references, start=1)
    )


@transaction.atomic
def launch_content_seed(*, articles: tuple[LaunchArticle, ...] = LAUNCH_ARTICLES) -> SeedReport:
    """Idempotent: creates what is missing, updates what the seed still owns, never
    duplicates, and never overwrites an article whose content staff changed since."""
    editors_group_ensure()
    reviewers_group_ensure()
    report = SeedReport()
    for spec in articles:
        article = Article.objects.filter(seed_key=spec.key).first()
        if article is None:
            if Article.objects.filter(slug=spec.slug).exists():
                report.conflicts.append(spec.slug)  # staff wrote their own article here
                continue
            article = Article(status=Article.Status.PUBLISHED, publish_at=timezone.now())
            _write(article, spec)
            report.created.append(spec.slug)
            continue
        current = _current_digest(article)
        stored_raw = current != article.seed_digest and (
            _current_digest(article, raw=True) == article.seed_digest
        )
        if stored_raw:
            # Seeded before digests were normalised and untouched since: carry it over, so an
            # update of the launch text still reaches it (updated_at stays as it is).
            Article.objects.filter(pk=article.pk).update(seed_digest=current)
            article.seed_digest = current
        # A clinician approved this text: the seed must not swap it for unreviewed text.
        if current != article.seed_digest or article.approvals.exists():
            report.kept_edits.append(article.slug)
        elif current == _spec_digest(spec):
            report.unchanged.append(article.slug)
        else:
            _write(article, spec)
            report.updated.append(spec.slug)
    catalogue_invalidate()
    return report
