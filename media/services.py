"""Writes and look-ups of the photo library that the admin (and later the API) share."""

from dataclasses import dataclass

from django.db import models

from .models import Image, ImageCredit, License, Rendition
from .uploads import EmbeddedCredit, license_for


def credit_for(embedded: EmbeddedCredit) -> ImageCredit | None:
    """The library's credit for what a photo carries: reused when the credit line and the
    creator match one we have, else created from the embedded fields. ``None`` when the photo
    names nobody.
    """
    text = embedded.text
    if not text:
        return None
    existing = ImageCredit.objects.filter(text=text, creator=embedded.creator).order_by("id")
    credit = existing.first()
    if credit is not None:
        return credit
    return ImageCredit.objects.create(
        text=text,
        creator=embedded.creator,
        copyright_notice=embedded.copyright_notice,
        license=License(license_for(embedded)),
        license_url=embedded.license_url,
        source_url=embedded.source if embedded.source.startswith(("http://", "https://")) else "",
        acquire_license_page=embedded.licensor_url,
    )


def prefill_credit(image: Image) -> ImageCredit | None:
    """Give a newly uploaded photo without a credit the one in its own IPTC/XMP metadata.

    Agency photos carry their credit line, photographer and copyright notice; the editor's own
    choice, when made, always wins. Returns the credit set, or ``None`` when nothing changed.
    """
    if image.credit_id is not None:
        return None
    credit = credit_for(image.embedded_credit())
    if credit is not None:
        image.credit = credit
    return credit


def same_photos(image: Image) -> models.QuerySet:
    """Other library entries holding the very same file (same content hash)."""
    if not image.content_hash:
        return Image.objects.none()
    return Image.objects.filter(content_hash=image.content_hash).exclude(pk=image.pk)


@dataclass(frozen=True)
class Usage:
    """Where a photo is used: one kind of object (articles, authors) and the first few."""

    model: type[models.Model]
    field: str
    objects: list
    total: int


def usages(image: Image, limit: int = 20) -> list[Usage]:
    """Every object that refers to ``image`` (lead photos, portraits...), found through the
    reverse relations, so the photo library needs to know nothing about the apps using it.
    Renditions are the photo's own copies, not uses.
    """
    found = []
    for relation in Image._meta.related_objects:
        if relation.related_model is Rendition:
            continue
        queryset = relation.related_model._default_manager.filter(**{relation.field.name: image})
        objects = list(queryset.order_by("-pk")[:limit])
        if objects:
            total = len(objects) if len(objects) < limit else queryset.count()
            found.append(Usage(relation.related_model, relation.field.name, objects, total))
    return found
