"""``manage.py seed`` fills the database with a realistic archive, quickly and repeatably."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
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


def test_the_planner_has_statistics_after_seeding():
    """Without them SQLite walks the whole public listing to find one author's articles."""
    seed()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            assert cursor.fetchone()[0] > 0
        else:  # PostgreSQL: -1 until the table is analysed
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
            assert cursor.fetchone()[0] >= 300


def test_a_common_body_word_is_in_some_articles_not_all():
    """The search benchmark's word: common, like a real newsroom word, not in every article."""
    seed()
    with_word = Article.objects.filter(slug__startswith="seed-", body__icontains=" council")
    assert 0.05 < with_word.count() / 300 < 0.5


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


def test_seeding_leaves_webhooks_and_the_response_cache_consistent(client, settings):
    """Rows written without signals: public seeded articles count as announced (an import is
    not announced article by article), and no cached API response outlives the seed run."""
    import time_machine
    from django.core.cache import cache

    from cms.events import emit_scheduled_events
    from cms.models import AnnouncedArticle, ChangeEvent

    settings.GRAPHQL_RESPONSE_CACHE = True
    settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT = 60 * 24 * 3600  # kept past the times travelled to
    cache.clear()
    ArticleFactory(slug="next-month", published_at=timezone.now() + timedelta(days=30))
    query = {"query": "{ articles { totalCount } }"}

    def total():
        return client.get("/graphql/", query).json()["data"]["articles"]["totalCount"]

    seed()  # its new sections, photos and credits are saved one by one, with signals
    seeded = Article.objects.filter(slug__startswith="seed-")
    # Next month's article is the only scheduled time the cached version knows of.
    seeded.filter(published_at__gt=timezone.now()).update(status=Article.Status.DRAFT)
    cache.clear()
    assert total() == seeded.public().count()  # cached until a change or next month
    ChangeEvent.objects.all().delete()

    seed(articles=900)  # articles, bylines and tags only, all with bulk_create

    public = set(seeded.public().values_list("pk", flat=True))
    announced = set(AnnouncedArticle.objects.values_list("article_id", flat=True))
    assert public and announced == public
    assert total() == len(public)
    assert emit_scheduled_events(everything=True) == []  # nothing to announce one by one
    article_events = ChangeEvent.objects.filter(type__startswith="article.")
    assert not article_events.exists()
    article = seeded.public().first()
    article.title = "Corrected headline"
    article.save()
    assert list(article_events.values_list("type", flat=True)) == ["article.updated"]
    assert total() == len(public)  # cached again, until the next scheduled time

    scheduled = seeded.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
    first_scheduled = scheduled.order_by("published_at")[0]
    with time_machine.travel(first_scheduled.published_at + timedelta(seconds=1)):
        assert total() == len(public) + 1  # its time renews the cache, as a save's would
