"""Admin for the photo library: upload photos, describe them, and keep their credits.

Pictures in the admin are renditions from the serving view, never the uploaded original: the
original may be huge, may not be served at all in production, and carries camera metadata.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import ImageAdminForm
from .models import Image, ImageCredit
from .renditions import (
    ImageFit,
    ImageFormat,
    RenditionSpec,
    rendition_path,
    rendition_size,
)

#: The renditions shown on the image form, as (label, RenditionSpec.build arguments).
PREVIEW_RENDITIONS = [
    (_("List thumbnail, 160 wide"), {"width": 160}),
    (
        _("Square, 96 × 96, cropped around the focal point"),
        {"width": 96, "height": 96, "fit": ImageFit.COVER, "format": ImageFormat.JPEG},
    ),
    (_("Article page, 800 wide, WebP"), {"width": 800, "format": ImageFormat.WEBP}),
]

#: The picture the focal point is set on.
FOCAL_PREVIEW = {"width": 800, "format": ImageFormat.WEBP}


def rendition_url(image, **spec_arguments):
    """The URL and pixel size of a rendition of ``image``; ``(None, size)`` if it has none yet."""
    spec = RenditionSpec.build(**spec_arguments)
    size = rendition_size(image.width, image.height, spec) if image.width else (0, 0)
    if image.pk is None or not image.file or not image.width:
        return None, size
    return rendition_path(image.pk, image.rendition_version(spec), spec), size


def _fit(size, box):
    """``size`` scaled down to fit a ``box`` × ``box`` square (never up)."""
    width, height = size
    if not width or not height:
        return box, box
    scale = min(1.0, box / width, box / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def image_thumbnail(image, size=80):
    """A small rendition of ``image`` for change lists and forms; an empty string without one.

    The picture is a rendition twice the shown size (sharp on high-density screens); its box
    shows the photo's dominant colour while it loads, or instead of it if it cannot be made.
    """
    if image is None or not image.file:
        return ""
    url, _size = rendition_url(image, width=size * 2, height=size * 2)
    width, height = _fit((image.width, image.height), size)
    colour = image.dominant_color or "#ccc"
    if url is None:
        return format_html(
            '<span class="media-swatch" title="{}" style="width:{}px;height:{}px;'
            'background:{}"></span>',
            image.title,
            width,
            height,
            colour,
        )
    return format_html(
        '<img class="media-thumbnail" src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
        'style="background:{}">',
        url,
        image.alt_text,
        width,
        height,
        colour,
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


def admin_link(obj, text=None):
    """A link to ``obj``'s admin page, or its name when it has none."""
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return format_html("{}", text or obj)
    return format_html('<a href="{}">{}</a>', url, text or obj)


def rights_window():
    return timezone.now() + timedelta(days=settings.IMAGE_RIGHTS_WARNING_DAYS)


class RightsFilter(admin.SimpleListFilter):
    """Photos whose rights (their own date or their credit's) end soon or have ended."""

    title = _("usage rights")
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("expired", _("Expired")),
            (
                "expiring",
                _("Expire within %(days)d days or expired")
                % {"days": settings.IMAGE_RIGHTS_WARNING_DAYS},
            ),
            ("limited", _("Any expiry date")),
        ]

    #: The dates that end the rights: the photo's own and its credit's.
    fields = ("rights_expire_at", "credit__rights_expire_at")

    def queryset(self, request, queryset):
        if self.value() == "limited":
            return queryset.filter(_any_of(Q(**{f"{name}__isnull": False}) for name in self.fields))
        cutoff = {"expired": timezone.now(), "expiring": rights_window()}.get(self.value())
        if cutoff is None:
            return queryset
        return queryset.filter(_any_of(Q(**{f"{name}__lte": cutoff}) for name in self.fields))


class CreditRightsFilter(RightsFilter):
    fields = ("rights_expire_at",)


def _any_of(conditions):
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


