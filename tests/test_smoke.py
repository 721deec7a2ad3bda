import pytest

from tests.factories import ArticleFactory, AuthorFactory, ImageFactory


@pytest.mark.django_db
def test_factories():
    image = ImageFactory()
    assert image.width == 640 and image.format == "JPEG" and image.file_size > 0
    assert image.file.name.startswith("originals/") and image.file.name.endswith(".jpg")
    article = ArticleFactory(authors=[AuthorFactory()], lead_image=image)
    assert article.authors.count() == 1
