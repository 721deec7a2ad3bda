"""Checks that an upload is a real raster image we are willing to decode."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

#: Formats editors may upload. Anything else (SVG, EPS, PDF, PSD, TIFF...) is refused, and Pillow
#: is never asked to try the other decoders it knows.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "AVIF")


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    format: str


def read_image_info(file) -> ImageInfo:
    """Identify an uploaded image from its header without decoding its pixels.

    Raises ``ValidationError`` for anything that is not an allowed raster format, for files over
    the byte limit and for images whose pixel count exceeds ``IMAGE_MAX_PIXELS``.
    """
    if file.size is not None and file.size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={
                "size": round(file.size / 1_048_576, 1),
                "limit": round(settings.IMAGE_MAX_UPLOAD_BYTES / 1_048_576, 1),
            },
        )
    file.seek(0)
    try:
        with PILImage.open(file, formats=ALLOWED_FORMATS) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            image_format = image.format
    except (UnidentifiedImageError, OSError, ValueError, PILImage.DecompressionBombError):
        raise ValidationError(
            _("This file is not a JPEG, PNG, WebP, GIF or AVIF image."), code="invalid_image"
        ) from None
    finally:
        file.seek(0)
    if width * height * frames > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("The image is %(mp)s megapixels; the limit is %(limit)s megapixels."),
            code="too_many_pixels",
            params={
                "mp": round(width * height * frames / 1e6, 1),
                "limit": round(settings.IMAGE_MAX_PIXELS / 1e6, 1),
            },
        )
    return ImageInfo(width=width, height=height, format=image_format)


def validate_image_file(file):
    """Model-field validator: only new uploads are read; stored files were checked on upload."""
    if getattr(file, "_committed", True):
        return
    read_image_info(file)
