"""Anonymous clients see public articles only, through every path of the API.

A draft, an article in review, an archived one, one scheduled for later and one already taken
down share a section, a tag and an author with one public article; none of them may show up
anywhere, not even in a count.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from strawberry.relay import to_base64

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

from .queries import ARTICLE_PAGE

pytestmark = pytest.mark.django_db

HIDDEN = ["draft", "review", "archived", "scheduled", "expired"]


@pytest.fixture
def newsroom():
    now = timezone.now()
    section = SectionFactory(slug="city")
    tag = TagFactory(slug="housing")
    author = AuthorFactory(slug="ama")
    common = {"section": section, "tags": [tag], "authors": [author]}
    ArticleFactory(slug="public", published_at=now - timedelta(hours=1), **common)
    ArticleFactory(slug="draft", status=Article.Status.DRAFT, published_at=None, **common)
    ArticleFactory(slug="review", status=Article.Status.REVIEW, published_at=None, **common)
    ArticleFactory(
        slug="archived", status=Article.Status.ARCHIVED, published_at=now - timedelta(days=9)
    )
    Article.objects.filter(slug="archived").first().tags.add(tag)
    ArticleFactory(slug="scheduled", published_at=now + timedelta(hours=2), **common)
    ArticleFactory(
        slug="expired",
        published_at=now - timedelta(days=3),
        unpublish_at=now - timedelta(minutes=1),
        **common,
    )
    return Article.objects.in_bulk(field_name="slug")


def _slugs(connection):
    return [edge["node"]["slug"] for edge in connection["edges"]]


def test_top_level_list_and_count(gql, newsroom):
    data = gql.query("{ articles(first: 100) { totalCount edges { node { slug } } } }")
    assert _slugs(data["articles"]) == ["public"]
    assert data["articles"]["totalCount"] == 1


@pytest.mark.parametrize(
    "arguments", ['section: "city"', 'tag: "housing"', 'author: "ama"', "orderBy: TITLE_ASC"]
)
def test_filtered_lists(gql, newsroom, arguments):
    data = gql.query(f"{{ articles({arguments}) {{ totalCount edges {{ node {{ slug }} }} }} }}")
    assert _slugs(data["articles"]) == ["public"]
    assert data["articles"]["totalCount"] == 1


def test_nested_connections_and_counts(gql, newsroom):
    selection = "articles { totalCount edges { node { slug } } }"
    data = gql.query(
        f'{{ author(slug: "ama") {{ {selection} }} section(slug: "city") {{ {selection} }}'
        f' tag(slug: "housing") {{ {selection} }}'
        f" authors {{ edges {{ node {{ {selection} }} }} }} }}"
    )
    for parent in [data["author"], data["section"], data["tag"]]:
        assert _slugs(parent["articles"]) == ["public"]
        assert parent["articles"]["totalCount"] == 1
    assert _slugs(data["authors"]["edges"][0]["node"]["articles"]) == ["public"]


@pytest.mark.parametrize("slug", HIDDEN)
def test_hidden_article_by_slug_looks_missing(gql, newsroom, slug):
    status, hidden = gql.post(ARTICLE_PAGE, {"slug": slug})
    status_missing, missing = gql.post(ARTICLE_PAGE, {"slug": "no-such-article"})
    assert status == status_missing == 200
    assert hidden == missing == {"data": {"article": None}}


@pytest.mark.parametrize("slug", HIDDEN)
def test_hidden_article_by_node_id_looks_missing(gql, newsroom, slug):
    global_id = to_base64("Article", newsroom[slug].pk)
    missing_id = to_base64("Article", 987654)
    query = "query($id: ID!) { node(id: $id) { id } }"
    assert gql.post(query, {"id": global_id}) == gql.post(query, {"id": missing_id})
    assert gql.query(query, {"id": global_id}) == {"node": None}


def test_public_article_by_node_id(gql, newsroom):
    global_id = to_base64("Article", newsroom["public"].pk)
    data = gql.query(
        "query($id: ID!) { node(id: $id) { ... on Article { slug } } }", {"id": global_id}
    )
    assert data == {"node": {"slug": "public"}}


def test_scheduled_article_appears_when_its_time_comes(gql, newsroom):
    Article.objects.filter(slug="scheduled").update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    data = gql.query("{ articles { totalCount edges { node { slug } } } }")
    assert sorted(_slugs(data["articles"])) == ["public", "scheduled"]
    assert data["articles"]["totalCount"] == 2


def test_inactive_author_is_hidden_but_stays_on_bylines(gql):
    former = AuthorFactory(slug="former", name="Former Writer", active=False)
    ArticleFactory(slug="old-story", authors=[former])
    data = gql.query(
        '{ author(slug: "former") { name } authors { totalCount edges { node { slug } } }'
        ' article(slug: "old-story") { authors { name } byline { author { name } } } }'
    )
    assert data["author"] is None
    assert data["authors"]["totalCount"] == 0
    assert data["article"]["authors"] == [{"name": "Former Writer"}]
    assert data["article"]["byline"] == [{"author": {"name": "Former Writer"}}]
    hidden = gql.query(
        "query($id: ID!) { node(id: $id) { id } }", {"id": to_base64("Author", former.pk)}
    )
    assert hidden == {"node": None}


def test_node_with_malformed_id_is_null_or_clear_error(gql):
    status, body = gql.post('{ node(id: "not-a-global-id") { id } }')
    assert status == 200
    assert body.get("data") in ({"node": None}, None)
    if body.get("errors"):
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_inactive_author_has_no_article_list_anywhere(gql):
    former = AuthorFactory(slug="former", active=False)
    ArticleFactory(slug="old-story", authors=[former])
    data = gql.query(
        '{ article(slug: "old-story") { byline { author { articles { totalCount } } } } '
        ' articles(author: "former") { totalCount edges { node { slug } } } }'
    )
    assert data["article"]["byline"][0]["author"]["articles"] == {"totalCount": 0}
    assert data["articles"] == {"totalCount": 0, "edges": []}


def test_tag_used_only_by_hidden_articles_is_not_announced(gql):
    scoop = TagFactory(slug="takeover-talks", name="Takeover talks")
    ArticleFactory(slug="scoop", status=Article.Status.DRAFT, published_at=None, tags=[scoop])
    public = TagFactory(slug="weather")
    ArticleFactory(tags=[public])
    data = gql.query(
        '{ tag(slug: "takeover-talks") { name } tags { totalCount edges { node { slug } } } }'
    )
    assert data["tag"] is None
    assert data["tags"] == {"totalCount": 1, "edges": [{"node": {"slug": "weather"}}]}
    hidden = gql.query(
        "query($id: ID!) { node(id: $id) { id } }", {"id": to_base64("Tag", scoop.pk)}
    )
    assert hidden == {"node": None}


def test_nested_lists_count_only_public_articles(gql, newsroom):
    data = gql.query(
        "{ authors { edges { node { articles { totalCount } } } }"
        " sections { slug articles { totalCount } } }"
    )
    assert data["authors"]["edges"][0]["node"]["articles"]["totalCount"] == 1
    counts = {s["slug"]: s["articles"]["totalCount"] for s in data["sections"]}
    assert counts["city"] == 1
