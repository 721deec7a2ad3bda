"""Image operations: pure functions from an original's bytes to a rendition's bytes.

Nothing here touches the database or storage; the serving view reads the original, calls
:func:`render_rendition` and stores what it returns.
"""

import io
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps

from .renditions import ImageFit, ImageFormat, RenditionSpec, rendition_size
from .validators import ALLOWED_FORMATS

SAVE_OPTIONS = {
    ImageFormat.JPEG: {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    ImageFormat.WEBP: {"format": "WEBP", "quality": 80, "method": 4},
    ImageFormat.AVIF: {"format": "AVIF", "quality": 60},
    ImageFormat.PNG: {"format": "PNG", "optimize": True},
}


@dataclass(frozen=True)
class RenderedImage:
    content: bytes
    width: int
    height: int
    format: ImageFormat


def render_rendition(source, spec: RenditionSpec, focal=(0.5, 0.5)) -> RenderedImage:
    """Make ``spec`` from the original in the file-like ``source``.

    Orientation from EXIF is applied; metadata is not copied to the result.
    """
    with PILImage.open(source, formats=ALLOWED_FORMATS) as original:
        image = ImageOps.exif_transpose(original)
        width, height = rendition_size(image.width, image.height, spec)
        if spec.fit is ImageFit.COVER:
            image = ImageOps.fit(
                image, (width, height), method=PILImage.Resampling.LANCZOS, centering=focal
            )
        elif (width, height) != image.size:
            image = image.resize((width, height), PILImage.Resampling.LANCZOS)
        image = _for_format(image, spec.format)
        buffer = io.BytesIO()
        image.save(buffer, **SAVE_OPTIONS[spec.format])
    return RenderedImage(buffer.getvalue(), width, height, spec.format)


def _for_format(image, target: ImageFormat):
    if target is ImageFormat.JPEG:
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = PILImage.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            return background
        return image.convert("RGB")
    if image.mode not in ("RGB", "RGBA"):
        return image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return image
