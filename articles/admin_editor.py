"""The body editor's photo chooser: a small JSON view of the photo library for staff.

The editor inserts photos by reference (``<figure data-image-id="…">``); this view lets it find
them by words (the image admin's own search) and show what it refers to (by id). It answers
with what an editor needs to pick the right photo — title, thumbnail, credit, alt text — and
never with the original file.
"""

from functools import partial

from django.contrib import admin
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from media.admin import rendition_url
from media.models import Image

from .body import clean_image_id

#: Photos returned for one search; the chooser shows the newest matches first.
CHOOSER_PAGE_SIZE = 24
#: Photos looked up by id at once (a body showing more is looked up in several requests).
CHOOSER_MAX_IDS = 50
#: The thumbnail's box in CSS pixels; the rendition is twice that for high-density screens.
THUMBNAIL_BOX = 240
MAX_QUERY_LENGTH = 200


def image_summary(image) -> dict:
    """What the editor shows of a library photo, in the chooser and in the body."""
    url, size = rendition_url(image, width=THUMBNAIL_BOX * 2, height=THUMBNAIL_BOX * 2)
    return {
        "id": image.pk,
        "title": image.title,
        "thumbnail": url,
        "thumbnailWidth": size[0] // 2 or THUMBNAIL_BOX,
        "thumbnailHeight": size[1] // 2 or THUMBNAIL_BOX,
        "altText": image.alt_text,
        "caption": image.caption,
        "credit": image.credit.text if image.credit_id else "",
        "editUrl": reverse("admin:media_image_change", args=[image.pk]),
    }


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status)


def image_chooser(request, admin_site=admin.site):
    """``?q=words`` searches the library; ``?id=1&id=2`` looks photos up for a body."""
    if not request.user.has_perm("media.view_image"):
        return _error(_("You may not view the photo library."), status=403)
    images = Image.objects.select_related("credit").order_by("-created_at", "-id")
    ids = request.GET.getlist("id")
    if ids:
        if len(ids) > CHOOSER_MAX_IDS or not all(clean_image_id(i) for i in ids):
            return _error(
                _("Give up to %(count)d photo ids, as whole numbers.") % {"count": CHOOSER_MAX_IDS}
            )
        images = images.filter(pk__in={int(i) for i in ids})
    else:
        query = request.GET.get("q", "").strip()
        if len(query) > MAX_QUERY_LENGTH:
            return _error(
                _("Search for at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}
            )
        if query:
            image_admin = admin_site.get_model_admin(Image)
            images, may_have_duplicates = image_admin.get_search_results(request, images, query)
            if may_have_duplicates:
                images = images.distinct()
        images = images[:CHOOSER_PAGE_SIZE]
    return JsonResponse({"results": [image_summary(image) for image in images]})


def editor_urls(model_admin):
    """The chooser's URL under the article admin, behind the admin's staff login."""
    opts = model_admin.model._meta
    return [
        path(
            "image-chooser/",
            model_admin.admin_site.admin_view(
                partial(image_chooser, admin_site=model_admin.admin_site)
            ),
            name=f"{opts.app_label}_{opts.model_name}_image_chooser",
        )
    ]
