"""Search: what a reader typing words into the site's search box gets back.

Runs on SQLite (FTS5) and on PostgreSQL (full-text search with its GIN index):
``DATABASE_URL=postgres://... pytest tests/articles/test_search.py``.
"""

import json
import random
import string
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.search import SearchQueryError
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db

SEARCH = """
query Search($query: String!, $first: Int, $after: String) {
  search(query: $query, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { slug title section { slug } authors { name } tags { slug } } }
  }
}
"""

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")


def post(client, document, **variables):
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": document, "variables": variables}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def search(client, text, **variables):
    body = post(client, SEARCH, query=text, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]["search"]


def slugs(result):
    return [edge["node"]["slug"] for edge in result["edges"]]


def error_code(client, text, **variables):
    body = post(client, SEARCH, query=text, **variables)
    assert body.get("errors"), body
    assert body["data"] is None
    return body["errors"][0]["extensions"]["code"]


def test_a_headline_match_ranks_above_standfirst_and_body_matches(client):
    # The body match is the newest, so only the rank can put the headline first.
    ArticleFactory(
        slug="in-body",
        title="Council meets",
        body="<p>The lighthouse keeper spoke.</p>",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    ArticleFactory(
        slug="in-standfirst",
        title="Harbour news",
        standfirst="A lighthouse reopens.",
        published_at=timezone.now() - timedelta(hours=2),
    )
    ArticleFactory(
        slug="in-title",
        title="Lighthouse reopens after storm",
        published_at=timezone.now() - timedelta(days=3),
    )
    ArticleFactory(slug="elsewhere", title="Tram timetable changes")

    result = search(client, "lighthouse")

    assert slugs(result) == ["in-title", "in-standfirst", "in-body"]
    assert result["totalCount"] == 3


def test_equal_matches_come_newest_first(client):
    older = ArticleFactory(title="Ferry strike", published_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(title="Ferry strike", published_at=timezone.now() - timedelta(hours=1))

    assert slugs(search(client, "ferry strike")) == [newer.slug, older.slug]


def test_every_word_must_match_in_any_case(client):
    ArticleFactory(slug="both", title="Ferry strike ends", body="<p>Crews return.</p>")
    ArticleFactory(slug="one", title="Ferry timetable", body="<p>No strike here.</p>")
    ArticleFactory(slug="neither", title="Ferry timetable", body="<p>Crews return.</p>")

    assert sorted(slugs(search(client, "FERRY Strike"))) == ["both", "one"]
    assert slugs(search(client, "ferry crews strike")) == ["both"]


def test_markup_in_the_body_is_not_searched(client):
    """Tag names and link targets are not words of the article."""
    ArticleFactory(
        slug="link",
        title="Harbour news",
        body='<p>Read <a href="https://lighthouse.example/strong">the report</a>.</p>',
    )

    assert search(client, "lighthouse")["edges"] == []
    assert search(client, "strong")["edges"] == []
    assert slugs(search(client, "report")) == ["link"]


def test_hidden_articles_are_never_found(client):
    now = timezone.now()
    ArticleFactory(slug="public", title="Lighthouse reopens")
    ArticleFactory(slug="draft", title="Lighthouse draft", status=Article.Status.DRAFT)
    ArticleFactory(slug="review", title="Lighthouse review", status=Article.Status.REVIEW)
    ArticleFactory(slug="archived", title="Lighthouse archive", status=Article.Status.ARCHIVED)
    ArticleFactory(
        slug="scheduled", title="Lighthouse later", published_at=now + timedelta(hours=1)
    )
    ArticleFactory(
        slug="expired",
        title="Lighthouse gone",
        published_at=now - timedelta(days=2),
        unpublish_at=now - timedelta(days=1),
    )

    result = search(client, "lighthouse")

    assert slugs(result) == ["public"]
    assert result["totalCount"] == 1


def test_pages_follow_each_other_without_gaps_or_repeats(client):
    """Cursors resume after the last result's (rank, time, id), even among equal ranks."""
    now = timezone.now()
    same_time = now - timedelta(hours=5)
    expected = [ArticleFactory(title=f"Lighthouse {n}", published_at=same_time) for n in range(3)]
    expected = sorted(expected, key=lambda article: -article.pk)
    expected += [
        ArticleFactory(
            title="Harbour", standfirst="lighthouse", published_at=now - timedelta(days=n)
        )
        for n in range(1, 4)
    ]
    expected.append(ArticleFactory(title="Port", body="<p>lighthouse</p>"))

    seen, after = [], None
    for _ in range(4):
        page = search(client, "lighthouse", first=2, after=after)
        assert page["totalCount"] == 7
        seen += slugs(page)
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break

    assert seen == [article.slug for article in expected]
    assert not page["pageInfo"]["hasNextPage"]


def test_first_defaults_to_twenty(client):
    ArticleFactory.create_batch(21, title="Lighthouse")

    result = search(client, "lighthouse")

    assert len(result["edges"]) == 20
    assert result["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("text", ["", "   ", "x" * 201, "light\x00house"])
def test_an_empty_or_overlong_query_is_refused(client, text):
    assert error_code(client, text) == "BAD_USER_INPUT"


def test_a_two_hundred_character_query_is_accepted(client):
    ArticleFactory(title="Lighthouse")

    assert search(client, "lighthouse " + "x" * 189)["edges"] == []


def test_page_size_and_cursor_are_checked_like_other_lists(client):
    assert error_code(client, "lighthouse", first=101) == "BAD_USER_INPUT"
    assert error_code(client, "lighthouse", first=-1) == "BAD_USER_INPUT"
    assert error_code(client, "lighthouse", after="not-a-cursor") == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "text", ['"lighthouse keeper', "lighthouse -storm", "lighthouse or tram", "(lighthouse) & !|:*"]
)
def test_search_syntax_and_stray_symbols_never_fail(client, text):
    """Quotes, operators and unbalanced symbols are words and syntax, not errors."""
    ArticleFactory(slug="keeper", title="Lighthouse keeper retires")

    result = search(client, text)

    assert set(slugs(result)) <= {"keeper"}


def test_a_query_of_punctuation_finds_nothing(client):
    ArticleFactory(title="Lighthouse")

    result = search(client, "?!")

    assert result["edges"] == []
    assert result["totalCount"] == 0


def test_queryset_method_refuses_blank_text():
    with pytest.raises(SearchQueryError):
        Article.objects.public().search("  ")


#: PostgreSQL asks once whether the past year holds the newest matches (articles.search).
PROBE = int(connection.vendor == "postgresql")


@pytest.mark.parametrize("count", [2, 12])
def test_query_count_does_not_grow_with_results(client, django_assert_num_queries, count):
    tags = [TagFactory(), TagFactory()]
    author = AuthorFactory()
    for _ in range(count):
        ArticleFactory(title="Lighthouse", authors=[author], tags=tags)

    # The page, its count, and one query each for tags and bylines (and on PostgreSQL the
    # probe of the past year's matches).
    with django_assert_num_queries(4 + PROBE):
        result = search(client, "lighthouse", first=20)

    assert len(result["edges"]) == count
    assert all(edge["node"]["authors"] == [{"name": author.name}] for edge in result["edges"])


@on_postgresql
def test_postgresql_answers_from_the_gin_index():
    """The stored documents' index answers searches on an archive of a few thousand."""
    rng = random.Random(5)  # noqa: S311 - made-up words, not secrets
    words = ["".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(2000)]
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=" ".join(rng.sample(words, 5)),
            slug=f"archive-{n}",
            standfirst=" ".join(rng.sample(words, 12)),
            body="<p>" + " ".join(rng.choices(words, k=100)) + "</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 1),
        )
        for n in range(2000)
    )
    ArticleFactory(slug="found", title="Lighthouse reopens")
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk import: move new entries into the index proper.
        cursor.execute("SELECT gin_clean_pending_list('article_search_idx'::regclass)")
        cursor.execute("ANALYZE articles_article")
    found = Article.objects.public().search("lighthouse")
    sql, params = found[:21].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on article_search_idx" in plan, plan
    assert [article.slug for article in found] == ["found"]


