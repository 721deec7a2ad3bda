"""Rendition pixels: upright, in sRGB, flattened where the format needs it, without metadata,
resampled well, and the right size and format, for every kind of original editors upload."""

import io
import math
import struct

import pytest
from PIL import ExifTags, ImageChops, ImageCms, ImageDraw, ImageOps, JpegImagePlugin, features
from PIL import Image as PILImage

from media.operations import REDUCING_GAP, cover_box, render_rendition
from media.renditions import ImageFit, ImageFormat, RenditionSpec, rendition_size

FORMATS = [
    ImageFormat.JPEG,
    ImageFormat.WEBP,
    ImageFormat.PNG,
    pytest.param(
        ImageFormat.AVIF,
        marks=pytest.mark.skipif(not features.check("avif"), reason="Pillow without AVIF"),
    ),
]
PIL_FORMATS = {"jpeg": "JPEG", "webp": "WEBP", "png": "PNG", "avif": "AVIF"}


def spec(width=0, height=0, fit=ImageFit.CONTAIN, format=ImageFormat.PNG):
    return RenditionSpec(width, height, fit, format)


def encode(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    buffer.seek(0)
    return buffer


def render(image_or_file, rendition, fmt="PNG", focal=(0.5, 0.5), **params):
    """Render ``rendition`` from a Pillow image (saved as ``fmt``) or an encoded file, and
    decode the result."""
    source = image_or_file
    if isinstance(image_or_file, PILImage.Image):
        source = encode(image_or_file, fmt, **params)
    rendered = render_rendition(source, rendition, focal)
    decoded = PILImage.open(io.BytesIO(rendered.content))
    decoded.load()
    assert decoded.size == (rendered.width, rendered.height)
    assert decoded.format == PIL_FORMATS[rendered.format.value]
    return decoded


def photo(width=400, height=300):
    """A smooth picture with shapes: colour gradients a reader would call a photo."""
    red = PILImage.linear_gradient("L").rotate(90).resize((width, height))
    green = PILImage.radial_gradient("L").resize((width, height))
    blue = PILImage.linear_gradient("L").resize((width, height))
    image = PILImage.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.2, height * 0.2, width * 0.5, height * 0.7), fill=(240, 200, 20))
    draw.rectangle((width * 0.6, height * 0.5, width * 0.9, height * 0.9), fill=(30, 40, 150))
    return image


