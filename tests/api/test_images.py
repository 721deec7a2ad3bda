"""Images in the API: renditions, srcset and picture, answered from stored facts alone."""

import io
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from media import renditions
from media.models import Rendition
from media.renditions import ImageFormat
from tests.factories import ArticleFactory, ImageFactory, make_image_file

from .queries import FRONT_PAGE

pytestmark = pytest.mark.django_db

LEAD_IMAGE = "query($slug: String!) { article(slug: $slug) { leadImage { %s } } }"
PIL_FORMATS = {"JPEG": "JPEG", "WEBP": "WEBP", "AVIF": "AVIF", "PNG": "PNG"}


@pytest.fixture
def photo():
    """A 1600 × 1200 JPEG on a public article."""
    image = ImageFactory(file=make_image_file(1600, 1200), focal_x=0.3, focal_y=0.6)
    ArticleFactory(slug="photo", lead_image=image)
    return image


def lead_image(gql, selection, slug="photo"):
    return gql.query(LEAD_IMAGE % selection, {"slug": slug})["article"]["leadImage"]


def fetch(client, url):
    """The decoded image at an API URL (absolute, on this test server)."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "testserver")
    response = client.get(parts.path)
    assert response.status_code == 200, url
    content = b"".join(response.streaming_content) if response.streaming else response.content
    image = PILImage.open(io.BytesIO(content))
    image.load()
    return image


def test_rendition_is_answered_at_once_with_its_final_size(gql, photo):
    data = lead_image(
        gql,
        """
        a: rendition(width: 800) { url width height format }
        b: rendition(height: 300, format: JPEG) { url width height format }
        c: rendition(width: 240, height: 240, fit: COVER, format: PNG) { url width height format }
        d: rendition(width: 2400, format: AVIF) { url width height format }
        e: rendition(width: 700, fit: null, format: null) { url width height format }
        """,
    )
    assert [(r["width"], r["height"], r["format"]) for r in data.values()] == [
        (800, 600, "WEBP"),
        (427, 320, "JPEG"),  # 300 is snapped up to 320
        (240, 240, "PNG"),
        (1600, 1200, "AVIF"),  # never upscaled
        (800, 600, "WEBP"),  # 700 is snapped up to 800; null means the default
    ]
    assert data["a"]["url"].startswith(f"http://testserver/images/{photo.pk}/")
    assert data["a"]["url"].endswith("/800x0-contain.webp")
    assert data["e"]["url"] == data["a"]["url"]
    assert not Rendition.objects.exists(), "nothing is made until a URL is requested"


def test_served_files_match_what_the_api_said(gql, client, photo):
    data = lead_image(
        gql,
        """
        url
        a: rendition(width: 800) { url width height format }
        b: rendition(height: 300, format: JPEG) { url width height format }
        c: rendition(width: 240, height: 240, fit: COVER, format: PNG) { url width height format }
        d: rendition(width: 960, format: AVIF) { url width height format }
        """,
    )
    for key in "abcd":
        rendition = data[key]
        served = fetch(client, rendition["url"])
        assert served.format == PIL_FORMATS[rendition["format"]], key
        assert served.size == (rendition["width"], rendition["height"]), key
    full = fetch(client, data["url"])
    assert (full.format, full.size) == ("JPEG", (1600, 1200))


def test_url_is_a_metadata_free_copy_never_the_original(gql, client):
    original = PILImage.new("RGB", (900, 600), (120, 80, 40))
    exif = PILImage.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    original.save(buffer, "JPEG", exif=exif)
    upload = make_image_file()
    upload.file = io.BytesIO(buffer.getvalue())
    upload.size = len(buffer.getvalue())
    image = ImageFactory(file=upload)
    ArticleFactory(slug="exif", lead_image=image)

    url = lead_image(gql, "url", slug="exif")["url"]

    assert "/uploads/" not in url
    assert image.file.name not in url
    assert url.endswith("/2400x2400-contain.jpg")
    served = fetch(client, url)
    assert (served.format, served.size) == ("JPEG", (900, 600))
    assert not served.getexif()
    assert "exif" not in served.info


def test_full_size_url_is_capped_at_the_largest_edge_and_keeps_its_format(gql, client):
    image = ImageFactory(file=make_image_file(3000, 1500, fmt="PNG"))
    ArticleFactory(slug="wide", lead_image=image)
    served = fetch(client, lead_image(gql, "url", slug="wide")["url"])
    assert (served.format, served.size) == ("PNG", (2400, 1200))


def test_an_exif_rotated_photo_is_served_at_the_size_the_api_says(gql, client):
    """A camera's portrait photo: stored landscape, turned upright by its EXIF orientation."""
    buffer = io.BytesIO()
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    PILImage.new("RGB", (1200, 800), (30, 90, 150)).save(buffer, "JPEG", exif=exif)
    upload = make_image_file()
    upload.file = io.BytesIO(buffer.getvalue())
    upload.size = len(buffer.getvalue())
    ArticleFactory(slug="portrait", lead_image=ImageFactory(file=upload))

    data = lead_image(gql, "width height rendition(width: 400) { url width height }", "portrait")

    assert (data["width"], data["height"]) == (800, 1200)
    assert (data["rendition"]["width"], data["rendition"]["height"]) == (480, 720)
    assert fetch(client, data["rendition"]["url"]).size == (480, 720)


