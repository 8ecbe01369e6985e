"""Changes to articles. Admin, the seed command and tests all go through these functions."""

import datetime
import hashlib
import json
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.history import article_text, version_author
from articles.models import Article, ArticleApproval, MedicalReviewer, ReviewDigest
from articles.rendering import render_markdown

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Medical reviewers"
CATALOGUE_KEY = "articles:catalogue"

# What an editor may do: write and publish articles (with their tags and references).
# Nothing on users, tracker data or reminders: those models are simply not in this list.
EDITOR_PERMISSIONS = {
    "article": ("add", "change", "view", "publish"),
    "tag": ("add", "change", "view"),
    "reference": ("add", "change", "delete", "view"),
}
# What a medical reviewer may do: read articles and approve their text. Writing and
# publishing stay with editors; users and their health data are closed to both.
REVIEWER_PERMISSIONS = {
    "article": ("view", "approve"),
    "tag": ("view",),
    "reference": ("view",),
}
REFERENCE_HASH_FIELDS = ("title", "url", "doi", "pubmed_id")
WAITING_FOR_REVIEW = _("Waiting for medical review")

# How long an approval stands before the article is due for its next clinical review. A year:
# the longest the sources our articles lean on go without a new trial or guideline (the AASM
# RLS guideline and its 2024 update, the ODS fact sheets are revised on that order), and
# the common yearly cycle of health-information review (e.g. the UK PIF TICK standard asks
# for a review date no more than three years out; we choose the stricter one year). The
# articles app keeps its own numbers: it must not import tracker.reference.
REVIEW_INTERVAL = datetime.timedelta(days=365)
# "Due" in the admin and the weekly email: the next review falls within this many days, so a
# reviewer has four weekly reminders before it becomes overdue.
REVIEW_DUE_SOON = datetime.timedelta(days=28)


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


def article_content_hash(*, article: Article, references: Iterable[dict] | None = None) -> str:
    """Digest of what a reviewer vouches for: title, summary, body and references.

    `references` are the ones about to be saved (dicts of REFERENCE_HASH_FIELDS); by default
    the article's saved ones. They are sorted by content, not by id, so a reference that is
    still unsaved in a form hashes the same as once it is saved.
    """
    if references is None:
        references = article.references.values(*REFERENCE_HASH_FIELDS) if article.pk else []
    payload = {
        "title": article.title.strip(),
        "summary": article.summary.strip(),
        "body": article.body.replace("\r\n", "\n").strip(),
        "references": sorted(
            [str(ref.get(name) or "").strip() for name in REFERENCE_HASH_FIELDS]
            for ref in references
        ),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def article_review_check(*, article: Article, references: Iterable[dict] | None = None) -> None:
    """Refuse to let an article be published (or scheduled) with text no reviewer approved.

    Passes when the text matches the latest approval, and when nothing new would go out: the
    saved article is already published with this very text (launch content, or articles
    live before reviews were recorded; their page says "Awaiting clinical review").
    """
    if article.status != Article.Status.PUBLISHED:
        return
    content = article_content_hash(article=article, references=references)
    # Any approval of this exact text, not only the latest: restoring a version a reviewer
    # approved needs no new review; restoring one nobody approved does.
    if article.pk and article.approvals.filter(content_hash=content).exists():
        return
    saved = Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).first()
    if (
        saved is not None
        and not saved.approvals.exists()
        and article_content_hash(article=saved) == content
    ):
        return
    raise ValidationError(
        _(
            "%(waiting)s: a medical reviewer must approve this text before it is published. "
            "Save it as a draft, then ask a reviewer to approve it."
        ),
        code="not_approved",
        params={"waiting": WAITING_FOR_REVIEW},
    )


def _require(user, permission: str) -> None:
    """The service's own check of what the admin already hides: a path that skips the admin
    (a script, a future API) names its user and is held to the same rule."""
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do that."))


def next_review_default(*, reviewed_on: datetime.date) -> datetime.date:
    return reviewed_on + REVIEW_INTERVAL


@transaction.atomic
def article_save(*, article: Article, author=None, unreviewed_launch: bool = False) -> Article:
    """Validate-free save of an article that a form (or the seed) has already validated.

    `author` is the person saving (checked for the permission to add or change articles, and
    recorded on the version in the history). Raises ValidationError if it is published with
    unapproved text, PermissionDenied if `author` may not write articles. `unreviewed_launch`
    is for the seed alone: launch content goes live unreviewed and says so on its page.
    """
    _require(author, "articles.change_article" if article.pk else "articles.add_article")
    if author is not None:
        article._history_user = author
    if article.author_id is None and author is not None:
        article.author = author
    if article.next_review_due is None and article.reviewed_on is not None:
        article.next_review_due = next_review_default(reviewed_on=article.reviewed_on)
    if article.status == Article.Status.PUBLISHED and article.publish_at is None:
        article.publish_at = timezone.now()
    # Browsers post textareas with CRLF: normalise, or a no-op admin save changes the body.
    article.body = article.body.replace("\r\n", "\n")
    if not unreviewed_launch:
        article_review_check(article=article)
    article_render(article=article)
    article.save()
    catalogue_invalidate()
    return article


