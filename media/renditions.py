"""Renditions: what a frontend may ask for, how big the result is, and its signed URL.

A rendition is named by a small spec (``800x0-contain.webp``): a box, a fit and a format. The
box is snapped up to the ``IMAGE_RENDITION_SIZES`` ladder, so one photo can only ever produce
a bounded number of files, and the URL carries a signature over the image, the hash of its
file and the spec, so a changed parameter or a replaced file gives a different URL.
"""

import enum
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.signing import Signer
from django.urls import reverse


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
        return f"{self.width}x{self.height}-{self.fit.value}.{self.format.extension}"

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
        """The spec for a request, snapped up to the ladder; ``InvalidSpec`` when out of range."""
        for name, value in (("width", width), ("height", height)):
            if value is not None and not 1 <= value <= settings.IMAGE_RENDITION_MAX_EDGE:
                raise InvalidSpec(
                    f"`{name}` must be between 1 and {settings.IMAGE_RENDITION_MAX_EDGE}."
                )
        if fit is ImageFit.COVER and not (width and height):
            raise InvalidSpec("`COVER` needs both a width and a height.")
        return cls(
            width=snap(width) if width else 0,
            height=snap(height) if height else 0,
            fit=fit,
            format=format,
        )

    def is_canonical(self) -> bool:
        """Whether this spec is one the API hands out (so a server may be asked to make it)."""
        sizes = set(settings.IMAGE_RENDITION_SIZES) | {0}
        return (
            self.width in sizes
            and self.height in sizes
            and (self.fit is ImageFit.CONTAIN or (self.width and self.height))
        )


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


_signer = Signer(salt="media.rendition")


def signature(image_id: int, content_hash: str, spec: RenditionSpec) -> str:
    return _signer.signature(f"{image_id}:{content_hash}:{spec}")


def rendition_path(image_id: int, content_hash: str, spec: RenditionSpec) -> str:
    """The site-relative URL of a rendition; the serving view makes it on first request."""
    return reverse(
        "media:rendition",
        kwargs={
            "image_id": image_id,
            "signature": signature(image_id, content_hash, spec),
            "spec": str(spec),
        },
    )
