"""Admin for the newsroom's daily work: write, byline, tag, publish and correct articles."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from media.admin import image_thumbnail

from . import services
from .admin_editor import editor_urls
from .admin_preview import PreviewLinkMixin
from .admin_revisions import RevisionAdminMixin
from .editor import body_formfield_kwargs
from .models import (
    Article,
    ArticleAuthor,
    ArticleTag,
    Correction,
    Section,
    Tag,
    prefetch_bylines,
)


class TaxonomyAdmin(admin.ModelAdmin):
    """Sections and tags: named, slugged, and counted by the articles that use them."""

    list_display = ["name", "slug", "article_count"]
    ordering = ["name", "id"]  # Meta.ordering does not survive the count's GROUP BY
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Section)
class SectionAdmin(TaxonomyAdmin):
    pass


@admin.register(Tag)
class TagAdmin(TaxonomyAdmin):
    pass


class FollowsArticlePermission:
    """An inline that is read-only wherever its article is (another writer's, say)."""

    def _article_editable(self, request, obj):
        return obj is None or services.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return self._article_editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        editable = self._article_editable(request, obj)
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        editable = self._article_editable(request, obj)
        return editable and super().has_delete_permission(request, obj)


class BylineInline(FollowsArticlePermission, admin.TabularInline):
    """The byline in the order readers see it: lower positions first, then the order added."""

    model = ArticleAuthor
    fields = ["author", "byline_role", "position"]
    autocomplete_fields = ["author"]
    ordering = ["position", "id"]
    extra = 1


class ArticleTagInline(FollowsArticlePermission, admin.TabularInline):
    model = ArticleTag
    fields = ["tag"]
    autocomplete_fields = ["tag"]
    extra = 1


class CorrectionInline(FollowsArticlePermission, admin.StackedInline):
    """Dated notes shown under the article when a fact in it was wrong, oldest first."""

    model = Correction
    fields = ["kind", "date", "text"]
    extra = 0


TEXTAREA_ROWS = {"standfirst": 3, "lead_image_caption": 2, "seo_description": 2}


def fix_image_message(image, problem):
    """The problem with a link to the photo's page, where the editor can fix it."""
    return format_html(
        '{} <a href="{}" target="_blank">{}</a>',
        problem,
        reverse("admin:media_image_change", args=[image.pk]),
        _("Edit the photo"),
    )


class ArticleAdminForm(forms.ModelForm):
    """The article form; the admin supplies its model and fields (from the fieldsets)."""

    #: Who fills the form in (set by the admin's ``get_form``); ``None`` is the system.
    user = None

    def clean(self):
        """The form follows the rules of the workflow steps: what the user's role allows
        (whatever values were posted), and the photo rules when publishing."""
        cleaned_data = super().clean()
        changes = {
            name: cleaned_data[name] for name in services.WORKFLOW_FIELDS if name in cleaned_data
        }
        try:
            # The instance still holds the stored values: the form copies its own in later.
            services.check_change(self.user, self.instance, changes)
        except services.NotAllowed as error:
            raise forms.ValidationError(str(error), code="not_allowed") from error
        if cleaned_data.get("status") == Article.Status.PUBLISHED:
            # A body the form refused has its own error; a body not in the form is the stored one.
            body = cleaned_data.get("body", "" if "body" in self.fields else self.instance.body)
            problems = services.photo_problems(cleaned_data.get("lead_image"), body)
            for problem in problems:
                # Body photos are reported above the form: an error on the body field would
                # stop the model's own check of the body (photos not in the library) running.
                field = "lead_image" if problem.field == "lead_image" else None
                self.add_error(
                    field if field in self.fields else None,
                    fix_image_message(problem.image, problem.message),
                )
        return cleaned_data


class ImageRightsFilter(admin.SimpleListFilter):
    """Published articles whose lead photo's rights end soon or have ended."""

    title = _("photo rights")
    parameter_name = "photo_rights"

    def lookups(self, request, model_admin):
        return [
            (
                "expiring",
                _("Published, expiring within %(days)d days or expired")
                % {"days": settings.IMAGE_RIGHTS_WARNING_DAYS},
            )
        ]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return services.articles_with_expiring_image_rights(queryset=queryset)
        return queryset


class WorkflowFilter(admin.SimpleListFilter):
    """The desks' queues: what waits for an editor, what is scheduled, a writer's own."""

    title = _("workflow")
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [
            ("review", _("Waiting for review")),
            ("scheduled", _("Scheduled")),
            ("taken-down", _("Taken down at their time")),
            ("mine", _("Mine")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        match self.value():
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return published.filter(published_at__gt=now)
            case "taken-down":
                return published.filter(unpublish_at__lte=now)
            case "mine":
                return queryset.filter(
                    Q(created_by=request.user) | Q(bylines__author__user=request.user)
                ).distinct()
        return queryset


@admin.register(Article)
class ArticleAdmin(PreviewLinkMixin, RevisionAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "status",
        "section",
        "byline",
        "published_at",
        "lead_thumbnail",
        "lead_rights",
        "created_by",
    ]
    list_filter = [
        "status",
        WorkflowFilter,
        ImageRightsFilter,
        "section",
        "tags",
        "authors",
        "published_at",
    ]
    list_select_related = ["section", "lead_image", "created_by"]
    search_fields = ["title", "slug", "standfirst", "authors__name"]
    date_hierarchy = "published_at"
    # Undated drafts first, on every database; then newest first.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "lead_image", "social_image"]
    readonly_fields = ["lead_image_preview", "created_by", "created_at", "modified_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (
            _("Lead photo"),
            {"fields": ["lead_image", "lead_image_preview", "lead_image_caption"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "section",
                    "status",
                    "published_at",
                    "unpublish_at",
                    "display_date",
                    ("created_by", "created_at", "modified_at"),
                ]
            },
        ),
        (
            _("First published elsewhere"),
            {
                "classes": ["collapse"],
                "fields": ["original_publisher", "original_url", "canonical_url"],
            },
        ),
        (
            _("Search engines"),
            {
                "classes": ["collapse"],
                "fields": ["seo_title", "seo_description", "social_image"],
            },
        ),
    ]
    inlines = [BylineInline, ArticleTagInline, CorrectionInline]
    actions = ["submit_for_review", "publish", "unpublish", "archive"]

    # -- Roles: the rules are services'; the admin offers each role only what it allows -------

    def get_form(self, request, obj=None, **kwargs):
        """The form knows who fills it in, so its checks follow that person's role."""
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request
        return form

    def get_readonly_fields(self, request, obj=None):
        """Only editors set the publication and take-down times."""
        fields = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user):
            fields += [name for name in services.SCHEDULE_FIELDS if name not in fields]
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        """Writers move their articles between draft and review; editors set any status."""
        if db_field.name == "status" and not services.can_publish(request.user):
            kwargs["choices"] = [
                (status.value, status.label) for status in services.WRITER_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        """Writers change their own drafts and articles in review; others' they only view."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def review_queue_message(self, request):
        """Tell editors how many articles wait for them, with a link to the queue."""
        if not services.can_publish(request.user):
            return
        count = Article.objects.filter(status=Article.Status.REVIEW).count()
        if count:
            link = "?" + urlencode({WorkflowFilter.parameter_name: "review"})
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    ngettext(
                        "%(count)d article is waiting for review.",
                        "%(count)d articles are waiting for review.",
                        count,
                    )
                    % {"count": count},
                    link,
                    _("Show them"),
                ),
                messages.INFO,
            )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The body is written in the rich-text editor (``articles.editor``)."""
        if db_field.name == "body":
            kwargs.update(body_formfield_kwargs(self.admin_site.name))
        elif db_field.name in TEXTAREA_ROWS:
            kwargs["widget"] = AdminTextareaWidget(attrs={"rows": TEXTAREA_ROWS[db_field.name]})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        """The body editor's photo chooser, under the article admin."""
        return editor_urls(self) + super().get_urls()

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related(prefetch_bylines())
        return services.with_image_rights_expiry(queryset)

    def changelist_view(self, request, extra_context=None):
        """Say when published articles use photos whose rights end soon, with a link to them."""
        if not request.GET and request.method == "GET":
            self.review_queue_message(request)
        if ImageRightsFilter.parameter_name not in request.GET and request.method == "GET":
            count = services.articles_with_expiring_image_rights().count()
            if count:
                link = "?" + urlencode({ImageRightsFilter.parameter_name: "expiring"})
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        ngettext(
                            "%(count)d published article uses a photo whose rights expire "
                            "within %(days)d days or have expired.",
                            "%(count)d published articles use photos whose rights expire "
                            "within %(days)d days or have expired.",
                            count,
                        )
                        % {"count": count, "days": settings.IMAGE_RIGHTS_WARNING_DAYS},
                        link,
                        _("Show them"),
                    ),
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)

    def view_on_site(self, obj):
        """Link to the public page only when readers can see it; drafts have none yet."""
        return obj.get_absolute_url() if obj.is_public else None

    @admin.display(description=_("byline"))
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline_authors())

    @admin.display(description=_("lead photo"))
    def lead_thumbnail(self, obj):
        return image_thumbnail(obj.lead_image, size=60)

    @admin.display(description=_("current lead photo"))
    def lead_image_preview(self, obj):
        thumbnail = image_thumbnail(obj.lead_image, size=240)
        if not thumbnail:
            return "—"
        problem = services.lead_image_problem(obj.lead_image)
        if problem is None:
            return thumbnail
        return format_html(
            '{}<p class="errornote">{}</p>', thumbnail, fix_image_message(obj.lead_image, problem)
        )

    @admin.display(description=_("photo rights until"), ordering="image_rights_expire_at")
    def lead_rights(self, obj):
        expiry = getattr(obj, "image_rights_expire_at", None)
        if expiry is None:
            return ""
        soon = expiry <= timezone.now() + timedelta(days=settings.IMAGE_RIGHTS_WARNING_DAYS)
        if soon and obj.status == Article.Status.PUBLISHED:
            return format_html('<strong class="errornote">{}</strong>', expiry.date())
        return str(expiry.date())

    def _log(self, request, articles, message):
        """Record each change in the article's history, as a save in the form would."""
        for article in articles:
            self.log_change(request, article, message)

    def _report(self, request, changed, text):
        """Say what a bulk action did: a success if it changed anything, else a warning."""
        self.message_user(request, text, messages.SUCCESS if changed else messages.WARNING)

    def _report_skipped(self, request, heading, reasons):
        """List the articles a bulk action left alone, each with its ``(title, reason)``."""
        items = format_html_join("", "<li>“{}”: {}</li>", reasons)
        self.message_user(request, format_html("{}<ul>{}</ul>", heading, items), messages.ERROR)

    @admin.action(description=_("Submit selected articles for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        result = services.submit_articles_for_review(queryset, user=request.user)
        changed = result.submitted
        self._log(request, changed, "Submitted for review with the bulk action.")
        self._report(
            request,
            changed,
            ngettext(
                "%(count)d article submitted for review.",
                "%(count)d articles submitted for review.",
                len(changed),
            )
            % {"count": len(changed)},
        )
        if result.skipped:
            self._report_skipped(
                request,
                ngettext(
                    "%(count)d article was not submitted:",
                    "%(count)d articles were not submitted:",
                    len(result.skipped),
                )
                % {"count": len(result.skipped)},
                ((article.title, reason) for article, reason in result.skipped),
            )

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        result = services.publish_articles(queryset, now=now, user=request.user)
        changed = result.published
        self._log(request, changed, "Published with the bulk action.")
        scheduled = sum(1 for article in changed if article.published_at > now)
        message = ngettext(
            "%(count)d article published.", "%(count)d articles published.", len(changed)
        ) % {"count": len(changed)}
        if scheduled:
            message += " " + ngettext(
                "%(count)d of them is scheduled and appears at its publication time.",
                "%(count)d of them are scheduled and appear at their publication time.",
                scheduled,
            ) % {"count": scheduled}
        self._report(request, changed, message)
        if result.skipped:
            self._report_skipped(
                request,
                ngettext(
                    "%(count)d article was not published:",
                    "%(count)d articles were not published:",
                    len(result.skipped),
                )
                % {"count": len(result.skipped)},
                (
                    (
                        article.title,
                        format_html_join(
                            " ",
                            "{}",
                            (
                                (fix_image_message(problem.image, problem.message),)
                                for problem in error.problems
                            ),
                        ),
                    )
                    for article, error in result.skipped
                ),
            )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = services.unpublish_articles(queryset, user=request.user)
        self._log(request, changed, "Unpublished with the bulk action.")
        self._report(
            request,
            changed,
            ngettext(
                "%(count)d article unpublished and returned to draft.",
                "%(count)d articles unpublished and returned to draft.",
                len(changed),
            )
            % {"count": len(changed)},
        )

    @admin.action(description=_("Archive selected articles"), permissions=["publish"])
    def archive(self, request, queryset):
        changed = services.archive_articles(queryset, user=request.user)
        self._log(request, changed, "Archived with the bulk action.")
        self._report(
            request,
            changed,
            ngettext("%(count)d article archived.", "%(count)d articles archived.", len(changed))
            % {"count": len(changed)},
        )