@transaction.atomic
def article_publish(*, article: Article, now=None, user=None) -> Article:
    """Publish now: live at once, whatever date was scheduled before. Raises ValidationError
    when a reviewer has not approved this text, PermissionDenied when `user` may not publish."""
    _require(user, "articles.publish_article")
    if user is not None:
        article._history_user = user
    article.status = Article.Status.PUBLISHED
    try:
        article_review_check(article=article)
    except ValidationError:
        article.refresh_from_db(fields=["status", "publish_at"])
        raise
    article.publish_at = now or timezone.now()
    article.save(update_fields=["status", "publish_at", "updated_at"])
    catalogue_invalidate()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user=None) -> Article:
    _require(user, "articles.publish_article")
    if user is not None:
        article._history_user = user
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    catalogue_invalidate()
    return article


@transaction.atomic
def article_delete(*, article: Article) -> None:
    article.delete()
    catalogue_invalidate()


def is_medical_reviewer(user) -> bool:
    """In the Medical reviewers group and named for the public "Reviewed by" line. Group
    membership, not a permission: a superuser is not a clinician."""
    return (
        user.is_active
        and user.groups.filter(name=REVIEWERS_GROUP).exists()
        and MedicalReviewer.objects.filter(user=user).exists()
    )


SELF_APPROVAL = _(
    "You made the last change to this text, so another medical reviewer must approve it."
)


def approval_refusal(*, article: Article, user) -> str | None:
    """Why `user` may not approve the article's saved text, or None if they may."""
    if not is_medical_reviewer(user):
        return str(_("Only medical reviewers (with a name and credentials) approve."))
    author = version_author(article=article)
    if author is not None and author.pk == user.pk:
        return str(SELF_APPROVAL)
    return None


@transaction.atomic
def article_approve(
    *, article: Article, user, today: datetime.date | None = None
) -> ArticleApproval:
    """Record that `user`, a medical reviewer, approved the article's saved text as it is now,
    and set its next review a REVIEW_INTERVAL from today. Nobody approves a version whose
    text they wrote last (history.version_author)."""
    # The saved row, locked: what readers would get, not unsaved edits on this instance.
    saved = Article.objects.select_for_update().get(pk=article.pk)
    refusal = approval_refusal(article=saved, user=user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    approval = ArticleApproval.objects.create(
        article=saved,
        reviewer=user.medical_reviewer,
        content_hash=article_content_hash(article=saved),
        text=article_text(article=saved),
    )
    today = today or timezone.localdate()
    saved.reviewed_on = today
    saved.next_review_due = next_review_default(reviewed_on=today)
    saved._history_user = user
    saved.save(update_fields=["reviewed_on", "next_review_due", "updated_at"])
    article.reviewed_on, article.next_review_due = saved.reviewed_on, saved.next_review_due
    catalogue_invalidate()
    return approval


def _group_ensure(name: str, wanted_permissions: dict) -> Group:
    create_permissions(apps.get_app_config("articles"), verbosity=0)
    group = Group.objects.get_or_create(name=name)[0]
    wanted = [
        f"{action}_{model}" for model, actions in wanted_permissions.items() for action in actions
    ]
    permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=wanted)
    if permissions.count() != len(wanted):
        missing = set(wanted) - set(permissions.values_list("codename", flat=True))
        raise RuntimeError(f"article permissions missing: {sorted(missing)}")
    group.permissions.set(permissions)
    return group


@transaction.atomic
def editors_group_ensure() -> Group:
    """Create or repair the Editors group with exactly the article permissions. Idempotent.

    Runs after every migrate (post_migrate) and from seed_content. Permissions are created
    first because on a fresh database (or after a test flush) they may not exist yet.
    """
    return _group_ensure(EDITORS_GROUP, EDITOR_PERMISSIONS)


@transaction.atomic
def reviewers_group_ensure() -> Group:
    """Create or repair the Medical reviewers group (read articles, approve them). Idempotent;
    runs beside editors_group_ensure."""
    return _group_ensure(REVIEWERS_GROUP, REVIEWER_PERMISSIONS)


def _week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def review_digests_send(*, today: datetime.date, due: list[Article]) -> int:
    """Email every medical reviewer the list of articles `due` (due soon or overdue), once per
    ISO week each; nothing when the list is empty. Returns how many emails went out.

    Safe to repeat: the ReviewDigest row for (reviewer, week) is written in the same
    transaction as the send; a second run that week finds it. If the send fails the row is
    rolled back, so a retry sends it. The subject names no article and no health data.
    """
    if not due:
        return 0
    week = _week_of(today)
    reviewers = MedicalReviewer.objects.filter(
        user__is_active=True, user__groups__name=REVIEWERS_GROUP
    ).select_related("user")
    rows = [
        {
            "title": article.title,
            "next_review_due": article.next_review_due,
            "overdue": article.next_review_due is None or article.next_review_due < today,
            "url": settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk]),
        }
        for article in due
    ]
    sent = 0
    for reviewer in reviewers:
        with transaction.atomic():
            _digest, created = ReviewDigest.objects.get_or_create(
                reviewer=reviewer, week=week, defaults={"article_count": len(rows)}
            )
            if not created:
                continue
            context = {"reviewer": reviewer, "articles": rows, "today": today}
            message = EmailMultiAlternatives(
                subject=str(_("Articles due for medical review")),
                body=render_to_string("articles/email/review_due.txt", context),
                to=[reviewer.user.email],
            )
            message.attach_alternative(
                render_to_string("articles/email/review_due.html", context), "text/html"
            )
            message.send()
            sent += 1
    return sent
