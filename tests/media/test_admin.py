"""The photo library in the admin: uploads, previews with credits, and protected deletes."""

import io
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from media.models import Image, ImageCredit, License
from media.renditions import ImageFit, ImageFormat, RenditionSpec, rendition_path
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


# --- Previews, focal point, renditions, credit, usage -------------------------------------------


def rendition_url(image, **arguments):
    spec = RenditionSpec.build(**arguments)
    return rendition_path(image.pk, image.rendition_version(spec), spec)


def test_lists_show_renditions_not_originals(admin_client):
    image = ImageFactory(title="Harbour at dawn", alt_text="Boats in the harbour")
    ArticleFactory(lead_image=image)
    AuthorFactory(avatar=image)

    for page in [
        url("image_changelist"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:authors_author_changelist"),
    ]:
        content = admin_client.get(page).content.decode()
        assert f'src="/images/{image.pk}/' in content, page
        assert image.file.url not in content, page
        assert 'alt="Boats in the harbour"' in content

    content = admin_client.get(url("image_changelist")).content.decode()
    thumbnail = rendition_url(image, width=160, height=160)
    assert f'src="{thumbnail}"' in content
    assert 'width="80" height="60"' in content  # 640 × 480 fitted into 80 × 80
    assert f"background:{image.dominant_color}" in content


def test_thumbnail_rendition_is_served(admin_client):
    image = ImageFactory()
    response = admin_client.get(rendition_url(image, width=160, height=160))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with PILImage.open(io.BytesIO(content)) as picture:
        assert picture.size == (160, 120)


def test_image_form_has_a_focal_point_picker_and_rendition_previews(admin_client):
    image = ImageFactory(focal_x=0.25, focal_y=0.75)

    response = admin_client.get(url("image_change", image.pk))
    content = response.content.decode()

    assert "media/focal-point.js" in content and "media/admin.css" in content
    assert 'data-focal-point data-focal-x="id_focal_x" data-focal-y="id_focal_y"' in content
    assert f'<img src="{rendition_url(image, width=800)}"' in content
    assert 'id="id_focal_x"' in content and 'value="0.25"' in content
    square = {"width": 96, "height": 96, "fit": ImageFit.COVER, "format": ImageFormat.JPEG}
    for arguments, size in [
        ({"width": 160}, 'width="160" height="120"'),
        (square, 'width="96" height="96"'),
        ({"width": 800}, 'width="640" height="480"'),  # never upscaled
    ]:
        assert f'<img src="{rendition_url(image, **arguments)}" alt="" {size}' in content


def test_add_form_lets_the_focal_point_be_set_on_the_chosen_file(admin_client):
    content = admin_client.get(url("image_add")).content.decode()
    assert "data-from-file-input" in content and 'data-file-input="id_file"' in content
    assert 'accept="image/jpeg,image/png,image/webp,image/gif,image/avif' in content


def test_the_focal_point_script_and_styles_are_our_own_files():
    for name in ("media/focal-point.js", "media/admin.css"):
        path = finders.find(name)
        assert path, name
        with open(path, encoding="utf-8") as file:
            text = file.read()
        assert "http://" not in text and "https://" not in text, "no CDN"
    with open(finders.find("media/focal-point.js"), encoding="utf-8") as file:
        script = file.read()
    assert "focalX" in script and "getBoundingClientRect" in script


def test_focal_point_set_in_the_form_is_saved(admin_client):
    image = ImageFactory(credit=None)
    data = {
        "title": image.title,
        "alt_text": image.alt_text,
        "caption": "",
        "credit": "",
        "rights_expire_at_0": "",
        "rights_expire_at_1": "",
        "focal_x": "0.125",
        "focal_y": "0.9",
    }

    response = admin_client.post(url("image_change", image.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.125, 0.9)


def test_image_form_shows_the_credit_fields(admin_client):
    credit = ImageCreditFactory(
        text="Reuters",
        creator="Jane Doe",
        copyright_notice="© 2025 Reuters",
        license=License.LICENSED,
    )
    image = ImageFactory(credit=credit)

    content = admin_client.get(url("image_change", image.pk)).content.decode()

    for text in ["Jane Doe", "© 2025 Reuters", "Licensed (agency or paid)", credit.source_url]:
        assert text in content
    assert url("imagecredit_change", credit.pk) in content


def test_image_form_lists_where_the_photo_is_used(admin_client):
    image = ImageFactory()
    article = ArticleFactory(title="Budget row deepens", lead_image=image)
    author = AuthorFactory(name="Ada Portrait", avatar=image)
    unused = ImageFactory()

    content = admin_client.get(url("image_change", image.pk)).content.decode()

    assert "Where it is used" in content
    assert reverse("admin:articles_article_change", args=[article.pk]) in content
    assert reverse("admin:authors_author_change", args=[author.pk]) in content
    assert "Budget row deepens" in content and "Ada Portrait" in content
    assert "Not used yet." in admin_client.get(url("image_change", unused.pk)).content.decode()


def test_image_rights_filter(admin_client):
    now = timezone.now()
    soon = ImageFactory(title="Own date soon", rights_expire_at=now + timedelta(days=3))
    via_credit = ImageFactory(
        title="Credit expired", credit=ImageCreditFactory(rights_expire_at=now - timedelta(days=1))
    )
    ImageFactory(title="Far off", rights_expire_at=now + timedelta(days=300))
    ImageFactory(title="No date")

    def titles(value):
        response = admin_client.get(url("image_changelist"), {"rights": value})
        assert response.status_code == 200
        return {image.title for image in response.context["cl"].result_list}

    assert titles("expiring") == {soon.title, via_credit.title}
    assert titles("expired") == {via_credit.title}
    assert titles("limited") == {soon.title, via_credit.title, "Far off"}
    credits = admin_client.get(url("imagecredit_changelist"), {"rights": "expired"})
    assert list(credits.context["cl"].result_list) == [via_credit.credit]
