"""The rendition server: signed URLs only, each file made once, then served as immutable."""

import io
import threading

import pytest
from django.db import connections
from django.test import Client
from PIL import Image as PILImage

from media import views
from media.models import Rendition
from media.renditions import (
    ImageFit,
    ImageFormat,
    RenditionSpec,
    rendition_path,
    signature,
)
from tests.factories import ImageFactory, make_image_file

pytestmark = pytest.mark.django_db


def url_for(image, width=None, height=None, fit=ImageFit.CONTAIN, fmt=ImageFormat.WEBP):
    spec = RenditionSpec.build(width, height, fit, fmt)
    return rendition_path(image.pk, image.rendition_version(spec), spec)


def body(response) -> bytes:
    if response.streaming:
        # Reading it all closes it through the test client, which keeps the database
        # connection open (an explicit close() would end it, as at the end of a request).
        return b"".join(response.streaming_content)
    return response.content


def decoded(response) -> PILImage.Image:
    image = PILImage.open(io.BytesIO(body(response)))
    image.load()
    return image


def stored_renditions(media_root):
    folder = media_root / "renditions"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def test_first_request_makes_the_file_and_records_it(client, media_root):
    image = ImageFactory(file=make_image_file(1600, 1200))

    response = client.get(url_for(image, width=800))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    served = decoded(response)
    assert (served.format, served.size) == ("WEBP", (800, 600))
    row = Rendition.objects.get(image=image)
    assert (row.spec, row.width, row.height, row.format) == ("800x0-contain.webp", 800, 600, "WEBP")
    assert row.file_size == int(response["Content-Length"]) == len(response.content)
    assert stored_renditions(media_root) == [media_root / row.file.name]
    assert row.file.name.startswith(
        f"renditions/{image.pk}/{image.rendition_version(RenditionSpec.parse(row.spec))}/"
    )


def test_later_requests_stream_the_stored_file_without_decoding(client, monkeypatch):
    image = ImageFactory(file=make_image_file(1600, 1200))
    url = url_for(image, width=480, fmt=ImageFormat.JPEG)
    first = body(client.get(url))

    def no_decoding(*args, **kwargs):
        raise AssertionError("a stored rendition was rendered again")

    monkeypatch.setattr(views, "render_rendition", no_decoding)
    monkeypatch.setattr(PILImage, "open", no_decoding)
    again = client.get(url)

    assert again.status_code == 200
    assert again.streaming, "served from storage"
    assert int(again["Content-Length"]) == len(first)
    assert body(again) == first
    assert Rendition.objects.count() == 1


