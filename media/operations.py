"""Image operations: pure functions from an original's bytes to a rendition's bytes.

Nothing here touches the database or storage; the serving view reads the original, calls
:func:`render_rendition` and stores what it returns.

The pipeline decodes as little as it can and works on the smallest image it can:

1. The crop and the output size are worked out from the header alone, in the photo's upright
   (EXIF-oriented) frame, then mapped back onto the stored pixels, so the rotation is applied
   to the small result rather than to the full-size original.
2. A JPEG is decoded with DCT scaling (``draft``) at the smallest 1/2, 1/4 or 1/8 scale that
   still leaves :data:`DRAFT_MARGIN` times the output size.
3. The resize is Lanczos after an integer box reduction (``reducing_gap``). Transparent images
   are resampled premultiplied, strip by strip, so no full-size premultiplied copy is made.
4. Colour is made sRGB (CMYK before the resize, embedded RGB profiles after it), transparency
   is flattened on white for JPEG, and the result is encoded with no metadata at all.

``manage.py bench_renditions`` measures all this against the naive open-resize-save.
"""

import io
import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image as PILImage
from PIL import ImageCms

from .renditions import ImageFit, ImageFormat, RenditionSpec, rendition_size
from .validators import ALLOWED_FORMATS, JPEG_VARIANTS, SWAPS_AXES, TRANSPOSE, orientation

#: The resampling filter for every resize.
RESAMPLE = PILImage.Resampling.LANCZOS
#: Box-reduce by whole factors first, as long as Lanczos still scales by at least this much
#: (Pillow's ``thumbnail`` default; against a plain Lanczos resize it costs under 0.1 dB PSNR
#: on the benchmark's photos, and halves the work of large downscales).
REDUCING_GAP = 2.0
#: A JPEG is DCT-scaled on decode only while it stays at least this many times the output size.
DRAFT_MARGIN = 1.5
#: The page colour transparent pixels are flattened on when the format has no alpha (JPEG).
BACKGROUND = (255, 255, 255)

