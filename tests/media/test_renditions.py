"""Rendition specs: what may be asked for, the sizes that come out, and signed URLs."""

import pytest
from django.core.checks import run_checks

from media import renditions
from media.renditions import (
    ImageFit,
    ImageFormat,
    InvalidSpec,
    RenditionSpec,
    has_valid_signature,
    rendition_path,
    rendition_size,
    servable_format,
    signature,
    snap,
)

LADDER = [64, 96, 160, 240, 320, 480, 640, 800, 960, 1200, 1600, 2000, 2400]


@pytest.fixture(autouse=True)
def ladder(settings):
    settings.IMAGE_RENDITION_SIZES = LADDER
    settings.IMAGE_RENDITION_MAX_EDGE = max(LADDER)


@pytest.mark.parametrize(
    ("size", "snapped"), [(1, 64), (64, 64), (65, 96), (700, 800), (800, 800), (2399, 2400)]
)
def test_sizes_snap_up_to_the_ladder(size, snapped):
    assert snap(size) == snapped


def test_build_snaps_and_names_the_spec():
    spec = RenditionSpec.build(width=700, format=ImageFormat.JPEG)
    assert spec == RenditionSpec(800, 0, ImageFit.CONTAIN, ImageFormat.JPEG)
    assert str(spec) == "800x0-contain.jpg"
    assert RenditionSpec.parse(str(spec)) == spec
    assert spec.is_canonical()


def test_without_a_size_the_box_is_the_largest_edge():
    spec = RenditionSpec.build(format=ImageFormat.PNG)
    assert str(spec) == "2400x2400-contain.png"
    assert rendition_size(6000, 4000, spec) == (2400, 1600)
    assert rendition_size(1000, 800, spec) == (1000, 800)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"width": 0}, "`width` must be between 1 and 2400; got 0."),
        ({"width": -5}, "`width` must be between 1 and 2400; got -5."),
        ({"height": 2401}, "`height` must be between 1 and 2400; got 2401."),
        ({"width": 320, "fit": ImageFit.COVER}, "`COVER` needs both a width and a height."),
    ],
)
def test_out_of_range_requests_are_refused(arguments, message):
    with pytest.raises(InvalidSpec, match=message.replace("`", ".")):
        RenditionSpec.build(**arguments)


@pytest.mark.parametrize(
    "spec",
    [
        RenditionSpec(801, 0, ImageFit.CONTAIN, ImageFormat.WEBP),
        RenditionSpec(0, 0, ImageFit.CONTAIN, ImageFormat.WEBP),
        RenditionSpec(320, 0, ImageFit.COVER, ImageFormat.WEBP),
        RenditionSpec(4800, 4800, ImageFit.CONTAIN, ImageFormat.WEBP),
    ],
)
def test_specs_build_never_hands_out_are_not_canonical(spec):
    assert not spec.is_canonical()


@pytest.mark.parametrize("text", ["800x0-contain.gif", "800x0-fill.jpg", "800-contain.jpg", ""])
def test_malformed_specs_do_not_parse(text):
    with pytest.raises(InvalidSpec):
        RenditionSpec.parse(text)


@pytest.mark.parametrize(
    ("original", "spec", "size"),
    [
        ((1600, 1200), RenditionSpec(800, 0, ImageFit.CONTAIN, ImageFormat.WEBP), (800, 600)),
        ((1600, 1200), RenditionSpec(0, 320, ImageFit.CONTAIN, ImageFormat.WEBP), (427, 320)),
        ((1600, 1200), RenditionSpec(800, 800, ImageFit.CONTAIN, ImageFormat.WEBP), (800, 600)),
        ((300, 200), RenditionSpec(800, 0, ImageFit.CONTAIN, ImageFormat.WEBP), (300, 200)),
        ((1600, 1200), RenditionSpec(240, 240, ImageFit.COVER, ImageFormat.JPEG), (240, 240)),
        ((200, 100), RenditionSpec(240, 160, ImageFit.COVER, ImageFormat.JPEG), (150, 100)),
    ],
)
def test_rendition_size_fits_or_fills_and_never_upscales(original, spec, size):
    assert rendition_size(*original, spec) == size


def test_signature_covers_the_image_its_file_and_the_spec():
    spec = RenditionSpec(800, 0, ImageFit.CONTAIN, ImageFormat.WEBP)
    other_spec = RenditionSpec(800, 0, ImageFit.CONTAIN, ImageFormat.JPEG)
    base = signature(1, "a" * 64, spec)
    assert base == signature(1, "a" * 64, spec)
    assert base != signature(2, "a" * 64, spec)
    assert base != signature(1, "b" * 64, spec)
    assert base != signature(1, "a" * 64, other_spec)
    assert rendition_path(1, "a" * 64, spec) == f"/images/1/{base}/800x0-contain.webp"


def test_signature_depends_on_the_secret_key_and_survives_its_rotation(settings):
    spec = RenditionSpec(800, 0, ImageFit.CONTAIN, ImageFormat.WEBP)
    old_key, published = settings.SECRET_KEY, signature(1, "a" * 64, spec)
    assert has_valid_signature(1, "a" * 64, spec, published)

    settings.SECRET_KEY = "another-secret-key-for-this-test-only"
    assert signature(1, "a" * 64, spec) != published
    assert not has_valid_signature(1, "a" * 64, spec, published)

    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert has_valid_signature(1, "a" * 64, spec, published)
    assert has_valid_signature(1, "a" * 64, spec, signature(1, "a" * 64, spec))
    assert not has_valid_signature(1, "a" * 64, spec, published[:-1])


def test_formats_the_server_cannot_encode_fall_back(monkeypatch):
    assert servable_format(ImageFormat.AVIF) is ImageFormat.AVIF
    monkeypatch.setattr(renditions, "can_encode", lambda fmt: fmt is not ImageFormat.AVIF)
    assert servable_format(ImageFormat.AVIF) is ImageFormat.WEBP
    assert RenditionSpec.build(320, format=ImageFormat.AVIF).format is ImageFormat.WEBP
    assert not RenditionSpec(320, 0, ImageFit.CONTAIN, ImageFormat.AVIF).is_canonical()
    monkeypatch.setattr(renditions, "can_encode", lambda fmt: fmt in (ImageFormat.JPEG,))
    assert servable_format(ImageFormat.AVIF) is ImageFormat.JPEG


def test_system_check_warns_when_avif_or_webp_cannot_be_encoded(monkeypatch):
    assert not [m for m in run_checks() if m.id.startswith("media.")]
    monkeypatch.setattr(renditions, "can_encode", lambda fmt: fmt is not ImageFormat.AVIF)
    monkeypatch.setattr("media.checks.can_encode", renditions.can_encode)
    (warning,) = [m for m in run_checks() if m.id.startswith("media.")]
    assert warning.id == "media.W001"
    assert "served as WEBP" in warning.msg
    assert warning.hint
