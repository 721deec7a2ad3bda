"""Uploading photos: only real raster images get in, bombs and polyglots don't, and an upload
records its facts, a placeholder, a colour, and the credit it carries."""

import io
import random
import struct
import zlib

import blurhash
import pytest
from django import forms
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import EpsImagePlugin, ImageDraw
from PIL import Image as PILImage
from PIL.PngImagePlugin import PngInfo

from media.forms import UploadedImageField
from media.models import Image, ImageCredit, License
from media.uploads import embedded_credit
from media.validators import read_image_info
from tests.factories import (
    ImageCreditFactory,
    ImageFactory,
    image_bytes,
    iptc_block,
    upload,
    with_segment,
    xmp_packet,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_image_add")


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def post(client, file, **fields):
    data = {"file": file, "title": "Upload", "alt_text": "", "caption": "", "credit": ""}
    data |= {"focal_x": "0.5", "focal_y": "0.5", **fields}
    return client.post(ADD, data)


def assert_refused(response, media_root, *phrases):
    """A form error on the file that says why, and nothing saved: no row, no file."""
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    text = " ".join(errors)
    for phrase in phrases:
        assert phrase in text, text
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []
    return text


# --- What gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB"), ("GIF", "P"), ("AVIF", "RGB")],
)
def test_each_allowed_format_is_accepted_with_its_facts(admin_client, media_root, fmt, mode):
    color = 3 if mode == "P" else (30, 90, 200, 255)[: len(mode)]
    content = image_bytes(120, 80, color=color, fmt=fmt, mode=mode)

    response = post(admin_client, upload(content, name="anything.bin"))

    assert response.status_code == 302, response.context and response.context["errors"]
    image = Image.objects.get()
    assert (image.width, image.height, image.format) == (120, 80, fmt)
    assert image.file_size == len(content)
    assert len(image.content_hash) == 64
    assert image.file.name.endswith({"JPEG": ".jpg"}.get(fmt, f".{fmt.lower()}"))
    assert [path.name for path in stored_files(media_root)] == [image.file.name.split("/")[-1]]


def test_placeholder_is_a_blurhash_and_the_colour_is_the_photos_own():
    picture = PILImage.new("RGB", (400, 300), (20, 120, 60))
    ImageDraw.Draw(picture).rectangle((0, 0, 60, 60), fill=(250, 250, 250))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")

    image = ImageFactory(file=upload(buffer.getvalue(), name="field.png"))

    assert image.placeholder
    assert 20 <= len(image.placeholder) <= 40
    decoded = blurhash.decode(image.placeholder, 8, 6)
    red, green, blue = decoded[3][4]
    assert green > red and green > blue  # mostly green, like the photo


def test_transparent_photo_placeholder_is_on_white_not_black():
    image = ImageFactory(file=upload(image_bytes(fmt="PNG", mode="RGBA", color=(0, 0, 0, 0))))
    assert image.dominant_color == "#ffffff"


def test_sixteen_bit_greyscale_is_read_without_clipping():
    image = ImageFactory(file=upload(image_bytes(fmt="PNG", mode="I;16", color=0x8000)))
    assert image.dominant_color == "#808080"


@pytest.mark.parametrize("size", [(300, 200), (1200, 800)])
def test_large_sixteen_bit_greyscale_png_is_accepted(admin_client, media_root, size):
    """Pillow cannot shrink ``I;16`` images: the sample is scaled to 8 bits first."""
    content = image_bytes(*size, fmt="PNG", mode="I;16", color=0x8000)

    response = post(admin_client, upload(content, name="scan.png"))

    assert response.status_code == 302, response.context and response.context["errors"]
    image = Image.objects.get()
    assert (image.width, image.height, image.format) == (*size, "PNG")
    assert image.dominant_color == "#808080"


@pytest.mark.parametrize(
    ("orientation", "size"), [(1, (300, 200)), (6, (200, 300)), (8, (200, 300))]
)
def test_width_and_height_are_upright_after_exif_orientation(orientation, size):
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    image = ImageFactory(file=upload(image_bytes(300, 200, exif=exif)))
    assert (image.width, image.height) == size


