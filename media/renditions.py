"""Renditions: what a frontend may ask for, how big the result is, and its signed URL.

A rendition is named by a small spec (``800x0-contain.webp``): a box, a fit and a format. The
box is snapped up to the ``IMAGE_RENDITION_SIZES`` ladder, so one photo can only ever produce
a bounded number of files, and the URL carries a signature over the image, its rendition
version (:meth:`media.models.Image.rendition_version`: the file's hash, and for a crop the
focal point) and the spec, so a changed parameter, a replaced file or a moved focal point gives
a new URL.
"""

import enum
import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.core.signing import Signer
from django.dispatch import receiver
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from PIL import features


class ImageFormat(enum.Enum):
    JPEG = "jpeg"
    WEBP = "webp"
    AVIF = "avif"
    PNG = "png"

    @property
    def extension(self):
        return "jpg" if self is ImageFormat.JPEG else self.value

    @property
    def media_type(self):
        return f"image/{self.value}"


class ImageFit(enum.Enum):
    CONTAIN = "contain"
    COVER = "cover"


#: The format a full-size copy of an original is served in.
ORIGINAL_FORMATS = {
    "JPEG": ImageFormat.JPEG,
    "WEBP": ImageFormat.WEBP,
    "AVIF": ImageFormat.AVIF,
    "PNG": ImageFormat.PNG,
    "GIF": ImageFormat.PNG,
}

#: What a format is served as when the installed Pillow cannot encode it.
FALLBACK_FORMATS = {ImageFormat.AVIF: ImageFormat.WEBP, ImageFormat.WEBP: ImageFormat.JPEG}

#: The most widths one ``srcset`` or ``picture`` may ask for.
MAX_WIDTHS = 10


@functools.cache
def can_encode(image_format: "ImageFormat") -> bool:
    """Whether the installed Pillow writes ``image_format`` (JPEG and PNG always)."""
    return image_format in (ImageFormat.JPEG, ImageFormat.PNG) or bool(
        features.check(image_format.value)
    )


def servable_format(image_format: "ImageFormat") -> "ImageFormat":
    """``image_format`` if we can encode it here, else the next best one (AVIF → WebP → JPEG)."""
    while not can_encode(image_format):
        image_format = FALLBACK_FORMATS[image_format]
    return image_format


_SPEC = re.compile(r"(?P<width>\d{1,5})x(?P<height>\d{1,5})-(?P<fit>contain|cover)\.(?P<ext>\w+)")
_EXTENSIONS = {fmt.extension: fmt for fmt in ImageFormat}


class InvalidSpec(ValueError):
    """A requested size or format the API does not serve."""


