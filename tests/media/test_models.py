"""The photo library: what an upload must be, where it is stored, what is recorded about it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from PIL import Image as PILImage

from media.models import Image, ImageCredit, License
from tests.factories import ArticleFactory, ImageCreditFactory, ImageFactory, make_image_file

pytestmark = pytest.mark.django_db


def test_upload_gets_a_random_name_under_originals():
    first = ImageFactory(file=make_image_file(name="holiday.jpg"))
    second = ImageFactory(file=make_image_file(name="holiday.jpg"))
    for image in (first, second):
        assert image.file.name.startswith("originals/")
        assert image.file.name.endswith(".jpg")
        assert "holiday" not in image.file.name
    assert first.file.name != second.file.name


def test_upload_records_size_format_and_bytes_from_the_file(media_root):
    image = ImageFactory(file=make_image_file(width=320, height=200, fmt="PNG"))
    assert (image.width, image.height, image.format) == (320, 200, "PNG")
    assert image.file_size == image.file.size > 0
    assert image.file.name.endswith(".png")
    assert (media_root / image.file.name).is_file()
    with PILImage.open(media_root / image.file.name) as stored:
        assert stored.size == (320, 200)


def test_extension_follows_the_real_format_not_the_uploaded_name():
    image = ImageFactory(file=make_image_file(fmt="JPEG", name="looks-like.png"))
    assert image.format == "JPEG"
    assert image.file.name.endswith(".jpg")


def test_non_image_file_is_refused_with_a_clear_message():
    image = Image(
        title="Notes",
        file=SimpleUploadedFile("notes.jpg", b"these are meeting notes, not a photo"),
    )
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert excinfo.value.message_dict["file"] == [
        "This file is not a JPEG, PNG, WebP, GIF or AVIF image."
    ]


def test_image_over_the_pixel_limit_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    image = Image(title="Huge", file=make_image_file(width=200, height=100))
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    (message,) = excinfo.value.message_dict["file"]
    assert "megapixels" in message and "limit" in message


def test_file_over_the_byte_limit_is_refused(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 100
    image = Image(title="Heavy", file=make_image_file())
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert "the limit is" in excinfo.value.message_dict["file"][0]


def test_a_refused_upload_is_not_stored(media_root):
    with pytest.raises(ValidationError):
        Image(title="Notes", file=SimpleUploadedFile("notes.txt", b"not an image")).save()
    assert not Image.objects.exists()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_focal_point_must_lie_in_the_frame():
    image = ImageFactory()
    image.focal_x = 1.5
    with pytest.raises(ValidationError) as excinfo:
        image.full_clean()
    assert "focal_x" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        image.save()


def test_deleting_a_lead_image_in_use_is_refused():
    image = ImageFactory()
    article = ArticleFactory(lead_image=image)
    with pytest.raises(ProtectedError) as excinfo:
        image.delete()
    assert article in excinfo.value.protected_objects


def test_deleting_a_credit_in_use_is_refused():
    credit = ImageCreditFactory()
    image = ImageFactory(credit=credit)
    with pytest.raises(ProtectedError) as excinfo:
        credit.delete()
    assert image in excinfo.value.protected_objects


def test_a_credit_can_be_shared_by_many_photos():
    handout = ImageCreditFactory(text="Handout", creator="", license=License.HANDOUT)
    ImageFactory(credit=handout), ImageFactory(credit=handout)
    assert handout.images.count() == 2


def test_licence_must_be_one_of_the_known_values():
    credit = ImageCredit(text="Reuters", license="whatever")
    with pytest.raises(ValidationError) as excinfo:
        credit.full_clean()
    assert "license" in excinfo.value.message_dict


def test_str_of_each_model():
    assert str(ImageFactory(title="Tram on the bridge")) == "Tram on the bridge"
    assert str(ImageCredit(text="Creative Commons", creator="Lena Voss")) == (
        "Creative Commons (Lena Voss)"
    )
    assert str(ImageCredit(text="Handout")) == "Handout"
    assert str(ImageCredit(text="Reuters", creator="Reuters")) == "Reuters"


@pytest.mark.django_db
def test_saving_a_new_file_directly_checks_and_measures_it(media_root):
    """`image.file.save()` goes through the same checks as an upload in the admin."""
    import io

    from django.core.exceptions import ValidationError
    from PIL import Image as PILImage

    image = ImageFactory()
    old_hash = image.content_hash
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 200), (10, 200, 10)).save(buffer, "PNG")
    image.file.save("new.png", io.BytesIO(buffer.getvalue()))
    image.refresh_from_db()
    assert (image.width, image.height, image.format) == (300, 200, "PNG")
    assert image.content_hash != old_hash

    tiff = io.BytesIO()
    PILImage.new("RGB", (30, 20)).save(tiff, "TIFF")
    with pytest.raises(ValidationError):
        image.file.save("new.tiff", io.BytesIO(tiff.getvalue()))
    image.refresh_from_db()
    assert image.format == "PNG"