def test_the_form_field_never_uses_djangos_image_field():
    """forms.ImageField would let Pillow try every decoder it has, EPS (Ghostscript) included."""
    form_field = Image._meta.get_field("file").formfield()
    assert isinstance(form_field, UploadedImageField)
    assert not isinstance(form_field, forms.ImageField)
    assert "image/jpeg" in form_field.widget.attrs["accept"]


def test_the_browser_supplied_type_is_replaced_by_the_real_one():
    file = upload(image_bytes(fmt="PNG"), name="x.jpg", content_type="text/html")
    assert UploadedImageField().clean(file).content_type == "image/png"


# --- What is refused ----------------------------------------------------------------------------


def test_a_file_that_only_claims_to_be_an_image_is_refused(admin_client, media_root):
    fake = upload(b"<html><script>alert(1)</script></html>", name="photo.jpg")
    assert_refused(post(admin_client, fake), media_root, "HTML or SVG")


def test_a_file_with_a_jpeg_header_and_no_picture_is_refused(admin_client, media_root):
    truncated = image_bytes(400, 300)[:400]
    assert_refused(post(admin_client, upload(truncated)), media_root, "not a JPEG, PNG")


def test_svg_is_refused(admin_client, media_root):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    text = assert_refused(
        post(admin_client, upload(svg, name="logo.svg", content_type="image/svg+xml")),
        media_root,
    )
    assert "SVG" in text


@pytest.mark.parametrize("fmt", ["TIFF", "BMP", "PDF", "ICO", "PPM"])
def test_formats_outside_the_allow_list_are_refused(admin_client, media_root, fmt):
    content = image_bytes(fmt=fmt)
    assert_refused(post(admin_client, upload(content)), media_root, "not a JPEG, PNG")