def test_responses_are_immutable_and_revalidate_with_their_etag(client):
    image = ImageFactory()
    url = url_for(image, width=320)

    first = client.get(url)
    second = client.get(url)
    head = client.head(url)

    for response in (first, second, head):
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["ETag"] == first["ETag"]
        assert response["Content-Type"] == "image/webp"
        assert response["Content-Length"] == first["Content-Length"]
    assert head.content == b""
    body(second)
    not_modified = client.get(url, headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == first["ETag"]
    assert not_modified["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def test_etags_differ_between_renditions(client):
    image = ImageFactory()
    etags = {client.head(url_for(image, width=w))["ETag"] for w in (160, 320)}
    assert len(etags) == 2


def test_only_get_and_head_are_allowed(client):
    image = ImageFactory()
    assert client.post(url_for(image, width=320)).status_code == 405
    assert not Rendition.objects.exists()


def test_never_upscales(client):
    image = ImageFactory(file=make_image_file(300, 200))
    served = decoded(client.get(url_for(image, width=2400, fmt=ImageFormat.PNG)))
    assert (served.format, served.size) == ("PNG", (300, 200))


def test_cover_fills_the_exact_box(client):
    image = ImageFactory(file=make_image_file(640, 480))
    served = decoded(client.get(url_for(image, 240, 160, ImageFit.COVER, ImageFormat.JPEG)))
    assert (served.format, served.size) == ("JPEG", (240, 160))


def test_sizes_are_snapped_up_to_the_ladder(client):
    image = ImageFactory(file=make_image_file(1600, 1200))
    url = url_for(image, width=700)
    assert url.endswith("/800x0-contain.webp")
    assert decoded(client.get(url)).size == (800, 600)


def test_avif_is_served_as_avif(client):
    image = ImageFactory(file=make_image_file(640, 480))
    response = client.get(url_for(image, width=320, fmt=ImageFormat.AVIF))
    assert response["Content-Type"] == "image/avif"
    served = decoded(response)
    assert (served.format, served.size) == ("AVIF", (320, 240))


def test_tampered_urls_are_not_found(client):
    image, other = ImageFactory(), ImageFactory()
    good = url_for(image, width=320)
    prefix, sig, spec = good.rsplit("/", 2)
    tampered = [
        f"{prefix}/{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}/{spec}",  # signature
        f"{prefix}/{sig}/480x0-contain.webp",  # spec
        f"{prefix}/{sig}/320x0-contain.jpg",  # format
        f"{prefix}/{sig}/320x0-cover.webp",  # fit
        good.replace(f"/images/{image.pk}/", f"/images/{other.pk}/"),  # another image
        good.replace(f"/images/{image.pk}/", "/images/999999/"),  # no such image
        f"{prefix}/{sig}/0320x0-contain.webp",  # the same numbers, spelt differently
        f"{prefix}/{sig}/320x0-contain.gif",  # not a format we serve
    ]
    assert client.get(good).status_code == 200
    for url in tampered:
        assert client.get(url).status_code == 404, url
    assert Rendition.objects.count() == 1


@pytest.mark.parametrize(
    "spec",
    [
        RenditionSpec(801, 0, ImageFit.CONTAIN, ImageFormat.WEBP),  # off the ladder
        RenditionSpec(0, 0, ImageFit.CONTAIN, ImageFormat.WEBP),  # unbounded full size
        RenditionSpec(4800, 0, ImageFit.CONTAIN, ImageFormat.WEBP),  # over the maximum edge
        RenditionSpec(320, 0, ImageFit.COVER, ImageFormat.WEBP),  # cover without a box
    ],
)
def test_correctly_signed_but_non_canonical_specs_are_not_made(client, spec):
    """Even with the signing key, only sizes the API hands out can be made."""
    image = ImageFactory()
    url = f"/images/{image.pk}/{signature(image.pk, image.rendition_version(spec), spec)}/{spec}"
    assert client.get(url).status_code == 404
    assert not Rendition.objects.exists()


def test_unencodable_format_is_not_made(client, monkeypatch):
    image = ImageFactory()
    spec = RenditionSpec(320, 0, ImageFit.CONTAIN, ImageFormat.AVIF)
    url = rendition_path(image.pk, image.rendition_version(spec), spec)
    monkeypatch.setattr("media.renditions.can_encode", lambda fmt: fmt is not ImageFormat.AVIF)
    assert client.get(url).status_code == 404


def test_corrupt_original_is_a_clean_not_found(client, media_root, caplog):
    image = ImageFactory()
    (media_root / image.file.name).write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG any more")

    response = client.get(url_for(image, width=320))

    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    assert not Rendition.objects.exists()
    assert stored_renditions(media_root) == []
    assert f"Could not make rendition 320x0-contain.webp of image {image.pk}" in caplog.text


def test_missing_original_is_a_clean_not_found(client, media_root):
    image = ImageFactory()
    (media_root / image.file.name).unlink()
    assert client.get(url_for(image, width=320)).status_code == 404


def test_a_rendition_file_lost_from_storage_is_made_again(client, media_root):
    image = ImageFactory(file=make_image_file(640, 480))
    url = url_for(image, width=320)
    assert client.get(url).status_code == 200
    lost = media_root / Rendition.objects.get().file.name
    lost.unlink()

    again = client.get(url)

    assert again.status_code == 200
    assert decoded(again).size == (320, 240)
    row = Rendition.objects.get()
    assert stored_renditions(media_root) == [media_root / row.file.name]


def test_replacing_the_file_retires_its_old_urls_and_renditions(
    client, media_root, django_capture_on_commit_callbacks
):
    image = ImageFactory(file=make_image_file(640, 480))
    old_url = url_for(image, width=320)
    assert decoded(client.get(old_url)).size == (320, 240)

    with django_capture_on_commit_callbacks(execute=True):
        image.file = make_image_file(400, 400, color=(10, 200, 10))
        image.save()
    # The old photo's renditions are gone at once, not when someone asks for them again.
    assert not Rendition.objects.filter(image=image).exists()
    assert stored_renditions(media_root) == []
    new_url = url_for(image, width=320)

    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert decoded(client.get(new_url)).size == (320, 320)
    row = Rendition.objects.get(image=image)
    assert row.file.name.startswith(
        f"renditions/{image.pk}/{image.rendition_version(RenditionSpec.parse(row.spec))}/"
    )
    assert stored_renditions(media_root) == [media_root / row.file.name]


def test_moving_the_focal_point_gives_new_cover_crops(client):
    """Renditions are cached forever, so a new focal point must mean new URLs and new files."""
    # A wide photo, red on the left half and blue on the right.
    original = PILImage.new("RGB", (1200, 400), (200, 0, 0))
    original.paste((0, 0, 200), (600, 0, 1200, 400))
    buffer = io.BytesIO()
    original.save(buffer, "PNG")
    image = ImageFactory(file=make_image_file(name="x.png"), focal_x=0.1)
    image.file.save("wide.png", io.BytesIO(buffer.getvalue()), save=False)
    image.save()
    left = url_for(image, 96, 96, ImageFit.COVER, ImageFormat.PNG)
    whole = url_for(image, width=320)
    assert decoded(client.get(left)).getpixel((48, 48))[:3] == (200, 0, 0)

    image.focal_x = 0.9
    image.save()
    right = url_for(image, 96, 96, ImageFit.COVER, ImageFormat.PNG)

    assert url_for(image, width=320) == whole, "a CONTAIN rendition does not depend on it"
    assert right != left
    assert client.get(left).status_code == 404
    assert decoded(client.get(right)).getpixel((48, 48))[:3] == (0, 0, 200)
    assert Rendition.objects.filter(image=image).count() == 1


def test_losing_the_race_serves_the_winner_and_leaves_one_file(client, media_root, monkeypatch):
    """While this request renders, another one records the same rendition first."""
    image = ImageFactory(file=make_image_file(1600, 1200))
    url = url_for(image, width=640, fmt=ImageFormat.JPEG)
    real_render = views.render_rendition
    winner = {}

    def render_while_another_request_wins(*args, **kwargs):
        monkeypatch.setattr(views, "render_rendition", real_render)
        winner["content"] = body(Client().get(url))  # the other request, start to finish
        return real_render(*args, **kwargs)

    monkeypatch.setattr(views, "render_rendition", render_while_another_request_wins)
    response = client.get(url)

    assert response.status_code == 200
    assert body(response) == winner["content"]
    row = Rendition.objects.get(image=image)
    assert stored_renditions(media_root) == [media_root / row.file.name]


@pytest.mark.skipif(
    connections["default"].vendor == "sqlite",
    reason="the in-memory SQLite test database cannot hold two writers at once",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_requests_leave_one_complete_file(media_root, monkeypatch):
    """Both requests find no rendition and render it: one row and one file survive.

    The barrier holds both requests until each has rendered, so both go on to store and record.
    The test database (SQLite in memory, shared cache) refuses a second writer outright rather
    than making it wait, so the rest of each request runs one after the other; on PostgreSQL or
    a SQLite file the second insert waits for the first commit and fails the same way.
    """
    image = ImageFactory(file=make_image_file(1600, 1200))
    url = url_for(image, width=640, fmt=ImageFormat.JPEG)
    both_rendered = threading.Barrier(2, timeout=10)
    one_writer = threading.Lock()
    real_render = views.render_rendition
    renders = []

    def render_in_step(*args, **kwargs):
        rendered = real_render(*args, **kwargs)
        renders.append(rendered)
        both_rendered.wait()
        one_writer.acquire()
        return rendered

    monkeypatch.setattr(views, "render_rendition", render_in_step)
    responses, failures = [None, None], []

    def fetch(index):
        try:
            response = Client().get(url)
            responses[index] = (response.status_code, response["Content-Length"], body(response))
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()
            if one_writer.locked():
                one_writer.release()

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not failures, failures
    assert len(renders) == 2, "both requests found no rendition"
    assert responses[0] == responses[1]
    status, length, content = responses[0]
    assert status == 200
    assert int(length) == len(content)
    with PILImage.open(io.BytesIO(content)) as served:
        served.load()
        assert served.size == (640, 480)
    row = Rendition.objects.get(image=image)
    assert stored_renditions(media_root) == [media_root / row.file.name]
    assert (media_root / row.file.name).read_bytes() == content


def test_a_burst_of_first_requests_waits_for_a_render_slot(client, monkeypatch, settings):
    """With every render slot taken, a first request is told to retry instead of decoding."""
    settings.IMAGE_RENDER_WAIT_SECONDS = 0.01
    monkeypatch.setattr(views, "_render_slots", threading.BoundedSemaphore(1))
    image = ImageFactory()
    url = url_for(image, width=160)

    views._render_slots.acquire()  # another request is rendering
    try:
        busy = client.get(url)
    finally:
        views._render_slots.release()

    assert busy.status_code == 503
    assert busy["Retry-After"] == "2"
    assert busy["Cache-Control"] == "no-store"
    assert not Rendition.objects.exists()
    assert client.get(url).status_code == 200