def found(text):
    return list(Article.objects.public().search(text).values_list("slug", flat=True))


def test_edits_are_searchable_at_once_by_any_path():
    """Saving, bulk updates and bulk imports all keep the search in step with the text."""
    article = ArticleFactory(slug="renamed", title="Tram timetable")
    Article.objects.bulk_create(
        [
            Article(
                title="Ferry news",
                slug="imported",
                body="<p>A lighthouse</p>",
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=1),
            )
        ]
    )
    assert found("lighthouse") == ["imported"]

    Article.objects.filter(pk=article.pk).update(title="Lighthouse reopens")
    assert found("lighthouse") == ["renamed", "imported"]

    article.refresh_from_db()
    article.title = "Tram timetable"
    article.save()
    assert found("lighthouse") == ["imported"]
    assert found("tram") == ["renamed"]


@on_postgresql
def test_postgresql_matches_word_forms():
    ArticleFactory(slug="plural", title="Lighthouses of the coast")

    assert found("lighthouse") == ["plural"]


def test_only_the_newest_matches_are_ranked_and_counted(client, settings):
    """A word in much of the archive: the newest SEARCH_MAX_MATCHES matches, best first."""
    settings.SEARCH_MAX_MATCHES = 3
    now = timezone.now()
    # The oldest matches have the word in the headline; they are past the bound all the same.
    for days in (10, 11):
        ArticleFactory(
            slug=f"old-{days}", title="Lighthouse", published_at=now - timedelta(days=days)
        )
    ArticleFactory(
        slug="newest", title="Port", body="<p>lighthouse</p>", published_at=now - timedelta(hours=1)
    )
    ArticleFactory(
        slug="headline", title="Lighthouse reopens", published_at=now - timedelta(days=2)
    )
    ArticleFactory(
        slug="standfirst",
        title="Harbour",
        standfirst="A lighthouse",
        published_at=now - timedelta(days=1),
    )
    ArticleFactory(slug="draft", title="Lighthouse", status=Article.Status.DRAFT)

    first = search(client, "lighthouse", first=2)
    second = search(client, "lighthouse", first=2, after=first["pageInfo"]["endCursor"])

    assert first["totalCount"] == second["totalCount"] == 3
    assert slugs(first) + slugs(second) == ["headline", "standfirst", "newest"]
    assert not second["pageInfo"]["hasNextPage"]