@dataclass(frozen=True)
class RenditionSpec:
    """A box (0 means "any") to fit the photo into or fill, and an output format."""

    width: int
    height: int
    fit: ImageFit
    format: ImageFormat

    def __str__(self):
        return f"{self.stem}.{self.format.extension}"

    @classmethod
    def parse(cls, text: str) -> "RenditionSpec":
        match = _SPEC.fullmatch(text)
        if not match or match["ext"] not in _EXTENSIONS:
            raise InvalidSpec(text)
        return cls(
            width=int(match["width"]),
            height=int(match["height"]),
            fit=ImageFit(match["fit"]),
            format=_EXTENSIONS[match["ext"]],
        )

    @classmethod
    def build(cls, width=None, height=None, fit=ImageFit.CONTAIN, format=ImageFormat.WEBP):
        """The spec for a request, snapped up to the ladder; ``InvalidSpec`` when out of range.

        Without a width or a height the box is the largest ladder size on both edges, so even
        a "full size" copy never exceeds ``IMAGE_RENDITION_MAX_EDGE``. A format this server
        cannot encode is replaced by the next best one (see :func:`servable_format`).

        Remembered per request shape: a front page asks for the same few specs dozens of times.
        """
        return _built_spec(cls, width, height, fit, format)

    @classmethod
    def _build(cls, width, height, fit, format):
        largest = settings.IMAGE_RENDITION_MAX_EDGE
        for name, value in (("width", width), ("height", height)):
            if value is not None and not 1 <= value <= largest:
                raise InvalidSpec(f"`{name}` must be between 1 and {largest}; got {value}.")
        if fit is ImageFit.COVER and not (width and height):
            raise InvalidSpec("`COVER` needs both a width and a height.")
        if not (width or height):
            width = height = largest
        return cls(
            width=snap(width) if width else 0,
            height=snap(height) if height else 0,
            fit=fit,
            format=servable_format(format),
        )

    def is_canonical(self) -> bool:
        """Whether :meth:`build` can hand out this spec (so a server may be asked to make it)."""
        sizes = set(settings.IMAGE_RENDITION_SIZES) | {0}
        return (
            self.width in sizes
            and self.height in sizes
            and bool(self.width or self.height)
            and (self.fit is ImageFit.CONTAIN or bool(self.width and self.height))
            and servable_format(self.format) is self.format
        )

    @property
    def stem(self) -> str:
        """The spec without its format: ``800x0-contain``."""
        return f"{self.width}x{self.height}-{self.fit.value}"


@functools.lru_cache(maxsize=512)
def _built_spec(cls, width, height, fit, format):
    return cls._build(width, height, fit, format)


@receiver(setting_changed)
def _forget_built_specs(setting, **kwargs):
    # The ladder is a setting; only tests change settings at runtime.
    if setting.startswith("IMAGE_RENDITION"):
        _built_spec.cache_clear()


def snap(size: int) -> int:
    """The smallest ladder size at least ``size`` (the largest, if ``size`` is larger)."""
    ladder = sorted(settings.IMAGE_RENDITION_SIZES)
    return next((step for step in ladder if step >= size), ladder[-1])


def rendition_size(width: int, height: int, spec: RenditionSpec) -> tuple[int, int]:
    """The pixel size of ``spec`` made from a ``width`` × ``height`` original. Never upscales.

    CONTAIN fits inside the box, keeping the aspect ratio. COVER fills the box (cropping the
    rest); if the original is smaller than the box, the box is scaled down with it.
    """
    box_w = spec.width or width
    box_h = spec.height or height
    if spec.fit is ImageFit.COVER:
        scale = min(1.0, width / box_w, height / box_h)
        return max(1, round(box_w * scale)), max(1, round(box_h * scale))
    scale = min(1.0, box_w / width, box_h / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


_SALT = "media.rendition"


def signature(image_id: int, version: str, spec: RenditionSpec) -> str:
    """What a rendition URL carries to prove the API issued it for this very file."""
    return Signer(salt=_SALT).signature(f"{image_id}:{version}:{spec}")


def has_valid_signature(image_id: int, version: str, spec: RenditionSpec, given: str) -> bool:
    """Whether ``given`` is the signature of this URL, under the secret key or a fallback.

    Accepting ``SECRET_KEY_FALLBACKS`` keeps already published URLs working while the key is
    rotated; the API hands out URLs signed with the current key only.
    """
    signer, value = Signer(salt=_SALT), f"{image_id}:{version}:{spec}"
    return any(
        constant_time_compare(given, signer.signature(value, key=key))
        for key in [signer.key, *signer.fallback_keys]
    )


def rendition_folder(image_id: int, version: str) -> str:
    """The storage folder of one version of an image's renditions; a new version, a new folder."""
    return f"renditions/{image_id}/{version}/"


def rendition_path(image_id: int, version: str, spec: RenditionSpec) -> str:
    """The site-relative URL of a rendition; the serving view makes it on first request."""
    return reverse(
        "media:rendition",
        kwargs={
            "image_id": image_id,
            "signature": signature(image_id, version, spec),
            "spec": str(spec),
        },
    )
