"""The photo library in the admin: uploads, previews with credits, and protected deletes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from media.models import Image, ImageCredit, License
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageCreditFactory,
    ImageFactory,
    make_image_file,
)

pytestmark = pytest.mark.django_db

PROTECTED = "would require deleting the following protected related objects"


def url(name, *args):
    return reverse(f"admin:media_{name}", args=args)


def test_image_pages_render_with_data(admin_client):
    image = ImageFactory(title="Harbour at dawn", credit=ImageCreditFactory(text="Reuters"))
    ImageFactory(title="Crowd outside court", credit=None)

    assert admin_client.get(url("image_add")).status_code == 200
    assert admin_client.get(url("image_change", image.pk)).status_code == 200
    response = admin_client.get(url("image_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Harbour at dawn" in content and "640 × 480" in content and "JPEG" in content
    for query, expected in [
        ({"q": "harbour"}, ["Harbour at dawn"]),
        ({"q": "reuters"}, ["Harbour at dawn"]),
        ({"credit__license__exact": License.CC_BY}, ["Harbour at dawn"]),
        ({"format": "JPEG"}, ["Crowd outside court", "Harbour at dawn"]),
    ]:
        response = admin_client.get(url("image_changelist"), query)
        assert response.status_code == 200, query
        assert [i.title for i in response.context["cl"].result_list] == expected, query


def test_credit_pages_render_with_image_counts(admin_client):
    credit = ImageCreditFactory(text="Handout", license=License.HANDOUT, creator="")
    ImageFactory.create_batch(3, credit=credit)
    ImageCreditFactory(text="Reuters", license=License.LICENSED)

    assert admin_client.get(url("imagecredit_add")).status_code == 200
    assert admin_client.get(url("imagecredit_change", credit.pk)).status_code == 200
    response = admin_client.get(url("imagecredit_changelist"), {"license__exact": "handout"})
    assert response.status_code == 200
    assert [(c.text, c.image_count) for c in response.context["cl"].result_list] == [("Handout", 3)]
    response = admin_client.get(url("imagecredit_changelist"), {"q": "reuters"})
    assert [c.text for c in response.context["cl"].result_list] == ["Reuters"]


def test_upload_fills_in_the_file_facts(admin_client):
    credit = ImageCreditFactory()
    data = {
        "file": make_image_file(width=320, height=200, fmt="PNG"),
        "title": "Protest march",
        "alt_text": "Marchers with banners",
        "caption": "",
        "credit": str(credit.pk),
        "focal_x": "0.5",
        "focal_y": "0.3",
    }

    response = admin_client.post(url("image_add"), data)

    assert response.status_code == 302
    image = Image.objects.get(title="Protest march")
    assert (image.width, image.height, image.format) == (320, 200, "PNG")
    assert image.file_size > 0 and image.credit == credit


def test_a_file_that_is_not_an_image_is_a_form_error(admin_client):
    data = {
        "file": SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg"),
        "title": "Not a photo",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }

    response = admin_client.post(url("image_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not Image.objects.exists()


def test_change_form_previews_the_image_with_its_credit_escaped(admin_client):
    credit = ImageCreditFactory(
        text="<script>alert(1)</script>Agency", creator="", license=License.CC_BY_SA
    )
    image = ImageFactory(credit=credit, alt_text='A "quoted" <b>alt</b>')

    content = admin_client.get(url("image_change", image.pk)).content.decode()

    assert f'<img src="{image.file.url}"' in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Agency" in content
    assert "<script>alert(1)</script>" not in content
    assert "Creative Commons Attribution-ShareAlike (CC BY-SA)" in content
    assert f'href="{credit.license_url}"' in content
    assert "A &quot;quoted&quot; &lt;b&gt;alt&lt;/b&gt;" in content


def test_deleting_an_image_in_use_is_refused(admin_client):
    lead = ImageFactory()
    portrait = ImageFactory()
    ArticleFactory(title="Budget row deepens", lead_image=lead)
    AuthorFactory(name="Ada Portrait", avatar=portrait)

    for image, user in [(lead, "Budget row deepens"), (portrait, "Ada Portrait")]:
        page = admin_client.post(url("image_delete", image.pk), {"post": "yes"})
        bulk = admin_client.post(
            url("image_changelist"),
            {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"},
        )
        for response in (page, bulk):
            assert response.status_code == 200
            content = response.content.decode()
            assert PROTECTED in content and user in content
    assert Image.objects.count() == 2


def test_deleting_a_credit_in_use_is_refused(admin_client):
    credit = ImageCreditFactory()
    ImageFactory(title="Harbour at dawn", credit=credit)

    page = admin_client.post(url("imagecredit_delete", credit.pk), {"post": "yes"})
    bulk = admin_client.post(
        url("imagecredit_changelist"),
        {"action": "delete_selected", "_selected_action": [credit.pk], "post": "yes"},
    )

    for response in (page, bulk):
        assert response.status_code == 200
        content = response.content.decode()
        assert PROTECTED in content and "Harbour at dawn" in content
    assert ImageCredit.objects.filter(pk=credit.pk).exists()


def test_deleting_unused_images_and_credits_works(admin_client):
    images = ImageFactory.create_batch(2, credit=None)
    credits = ImageCreditFactory.create_batch(2)

    for name, objects in [("image", images), ("imagecredit", credits)]:
        response = admin_client.post(url(f"{name}_delete", objects[0].pk), {"post": "yes"})
        assert response.status_code == 302
        response = admin_client.post(
            url(f"{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [objects[1].pk], "post": "yes"},
        )
        assert response.status_code == 302
    assert not Image.objects.exists() and not ImageCredit.objects.exists()
