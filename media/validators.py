"""Checks that an upload is a real raster image we are willing to decode, and reads its facts.

Every original goes through :func:`open_original`, which only lets Pillow try the decoders in
:data:`ALLOWED_FORMATS`: Pillow knows dozens of formats (EPS runs Ghostscript; PDF, PSD, TIFF and
FITS have no place on a news site), and a plain ``Image.open()`` would try them all.

An upload is refused, with a message an editor can act on, when it

- is larger than ``IMAGE_MAX_UPLOAD_BYTES``;
- is not a JPEG, PNG, WebP, GIF or AVIF (HEIC too, where a Pillow plugin for it is installed),
  whatever its name or declared type says; SVG drawings never are;
- has more pixels than ``IMAGE_MAX_PIXELS``, counting every frame of an animation but only the
  primary picture of a phone's MPO (a decompression bomb is caught from its header, before any
  pixel is decoded);
- cannot be decoded (a file that only starts like an image);
- carries HTML (see :func:`check_no_markup`).
"""

import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

try:  # HEIC only where a plugin for it is installed; the project does not ship one.
    import pillow_heif  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    pillow_heif = None

#: Formats editors may upload. Anything else (SVG, EPS, PDF, PSD, TIFF...) is refused, and Pillow
#: is never asked to try the other decoders it knows.
ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF", "AVIF")
if pillow_heif is not None:  # pragma: no cover - depends on the environment
    pillow_heif.register_heif_opener()
    ALLOWED_FORMATS += ("HEIF",)

#: Media types of the allowed formats, for the file input's ``accept`` attribute.
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/avif" + (
    ",image/heic,image/heif" if "HEIF" in ALLOWED_FORMATS else ""
)

#: EXIF orientations that turn the picture a quarter turn, so width and height swap.
SWAPS_AXES = {5, 6, 7, 8}
#: How to turn the stored pixels upright for each EXIF orientation.
TRANSPOSE = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}

#: The longest edge of the small copy decoded to check the pixels and make the placeholder.
SAMPLE_EDGE = 64

#: How much of the start of a file is looked at to tell a text, HTML or SVG file.
HEAD_BYTES = 64 * 1024

#: Tags that make a browser render HTML or run script, searched for in the metadata texts
#: (decoded, so compressed PNG text is searched too). Broad: these are text, and photos never
#: carry tags in them.
MARKUP = re.compile(
    rb"<(?:script|html|head|body|iframe|frame|frameset|object|embed|svg|math|meta|link|style"
    rb"|img|form|base|template|!doctype\s+html|\?xml-stylesheet)[\s/>]",
    re.IGNORECASE,
)

#: What is searched for in every byte of the file, compressed pixel data included: the tags that
#: run script or load a document, and the tags that run an event handler when they carry one.
#: Every alternative is long and exact enough that random bytes practically never match it (see
#: :func:`check_no_markup`); never add ``<`` followed by any letters, or short tags alone.
FILE_MARKUP = re.compile(
    rb"<(?:script|iframe|object|embed|frameset)[\s/>]"
    rb"|<!doctype\s{1,8}html|<\?xml-stylesheet"
    rb"|<(?:svg|img|body|video|audio|input|details|marquee)[\s/]"
    rb"[^<>]{0,256}?\bon[a-z]{1,30}\s{0,8}=",
    re.IGNORECASE,
)
#: At least the longest text :data:`FILE_MARKUP` can match (306 bytes): the file is read in
#: chunks that overlap by this much, so a marker across two chunks is found.
FILE_MARKUP_OVERLAP = 512
#: How much of the file is searched at a time.
SCAN_CHUNK = 1024 * 1024

#: Formats Pillow names apart that are JPEG files all the same: a JPEG with an MPF segment (most
#: phone photos, with a thumbnail, depth or gain map after the picture) is reported as "MPO".
JPEG_VARIANTS = {"MPO": "JPEG"}

NOT_AN_IMAGE = _("This file is not a JPEG, PNG, WebP, GIF or AVIF image.")


@dataclass(frozen=True)
class ImageInfo:
    """What an upload is: its upright size, format, frame count and a small upright copy."""

    width: int
    height: int
    format: str
    frames: int = 1
    #: An RGB copy at most ``SAMPLE_EDGE`` pixels wide or high, for placeholders and colours.
    sample: PILImage.Image | None = field(default=None, repr=False, compare=False)
    #: The raw embedded metadata worth keeping: ``iptc`` (Pillow's dict) and ``xmp`` (bytes).
    metadata: dict = field(default_factory=dict, repr=False, compare=False)


