"""Admin for the photo library: upload photos, describe them, and keep their credits."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Image, ImageCredit


def image_thumbnail(image, size=80):
    """A small <img> of ``image`` for change lists and forms; an empty string without a file.

    It shows the uploaded original, scaled by the browser, so it works before any rendition
    exists; only staff see it.
    """
    if image is None or not image.file:
        return ""
    return format_html(
        '<img src="{}" alt="{}" loading="lazy" style="max-width:{}px;max-height:{}px;'
        'width:auto;height:auto;object-fit:contain">',
        image.file.url,
        image.alt_text,
        size,
        size,
    )


def credit_line(credit):
    """The credit as readers see it, with its licence (linked when a licence URL is known)."""
    if credit is None:
        return format_html("<em>{}</em>", _("No credit given."))
    licence = credit.get_license_display()
    if credit.license_url:
        licence = format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            credit.license_url,
            licence,
        )
    return format_html("{} {} · {}", _("Image Credit:"), credit, licence)


@admin.register(ImageCredit)
class ImageCreditAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["text", "creator", "license", "image_count", "rights_expire_at"]
    list_filter = ["license"]
    ordering = ["text", "creator", "id"]  # Meta.ordering does not survive the count's GROUP BY
    search_fields = ["text", "creator", "copyright_notice", "source_url"]
    fieldsets = [
        (None, {"fields": ["text", "creator", "copyright_notice"]}),
        (
            _("Rights"),
            {
                "fields": [
                    "license",
                    "license_url",
                    "source_url",
                    "acquire_license_page",
                    "rights_expire_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(image_count=Count("images"))

    @admin.display(description=_("images"), ordering="image_count")
    def image_count(self, obj):
        return obj.image_count


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "credit", "dimensions", "format", "size", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["format", "credit__license", "created_at"]
    list_select_related = ["credit"]
    search_fields = ["title", "alt_text", "caption", "credit__text", "credit__creator"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["credit"]
    readonly_fields = [
        "preview",
        "width",
        "height",
        "format",
        "size",
        "created_at",
        "modified_at",
    ]
    fieldsets = [
        (None, {"fields": ["file", "preview", "title", "alt_text", "caption", "credit"]}),
        (
            _("Cropping"),
            {
                "fields": ["focal_x", "focal_y"],
                "description": _("The point to keep in view when the photo is cropped."),
            },
        ),
        (
            _("File"),
            {
                "fields": [("width", "height"), ("format", "size"), "created_at", "modified_at"],
                "description": _("Read from the uploaded file when it is saved."),
            },
        ),
    ]

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if obj is None or obj.pk is None or not obj.file:
            return _("The preview appears once the photo is saved.")
        return format_html(
            '<img src="{}" alt="{}" style="max-width:480px;max-height:360px;width:auto;'
            'height:auto;display:block;margin-bottom:.5em"><div>{}</div>',
            obj.file.url,
            obj.alt_text,
            credit_line(obj.credit),
        )

    @admin.display(description=_("dimensions"), ordering="width")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description=_("file size"), ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size)
