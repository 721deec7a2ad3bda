"""Admin for author profiles: what the "Written By" box and the author pages show."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from media.admin import image_thumbnail

from .models import Author, AuthorLink


class AuthorLinkInline(admin.TabularInline):
    """Where else the author writes, in the order the profile lists them."""

    model = AuthorLink
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["label", "url", "position"]
    ordering = ["position", "id"]
    extra = 1


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["portrait", "name", "role", "location", "active"]
    list_display_links = ["portrait", "name"]
    list_filter = ["active", "location"]
    list_select_related = ["avatar"]
    search_fields = ["name", "slug", "role", "location"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["avatar", "user"]
    readonly_fields = ["portrait_preview", "created_at", "modified_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "location", "bio"]}),
        (_("Portrait"), {"fields": ["avatar", "portrait_preview"]}),
        (_("Account"), {"fields": ["active", "user", "created_at", "modified_at"]}),
    ]
    inlines = [AuthorLinkInline]

    def view_on_site(self, obj):
        """Only active authors have a public page."""
        return obj.get_absolute_url() if obj.active else None

    @admin.display(description=_("portrait"))
    def portrait(self, obj):
        return image_thumbnail(obj.avatar, size=48)

    @admin.display(description=_("current portrait"))
    def portrait_preview(self, obj):
        return image_thumbnail(obj.avatar, size=160) or "—"