def quadrants(width=60, height=40):
    """Four solid quadrants: red, green / blue, white; any rotation or mirror changes it."""
    image = PILImage.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2 - 1, height // 2 - 1), fill=(255, 0, 0))
    draw.rectangle((width // 2, 0, width - 1, height // 2 - 1), fill=(0, 255, 0))
    draw.rectangle((0, height // 2, width // 2 - 1, height - 1), fill=(0, 0, 255))
    return image


def close(first, second, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(first, second, strict=True))


def psnr(first, second):
    histogram = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).histogram()
    squares = sum(count * (value % 256) ** 2 for value, count in enumerate(histogram))
    mse = squares / (first.width * first.height * 3)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def with_orientation(image, orientation, fmt="JPEG"):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return encode(image, fmt, exif=exif, **({"quality": 95} if fmt == "JPEG" else {}))


# Orientation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(orientation):
    source = with_orientation(quadrants(), orientation, fmt="PNG")
    expected = ImageOps.exif_transpose(PILImage.open(source))
    source.seek(0)
    result = render(source, spec())
    assert result.size == expected.size
    for x, y in ((5, 5), (expected.width - 5, 5), (5, expected.height - 5)):
        assert close(result.getpixel((x, y))[:3], expected.getpixel((x, y))[:3], 0)


def test_sideways_photo_has_the_size_rendition_size_predicts_from_the_upright_size():
    """A portrait photo stored landscape with Orientation=6: width and height swap."""
    source = with_orientation(photo(400, 300), 6)
    rendition = spec(width=150, format=ImageFormat.JPEG)
    result = render(source, rendition)
    assert result.size == rendition_size(300, 400, rendition) == (150, 200)
    assert "exif" not in result.info


@pytest.mark.parametrize("orientation", range(1, 9))
def test_cover_crop_of_a_rotated_photo_matches_cropping_the_upright_photo(orientation):
    original = photo(800, 500)
    source = with_orientation(original, orientation)
    upright = ImageOps.exif_transpose(PILImage.open(source))
    source.seek(0)
    rendition = spec(120, 120, ImageFit.COVER)
    result = render(source, rendition, focal=(0.7, 0.4))
    # The crop is centred on the focal point: x from 0.7 * W - H / 2 (clamped to the frame).
    w, h = upright.size
    side = min(w, h)
    left = min(max(0.7 * w - side / 2, 0), w - side)
    top = min(max(0.4 * h - side / 2, 0), h - side)
    expected = upright.resize(
        (120, 120), PILImage.Resampling.LANCZOS, (left, top, left + side, top + side)
    )
    assert psnr(result, expected) > 30


def test_cover_crop_is_centred_on_the_focal_point_and_stays_in_the_frame():
    image = PILImage.new("RGB", (300, 100), (255, 255, 255))
    ImageDraw.Draw(image).ellipse((230, 40, 250, 60), fill=(255, 0, 0))  # centre x = 240 = 0.8 W
    centred = render(image, spec(100, 100, ImageFit.COVER), focal=(0.8, 0.5))
    assert close(centred.getpixel((50, 50)), (255, 0, 0), 30)
    at_edge = render(image, spec(100, 100, ImageFit.COVER), focal=(1.0, 0.5))
    assert close(at_edge.getpixel((40, 50)), (255, 0, 0), 30)  # the crop is the last 100 px


# Colour and modes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cmyk", "rgb"),
    [((255, 0, 0, 0), (0, 255, 255)), ((0, 0, 0, 255), (0, 0, 0)), ((0, 0, 0, 0), (255, 255, 255))],
)
@pytest.mark.parametrize("target", [ImageFormat.JPEG, ImageFormat.WEBP])
def test_cmyk_jpeg_becomes_rgb_with_the_right_colours(cmyk, rgb, target):
    source = encode(PILImage.new("CMYK", (64, 48), cmyk), "JPEG", quality=95)
    assert PILImage.open(source).mode == "CMYK"
    source.seek(0)
    result = render(source, spec(32, format=target))
    assert result.mode == "RGB"
    assert close(result.getpixel((16, 12)), rgb, 16)


def test_sixteen_bit_png_is_scaled_to_eight_bits_not_clipped():
    image = PILImage.new("I;16", (256, 8))
    for x in range(256):
        for y in range(8):
            image.putpixel((x, y), x * 257)
    source = encode(image, "PNG")
    assert PILImage.open(source).mode == "I;16"
    source.seek(0)
    result = render(source, spec(format=ImageFormat.PNG))
    assert result.mode == "L"
    assert result.getpixel((0, 4)) == 0
    assert result.getpixel((128, 4)) == 128
    assert result.getpixel((255, 4)) == 255


def test_palette_image_is_resampled_in_colour_not_by_nearest_neighbour():
    image = PILImage.new("RGB", (100, 100), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for x in range(0, 100, 2):
        draw.line((x, 0, x, 99), fill=(0, 0, 0))
    palette = image.quantize(2)
    result = render(palette, spec(25, format=ImageFormat.PNG))
    assert result.mode == "RGB"
    grey = result.getpixel((12, 12))
    assert all(100 < value < 160 for value in grey)  # stripes averaged, not picked


@pytest.mark.parametrize("target", [ImageFormat.PNG, ImageFormat.WEBP])
def test_palette_transparency_is_kept_where_the_format_has_alpha(target):
    image = PILImage.new("P", (40, 40), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    ImageDraw.Draw(image).rectangle((20, 0, 39, 39), fill=1)
    result = render(image, spec(20, format=target), transparency=1)
    assert result.mode == "RGBA"
    assert result.getpixel((2, 10))[3] == 255
    assert close(result.getpixel((2, 10))[:3], (255, 0, 0))
    assert result.getpixel((17, 10))[3] == 0


@pytest.mark.parametrize(
    ("mode", "colour", "expected"),
    [
        ("RGBA", (0, 0, 0, 0), (255, 255, 255)),  # fully transparent: white, not black
        ("RGBA", (255, 0, 0, 128), (255, 127, 127)),  # half-transparent red on white: pink
        ("LA", (0, 0), (255, 255, 255)),
        ("P", 0, (255, 255, 255)),
    ],
)
def test_transparency_is_flattened_on_white_for_jpeg(mode, colour, expected):
    image = PILImage.new(mode, (40, 40), colour)
    params = {}
    if mode == "P":
        image.putpalette([0, 0, 0])
        params["transparency"] = 0
    result = render(image, spec(20, format=ImageFormat.JPEG), **params)
    assert result.mode in ("RGB", "L")
    assert close(result.convert("RGB").getpixel((10, 10)), expected, 4)


@pytest.mark.parametrize("target", [ImageFormat.WEBP, ImageFormat.PNG])
def test_grey_with_alpha_keeps_its_alpha(target):
    image = PILImage.new("LA", (40, 40), (90, 255))
    ImageDraw.Draw(image).rectangle((0, 0, 19, 39), fill=(0, 0))
    result = render(image, spec(20, format=target))
    assert result.mode in ("LA", "RGBA")
    assert result.getpixel((2, 10))[-1] == 0
    assert result.getpixel((17, 10))[-1] == 255


def test_fully_opaque_alpha_is_dropped():
    result = render(
        PILImage.new("RGBA", (40, 40), (10, 120, 200, 255)), spec(20, format=ImageFormat.WEBP)
    )
    assert result.mode == "RGB"


def test_transparent_edges_do_not_bleed_hidden_colours():
    """Premultiplied resampling: the colour under transparent pixels never shows."""
    image = PILImage.new("RGBA", (100, 100), (0, 255, 0, 0))  # invisible green
    ImageDraw.Draw(image).rectangle((0, 0, 49, 99), fill=(255, 0, 0, 255))
    result = render(image, spec(20, format=ImageFormat.PNG))
    for x in range(8, 13):  # across the edge of the red half
        red, green, _, alpha = result.getpixel((x, 10))
        assert green <= 2
        if alpha:
            assert red >= 250


@pytest.mark.parametrize(
    ("rendition", "focal"),
    [
        (spec(100), (0.5, 0.5)),  # reduced by 3, then Lanczos
        (spec(90, 90, ImageFit.COVER), (0.3, 0.6)),
        (spec(400), (0.5, 0.5)),  # Lanczos only
        (spec(250, 300, ImageFit.COVER), (0.9, 0.1)),
    ],
)
def test_transparent_downscale_is_pillows_premultiplied_resize(rendition, focal):
    """Reducing a transparent photo strip by strip gives exactly Pillow's own result."""
    image = photo(1000, 790).convert("RGBA")
    image.putalpha(PILImage.radial_gradient("L").resize(image.size))
    result = render(image, rendition, focal=focal)
    box = (0, 0, *image.size)
    if rendition.fit is ImageFit.COVER:
        box = cover_box(*image.size, result.size, focal)
    expected = image.resize(
        result.size, PILImage.Resampling.LANCZOS, box, reducing_gap=REDUCING_GAP
    )
    assert result.mode == "RGBA"
    assert ImageChops.difference(result, expected).getbbox() is None


def adobe_rgb_profile():
    """An ICC v2 display profile with Adobe RGB (1998) primaries: a real, wider-than-sRGB space
    (Pillow can only build sRGB, so this one is written byte by byte)."""

    def s15(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    description = b"Test wide-gamut RGB (Adobe RGB 1998 primaries)"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(description) + 1) + description + b"\0"
    desc += b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 563) + b"\0\0"  # gamma 563/256 = 2.2
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0No copyright, test data\0"),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.60974, 0.31111, 0.01947)),
        (b"gXYZ", xyz(0.20528, 0.62567, 0.06087)),
        (b"bXYZ", xyz(0.14919, 0.06322, 0.74457)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I4sI4s4s4s", size, b"\0\0\0\0", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
    header += b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
    header += s15(0.9642) + s15(1.0) + s15(0.8249)
    header += b"\0" * (128 - len(header))
    return header + table + data


def test_embedded_wide_gamut_profile_is_converted_to_srgb():
    profile = adobe_rgb_profile()
    colour = (60, 160, 60)  # a green that is more saturated in Adobe RGB than in sRGB
    image = PILImage.new("RGB", (64, 48), colour)
    expected = ImageCms.profileToProfile(
        PILImage.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.createProfile("sRGB"),
    ).getpixel((0, 0))
    assert not close(expected, colour, 12)  # the profile really changes the numbers
    for target in (ImageFormat.PNG, ImageFormat.JPEG):
        result = render(image, spec(32, format=target), icc_profile=profile)
        assert close(result.getpixel((16, 12)), expected, 3 if target is ImageFormat.PNG else 6)
        assert "icc_profile" not in result.info


def test_cmyk_with_an_embedded_profile_still_comes_out_rgb():
    """A CMYK profile Pillow cannot use here is ignored, not fatal."""
    image = PILImage.new("CMYK", (32, 32), (0, 255, 255, 0))
    result = render(
        image, spec(16, format=ImageFormat.JPEG), "JPEG", icc_profile=adobe_rgb_profile()
    )
    assert close(result.getpixel((8, 8)), (255, 0, 0), 16)


def test_srgb_tagged_photo_passes_through_untagged():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = PILImage.new("RGB", (64, 48), (60, 160, 60))
    result = render(image, spec(32, format=ImageFormat.PNG), icc_profile=srgb)
    assert result.getpixel((16, 12)) == (60, 160, 60)
    assert "icc_profile" not in result.info


# Metadata ------------------------------------------------------------------------------------


def tagged_jpeg():
    """A JPEG carrying everything a camera or agency puts in: EXIF with GPS, XMP, a comment
    and an ICC profile."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Secret Camera"
    exif[ExifTags.Base.Artist] = "Secret Photographer"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><secret>xmp</secret></x:xmpmeta>'
    return encode(
        photo(),
        "JPEG",
        quality=95,
        exif=exif,
        xmp=xmp,
        comment=b"secret comment",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )


@pytest.mark.parametrize("target", FORMATS)
def test_metadata_is_stripped(target):
    source = tagged_jpeg()
    with PILImage.open(source) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"exif", "xmp", "comment", "icc_profile"} <= set(original.info)
    source.seek(0)
    rendered = render_rendition(source, spec(200, format=target))
    assert b"secret" not in rendered.content.lower()
    result = PILImage.open(io.BytesIO(rendered.content))
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(result.info)
    assert len(result.getexif()) == 0
    assert not result.getexif().get_ifd(ExifTags.IFD.GPSInfo)


# Resampling, encoding, formats ---------------------------------------------------------------


@pytest.mark.parametrize("target", FORMATS)
def test_each_format_has_the_predicted_size(target):
    rendition = spec(160, format=target)
    result = render(photo(400, 300), rendition, "JPEG")
    assert result.size == rendition_size(400, 300, rendition) == (160, 120)


def test_never_upscales():
    rendition = spec(2000, 2000, ImageFit.COVER, ImageFormat.JPEG)
    result = render(photo(400, 300), rendition, "JPEG")
    assert result.size == rendition_size(400, 300, rendition) == (300, 300)


def test_jpeg_is_progressive():
    result = render(photo(), spec(200, format=ImageFormat.JPEG), "JPEG")
    assert result.info.get("progressive") or result.info.get("progression")


def test_downscale_uses_a_high_quality_filter():
    """One-pixel stripes average to grey; a cheap filter would alias them into bands."""
    image = PILImage.new("L", (300, 300), 255)
    draw = ImageDraw.Draw(image)
    for x in range(0, 300, 2):
        draw.line((x, 0, x, 299), fill=0)
    result = render(image, spec(70, format=ImageFormat.PNG))
    low, high = result.crop((5, 5, 65, 65)).getextrema()
    assert 118 <= low <= high <= 138


@pytest.mark.parametrize(
    "rendition",
    [
        spec(300, format=ImageFormat.JPEG),
        spec(96, 96, ImageFit.COVER, ImageFormat.JPEG),
    ],
)
def test_large_jpeg_is_decoded_at_reduced_scale_with_the_same_look(monkeypatch, rendition):
    calls = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = draft(self, mode, size)
        calls.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    original = photo(2400, 1600)
    source = encode(original, "JPEG", quality=95)
    result = render(source, rendition)
    assert calls and calls[0][0] < 2400  # the decoder scaled the photo down by DCT
    # As close to a full-size Lanczos resize as that resize is once saved as a JPEG.
    source.seek(0)
    full = PILImage.open(source)
    if rendition.fit is ImageFit.COVER:
        expected = ImageOps.fit(full, result.size, PILImage.Resampling.LANCZOS)
    else:
        expected = full.resize(result.size, PILImage.Resampling.LANCZOS)
    naive = PILImage.open(encode(expected, "JPEG", quality=82))
    assert psnr(result, expected) > psnr(naive, expected) - 0.5


def test_animated_gif_gives_its_first_frame():
    frames = [PILImage.new("RGB", (40, 40), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    source = io.BytesIO()
    frames[0].save(source, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    source.seek(0)
    assert PILImage.open(source).n_frames == 2
    source.seek(0)
    result = render(source, spec(20, format=ImageFormat.WEBP))
    assert getattr(result, "n_frames", 1) == 1
    assert close(result.getpixel((10, 10)), (255, 0, 0), 8)