def test_srcset_lists_each_actual_width_once(gql, client):
    image = ImageFactory(file=make_image_file(1000, 500))
    ArticleFactory(slug="s", lead_image=image)

    data = lead_image(
        gql,
        """webp: srcset(widths: [2000, 640, 300, 320, 1600])
           jpeg: srcset(widths: [320], format: JPEG)""",
        slug="s",
    )

    entries = [entry.rsplit(" ", 1) for entry in data["webp"].split(", ")]
    assert [descriptor for _url, descriptor in entries] == ["320w", "640w", "1000w"]
    assert [url.rsplit("/", 1)[1] for url, _ in entries] == [
        "320x0-contain.webp",
        "640x0-contain.webp",
        "1600x0-contain.webp",  # the smallest spec that gives the full 1000 pixels
    ]
    for url, descriptor in entries:
        assert fetch(client, url).width == int(descriptor[:-1])
    assert data["jpeg"].endswith("/320x0-contain.jpg 320w")


def test_picture_has_a_source_per_format_a_fallback_and_its_size(gql, client, photo):
    data = lead_image(
        gql,
        """picture(widths: [480, 960]) {
             sources { type srcset } fallback { url width height format } width height }
           only: picture(widths: [320], formats: [WEBP, PNG, WEBP]) {
             sources { type } fallback { format width } }
           default: picture(widths: [320], formats: null) { sources { type } }""",
    )
    picture = data["picture"]
    assert [source["type"] for source in picture["sources"]] == [
        "image/avif",
        "image/webp",
        "image/jpeg",
    ]
    for source, extension in zip(picture["sources"], ["avif", "webp", "jpg"], strict=True):
        urls = [entry.split(" ")[0] for entry in source["srcset"].split(", ")]
        assert [entry.split(" ")[1] for entry in source["srcset"].split(", ")] == ["480w", "960w"]
        assert all(url.endswith(f".{extension}") for url in urls)
    assert (picture["width"], picture["height"]) == (960, 720)
    fallback = picture["fallback"]
    assert (fallback["width"], fallback["height"], fallback["format"]) == (960, 720, "JPEG")
    assert picture["sources"][2]["srcset"].endswith(f"{fallback['url']} 960w")
    served = fetch(client, fallback["url"])
    assert (served.format, served.size) == ("JPEG", (960, 720))
    assert data["default"]["sources"] == [
        {"type": t} for t in ("image/avif", "image/webp", "image/jpeg")
    ]
    assert data["only"] == {
        "sources": [{"type": "image/webp"}, {"type": "image/png"}],
        "fallback": {"format": "PNG", "width": 320},
    }


def test_without_avif_the_api_says_webp(gql, photo, monkeypatch):
    monkeypatch.setattr(renditions, "can_encode", lambda fmt: fmt is not ImageFormat.AVIF)
    renditions._built_spec.cache_clear()  # specs remembered under this process's encoders
    data = lead_image(
        gql,
        """rendition(width: 320, format: AVIF) { url format }
           picture(widths: [320]) { sources { type } }""",
    )
    assert data["rendition"]["format"] == "WEBP"
    assert data["rendition"]["url"].endswith("/320x0-contain.webp")
    assert [s["type"] for s in data["picture"]["sources"]] == ["image/webp", "image/jpeg"]