def test_eps_is_refused_without_ever_reaching_its_decoder(admin_client, media_root, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the EPS decoder (Ghostscript) was reached")

    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", never)
    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", never)
    eps = (
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
        b"newpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
    )
    assert_refused(post(admin_client, upload(eps, name="chart.eps")), media_root, "not a JPEG")


def phone_photo(size=(600, 400), extra=(160, 120), segment=b""):
    """A JPEG with an MPF segment and a second, smaller picture, as phones write them; Pillow
    calls it "MPO". ``segment`` goes right after the first SOI (MPF offsets stay valid)."""
    buffer = io.BytesIO()
    first = PILImage.new("RGB", size, (20, 120, 60))
    first.save(buffer, "MPO", save_all=True, append_images=[PILImage.new("RGB", extra)])
    content = with_segment(buffer.getvalue(), segment) if segment else buffer.getvalue()
    opened = PILImage.open(io.BytesIO(content))
    assert (opened.format, opened.n_frames) == ("MPO", 2)
    return content


def test_a_phone_photo_with_a_second_picture_is_a_jpeg(admin_client, media_root, settings):
    """Only the primary picture counts: 240 000 pixels pass a 300 000 cap that two frames at
    its size would not; it is stored as a JPEG, and its IPTC credit is read."""
    settings.IMAGE_MAX_PIXELS = 300_000
    content = phone_photo(segment=iptc_block(credit="Reuters", by_line="Jane Doe"))

    response = post(admin_client, upload(content, name="IMG_0001.JPG"))

    assert response.status_code == 302, response.context and response.context["errors"]
    image = Image.objects.get()
    assert (image.width, image.height, image.format) == (600, 400, "JPEG")
    assert image.file.name.endswith(".jpg")
    assert image.placeholder
    assert (image.credit.text, image.credit.creator) == ("Reuters", "Jane Doe")
    info = read_image_info(upload(content))
    assert (info.format, info.frames) == ("JPEG", 1)


def test_a_decompression_bomb_is_refused_before_decoding(admin_client, media_root):
    """60 megapixels of one colour compress to a few kilobytes."""
    buffer = io.BytesIO()
    PILImage.new("1", (10_000, 6_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 100_000

    text = assert_refused(
        post(admin_client, upload(buffer.getvalue(), name="small.png")), media_root, "megapixels"
    )
    assert "60.0" in text and "50.0" in text


def test_every_frame_of_an_animation_counts_towards_the_pixel_cap(
    admin_client, media_root, settings
):
    settings.IMAGE_MAX_PIXELS = 100_000
    frames = [PILImage.new("RGB", (200, 200), (i * 60, 0, 0)) for i in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    assert read_image_info(upload(image_bytes(200, 200, fmt="GIF", mode="P", color=1))).frames == 1

    text = assert_refused(post(admin_client, upload(buffer.getvalue())), media_root, "0.1")
    assert "all frames" in text


def test_a_file_over_the_byte_limit_is_refused(admin_client, media_root, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1024 * 1024
    content = image_bytes(fmt="PNG") + b"\0" * (2 * 1024 * 1024)
    assert_refused(post(admin_client, upload(content)), media_root, "2.0 MB", "limit is 1.0 MB")


def gif_with_comment(comment):
    buffer = io.BytesIO()
    PILImage.new("P", (16, 16), 1).save(buffer, "GIF", comment=comment)
    return buffer.getvalue()


def png_with_text(text):
    info = PngInfo()
    info.add_text("Comment", text)
    return image_bytes(fmt="PNG", pnginfo=info)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(image_bytes(fmt="GIF", mode="P", color=1) + b"<script>alert(1)</script>"),
        pytest.param(image_bytes() + b"<html><body onload=alert(1)>", id="jpeg-appended"),
        pytest.param(image_bytes(comment=b"<script>alert(1)</script>"), id="jpeg-comment"),
        pytest.param(gif_with_comment(b"<iframe src=//evil>"), id="gif-comment"),
        pytest.param(png_with_text("<svg onload=alert(1)>"), id="png-text"),
        pytest.param(
            with_segment(image_bytes(), iptc_block(caption="<SCRIPT>x</SCRIPT>")),
            id="jpeg-iptc",
        ),
        pytest.param(
            image_bytes(400, 300) + b"\0" * 200_000 + b"<!DOCTYPE html><p>", id="jpeg-far-end"
        ),
    ],
)
def test_image_html_polyglots_are_refused(admin_client, media_root, content):
    PILImage.open(io.BytesIO(content)).load()  # a valid image, all the same
    assert_refused(post(admin_client, upload(content)), media_root, "HTML or script")


def test_markup_deep_inside_a_jpeg_comment_is_found(admin_client, media_root):
    """Past the first and last 64 KB: the comment segments are searched whole."""

    def comment(text):
        return b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text

    content = image_bytes(400, 300)
    for segment in [b"z" * 65_000, b"<script>alert(1)</script>", b"y" * 65_000, b"x" * 65_000]:
        content = with_segment(content, comment(segment))  # each goes first: read bottom-up
    position = content.find(b"<script")
    assert 64 * 1024 < position < len(content) - 64 * 1024

    assert_refused(post(admin_client, upload(content)), media_root, "HTML or script")


def noise(width, height, seed=1):
    """A picture of random pixels: it compresses to bytes as random as any photo's."""
    return PILImage.frombytes(
        "RGB",
        (width, height),
        random.Random(seed).randbytes(width * height * 3),  # noqa: S311 - repeatable test pixels
    )


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.mark.parametrize(
    "payload",
    [
        b"<script>alert(1)</script>",
        b"<svg/onload=alert(1)>",
        b"<IMG SRC=x\nOnError = alert(1)>",
        b"<iframe srcdoc='&lt;script&gt;alert(1)&lt;/script&gt;'>",
    ],
)
def test_markup_in_a_private_chunk_in_the_middle_of_a_png_is_found(
    admin_client, media_root, payload
):
    """Pillow skips unknown chunks and reports no text: only the whole-file search sees it."""
    buffer = io.BytesIO()
    noise(300, 300).save(buffer, "PNG")
    png = buffer.getvalue()
    ihdr_end = 8 + 25
    chunks = png_chunk(b"prVa", bytes(100_000)) + png_chunk(b"prVt", b"\x00" + payload)
    content = png[:ihdr_end] + chunks + png[ihdr_end:]
    position = content.find(payload)
    assert len(content) > 200_000
    assert 64 * 1024 < position < len(content) - 64 * 1024
    reopened = PILImage.open(io.BytesIO(content))
    reopened.load()
    assert not reopened.info and not reopened.text

    assert_refused(post(admin_client, upload(content, name="chart.png")), media_root, "HTML")


def test_markup_across_two_read_chunks_is_found(admin_client, media_root, monkeypatch):
    monkeypatch.setattr("media.validators.SCAN_CHUNK", 4096)
    content = image_bytes() + b"\0" * 10_000
    assert content.find(b"\0" * 100) < 4000
    for offset in range(4088, 4097):  # the marker straddles the first chunk's end (4096)
        with_marker = content[:offset] + b"<script>" + content[offset:]
        with pytest.raises(forms.ValidationError, match="HTML or script"):
            read_image_info(upload(with_marker))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_large_photos_of_random_pixels_are_not_mistaken_for_markup(fmt):
    """Several megabytes of compressed noise: none of the whole-file markers turn up."""
    buffer = io.BytesIO()
    noise(1600, 1200, seed=len(fmt)).save(buffer, fmt, quality=95)
    assert len(buffer.getvalue()) > 1_000_000

    info = read_image_info(upload(buffer.getvalue()))

    assert (info.width, info.height) == (1600, 1200)


def test_ordinary_metadata_is_not_mistaken_for_markup(admin_client):
    content = with_segment(
        image_bytes(comment=b"Shot at 1/250 <f/8> on a <tripod>", xmp=xmp_packet(credit="AP")),
        iptc_block(caption="Protesters <left> and police <right>"),
    )
    assert post(admin_client, upload(content)).status_code == 302


def test_a_refused_model_save_leaves_no_file(media_root):
    with pytest.raises(IntegrityError), transaction.atomic():
        Image(title="Off frame", file=upload(image_bytes()), focal_x=2).save()
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_replacing_the_file_removes_the_old_original(
    media_root, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=upload(image_bytes(color=(1, 2, 3))))
    old = media_root / image.file.name
    assert old.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        image.file = upload(image_bytes(320, 240, color=(200, 200, 0)), name="new.jpg")
        image.save()

    assert not old.exists()
    assert (image.width, image.height) == (320, 240)
    assert stored_files(media_root) == [media_root / image.file.name]


# --- The same photo twice -----------------------------------------------------------------------


def test_uploading_the_same_photo_again_warns_with_a_link(admin_client):
    content = image_bytes(color=(9, 9, 9))
    first = ImageFactory(title="Harbour at dawn", file=upload(content))

    response = post(admin_client, upload(content), title="Harbour again")

    assert response.status_code == 302
    second = Image.objects.get(title="Harbour again")
    assert second.content_hash == first.content_hash
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    link = reverse("admin:media_image_change", args=[first.pk])
    assert any("already in the library" in m and link in m for m in warnings), warnings
    assert "Harbour at dawn" in " ".join(warnings)

    page = admin_client.get(reverse("admin:media_image_change", args=[second.pk]))
    assert "The same file is also in the library as" in page.content.decode()
    assert link in page.content.decode()


def test_a_different_photo_gives_no_warning(admin_client):
    ImageFactory(file=upload(image_bytes(color=(9, 9, 9))))
    response = post(admin_client, upload(image_bytes(color=(200, 9, 9))))
    assert not [m for m in get_messages(response.wsgi_request) if "already" in str(m)]


# --- The credit a photo carries -----------------------------------------------------------------


def agency_jpeg(**iptc):
    return with_segment(image_bytes(), iptc_block(**iptc))


def test_credit_is_prefilled_from_iptc(admin_client):
    content = agency_jpeg(
        credit="Reuters",
        by_line="Jane Doe",
        copyright="© 2025 Thomson Reuters",
        source="Reuters",
    )

    response = post(admin_client, upload(content), title="Port strike")

    assert response.status_code == 302
    image = Image.objects.get()
    credit = image.credit
    assert (credit.text, credit.creator, credit.copyright_notice) == (
        "Reuters",
        "Jane Doe",
        "© 2025 Thomson Reuters",
    )
    assert credit.license == License.ALL_RIGHTS_RESERVED
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("taken from the photo’s own metadata" in m for m in notes), notes


def test_a_matching_credit_is_reused_not_duplicated(admin_client):
    existing = ImageCreditFactory(text="Reuters", creator="Jane Doe", license=License.LICENSED)
    for title in ("One", "Two"):
        content = agency_jpeg(credit="Reuters", by_line="Jane Doe", source=title)
        assert post(admin_client, upload(content), title=title).status_code == 302

    assert ImageCredit.objects.count() == 1
    assert {image.credit for image in Image.objects.all()} == {existing}


def test_a_different_creator_gets_a_credit_of_their_own(admin_client):
    for name in ("Jane Doe", "John Roe"):
        post(admin_client, upload(agency_jpeg(credit="Reuters", by_line=name)), title=name)
    assert sorted(ImageCredit.objects.values_list("creator", flat=True)) == ["Jane Doe", "John Roe"]


def test_the_editors_choice_of_credit_wins(admin_client):
    chosen = ImageCreditFactory(text="Handout")
    content = agency_jpeg(credit="Reuters", by_line="Jane Doe")

    post(admin_client, upload(content), credit=str(chosen.pk))

    assert Image.objects.get().credit == chosen
    assert ImageCredit.objects.count() == 1


def test_credit_is_prefilled_from_xmp_with_its_licence(admin_client):
    packet = xmp_packet(
        credit="Wikimedia Commons",
        creator="Ann Lee",
        rights="Ann Lee, CC BY-SA 4.0",
        web_statement="https://creativecommons.org/licenses/by-sa/4.0/",
        licensor_url="https://commons.example.org/wiki/File:Harbour.jpg",
    )

    post(admin_client, upload(image_bytes(xmp=packet)))

    credit = Image.objects.get().credit
    assert (credit.text, credit.creator, credit.copyright_notice) == (
        "Wikimedia Commons",
        "Ann Lee",
        "Ann Lee, CC BY-SA 4.0",
    )
    assert credit.license == License.CC_BY_SA
    assert credit.license_url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert credit.acquire_license_page == "https://commons.example.org/wiki/File:Harbour.jpg"


def test_credit_urls_too_long_for_their_fields_are_dropped_not_cut(admin_client):
    """The URL fields hold 200 characters: a longer URL is left out (a cut one is wrong), text
    is cut to its field, and the upload succeeds (PostgreSQL would refuse the row)."""
    long_url = "https://creativecommons.org/licenses/by/4.0/?" + "x" * 300
    packet = xmp_packet(
        credit="C" * 300,
        source="https://agency.example/" + "p" * 250,
        web_statement=long_url,
        licensor_url="https://agency.example/buy",
    )

    response = post(admin_client, upload(image_bytes(xmp=packet)))

    assert response.status_code == 302
    credit = Image.objects.get().credit
    assert credit.text == "C" * 255
    assert (credit.license_url, credit.source_url) == ("", "")
    assert credit.acquire_license_page == "https://agency.example/buy"
    for name in ("license_url", "source_url", "acquire_license_page"):
        credit._meta.get_field(name).run_validators(getattr(credit, name))


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://creativecommons.org/licenses/by/4.0/", True),
        ("HTTP://creativecommons.org/licenses/by/4.0/", True),
        ("https://example.org/" + "a" * 180, True),  # exactly 200 characters
        ("https://example.org/" + "a" * 181, False),
        ("javascript:alert(1)", False),
        ("ftp://example.org/licence", False),
        ("https://not a url", False),
        ("www.example.org/licence", False),
    ],
)
def test_only_http_urls_that_fit_are_kept(url, kept):
    credit = embedded_credit({"xmp": xmp_packet(web_statement=url, licensor_url=url)})
    assert (credit.license_url, credit.licensor_url) == ((url, url) if kept else ("", ""))


def test_xmp_in_a_png_is_read_too():
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(credit="AP", creator="Ann Lee").decode())
    image = Image(title="Chart", file=upload(image_bytes(fmt="PNG", pnginfo=info)))
    assert (image.embedded_credit().text, image.embedded_credit().creator) == ("AP", "Ann Lee")


def test_xmp_with_a_dtd_is_ignored_not_expanded(admin_client):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="&b;"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    response = post(admin_client, upload(image_bytes(xmp=bomb)))
    assert response.status_code == 302
    assert Image.objects.get().credit is None


def test_a_photo_without_metadata_keeps_no_credit(admin_client):
    post(admin_client, upload(image_bytes()))
    assert Image.objects.get().credit is None
    assert not ImageCredit.objects.exists()