@admin.register(ImageCredit)
class ImageCreditAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["text", "creator", "license", "image_count", "rights_expire_at"]
    list_filter = ["license", CreditRightsFilter]
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
    form = ImageAdminForm
    list_display = [
        "thumbnail",
        "title",
        "credit",
        "dimensions",
        "format",
        "size",
        "rights_until",
        "created_at",
    ]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["format", "credit__license", RightsFilter, "created_at"]
    list_select_related = ["credit"]
    search_fields = ["title", "alt_text", "caption", "credit__text", "credit__creator"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["credit"]
    readonly_fields = [
        "preview",
        "credit_details",
        "rendition_previews",
        "used_in",
        "same_photo",
        "width",
        "height",
        "format",
        "size",
        "placeholder_swatch",
        "created_at",
        "modified_at",
    ]
    fieldsets = [
        (None, {"fields": ["file", "preview", "title", "alt_text", "caption"]}),
        (
            _("Credit and rights"),
            {
                "fields": ["credit", "credit_details", "rights_expire_at"],
                "description": _(
                    "Leave the credit empty to take it from the photo’s own metadata "
                    "(IPTC/XMP credit line, photographer, copyright notice), as agency "
                    "photos carry it."
                ),
            },
        ),
        (
            _("Cropping"),
            {
                "fields": ["focal_x", "focal_y", "rendition_previews"],
                "description": _(
                    "The point to keep in view when the photo is cropped: click it on the "
                    "photo above, or type it in."
                ),
            },
        ),
        (_("Where it is used"), {"fields": ["used_in"]}),
        (
            _("File"),
            {
                "fields": [
                    ("width", "height"),
                    ("format", "size"),
                    "placeholder_swatch",
                    "same_photo",
                    "created_at",
                    "modified_at",
                ],
                "description": _("Read from the uploaded file when it is saved."),
            },
        ),
    ]

    class Media:
        css = {"all": ["media/admin.css"]}
        js = ["media/focal-point.js"]

    def save_model(self, request, obj, form, change):
        new_file = "file" in form.changed_data
        prefilled = services.prefill_credit(obj) if new_file else None
        super().save_model(request, obj, form, change)
        if prefilled is not None:
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    _("The credit was taken from the photo’s own metadata:"),
                    admin_link(prefilled),
                ),
                messages.INFO,
            )
        if new_file:
            others = list(services.same_photos(obj).order_by("pk")[:5])
            if others:
                self.message_user(
                    request,
                    format_html(
                        "{} {}",
                        ngettext(
                            "The same photo is already in the library:",
                            "The same photo is already in the library, %(count)d times:",
                            len(others),
                        )
                        % {"count": len(others)},
                        format_html_join(", ", "{}", ((admin_link(o),) for o in others)),
                    ),
                    messages.WARNING,
                )

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        """The photo, where a click sets the focal point; on a new upload, the chosen file."""
        url, (width, height) = rendition_url(obj, **FOCAL_PREVIEW) if obj else (None, (0, 0))
        if url is None:
            picture = format_html(
                '<p class="help">{}</p>',
                _("Choose a file to set the focal point on it; the preview is kept once saved."),
            )
            image = mark_safe('<img alt="" hidden data-focal-image data-from-file-input>')
        else:
            picture = credit_line(obj.credit)
            image = format_html(
                '<img src="{}" alt="{}" width="{}" height="{}" data-focal-image>',
                url,
                obj.alt_text,
                width,
                height,
            )
        return format_html(
            '<div class="focal-point" data-focal-point data-focal-x="id_focal_x" '
            'data-focal-y="id_focal_y" data-file-input="id_file">{}'
            '<span class="focal-point-marker" aria-hidden="true"></span></div>'
            '<div class="focal-crops" aria-hidden="true">'
            '<div class="focal-crop focal-crop-square"></div>'
            '<div class="focal-crop focal-crop-wide"></div></div>{}',
            image,
            picture,
        )

    @admin.display(description=_("renditions"))
    def rendition_previews(self, obj):
        """A few of the sizes frontends ask for, made by the serving view like theirs."""
        figures = []
        for label, arguments in PREVIEW_RENDITIONS:
            url, (width, height) = rendition_url(obj, **arguments)
            if url is None:
                return _("Shown once the photo is saved.")
            figures.append((url, width, height, label, width, height))
        return format_html(
            '<div class="media-renditions">{}</div>',
            format_html_join(
                "",
                '<figure><img src="{}" alt="" width="{}" height="{}" loading="lazy">'
                "<figcaption>{}<br>{} × {}</figcaption></figure>",
                figures,
            ),
        )

    @admin.display(description=_("credit details"))
    def credit_details(self, obj):
        credit = obj.credit if obj else None
        if credit is None:
            return credit_line(None)
        rows = [
            (_("Credit line"), credit.text),
            (_("Creator"), credit.creator),
            (_("Copyright notice"), credit.copyright_notice),
            (_("Licence"), credit.get_license_display()),
            (_("Licence URL"), credit.license_url),
            (_("Source URL"), credit.source_url),
            (_("Rights expire"), credit.rights_expire_at or ""),
        ]
        return format_html(
            '<dl class="media-credit">{}</dl><p>{}</p>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", (row for row in rows if row[1])),
            admin_link(credit, _("Edit this credit (it applies to every photo that uses it)")),
        )

    @admin.display(description=_("used in"))
    def used_in(self, obj):
        usages = services.usages(obj) if obj and obj.pk else []
        if not usages:
            return _("Not used yet.")
        return format_html_join(
            "",
            "<p><strong>{}</strong> ({}): {}</p>",
            (
                (
                    capfirst(usage.model._meta.verbose_name_plural),
                    usage.total,
                    format_html_join(", ", "{}", ((admin_link(o),) for o in usage.objects)),
                )
                for usage in usages
            ),
        )

    @admin.display(description=_("same photo"))
    def same_photo(self, obj):
        others = list(services.same_photos(obj).order_by("pk")[:10]) if obj and obj.pk else []
        if not others:
            return _("No other copy in the library.")
        return format_html(
            '<span class="media-warning">{}</span> {}',
            _("The same file is also in the library as:"),
            format_html_join(", ", "{}", ((admin_link(other),) for other in others)),
        )

    @admin.display(description=_("placeholder"))
    def placeholder_swatch(self, obj):
        if not obj or not obj.dominant_color:
            return "—"
        return format_html(
            '<span class="media-swatch" style="background:{}"></span> {} · <code>{}</code>',
            obj.dominant_color,
            obj.dominant_color,
            obj.placeholder,
        )

    @admin.display(description=_("dimensions"), ordering="width")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description=_("file size"), ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size)

    @admin.display(description=_("rights until"))
    def rights_until(self, obj):
        expiry = obj.rights_expiry
        if expiry is None:
            return "—"
        if expiry <= rights_window():
            return format_html('<span class="media-warning">{}</span>', expiry.date())
        return str(expiry.date())
