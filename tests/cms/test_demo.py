"""`manage.py demo`: a new checkout gets a believable newsroom to look at, and can reload it."""

import io
from itertools import combinations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat

from articles.models import Article, ArticleAuthor, ArticleTag, Correction, Section, Tag
from authors.models import Author, AuthorLink
from media.models import Image, ImageCredit

pytestmark = pytest.mark.django_db

MODELS = [
    Article,
    ArticleAuthor,
    ArticleTag,
    Correction,
    Section,
    Tag,
    Author,
    AuthorLink,
    Image,
    ImageCredit,
]


def run_demo(*args):
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


@pytest.fixture
def demo():
    return run_demo()


def test_demo_loads_public_articles_across_three_sections(demo):
    public = Article.objects.public()
    assert public.count() >= 12
    assert Section.objects.filter(articles__in=public).distinct().count() == 3
    for article in public:
        assert article.standfirst and article.section and article.bylines.exists()
        assert article.tags.exists()
    assert "Demo content loaded" in demo


def test_demo_bodies_use_every_kind_of_block(demo):
    bodies = "".join(Article.objects.values_list("body", flat=True))
    for markup in ["<p>", "<h2>", "<ul>", "<ol>", "<blockquote>", "<cite>", "<a href="]:
        assert markup in bodies
    assert '<blockquote class="pull-quote">' in bodies


def test_demo_has_four_authors_with_profiles(demo):
    assert Author.objects.count() == 4
    for author in Author.objects.all():
        assert author.role and author.location and author.bio and author.avatar
        assert 1 <= author.links.count() <= 3
    assert Article.objects.public().filter(bylines__position=1).exists()  # a second author


def test_demo_images_are_real_distinct_pictures_with_credits(demo, media_root):
    images = list(Image.objects.select_related("credit"))
    assert len(images) >= 10
    thumbnails = []
    for image in images:
        assert image.credit and image.credit.license and image.credit.license_url
        assert image.alt_text and image.caption
        assert image.file.name.startswith("originals/")
        with PILImage.open(media_root / image.file.name) as picture:
            assert picture.format == "JPEG" == image.format
            assert picture.size == (image.width, image.height)
            picture.load()
            thumbnails.append(picture.convert("RGB").resize((48, 32)))
        # Not a blank canvas: the picture has visible structure.
        assert max(ImageStat.Stat(thumbnails[-1]).stddev) > 10
    assert {(image.width, image.height) for image in images} >= {(1600, 1067)}
    assert len({(image.width, image.height) for image in images}) >= 2
    # Every two pictures differ clearly, not just in a few pixels.
    for a, b in combinations(thumbnails, 2):
        assert sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3 > 8


def test_some_credits_are_shared(demo):
    handout = ImageCredit.objects.get(text="Handout")
    assert handout.images.count() >= 2


def test_lead_images_and_caption_overrides(demo):
    public = Article.objects.public()
    assert public.filter(lead_image__isnull=False).count() >= 10
    assert public.exclude(lead_image_caption="").exists()
    assert public.filter(lead_image__isnull=False, lead_image_caption="").exists()


def test_demo_has_a_correction_and_a_syndicated_article(demo):
    assert Correction.objects.filter(article__in=Article.objects.public()).exists()
    syndicated = Article.objects.public().exclude(original_publisher="")
    assert syndicated.count() == 1
    assert syndicated.get().original_url.startswith("https://")


def test_draft_review_and_scheduled_articles_are_not_public(demo):
    public = Article.objects.public()
    hidden = [
        Article.objects.get(status=Article.Status.DRAFT),
        Article.objects.get(status=Article.Status.REVIEW),
        Article.objects.get(status=Article.Status.PUBLISHED, published_at__gt=timezone.now()),
    ]
    assert not public.filter(pk__in=[article.pk for article in hidden]).exists()


def test_running_twice_duplicates_nothing(demo, media_root):
    counts = {model: model.objects.count() for model in MODELS}
    files = stored_files(media_root)
    image_files = set(Image.objects.values_list("file", flat=True))

    second = run_demo()

    assert {model: model.objects.count() for model in MODELS} == counts
    assert stored_files(media_root) == files
    assert set(Image.objects.values_list("file", flat=True)) == image_files
    assert "(0 new files)" in second


def test_a_missing_file_is_drawn_again(demo, media_root):
    image = Image.objects.first()
    (media_root / image.file.name).unlink()
    run_demo()
    image.refresh_from_db()
    assert (media_root / image.file.name).is_file()
    assert Image.objects.filter(title=image.title).count() == 1


def test_no_known_password_login_without_debug():
    # pytest-django runs tests with DEBUG off, as in production.
    output = run_demo()
    assert not get_user_model().objects.filter(username="admin").exists()
    assert "No superuser created" in output


def test_admin_password_flag_creates_the_superuser():
    run_demo("--admin-password", "correct horse battery staple")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("correct horse battery staple")


def test_development_login_with_debug(settings):
    settings.DEBUG = True
    run_demo()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("newsroom")


def test_writer_and_editor_logins_with_debug(settings):
    settings.DEBUG = True
    output = run_demo()
    users = get_user_model().objects

    for username, group, can_publish in [("writer", "Writers", False), ("editor", "Editors", True)]:
        user = users.get(username=username)
        assert user.is_staff and not user.is_superuser and user.check_password("newsroom")
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.has_perm("articles.publish_article") is can_publish
    assert "“writer” (Writers) and “editor” (Editors) with password “newsroom”" in output
    assert "The logins “writer” and “editor” already exist" in run_demo()


def test_no_writer_or_editor_login_without_debug():
    run_demo("--admin-password", "correct horse battery staple")
    assert not get_user_model().objects.filter(username__in=["writer", "editor"]).exists()
