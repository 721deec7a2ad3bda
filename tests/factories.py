"""Test data: factory_boy factories with real images drawn by Pillow in memory."""

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.models import Article, ArticleAuthor, ArticleTag, Correction, Section, Tag
from authors.models import Author, AuthorLink
from media.models import Image, ImageCredit, License


def make_image_file(width=640, height=480, color=(200, 60, 40), fmt="JPEG", name=None):
    """A real image with a shape on it, encoded in ``fmt``, ready to upload."""
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = PILImage.new(mode, (width, height), color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(20, 40, 160))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(
        name or f"photo.{extension}", buffer.getvalue(), content_type=f"image/{extension}"
    )


class ImageCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImageCredit

    text = "Creative Commons"
    creator = factory.Sequence(lambda n: f"Photographer {n}")
    license = License.CC_BY
    license_url = "https://creativecommons.org/licenses/by/4.0/"
    source_url = factory.Sequence(lambda n: f"https://example.org/photos/{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Photo {n}")
    alt_text = factory.Sequence(lambda n: f"A street scene, photo {n}")
    caption = factory.Sequence(lambda n: f"Default caption {n}")
    credit = factory.SubFactory(ImageCreditFactory)
    file = factory.LazyFunction(make_image_file)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    role = "News Reporter"
    location = "London"
    bio = "Covers city politics and transport."
    active = True


class AuthorLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorLink

    author = factory.SubFactory(AuthorFactory)
    label = "Personal site"
    url = factory.Sequence(lambda n: f"https://writers.example.org/{n}")
    position = factory.Sequence(int)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A public article by default; use ``status=`` and dates to make hidden ones."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Council approves budget, part {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "What the vote means for the city."
    body = "<p>The council met on <strong>Tuesday</strong>.</p><h2>Reaction</h2><p>More.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(hours=n + 1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(extracted):
                ArticleAuthor.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            ArticleTag.objects.bulk_create(ArticleTag(article=self, tag=tag) for tag in extracted)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version misstated the size of the budget."
