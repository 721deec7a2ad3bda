"""Photos in an article's body: kept as rows in step with the body, and protected from deletion."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from articles.body import ImageRef, body_blocks
from articles.models import Article, ArticleBodyImage
from media.models import Image
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

PROTECTED = "would require deleting the following protected related objects"


def photo(image, caption=""):
    caption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure data-image-id="{image.pk}">{caption}</figure>'


def inline_ids(article):
    return set(ArticleBodyImage.objects.filter(article=article).values_list("image_id", flat=True))


def test_saving_adds_and_removes_rows_with_the_body():
    first, second, third = ImageFactory.create_batch(3)
    article = ArticleFactory(body=f"<p>Intro</p>{photo(first)}{photo(second, 'Here')}")
    assert inline_ids(article) == {first.pk, second.pk}
    assert set(article.body_images.all()) == {first, second}

    article.body = f"{photo(second)}<p>Now</p>{photo(third)}"
    article.save()
    assert inline_ids(article) == {second.pk, third.pk}

    article.body = "<p>No photos any more.</p>"
    article.save()
    assert inline_ids(article) == set()


def test_reordering_photos_keeps_the_rows_and_the_body_decides_the_order():
    first, second = ImageFactory.create_batch(2)
    article = ArticleFactory(body=f"{photo(first)}{photo(second)}")
    rows = set(ArticleBodyImage.objects.filter(article=article).values_list("pk", flat=True))

    article.body = f"{photo(second)}<p>between</p>{photo(first)}"
    article.save()

    assert set(ArticleBodyImage.objects.filter(article=article).values_list("pk", flat=True)) == (
        rows
    )
    assert [block.image_id for block in _photos(article)] == [second.pk, first.pk]


def _photos(article):
    return [block for block in body_blocks(article.body) if isinstance(block, ImageRef)]


def test_the_same_photo_twice_is_one_row():
    image = ImageFactory()
    article = ArticleFactory(body=f"{photo(image, 'One')}<p>x</p>{photo(image, 'Two')}")
    assert ArticleBodyImage.objects.filter(article=article).count() == 1


def test_a_save_that_leaves_the_body_out_leaves_the_rows_alone():
    image = ImageFactory()
    article = ArticleFactory(body=photo(image))
    article.title = "New headline"
    article.save(update_fields=["title"])
    assert inline_ids(article) == {image.pk}


def test_a_body_showing_an_unknown_photo_is_refused_and_nothing_is_saved():
    image = ImageFactory()
    article = ArticleFactory(title="Before", body=f"<p>Old</p>{photo(image)}")
    missing = image.pk + 1000

    article.title = "After"
    article.body = f'<p>New</p><figure data-image-id="{missing}"></figure>{photo(image)}'
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert str(missing) in excinfo.value.message_dict["body"][0]
    with pytest.raises(ValidationError):
        article.save()

    article.refresh_from_db()
    assert (article.title, article.body) == ("Before", f"<p>Old</p>{photo(image)}")
    assert inline_ids(article) == {image.pk}
    with pytest.raises(ValidationError):
        Article(title="New", slug="new", body=f'<figure data-image-id="{missing}"></figure>').save()
    assert not Article.objects.filter(slug="new").exists()


def test_the_admin_form_names_unknown_photos_and_saves_nothing(admin_client):
    known = ImageFactory()
    body = f'{photo(known)}<figure data-image-id="98765"></figure>'

    response = admin_client.post(reverse("admin:articles_article_add"), article_form(body=body))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "98765" in str(errors["body"])
    assert not Article.objects.exists() and not ArticleBodyImage.objects.exists()


def test_the_admin_form_saves_a_body_with_photos(admin_client):
    image = ImageFactory()
    body = f"<p>Intro</p>{photo(image, 'Caption for this use')}"

    response = admin_client.post(reverse("admin:articles_article_add"), article_form(body=body))

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.body == f"<p>Intro</p>{photo(image, 'Caption for this use')}"
    assert inline_ids(article) == {image.pk}


def test_a_photo_used_inline_cannot_be_deleted():
    image = ImageFactory()
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, body=photo(image))

    with pytest.raises(ProtectedError) as excinfo:
        image.delete()

    assert {row.article for row in excinfo.value.protected_objects} == {article}
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_admin_refuses_to_delete_a_photo_used_inline_and_names_the_article(admin_client):
    image = ImageFactory()
    ArticleFactory(title="Bridge reopens after repairs", body=photo(image))

    page = admin_client.post(reverse("admin:media_image_delete", args=[image.pk]), {"post": "yes"})
    bulk = admin_client.post(
        reverse("admin:media_image_changelist"),
        {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"},
    )

    for response in (page, bulk):
        assert response.status_code == 200
        content = response.content.decode()
        assert PROTECTED in content and "Bridge reopens after repairs" in content
    assert Image.objects.filter(pk=image.pk).exists()


def test_once_the_body_no_longer_shows_it_the_photo_can_be_deleted():
    image = ImageFactory()
    article = ArticleFactory(body=photo(image))
    article.body = "<p>Photo removed.</p>"
    article.save()

    image.delete()

    assert not Image.objects.filter(pk=image.pk).exists()


def test_only_references_the_body_keeps_are_checked():
    # In a list a figure gives way to its caption, so its id refers to nothing once stored.
    article = ArticleFactory.build(
        section=None,
        body='<ul><li><figure data-image-id="4242"><figcaption>Cap</figcaption></figure></li></ul>',
    )
    article.validate_body_images()
    article.save()
    assert article.body == "<ul><li><p>Cap</p></li></ul>" and not inline_ids(article)
