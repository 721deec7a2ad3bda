"""``manage.py seed`` fills the database with a realistic archive, quickly and repeatably."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from articles.body import image_ids
from articles.models import Article, ArticleAuthor, ArticleBodyImage, Tag
from authors.models import Author
from media.models import Image
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SMALL = {"articles": 300, "authors": 20, "images": 12, "tags": 30, "batch": 100}


def seed(**options):
    out = StringIO()
    call_command("seed", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def test_counts_are_what_was_asked_for():
    seed()
    assert Article.objects.filter(slug__startswith="seed-").count() == 300
    assert Author.objects.filter(slug__startswith="seed-").count() == 20
    assert Image.objects.filter(title__startswith="seed-").count() == 12
    assert Tag.objects.filter(slug__startswith="seed-").count() == 30


def test_articles_have_the_shape_of_a_news_archive():
    seed()
    articles = Article.objects.annotate(
        byline_count=Count("bylines", distinct=True), tag_count=Count("tags", distinct=True)
    )
    assert {a.byline_count for a in articles} <= {1, 2, 3}
    assert {a.tag_count for a in articles} <= {2, 3, 4, 5}
    assert not articles.filter(lead_image=None).exists()
    assert not articles.filter(section=None).exists()
    assert not Image.objects.filter(credit=None).exists()

    article = articles.first()
    words = len(re.sub("<[^>]+>", " ", article.body).split())
    assert 700 <= words <= 1000
    assert image_ids(article.body) == list(
        ArticleBodyImage.objects.filter(article=article).values_list("image_id", flat=True)
    )
    first_byline = ArticleAuthor.objects.filter(article=article).order_by("position").first()
    assert first_byline.byline_role == "written-by"

    now = timezone.now()
    statuses = Article.objects.values_list("status", flat=True)
    assert "draft" in statuses and "published" in statuses
    assert Article.objects.filter(status="published", published_at__gt=now).exists(), "scheduled"
    public = Article.objects.public()
    assert 0.85 * 300 <= public.count() < 300
    oldest = public.order_by("published_at").first().published_at
    assert oldest < now - timedelta(days=365 * 7), "dates spread over ten years"
    assert oldest > now - timedelta(days=3653)


def test_running_again_adds_nothing_and_larger_counts_add_the_difference():
    seed()
    again = seed()
    assert "Seeded 0 new articles" in again
    assert Article.objects.count() == 300
    seed(articles=350, authors=25)
    assert Article.objects.count() == 350
    assert Author.objects.count() == 25
    assert Article.objects.values("slug").distinct().count() == 350


def test_clear_removes_only_seeded_rows():
    kept = ArticleFactory(slug="a-real-story")
    seed()
    seed(clear=True, articles=10)
    assert Article.objects.filter(slug__startswith="seed-").count() == 10
    assert Article.objects.filter(pk=kept.pk).exists()


def test_seeded_archive_serves_the_front_page(client):
    seed()
    response = client.post(
        "/graphql/",
        {"query": "{ articles { totalCount edges { node { title authors { name } } } } }"},
        content_type="application/json",
    )
    data = response.json()["data"]["articles"]
    assert data["totalCount"] == Article.objects.public().count()
    assert len(data["edges"]) == 20


def test_nonsense_counts_are_refused():
    with pytest.raises(CommandError, match="--articles must be at least 1"):
        seed(articles=0)