@pytest.mark.parametrize(
    "selection",
    [
        "rendition(width: 0) { url }",
        "rendition(width: -320) { url }",
        "rendition(height: 2401) { url }",
        "rendition(width: 100000) { url }",
        "rendition(width: 320, fit: COVER) { url }",
        "rendition(height: 320, fit: COVER) { url }",
        "srcset(widths: [])",
        "srcset(widths: [64, 96, 160, 240, 320, 480, 640, 800, 960, 1200, 1600])",
        "srcset(widths: [320, 0])",
        "picture(widths: [3000]) { width }",
        "picture(widths: [320], formats: []) { width }",
    ],
)
def test_out_of_range_arguments_are_bad_user_input(gql, photo, selection):
    (error,) = gql.errors(LEAD_IMAGE % selection, {"slug": "photo"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "`" in error["message"], "the message names the argument"


def test_no_image_is_decoded_or_opened_while_the_api_answers(gql, photo, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the API touched an image file")

    monkeypatch.setattr(PILImage, "open", refuse)
    monkeypatch.setattr("django.core.files.storage.FileSystemStorage.open", refuse)
    monkeypatch.setattr("django.core.files.storage.FileSystemStorage.size", refuse)
    data = lead_image(
        gql,
        """url width height placeholder dominantColor focalPoint { x y }
           rendition(width: 320) { url } srcset(widths: [320, 640])
           picture(widths: [320]) { width }""",
    )
    assert data["focalPoint"] == {"x": 0.3, "y": 0.6}


def test_placeholder_and_colour_are_null_until_computed(gql, photo):
    type(photo).objects.filter(pk=photo.pk).update(placeholder="", dominant_color="")
    data = lead_image(gql, "placeholder dominantColor")
    assert data == {"placeholder": None, "dominantColor": None}
    # Computed later and saved like any change (which also renews the API's response cache).
    photo.placeholder, photo.dominant_color = "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "#a1b2c3"
    photo.save(update_fields=["placeholder", "dominant_color"])
    data = lead_image(gql, "placeholder dominantColor")
    assert data == {"placeholder": "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "dominantColor": "#a1b2c3"}


def test_image_fields_add_no_queries_to_the_front_page(gql, settings):
    """Renditions, srcset and picture on every lead image cost no SQL of their own."""
    settings.GRAPHQL_COUNT_CACHE = False  # both pages count their list
    images = [ImageFactory() for _ in range(3)]
    for n in range(12):
        ArticleFactory(lead_image=images[n % 3])
    plain = FRONT_PAGE.replace("rendition(width: 800, format: WEBP) { url width height }", "")
    rich = FRONT_PAGE.replace(
        "rendition(width: 800, format: WEBP) { url width height }",
        """url placeholder dominantColor focalPoint { x y }
           rendition(width: 800, format: WEBP) { url width height }
           cover: rendition(width: 96, height: 96, fit: COVER, format: JPEG) { url }
           srcset(widths: [320, 640, 960])
           picture(widths: [480, 960]) { sources { type srcset } fallback { url } width }""",
    )
    counts = {}
    for name, query in (("plain", plain), ("rich", rich)):
        with CaptureQueriesContext(connection) as queries:
            data = gql.query(query)
        assert len(data["articles"]["edges"]) == 12
        counts[name] = len(queries)
    assert counts["rich"] == counts["plain"] <= 5


def test_replacing_the_file_changes_every_url(gql, photo):
    selection = "url rendition(width: 320) { url } srcset(widths: [320]) width height"
    before = lead_image(gql, selection)

    photo.file = make_image_file(800, 800, color=(10, 200, 10))
    photo.save()
    after = lead_image(gql, selection)

    assert after["url"] != before["url"]
    assert after["rendition"]["url"] != before["rendition"]["url"]
    assert after["srcset"] != before["srcset"]
    assert (after["width"], after["height"]) == (800, 800)


def test_a_long_formats_list_costs_no_more_than_its_distinct_formats(gql, photo):
    query = """query($slug: String!, $formats: [ImageFormat!]) { article(slug: $slug) {
        leadImage { picture(widths: [320, 640], formats: $formats) { sources { type } } } } }"""
    formats = ["JPEG", "WEBP"] * 5000
    data = gql.query(query, {"slug": "photo", "formats": formats})
    sources = data["article"]["leadImage"]["picture"]["sources"]
    assert [source["type"] for source in sources] == ["image/jpeg", "image/webp"]