#: Encoder settings per format: qualities for news photos; progressive JPEG (libjpeg-turbo
#: optimises the Huffman tables of progressive files anyway); WebP method 3, as small as the
#: default 4 on photos and faster; AVIF speed 8, which a rendition made while a reader waits
#: needs: about a third of the time of libavif's default 6 for the same file size, at a cost of
#: 0.3 to 0.5 dB PSNR (see ``manage.py bench_renditions``).
SAVE_OPTIONS = {
    ImageFormat.JPEG: {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    ImageFormat.WEBP: {"format": "WEBP", "quality": 80, "method": 3},
    ImageFormat.AVIF: {"format": "AVIF", "quality": 60, "speed": 8},
    ImageFormat.PNG: {"format": "PNG", "compress_level": 6},
}

_SIXTEEN_BIT = {"I", "I;16", "I;16B", "I;16L", "I;16N"}
_PREMULTIPLIED = {"LA": "La", "RGBA": "RGBa"}
#: Rows of a transparent image resampled at a time, in output pixels of the reduction.
_STRIP_ROWS = 64


@dataclass(frozen=True)
class RenderedImage:
    content: bytes
    width: int
    height: int
    format: ImageFormat


def render_rendition(source, spec: RenditionSpec, focal=(0.5, 0.5)) -> RenderedImage:
    """Make ``spec`` from the original in the file-like ``source``.

    The size is :func:`~media.renditions.rendition_size` of the upright photo (EXIF orientation
    applied). ``COVER`` crops around ``focal`` (x, y from 0 to 1 in the upright photo): the
    crop is centred on it, and slides back inside the frame near an edge. No metadata (EXIF,
    GPS, XMP, comments, ICC profile) is copied: the pixels are sRGB, the web's default.
    """
    with PILImage.open(source, formats=ALLOWED_FORMATS) as original:
        turn = orientation(original)
        stored_w, stored_h = original.size
        sideways = turn in SWAPS_AXES
        upright_w, upright_h = (stored_h, stored_w) if sideways else (stored_w, stored_h)
        width, height = rendition_size(upright_w, upright_h, spec)
        if spec.fit is ImageFit.COVER:
            box = cover_box(upright_w, upright_h, (width, height), focal)
        else:
            box = (0.0, 0.0, float(upright_w), float(upright_h))
        box = _stored_box(box, turn, stored_w, stored_h)
        size = (height, width) if sideways else (width, height)
        icc_profile = original.info.get("icc_profile")

        scale = _draft(original, size, box)
        if scale != 1:
            box = tuple(edge / scale for edge in box)
        image = _resizable(original)
        if image.mode == "CMYK":
            # Ink mixes multiplicatively: resampling CMYK would darken detail, so convert first.
            image, icc_profile = _to_srgb(image, icc_profile), None
        if image.size != size or box != (0, 0, *image.size):
            image = _resize(image, size, box)
        image = _to_srgb(image, icc_profile)
        image = _for_format(image, spec.format)
        if turn in TRANSPOSE:
            image = image.transpose(TRANSPOSE[turn])
        return RenderedImage(_encode(image, spec.format), width, height, spec.format)


def cover_box(width, height, size, focal=(0.5, 0.5)) -> tuple[float, float, float, float]:
    """The largest box of ``size``'s aspect ratio inside ``width`` × ``height``, centred on
    ``focal`` as far as the frame allows."""
    ratio = size[0] / size[1]
    crop_w, crop_h = (height * ratio, height) if width / height > ratio else (width, width / ratio)
    focal_x, focal_y = (min(max(float(value), 0.0), 1.0) for value in focal)
    left = min(max(focal_x * width - crop_w / 2, 0.0), width - crop_w)
    top = min(max(focal_y * height - crop_h / 2, 0.0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def _stored_box(box, turn, width, height):
    """Map a box in the upright frame onto the stored pixels (``width`` × ``height``)."""
    left, top, right, bottom = box
    corners = [_stored_point(x, y, turn, width, height) for x, y in ((left, top), (right, bottom))]
    xs, ys = zip(*corners, strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def _stored_point(x, y, turn, width, height):
    return {
        2: (width - x, y),
        3: (width - x, height - y),
        4: (x, height - y),
        5: (y, x),
        6: (y, height - x),
        7: (width - y, height - x),
        8: (width - y, x),
    }.get(turn, (x, y))


def _draft(image, size, box) -> int:
    """Ask the JPEG decoder for the smallest DCT scale that keeps :data:`DRAFT_MARGIN`; return
    that scale (1 when there is none)."""
    if JPEG_VARIANTS.get(image.format, image.format) != "JPEG":
        return 1
    shrink = min((box[2] - box[0]) / size[0], (box[3] - box[1]) / size[1]) / DRAFT_MARGIN
    scale = next((s for s in (8, 4, 2) if shrink >= s), 1)
    if scale == 1:
        return 1
    width, height = image.size
    drafted = image.draft(None, (max(1, width // scale), max(1, height // scale)))
    if drafted is None:  # not a single-tile JPEG: decoded at full size
        return 1
    return width / drafted[1][2]  # exact: the decoder scales by a power of two


def _resize(image, size, box):
    """The same as ``image.resize(size, RESAMPLE, box, reducing_gap=REDUCING_GAP)``.

    Transparent images are resampled premultiplied. Pillow would first make a premultiplied
    copy of the whole full-size image; here strips of it are premultiplied, reduced and
    resampled across, then the narrow result is resampled down, so that copy never exists.
    """
    if image.mode not in _PREMULTIPLIED:
        return image.resize(size, RESAMPLE, box=box, reducing_gap=REDUCING_GAP)
    factor = tuple(int((box[i + 2] - box[i]) / size[i] / REDUCING_GAP) or 1 for i in (0, 1))
    region = _source_region(image.size, size, box, reducing=factor != (1, 1))
    box = tuple((edge - region[i % 2]) / factor[i % 2] for i, edge in enumerate(box))
    premultiplied = _PREMULTIPLIED[image.mode]
    across = PILImage.new(premultiplied, (size[0], -(-(region[3] - region[1]) // factor[1])))
    step = factor[1] * _STRIP_ROWS
    for top in range(region[1], region[3], step):
        strip = image.crop((region[0], top, region[2], min(top + step, region[3])))
        strip = strip.convert(premultiplied)
        if factor != (1, 1):
            strip = strip.reduce(factor)
        strip = strip.resize(
            (size[0], strip.height), RESAMPLE, box=(box[0], 0, box[2], strip.height)
        )
        across.paste(strip, (0, (top - region[1]) // factor[1]))
    down = across.resize(size, RESAMPLE, box=(0, box[1], size[0], box[3]))
    return down.convert(image.mode)


def _source_region(image_size, size, box, reducing):
    """The pixels Lanczos can reach from ``box``: Pillow's own choice when it reduces first,
    else every pixel the filter weighs."""
    support = 3 - 0.5 if reducing else 3 + 1
    reach = support * (box[2] - box[0]) / size[0], support * (box[3] - box[1]) / size[1]
    return (
        max(0, int(box[0] - reach[0])),
        max(0, int(box[1] - reach[1])),
        min(image_size[0], math.ceil(box[2] + reach[0])),
        min(image_size[1], math.ceil(box[3] + reach[1])),
    )


def _resizable(image):
    """The image in a mode Pillow resamples with a proper filter (not palette or 16-bit)."""
    mode = image.mode
    if mode in _SIXTEEN_BIT:
        # Pillow's own conversion clips 16-bit values at 255; scale them down instead.
        return image.point(lambda value: value / 257).convert("L")
    if mode == "F":
        return image.convert("L")
    if mode in ("P", "PA", "1", "La", "RGBa") or (
        mode in ("L", "RGB") and "transparency" in image.info
    ):
        transparent = image.has_transparency_data
        if mode in ("1", "L", "La"):
            return image.convert("LA" if transparent else "L")
        return image.convert("RGBA" if transparent else "RGB")
    return image


@lru_cache(maxsize=16)
def _srgb_transform(icc_profile: bytes, mode: str):
    """A transform from an embedded profile to sRGB, or None when not needed or unusable."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        space = profile.profile.xcolor_space.strip()
        if (space, mode) not in {("RGB", "RGB"), ("RGB", "RGBA"), ("CMYK", "CMYK")}:
            return None
        if "srgb" in (profile.profile.profile_description or "").lower():
            return None
        return ImageCms.buildTransform(
            profile,
            _srgb_profile(),
            mode,
            "RGBA" if mode == "RGBA" else "RGB",
            ImageCms.Intent.PERCEPTUAL,
            flags=ImageCms.Flags.NOCACHE,  # shared between threads
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


@lru_cache(maxsize=1)
def _srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image, icc_profile):
    """Colour as an sRGB display expects it: embedded profiles applied, CMYK made RGB."""
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        transform = _srgb_transform(icc_profile, image.mode)
        if transform is not None:
            try:
                return ImageCms.applyTransform(image, transform)
            except ImageCms.PyCMSError:
                pass  # served as it is rather than not at all
    if image.mode == "CMYK":
        return image.convert("RGB")
    return image


def _for_format(image, target: ImageFormat):
    """The image in a mode ``target`` stores: alpha flattened on white for JPEG, and dropped
    where every pixel is opaque."""
    alpha = image.mode in ("LA", "RGBA")
    if alpha and image.getchannel("A").getextrema() == (255, 255):
        image, alpha = image.convert(image.mode[:-1]), False
    if target is ImageFormat.JPEG:
        if alpha:
            solid = image.mode[:-1]
            colour = BACKGROUND if solid == "RGB" else round(sum(BACKGROUND) / 3)
            background = PILImage.new(solid, image.size, colour)
            background.paste(image, mask=image.getchannel("A"))
            return background
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    if target is ImageFormat.PNG:
        return image if image.mode in ("L", "LA", "RGB", "RGBA") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGBA" if alpha else "RGB")


def _encode(image, target: ImageFormat) -> bytes:
    # Pillow copies some metadata (ICC profile, JPEG comment) from ``info`` when saving.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, **SAVE_OPTIONS[target])
    return buffer.getvalue()