def test_the_newest_matches_reach_back_past_a_quiet_year(client, settings):
    """PostgreSQL first looks for the newest matches in the past year; with fewer there than
    the bound, older matches fill the candidates, newest first, as anywhere else."""
    settings.SEARCH_MAX_MATCHES = 3
    now = timezone.now()
    ArticleFactory(slug="this-year", title="Lighthouse", published_at=now - timedelta(days=30))
    for years in (2, 3, 4):
        ArticleFactory(
            slug=f"{years}-years-ago",
            title="Lighthouse",
            published_at=now - timedelta(days=365 * years),
        )

    page = search(client, "lighthouse")

    assert page["totalCount"] == 3
    assert slugs(page) == ["this-year", "2-years-ago", "3-years-ago"]


@pytest.mark.parametrize(
    "text",
    [
        'lighthouse"',
        "light*",
        "(lighthouse",
        "NEAR(lighthouse keeper, 2)",
        "lighthouse AND keeper",
        "lighthouse NOT storm",
        "title:lighthouse",
        "{title standfirst}: keeper",
        "^lighthouse + keeper",
        "'lighthouse'",
        "lighthouse; DROP TABLE articles_article_search",
    ],
)
def test_full_text_syntax_in_a_query_is_plain_text(client, text):
    ArticleFactory(slug="keeper", title="Lighthouse keeper retires")

    result = search(client, text)

    assert set(slugs(result)) <= {"keeper"}
    assert result["totalCount"] == len(result["edges"])


