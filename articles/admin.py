"""Articles in the admin: the whole workspace of editors (who write and publish) and medical
reviewers (who approve); neither group sees anything else."""

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from articles import history, selectors, services
from articles.models import Article, ArticleApproval, MedicalReviewer, Reference, Tag
from articles.rendering import render_markdown

PREVIEW_MAX_CHARS = 200_000  # far beyond any article; keeps one request's work bounded


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), max_length=500, assume_scheme="https")

    class Meta:
        model = Reference
        fields = ("position", "title", "url", "doi", "pubmed_id")


class ReferenceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not any(form.has_changed() for form in self.forms) or any(self.errors):
            return  # unchanged references: the article form already checked the review
        references = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # self.instance already holds the article form's new title, summary and body.
        services.article_review_check(article=self.instance, references=references)


class ReferenceInline(admin.StackedInline):
    # Stacked rather than tabular: every field gets its own visible label (axe-clean).
    model = Reference
    form = ReferenceForm
    formset = ReferenceFormSet
    extra = 1
    fields = ("position", "title", "url", "doi", "pubmed_id")


class ArticleAdminForm(forms.ModelForm):
    # One native, labelled date-time input instead of the admin's split widget (whose two
    # inputs share one label); read in the editor's own time zone.
    publish_at = forms.DateTimeField(
        label=_("publish date"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=Article._meta.get_field("publish_at").help_text
        + " "
        + _("Leave empty to publish now when the status is Published."),
    )

    class Meta:
        model = Article
        fields = (
            "title", "slug", "summary", "body", "tags", "status", "publish_at", "call_to_action",
            "evidence_strength", "evidence_note", "next_review_due",
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        # "Published" with no date means "now" (the help text says so); without this the
        # model's constraint would reject the form with a less helpful message.
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("publish_at"):
            cleaned["publish_at"] = timezone.now()
        # The service refuses the save anyway; asking it here turns that into a form error.
        article = copy.copy(self.instance)
        for name in ("title", "summary", "body", "status"):
            if name in cleaned:
                setattr(article, name, cleaned[name])
        try:
            services.article_review_check(article=article)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class StateFilter(admin.SimpleListFilter):
    title = _("visibility")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("live", _("Live")), ("scheduled", _("Scheduled")), ("draft", _("Draft")))

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        if self.value() == "live":
            return published.filter(publish_at__lte=now)
        if self.value() == "scheduled":
            return published.filter(publish_at__gt=now)
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (
            ("overdue", _("Overdue or not set")),
            ("due", _("Due within four weeks")),
            ("not_due", _("Not due")),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + services.REVIEW_DUE_SOON
        if self.value() == "overdue":
            return queryset.filter(Q(next_review_due__lt=today) | Q(next_review_due__isnull=True))
        if self.value() == "due":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=soon)
        if self.value() == "not_due":
            return queryset.filter(next_review_due__gt=soon)
        return queryset


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    # django-simple-history rather than django-reversion: its admin lists every saved version
    # with who saved it and restores one through our own form and article_save (so the review
    # gate still decides), and its per-record history_user gives "who wrote this version"
    # without a revision wrapper around every save path (seed, services, admin).
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    history_list_display = ("text_changes",)
    inlines = (ReferenceInline,)
    list_display = (
        "title", "visibility", "publish_at", "next_review_due", "tag_list", "warnings",
    )  # fmt: skip
    list_filter = (StateFilter, "status", ReviewFilter, "evidence_strength", "tags")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "publish_at"
    actions = ("approve_version", "publish_now", "unpublish")
    # The old free-text reviewer fields stay visible but fixed: the public "Reviewed by" line
    # now comes only from a reviewer's approval, never from what an editor types.
    readonly_fields = (
        "author", "created_at", "updated_at", "reading_minutes", "reviewed_on", "reviewer_name",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body", "tags")}),
        (_("Publishing"), {"fields": ("status", "publish_at", "call_to_action")}),
        (_("Evidence"), {"fields": ("evidence_strength", "evidence_note")}),
        (_("Medical review"), {"fields": ("reviewed_on", "reviewer_name", "next_review_due")}),
        (
            _("Record"),
            {"fields": ("author", "created_at", "updated_at", "reading_minutes")},
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("body_html", "toc")
            .annotate(reference_count=Count("references"))
            .prefetch_related(
                "tags",
                "references",
                # Every approved digest: any approval of the exact text counts (a restored
                # version a reviewer approved earlier is approved).
                Prefetch(
                    "approvals",
                    queryset=ArticleApproval.objects.only("article_id", "content_hash"),
                    to_attr="approved_hashes",
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ["status", "publish_at"]  # may write, not decide what goes live
        return fields

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="articles_article_approve",
            ),
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
        ]
        return own + super().get_urls()

    def approve_view(self, request, object_id):
        """The reviewer's page: what changed since the last approval, then one button."""
        if not self.has_approve_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))  # None for a bad or unknown id
        if article is None:
            raise Http404
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if request.method == "POST":
            try:
                services.article_approve(article=article, user=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("You approved this version of “%(title)s”.") % {"title": article.title},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        current = history.article_text(article=article)
        previous = selectors.last_approval(article=article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Approve “%(title)s”") % {"title": article.title},
            "article": article,
            "change_url": change_url,
            "current": current,
            "previous": previous,
            "already_approved": selectors.article_approval(article=article) is not None,
            "diffs": history.text_diff(previous.text, current)
            if previous and previous.text
            else [],
            "author": history.version_author(article=article),
            "refusal": services.approval_refusal(article=article, user=request.user),
        }
        return TemplateResponse(request, "admin/articles/article/approve.html", context)

    # django-simple-history's views look ids up unchecked: a non-numeric one would be a 500.
    def history_view(self, request, object_id, extra_context=None):
        if not str(unquote(object_id)).isdigit():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (str(unquote(object_id)).isdigit() and str(version_id).isdigit()):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def preview_view(self, request):
        """POST the Markdown, get back the HTML the site would show (the same renderer and
        sanitizer as articles.rendering, through article_render). Staff who may write only."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        source = request.POST.get("body", "")
        if len(source) > PREVIEW_MAX_CHARS:
            return HttpResponse(
                _("The text is too long to preview (over %(count)d characters).")
                % {"count": PREVIEW_MAX_CHARS},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return HttpResponse(render_markdown(source).html, content_type="text/html; charset=utf-8")

    @admin.display(description=_("changes to the text"))
    def text_changes(self, record):
        previous = record.prev_record
        before = {name: getattr(previous, name) for name in history.TEXT_FIELDS} if previous else {}
        after = {name: getattr(record, name) for name in history.TEXT_FIELDS}
        return render_to_string(
            "admin/articles/article/diff.html", {"diffs": history.text_diff(before, after)}
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_approve": self.has_approve_permission(request),
            "preview_url": reverse("admin:articles_article_preview"),
        }
        return self._change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "preview_url": reverse("admin:articles_article_preview"),
        }
        return super().add_view(request, form_url, extra_context)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_approve_permission(self, request):
        return services.is_medical_reviewer(request.user)

    def _approved(self, obj) -> bool:
        if not hasattr(obj, "approved_hashes"):
            return selectors.article_approval(article=obj) is not None
        references = [
            {name: getattr(ref, name) for name in services.REFERENCE_HASH_FIELDS}
            for ref in obj.references.all()
        ]
        content = services.article_content_hash(article=obj, references=references)
        return any(approval.content_hash == content for approval in obj.approved_hashes)

    @admin.display(description=_("visibility"))
    def visibility(self, obj):
        if obj.is_live:
            return _("Live")
        if obj.is_scheduled:
            return _("Scheduled")
        return _("Draft")

    @admin.display(description=_("tags"))
    def tag_list(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description=_("warnings"))
    def warnings(self, obj):
        problems = self._problems(obj)
        return format_html_join(" ", "<strong>⚠ {}</strong>", ((p,) for p in problems))

    def _problems(self, obj) -> list[str]:
        problems = []
        if not self._approved(obj):
            problems.append(services.WAITING_FOR_REVIEW)
        if obj.review_overdue:
            problems.append(_("Medical review overdue"))
        count = getattr(obj, "reference_count", None)
        if count is None:
            count = obj.references.count()
        if count == 0:
            problems.append(_("No references"))
        return problems

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            flagged = sum(1 for obj in changelist.result_list if self._problems(obj))
            if flagged:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d article on this page needs attention: see the warnings "
                        "column (medical review waiting or overdue, or no references).",
                        "%(count)d articles on this page need attention: see the warnings "
                        "column (medical review waiting or overdue, or no references).",
                        flagged,
                    )
                    % {"count": flagged},
                )
        return response

    def _change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id) if request.method == "GET" else None
        if article is not None and selectors.article_approval(article=article) is None:
            messages.warning(
                request,
                _(
                    "Waiting for medical review: no reviewer has approved this text as it "
                    "stands, so it cannot be published until one does."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.article_save(article=obj, author=request.user)  # names the version's author

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.catalogue_invalidate()  # tags and references changed after the save

    def delete_model(self, request, obj):
        services.article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article)

    @admin.action(description=_("Approve this version (medical review)"), permissions=["approve"])
    def approve_version(self, request, queryset):
        try:
            for article in queryset:
                services.article_approve(article=article, user=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d article approved.", "%(count)d articles approved.", len(queryset))
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        published = 0
        for article in queryset:
            try:
                services.article_publish(article=article, now=now, user=request.user)
            except ValidationError:
                self.message_user(
                    request,
                    _("%(waiting)s: “%(title)s” was not published.")
                    % {"waiting": services.WAITING_FOR_REVIEW, "title": article.title},
                    messages.WARNING,
                )
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("%(count)d article published.", "%(count)d articles published.", published)
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset:
            services.article_unpublish(article=article, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d article unpublished.", "%(count)d articles unpublished.", len(queryset)
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    # A tag's name and slug are on the cached cards and article pages (articles.page_cache).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.catalogue_invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.catalogue_invalidate()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.catalogue_invalidate()


@admin.register(MedicalReviewer)
class MedicalReviewerAdmin(admin.ModelAdmin):
    # No group holds permissions on this model: only superusers name the reviewers.
    list_display = ("display_name", "credentials", "user")
    search_fields = ("display_name", "credentials")
    autocomplete_fields = ("user",)

    # The "Reviewed by" line of the cached article pages (articles.page_cache) names them.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.catalogue_invalidate()
