"""Articles: sourced, medically reviewed educational content that staff run from the admin."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.validators import validate_doi, validate_pubmed_id


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Evidence(models.TextChoices):
        STRONG = "strong", _("Strong")
        MODERATE = "moderate", _("Moderate")
        LIMITED = "limited", _("Limited")
        INSUFFICIENT = "insufficient", _("Insufficient")

    class CallToAction(models.TextChoices):
        NONE = "", _("None")
        LOG_DOSE = "log_dose", _("Log a dose")
        SET_REMINDER = "set_reminder", _("Set an evening reminder")
        OPEN_LOG = "open_log", _("Open your log")

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences: shown in lists, the feed and search results."),
    )
    body = models.TextField(
        _("body (Markdown)"),
        help_text=_("Markdown. Start sections with ## headings; raw HTML is shown as text."),
    )
    # Derived from `body` by articles.services.article_save: never edited by hand.
    body_html = models.TextField(_("rendered body"), blank=True, editable=False)
    toc = models.JSONField(_("table of contents"), default=list, blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=1, editable=False
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("A future date schedules the article: it stays hidden until then."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")

    reviewed_on = models.DateField(_("medically reviewed on"), null=True, blank=True)
    reviewer_name = models.CharField(_("reviewer"), max_length=120, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)

    evidence_note = models.TextField(
        _("what the evidence says"),
        max_length=800,
        help_text=_("A short plain-language summary of the evidence, shown near the top."),
    )
    evidence_strength = models.CharField(
        _("strength of evidence"), max_length=12, choices=Evidence.choices
    )
    call_to_action = models.CharField(
        _("call to action"), max_length=20, choices=CallToAction.choices, blank=True
    )

    # Launch content: which seed this article came from, and a digest of the fields as the
    # seed last wrote them. A different digest now means staff edited it: the seed keeps off.
    seed_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    seed_digest = models.CharField(max_length=64, blank=True, editable=False)

    # Every saved version, who saved it and when (django-simple-history): the readable diff,
    # restore, and "who wrote this version" for the no-self-approval rule. The derived HTML
    # is left out: it is rebuilt from the body on every save.
    history = HistoricalRecords(excluded_fields=["body_html", "toc", "reading_minutes"])

    class Meta:
        ordering = ("-publish_at", "-pk")
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish and unpublish articles")),
            ("approve_article", _("Can approve an article's text as medically reviewed")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(publish_at__isnull=False),
                name="article_published_has_date",
                violation_error_message=_("A published article needs a publish date."),
            )
        ]
        indexes = [models.Index(fields=["status", "publish_at"], name="article_live_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def review_overdue(self) -> bool:
        return self.next_review_due is None or self.next_review_due < timezone.localdate()


class Reference(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(
        _("citation"), max_length=400, help_text=_("Authors, title, journal or publisher, year.")
    )
    url = models.URLField(_("link"), max_length=500)
    doi = models.CharField(
        _("DOI"), max_length=200, blank=True, validators=[validate_doi], help_text="10.xxxx/…"
    )
    pubmed_id = models.CharField(
        _("PubMed id"), max_length=12, blank=True, validators=[validate_pubmed_id]
    )
    # References are part of the reviewed text: their edits count as edits of the version.
    history = HistoricalRecords()

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return self.title

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pubmed_id}/" if self.pubmed_id else ""


class MedicalReviewer(models.Model):
    """How a clinician is named on the articles they approved. Kept apart from the user (and
    from anything the user logs about their own health): it is public, their health data is not.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="medical_reviewer",
    )
    display_name = models.CharField(_("display name"), max_length=120, help_text="Dr A. Patel")
    credentials = models.CharField(
        _("credentials"), max_length=200, help_text=_("Degrees and specialty: MD, neurologist.")
    )

    class Meta:
        verbose_name = _("medical reviewer")
        verbose_name_plural = _("medical reviewers")

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}"


class ArticleApproval(models.Model):
    """A reviewer approved exactly this text: `content_hash` is the digest of the title,
    summary, body and references they saw, so any later edit no longer matches it."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="approvals"
    )
    reviewer = models.ForeignKey(
        MedicalReviewer,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,  # a public "Reviewed by" line must keep its name
        related_name="approvals",
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    content_hash = models.CharField(_("content hash"), max_length=64)
    # The text the reviewer saw (title, summary, body, references), so the next reviewer is
    # shown what changed since. Empty for approvals recorded before it was kept.
    text = models.JSONField(_("approved text"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ("-approved_at", "-pk")
        get_latest_by = ("approved_at", "pk")
        verbose_name = _("article approval")
        verbose_name_plural = _("article approvals")

    def __str__(self) -> str:
        return f"{self.article} — {self.reviewer}"


class ReviewDigest(models.Model):
    """One weekly "articles due for review" email to one reviewer: the row is what makes the
    weekly task safe to repeat (a second run in the same week finds it and sends nothing)."""

    reviewer = models.ForeignKey(
        MedicalReviewer, on_delete=models.CASCADE, related_name="review_digests"
    )
    week = models.DateField(help_text="The Monday of the ISO week it was sent in.")
    article_count = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "week"], name="review_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.week}"