@on_sqlite
def test_sqlite_takes_operator_words_as_words(client):
    """Every word must match, operators included: "and" is a word of the text."""
    ArticleFactory(slug="with-and", title="Keeper and storm")
    ArticleFactory(slug="without", title="Keeper storm", body="<p>Near the harbour.</p>")

    assert slugs(search(client, "keeper AND storm")) == ["with-and"]
    assert slugs(search(client, "NEAR harbour")) == ["without"]
    assert slugs(search(client, "keep*")) == []


def test_the_index_follows_saves_edits_and_deletes(client):
    article = ArticleFactory(slug="story", title="Tram timetable", body="<p>Lighthouse</p>")
    assert found("lighthouse") == ["story"]

    article.title = "Ferry strike"
    article.body = "<p>Harbour <em>closed</em> &amp; quiet</p>"
    article.save()
    assert found("lighthouse") == []
    assert found("tram") == []
    assert found("ferry closed quiet") == ["story"]

    article.delete()
    assert found("ferry") == []
    assert found("harbour") == []


@on_sqlite
def test_sqlite_keeps_one_index_row_per_article():
    """No path leaves a stale or missing row: the table matches the articles one for one."""
    article = ArticleFactory(title="Tram timetable")
    ArticleFactory(title="Ferry news")
    article.title = "Lighthouse"
    article.save()
    Article.objects.filter(pk=article.pk).update(body="<p>Harbour</p>")
    ArticleFactory().delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, title, body FROM articles_article_search ORDER BY rowid")
        rows = cursor.fetchall()

    expected = Article.objects.order_by("pk").values_list("pk", "title")
    assert [(pk, title) for pk, title, _ in rows] == list(expected)
    assert rows[0][2].strip() == "Harbour"


def test_seeded_articles_are_found():
    """``seed`` writes with ``bulk_create``; every public article it wrote is searchable."""
    call_command("seed", stdout=StringIO(), articles=30, authors=3, images=2, tags=5, batch=10)
    public = Article.objects.public().filter(slug__startswith="seed-")

    assert public.count() > 20
    for article in public:
        assert article.pk in set(public.search(article.title).values_list("pk", flat=True))


@pytest.mark.parametrize("archive", [5, 40])
def test_query_count_does_not_grow_with_the_archive(client, settings, archive):
    settings.SEARCH_MAX_MATCHES = 10
    author = AuthorFactory()
    tags = [TagFactory()]
    for n in range(archive):
        ArticleFactory(title=f"Lighthouse {n}", authors=[author], tags=tags)
        ArticleFactory(title=f"Tram {n}")

    with CaptureQueriesContext(connection) as queries:
        result = search(client, "lighthouse", first=5)

    # The page, its count, and one query each for tags and bylines (and the probe).
    assert len(queries) == 4 + PROBE
    assert result["totalCount"] == min(archive, 10)


@on_sqlite
def test_sqlite_index_comes_back_after_a_table_rebuild():
    """A migration that rebuilds the articles table drops its triggers; migrate restores them."""
    article = ArticleFactory(title="Tram timetable")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_article_search_update")
    Article.objects.filter(pk=article.pk).update(title="Lighthouse")
    assert found("lighthouse") == []

    call_command("migrate", "articles", stdout=StringIO(), verbosity=0)

    assert found("lighthouse") == [article.slug]
    Article.objects.filter(pk=article.pk).update(title="Ferry")
    assert found("ferry") == [article.slug]


def test_a_dump_of_the_articles_leaves_the_search_table_out():
    """The search table is derived data; on PostgreSQL it does not even exist."""
    ArticleFactory(slug="story", title="Lighthouse")
    out = StringIO()

    call_command("dumpdata", "articles", stdout=out)

    models = {row["model"] for row in json.loads(out.getvalue())}
    assert "articles.article" in models
    assert "articles.searchentry" not in models
