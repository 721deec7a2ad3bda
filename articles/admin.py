"""Admin for the newsroom's daily work: write, byline, tag, publish and correct articles."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.db.models import Count, F
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from media.admin import image_thumbnail

from . import services
from .body import BLOCK_TAGS, INLINE_TAGS, PULL_QUOTE_CLASS
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


class BylineInline(admin.TabularInline):
    """The byline in the order readers see it: lower positions first, then the order added."""

    model = ArticleAuthor
    fields = ["author", "byline_role", "position"]
    autocomplete_fields = ["author"]
    ordering = ["position", "id"]
    extra = 1


class ArticleTagInline(admin.TabularInline):
    model = ArticleTag
    fields = ["tag"]
    autocomplete_fields = ["tag"]
    extra = 1


class CorrectionInline(admin.StackedInline):
    """Dated notes shown under the article when a fact in it was wrong, oldest first."""

    model = Correction
    fields = ["date", "text"]
    extra = 0


BODY_ATTRS = {
    "rows": 30,
    "style": "width:100%;max-width:60em;font-family:monospace;font-size:13px",
}
TEXTAREA_ROWS = {"standfirst": 3, "lead_image_caption": 2, "seo_description": 2}


def body_help_text():
    """The allowed markup, listed from the sanitiser's own allow-list so the two always agree."""
    tags = ", ".join(f"<{tag}>" for tag in sorted(BLOCK_TAGS | INLINE_TAGS))
    return format_html(
        "{} {}<br>{}",
        _("HTML. Allowed tags:"),
        tags,
        _(
            'Links keep only href and title; a <blockquote class="{}"> is a pull quote, '
            "its <cite> the attribution. Everything else (scripts, styles, attributes, "
            "embeds) is removed on save."
        ).format(PULL_QUOTE_CLASS),
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "status",
        "section",
        "byline",
        "published_at",
        "lead_thumbnail",
    ]
    list_filter = ["status", "section", "tags", "authors", "published_at"]
    list_select_related = ["section", "lead_image"]
    search_fields = ["title", "slug", "standfirst", "authors__name"]
    date_hierarchy = "published_at"
    # Undated drafts first, on every database; then newest first.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "lead_image"]
    readonly_fields = ["lead_image_preview", "created_at", "modified_at"]
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
                    ("created_at", "modified_at"),
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
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]},
        ),
    ]
    inlines = [BylineInline, ArticleTagInline, CorrectionInline]
    actions = ["publish", "unpublish"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The body is HTML in a large monospace box, with the allowed markup listed under it."""
        if db_field.name == "body":
            kwargs["widget"] = AdminTextareaWidget(attrs=BODY_ATTRS)
            kwargs["help_text"] = body_help_text()
        elif db_field.name in TEXTAREA_ROWS:
            kwargs["widget"] = AdminTextareaWidget(attrs={"rows": TEXTAREA_ROWS[db_field.name]})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(prefetch_bylines())

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
        return image_thumbnail(obj.lead_image, size=240) or "—"

    def _log(self, request, articles, message):
        """Record each change in the article's history, as a save in the form would."""
        for article in articles:
            self.log_change(request, article, message)

    @admin.action(description=_("Publish selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        now = timezone.now()
        changed = services.publish_articles(queryset, now=now)
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
        self.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = services.unpublish_articles(queryset)
        self._log(request, changed, "Unpublished with the bulk action.")
        self.message_user(
            request,
            ngettext(
                "%(count)d article unpublished and returned to draft.",
                "%(count)d articles unpublished and returned to draft.",
                len(changed),
            )
            % {"count": len(changed)},
            messages.SUCCESS if changed else messages.WARNING,
        )