def open_original(file):
    """Open an original with Pillow, allowing only the decoders of :data:`ALLOWED_FORMATS`."""
    file.seek(0)
    return PILImage.open(file, formats=ALLOWED_FORMATS)


def read_image_info(file) -> ImageInfo:
    """Check an upload and read its facts; raise ``ValidationError`` if it is refused.

    The result is kept on the uploaded file, so the form, the model's validation and
    ``Image.save()`` read and decode it once between them.
    """
    holder = getattr(file, "_file", None) or file  # a FieldFile wraps the uploaded file
    cached = getattr(holder, "_media_image_info", None)
    if cached is not None:
        return cached
    info = _inspect(file)
    holder._media_image_info = info
    return info


def _inspect(file) -> ImageInfo:
    size = _file_size(file)
    if size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_too_large",
            params={
                "size": round(size / 1_048_576, 1),
                "limit": round(settings.IMAGE_MAX_UPLOAD_BYTES / 1_048_576, 1),
            },
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    if head.lstrip()[:1] == b"<":
        raise ValidationError(
            _(
                "This is a text, HTML or SVG file, not a photo. SVG drawings are not accepted: "
                "export the picture as PNG or JPEG."
            ),
            code="invalid_image",
        )
    try:
        with open_original(file) as image:
            width, height = image.size
            image_format = JPEG_VARIANTS.get(image.format, image.format)
            # An MPO's later frames are a phone's thumbnails, depth or gain maps, not frames of
            # an animation: only the primary picture is ever decoded, so only it counts.
            frames = 1 if image.format in JPEG_VARIANTS else getattr(image, "n_frames", 1)
            _check_pixels(width, height, frames)
            turn = orientation(image)
            metadata = _metadata(image)
            sample = _decode_sample(image, turn)
            texts = list(_embedded_texts(image))
    except ValidationError:
        raise
    except PILImage.DecompressionBombError:
        # Pillow's own, larger cap; only reached if IMAGE_MAX_PIXELS was set above it.
        raise _too_many_pixels(settings.IMAGE_MAX_PIXELS + 1) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from None
    finally:
        file.seek(0)
    check_no_markup(file, texts)
    if turn in SWAPS_AXES:
        width, height = height, width
    return ImageInfo(width, height, image_format, frames, sample=sample, metadata=metadata)


def validate_image_file(file):
    """Model-field validator: only new uploads are read; stored files were checked on upload."""
    if getattr(file, "_committed", True):
        return
    read_image_info(file)


def check_no_markup(file, texts=()):
    """Refuse an image that carries HTML, so no stored byte can ever be served as a page.

    A valid GIF, PNG or JPEG can carry ``<script>`` in a comment, in its metadata, in a private
    chunk or after its end, and a browser that sniffs the content type, or a misconfigured
    server, would run it. The choice here is to refuse such files rather than repair them:

    - re-encoding would remove the markup, but the original would no longer be the
      photographer's file (JPEG cannot be re-encoded losslessly), and renditions are already
      re-encoded from it without any metadata;
    - cutting the bytes after the image's end marker would not reach markup inside comments,
      metadata or chunks, and would destroy data legitimately stored there (HDR gain maps and
      the second image of an MPO follow the first JPEG's end marker).

    What is searched:

    - every byte of ``file``, from start to end, for :data:`FILE_MARKUP` (read in chunks of
      :data:`SCAN_CHUNK` that overlap by :data:`FILE_MARKUP_OVERLAP`; the upload is at most
      ``IMAGE_MAX_UPLOAD_BYTES``);
    - each of ``texts``, the metadata Pillow decoded (JPEG APPn and COM segments, PNG text
      chunks, zTXt and iTXt decompressed, GIF comments, XMP), for the broader :data:`MARKUP`.

    Compressed pixel data is, byte for byte, close to random, so the whole-file markers must
    not match random bytes. With case folding, a given letter matches with probability 2/256,
    ``<`` 1/256 and a delimiter (whitespace, ``/``, ``>``) at most 8/256. The likeliest marker
    is ``<embed`` and a delimiter: 2^-8 x (2^-7)^5 x 2^-5 = 2^-48 at a given position; a short
    tag with a handler, ``<svg/`` then ``on...=`` within 256 bytes, is about 2^-34 x 2^-16 =
    2^-50; ``<script``, ``<iframe``, ``<object`` and the doctype are 2^-55 or less. Summed,
    under 2^-46 per position, so a file of random bytes at the default 30 MB limit (under 2^25
    positions) is refused by chance less than once in two million. Markers such as ``<img`` or
    ``<html`` alone (2^-34 and 2^-41) would refuse about one 30 MB photo in 500 and in 65,000.

    Photos never carry these tags, so an editor who meets the error has a file that was tampered
    with.
    """
    if _file_has_markup(file) or any(text and MARKUP.search(text) for text in texts):
        raise ValidationError(
            _(
                "This file contains HTML or script code besides the picture, so it is not "
                "accepted. Export the photo again from an image editor and upload that copy."
            ),
            code="markup_in_image",
        )


