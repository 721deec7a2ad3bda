"""The photo library: uploaded originals, their descriptions and credits."""

import hashlib
import uuid
from pathlib import PurePosixPath

from django.core.files import File
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.utils.translation import gettext_lazy as _

from . import uploads
from .validators import read_image_info, validate_image_file

EXTENSIONS = {
    "JPEG": ".jpg",
    "PNG": ".png",
    "WEBP": ".webp",
    "GIF": ".gif",
    "AVIF": ".avif",
    "HEIF": ".heic",
}


def file_hash(file) -> str:
    """SHA-256 of a file's bytes, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def original_upload_to(instance, filename):
    """Store originals under a random name so their URLs cannot be guessed or enumerated."""
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    name = uuid.uuid4().hex
    return f"originals/{name[:2]}/{name}{suffix}"


class OriginalImageFieldFile(ImageFieldFile):
    """An original's file; its dimensions come from our checked reader, never from probing.

    Django's ``ImageFieldFile.width`` would feed the file to every decoder Pillow has.
    """

    def save(self, name, content, save=True):
        """Store a new original only through :meth:`Image.save`, which checks and measures it.

        ``image.file.save(name, content)`` would otherwise store any file and leave the old
        width, height and hash in place. (Django's own ``pre_save`` passes this file's content
        back in, and that call stores it.)
        """
        if content is self.file:
            return super().save(name, content, save)
        self.instance.file = File(content, name=name)
        if save:
            self.instance.save()
        return None

    def _get_image_dimensions(self):
        if not hasattr(self, "_dimensions_cache"):
            if self._committed and self.instance.width:
                self._dimensions_cache = (self.instance.width, self.instance.height)
            else:
                info = read_image_info(self)
                self._dimensions_cache = (info.width, info.height)
        return self._dimensions_cache


class OriginalImageField(models.ImageField):
    """The uploaded original of a photo.

    Differs from Django's ``ImageField`` only in Python: its form field
    (:class:`media.forms.UploadedImageField`) opens uploads with the allowed decoders alone,
    where ``forms.ImageField`` would try every format Pillow knows (EPS runs Ghostscript). The
    database column is the same, so migrations record it as a plain ``ImageField``.
    """

    attr_class = OriginalImageFieldFile

    def formfield(self, **kwargs):
        from .forms import UploadedImageField

        return super().formfield(**{**kwargs, "form_class": UploadedImageField})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs


class License(models.TextChoices):
    CC_BY = "cc-by", _("Creative Commons Attribution (CC BY)")
    CC_BY_SA = "cc-by-sa", _("Creative Commons Attribution-ShareAlike (CC BY-SA)")
    CC_BY_ND = "cc-by-nd", _("Creative Commons Attribution-NoDerivs (CC BY-ND)")
    CC_BY_NC = "cc-by-nc", _("Creative Commons Attribution-NonCommercial (CC BY-NC)")
    CC0 = "cc0", _("Creative Commons Zero (CC0)")
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    LICENSED = "licensed", _("Licensed (agency or paid)")
    HANDOUT = "handout", _("Handout")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


class ImageCredit(models.Model):
    """The credit line printed under a photo, and the rights facts behind it.

    One row may be shared by many photos when the credit is identical ("Handout"), or belong to a
    single photo by a named photographer.
    """

    text = models.CharField(
        _("credit line"), max_length=255, help_text=_("As printed: “Reuters”, “Creative Commons”.")
    )
    creator = models.CharField(_("creator"), max_length=255, blank=True)
    copyright_notice = models.CharField(_("copyright notice"), max_length=255, blank=True)
    license = models.CharField(_("licence"), max_length=32, choices=License.choices)
    license_url = models.URLField(_("licence URL"), blank=True)
    source_url = models.URLField(_("source URL"), blank=True)
    acquire_license_page = models.URLField(_("where to licence it"), blank=True)
    rights_expire_at = models.DateTimeField(_("rights expire at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["text", "creator", "id"]
        verbose_name = _("image credit")
        verbose_name_plural = _("image credits")

    def __str__(self):
        if self.creator and self.creator != self.text:
            return f"{self.text} ({self.creator})"
        return self.text


class Image(models.Model):
    """A photo in the library; articles and authors refer to it, never copy it."""

    file = OriginalImageField(
        _("file"), upload_to=original_upload_to, validators=[validate_image_file]
    )
    title = models.CharField(_("title"), max_length=255)
    alt_text = models.CharField(
        _("alt text"),
        max_length=500,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    caption = models.TextField(
        _("default caption"), blank=True, help_text=_("Used wherever no caption is given.")
    )
    credit = models.ForeignKey(
        ImageCredit,
        verbose_name=_("credit"),
        related_name="images",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    format = models.CharField(_("format"), max_length=10, editable=False, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), editable=False, default=0)
    content_hash = models.CharField(
        _("content hash"),
        max_length=64,
        editable=False,
        blank=True,
        db_index=True,
        help_text=_("SHA-256 of the original; finds the same photo uploaded twice."),
    )
    placeholder = models.CharField(
        _("placeholder"),
        max_length=100,
        editable=False,
        blank=True,
        help_text=_("A blurhash shown while the photo loads."),
    )
    dominant_color = models.CharField(
        _("dominant colour"), max_length=7, editable=False, blank=True
    )
    rights_expire_at = models.DateTimeField(
        _("rights expire at"),
        null=True,
        blank=True,
        help_text=_("When our licence to publish this photo ends, if it does."),
    )
    focal_x = models.FloatField(
        _("focal point x"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the left edge, 1 the right."),
    )
    focal_y = models.FloatField(
        _("focal point y"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_in_frame",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save; a newly uploaded file has its facts recorded first and is then stored.

        If the row cannot be written, the file just stored is deleted again. A replaced
        original and its renditions are deleted once the new one is committed.
        """
        new_upload = bool(self.file) and not self.file._committed
        replaced = None
        if new_upload:
            self.record_file_facts()
            if self.pk is not None:
                replaced = Image.objects.filter(pk=self.pk).values_list("file", flat=True).first()
        try:
            super().save(*args, **kwargs)
        except BaseException:
            if new_upload and self.file._committed:
                self.file.storage.delete(self.file.name)
            raise
        if replaced and replaced != self.file.name:
            storage = self.file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
            # Renditions of the old photo go too (their files once this commits): a photo is
            # often replaced because it must no longer be shown.
            self.renditions.all().delete()

    def rendition_version(self, spec) -> str:
        """What a rendition depends on: the file, and for a COVER crop the focal point too.

        A new version gives new rendition URLs and a new storage folder, so caches that keep
        renditions forever never show a stale file or crop; moving the focal point leaves
        the other renditions' URLs alone.
        """
        version = self.content_hash[:16]
        if spec.fit.value == "cover":
            version += f"-{round(self.focal_x * 1000)}-{round(self.focal_y * 1000)}"
        return version

    def record_file_facts(self):
        """Read a new upload's facts into the fields; ``ValidationError`` if it is refused.

        Width and height are the upright ones (after EXIF orientation), which is what renditions
        are computed from.
        """
        info = read_image_info(self.file)
        self.width, self.height, self.format = info.width, info.height, info.format
        self.file_size = self.file.size
        self.content_hash = file_hash(self.file)
        if info.sample is not None:
            self.placeholder = uploads.placeholder(info.sample)
            self.dominant_color = uploads.dominant_color(info.sample)
        self.file.name = f"upload{EXTENSIONS.get(info.format, '')}"

    def embedded_credit(self) -> uploads.EmbeddedCredit:
        """The credit a new upload carries in its IPTC/XMP metadata (empty once stored)."""
        if not self.file or self.file._committed:
            return uploads.EmbeddedCredit()
        return uploads.embedded_credit(read_image_info(self.file).metadata)

    @property
    def rights_expiry(self):
        """When the rights to this photo end: the earlier of its own date and its credit's."""
        dates = [self.rights_expire_at, self.credit.rights_expire_at if self.credit else None]
        return min((date for date in dates if date is not None), default=None)


class Rendition(models.Model):
    """A stored resized copy of an image, made on its first request and then served as is."""

    image = models.ForeignKey(
        Image, verbose_name=_("image"), related_name="renditions", on_delete=models.CASCADE
    )
    spec = models.CharField(_("spec"), max_length=64)
    file = models.FileField(_("file"), max_length=255)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    format = models.CharField(_("format"), max_length=10)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["image", "spec"]
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(fields=["image", "spec"], name="rendition_unique_spec"),
        ]

    def __str__(self):
        return f"{self.image} at {self.spec}"