def _file_has_markup(file) -> bool:
    file.seek(0)
    try:
        carry = b""
        while chunk := file.read(SCAN_CHUNK):
            data = carry + chunk
            if FILE_MARKUP.search(data):
                return True
            carry = data[-FILE_MARKUP_OVERLAP:]
        return False
    finally:
        file.seek(0)


def _file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    return size


def _check_pixels(width, height, frames):
    if width * height * frames > settings.IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width * height * frames)


def _too_many_pixels(pixels):
    return ValidationError(
        _(
            "The image is %(mp)s megapixels (all frames together); the limit is %(limit)s "
            "megapixels. Upload a smaller copy."
        ),
        code="too_many_pixels",
        params={
            "mp": round(pixels / 1e6, 1),
            "limit": round(settings.IMAGE_MAX_PIXELS / 1e6, 1),
        },
    )


def orientation(image) -> int:
    """The EXIF orientation (1 to 8) of an opened image; 1 when absent or unreadable."""
    try:
        value = image.getexif().get(0x0112, 1)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):  # damaged EXIF
        return 1
    return value if value in TRANSPOSE else 1


def _metadata(image) -> dict:
    """The embedded IPTC and XMP, undecoded; read before any pixel is decoded."""
    from PIL import IptcImagePlugin

    metadata = {}
    if image.format == "JPEG" or image.format in JPEG_VARIANTS:
        try:
            iptc = IptcImagePlugin.getiptcinfo(image)
        except (OSError, ValueError, SyntaxError, IndexError, KeyError):
            iptc = None
        if iptc:
            metadata["iptc"] = iptc
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if isinstance(xmp, str):
        xmp = xmp.encode()
    if xmp:
        metadata["xmp"] = bytes(xmp)
    return metadata


def _decode_sample(image, turn) -> PILImage.Image:
    """Decode the first frame into a small upright RGB copy; fails on damaged pixel data.

    ``thumbnail()`` decodes JPEGs at a reduced scale (draft mode), so even a 50-megapixel photo
    costs little; other formats are decoded whole, once, and 16-bit greyscale is scaled to 8 bits
    first (Pillow cannot reduce or resize ``I;16`` images).
    """
    if image.format != "JPEG" and image.format not in JPEG_VARIANTS:
        image.load()
        image = _to_8bit(image)
    image.thumbnail((SAMPLE_EDGE, SAMPLE_EDGE), PILImage.Resampling.BOX, reducing_gap=2.0)
    sample = image.transpose(TRANSPOSE[turn]) if turn in TRANSPOSE else image
    return _to_rgb(sample)


def _to_8bit(image) -> PILImage.Image:
    """16-bit greyscale (``I;16`` or ``I``, as PNG decodes it) as 8-bit ``L``; others as is."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image


def _to_rgb(image) -> PILImage.Image:
    """RGB for any mode: 16-bit scaled down, transparency flattened onto white."""
    image = _to_8bit(image)
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        flat = PILImage.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _embedded_texts(image):
    """Every metadata segment Pillow has read (after ``load()``, PNG's later chunks too)."""
    for _marker, content in getattr(image, "applist", ()):
        yield content
    for value in image.info.values():
        if isinstance(value, bytes | str):
            yield value.encode("utf-8", "replace") if isinstance(value, str) else value
    text = getattr(image, "text", None)
    if isinstance(text, dict):
        for value in text.values():
            yield str(value).encode("utf-8", "replace")
