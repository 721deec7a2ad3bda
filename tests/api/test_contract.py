"""The FrontPage and ArticlePage queries of the contract return what frontends rely on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleAuthor
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CorrectionFactory,
    ImageCreditFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

from .queries import ARTICLE_PAGE, FRONT_PAGE

pytestmark = pytest.mark.django_db


def test_front_page_shape(gql):
    credit = ImageCreditFactory(text="Reuters", creator="Ana Ruiz", license="licensed")
    image = ImageFactory(credit=credit, width=1200, alt_text="Tram at dusk", caption="A tram")
    avatar = ImageFactory(alt_text="Portrait")
    first, second = AuthorFactory(name="Ama Owusu", avatar=avatar), AuthorFactory(name="Ben Ito")
    section = SectionFactory(name="City", slug="city")
    tag = TagFactory(name="Transport", slug="transport")
    ArticleFactory(
        title="Trams return",
        authors=[second, first],
        tags=[tag],
        section=section,
        lead_image=image,
    )

    data = gql.query(FRONT_PAGE)["articles"]

    assert data["totalCount"] == 1
    assert data["pageInfo"]["hasNextPage"] is False
    node = data["edges"][0]["node"]
    assert node["title"] == "Trams return"
    assert node["section"] == {"name": "City", "slug": "city"}
    assert [a["name"] for a in node["authors"]] == ["Ben Ito", "Ama Owusu"], "byline order"
    assert node["authors"][1]["avatar"]["altText"] == "Portrait"
    assert node["authors"][1]["avatar"]["url"].startswith(f"http://testserver/images/{avatar.pk}/")
    assert node["tags"] == [{"name": "Transport", "slug": "transport"}]
    lead = node["leadImage"]
    assert lead["altText"] == "Tram at dusk"
    assert (lead["width"], lead["height"]) == (image.width, image.height)
    assert lead["credit"] == {
        "text": "Reuters",
        "creator": "Ana Ruiz",
        "license": "LICENSED",
        "licenseUrl": credit.license_url,
        "sourceUrl": credit.source_url,
    }
    # A signed rendition URL, at the size the file will have (never larger than the original).
    assert lead["rendition"]["url"].startswith(f"http://testserver/images/{image.pk}/")
    assert lead["rendition"]["url"].endswith("/800x0-contain.webp")
    assert (lead["rendition"]["width"], lead["rendition"]["height"]) == (640, 480)
    # publishedAt is ISO 8601 with an offset.
    assert node["publishedAt"].endswith("+00:00")


def test_article_page_shape(gql):
    author = AuthorFactory(name="Chen Wei", role="Science Editor", location="Leeds", bio="Bio.")
    AuthorLinkFactory(author=author, label="Newsletter", url="https://news.example.org/chen")
    photographer = AuthorFactory(name="Dana Levi")
    image = ImageFactory(caption="Library default caption")
    article = ArticleFactory(
        slug="bridge-opens",
        lead_image=image,
        body=(
            "<p>Intro with <a href='https://example.org'>a link</a>.</p><h2>Why</h2>"
            "<ul><li>one</li></ul><blockquote><p>Words.</p><cite>Someone</cite></blockquote><hr>"
        ),
        original_publisher="The Valley Courier",
        original_url="https://courier.example.org/bridge",
    )
    ArticleAuthor.objects.create(article=article, author=author, position=0)
    ArticleAuthor.objects.create(
        article=article, author=photographer, position=1, byline_role="photos-by"
    )
    CorrectionFactory(article=article, text="The bridge is 40 m long, not 400 m.")

    data = gql.query(ARTICLE_PAGE, {"slug": "bridge-opens"})["article"]

    assert data["path"] == "/articles/bridge-opens/"
    assert data["url"] == "http://localhost:3000/articles/bridge-opens/"
    assert data["leadImageCaption"] == "Library default caption"
    assert data["authors"][0] == {
        "name": "Chen Wei",
        "role": "Science Editor",
        "location": "Leeds",
        "bio": "Bio.",
        "links": [{"label": "Newsletter", "url": "https://news.example.org/chen"}],
    }
    assert data["byline"] == [
        {"role": "WRITTEN_BY", "author": {"name": "Chen Wei", "slug": author.slug}},
        {"role": "PHOTOS_BY", "author": {"name": "Dana Levi", "slug": photographer.slug}},
    ]
    assert data["originalSource"] == {
        "publisher": "The Valley Courier",
        "url": "https://courier.example.org/bridge",
    }
    assert [block["__typename"] for block in data["body"]] == [
        "ParagraphBlock",
        "HeadingBlock",
        "ListBlock",
        "QuoteBlock",
        "DividerBlock",
    ]
    assert '<a href="https://example.org" rel="noopener noreferrer">a link</a>' in data["bodyHtml"]
    assert data["corrections"][0]["text"] == "The bridge is 40 m long, not 400 m."
    assert data["updatedAt"]


def test_article_own_lead_caption_wins(gql):
    ArticleFactory(slug="s", lead_image=ImageFactory(caption="Default"), lead_image_caption="Own")
    assert gql.query(ARTICLE_PAGE, {"slug": "s"})["article"]["leadImageCaption"] == "Own"


def test_body_blocks_carry_their_content(gql):
    ArticleFactory(
        slug="blocks",
        body=(
            "<p>Para <em>one</em></p><h3>Head</h3><ol><li>a</li><li><strong>b</strong></li></ol>"
            '<blockquote class="pull-quote"><p>Big words</p><cite>— A. Person</cite></blockquote>'
            "<hr>"
        ),
    )
    query = """query($slug: String!) { article(slug: $slug) { body {
      __typename
      ... on ParagraphBlock { html }
      ... on HeadingBlock { level text }
      ... on ListBlock { ordered items }
      ... on QuoteBlock { html attribution pull }
      ... on DividerBlock { divider }
    } } }"""
    body = gql.query(query, {"slug": "blocks"})["article"]["body"]
    assert body == [
        {"__typename": "ParagraphBlock", "html": "Para <em>one</em>"},
        {"__typename": "HeadingBlock", "level": 3, "text": "Head"},
        {"__typename": "ListBlock", "ordered": True, "items": ["a", "<strong>b</strong>"]},
        {
            "__typename": "QuoteBlock",
            "html": "Big words",
            "attribution": "A. Person",
            "pull": True,
        },
        {"__typename": "DividerBlock", "divider": True},
    ]


def test_syndicated_article_points_canonical_at_the_original(gql):
    ArticleFactory(slug="syn", original_publisher="Courier", original_url="https://c.example/x")
    data = gql.query('{ article(slug: "syn") { canonicalUrl } }')["article"]
    assert data["canonicalUrl"] == "https://c.example/x"


def test_articles_newest_first_and_paginated_by_cursor(gql):
    now = timezone.now()
    for day in range(25):
        ArticleFactory(slug=f"day-{day}", published_at=now - timedelta(days=day))
    query = """query($after: String) { articles(after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { slug } } } }"""

    first_page = gql.query(query)["articles"]
    assert first_page["totalCount"] == 25
    assert len(first_page["edges"]) == 20, "default page size"
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["slug"] for e in first_page["edges"][:2]] == ["day-0", "day-1"]

    second_page = gql.query(query, {"after": first_page["pageInfo"]["endCursor"]})["articles"]
    assert [e["node"]["slug"] for e in second_page["edges"]] == [f"day-{d}" for d in range(20, 25)]
    assert second_page["pageInfo"]["hasNextPage"] is False
    assert second_page["totalCount"] == 25


def test_articles_same_publication_time_paginate_without_gaps(gql):
    moment = timezone.now() - timedelta(hours=1)
    for n in range(7):
        ArticleFactory(slug=f"same-{n}", published_at=moment)
    query = """query($after: String) { articles(first: 3, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { slug } } } }"""
    seen, after = [], None
    while True:
        page = gql.query(query, {"after": after})["articles"]
        seen += [e["node"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(f"same-{n}" for n in range(7))
    assert len(seen) == 7


def test_articles_filters(gql):
    now = timezone.now()
    city, science = SectionFactory(slug="city"), SectionFactory(slug="science")
    climate = TagFactory(slug="climate")
    author = AuthorFactory(slug="ama")
    ArticleFactory(slug="a", section=city, tags=[climate], published_at=now - timedelta(days=1))
    ArticleFactory(
        slug="b", section=science, authors=[author], published_at=now - timedelta(days=3)
    )
    ArticleFactory(slug="c", section=science, tags=[climate], published_at=now - timedelta(days=5))

    def slugs(arguments, variables=None):
        declared = "($after: DateTime, $before: DateTime)" if variables else ""
        selection = "totalCount edges { node { slug } }"
        query = f"query{declared} {{ articles({arguments}) {{ {selection} }} }}"
        data = gql.query(query, variables)["articles"]
        assert data["totalCount"] == len(data["edges"])
        return [e["node"]["slug"] for e in data["edges"]]

    assert slugs('section: "science"') == ["b", "c"]
    assert slugs('tag: "climate"') == ["a", "c"]
    assert slugs('author: "ama"') == ["b"]
    assert slugs('section: "science", tag: "climate"') == ["c"]
    assert slugs('section: "nowhere"') == []
    window = {
        "after": (now - timedelta(days=4)).isoformat(),
        "before": (now - timedelta(days=2)).isoformat(),
    }
    assert slugs("publishedAfter: $after, publishedBefore: $before", window) == ["b"]
    assert slugs("orderBy: PUBLISHED_AT_ASC") == ["c", "b", "a"]


def test_articles_order_by_title(gql):
    for title in ["Zebra crossing", "Apple harvest", "Market day"]:
        ArticleFactory(title=title)
    data = gql.query("{ articles(orderBy: TITLE_ASC) { edges { node { title } } } }")
    titles = [e["node"]["title"] for e in data["articles"]["edges"]]
    assert titles == ["Apple harvest", "Market day", "Zebra crossing"]


def test_lookups_and_their_connections(gql):
    section = SectionFactory(name="Science", slug="science", description="Research news")
    tag = TagFactory(name="Space", slug="space")
    author = AuthorFactory(name="Ama", slug="ama")
    for n in range(3):
        ArticleFactory(slug=f"s{n}", section=section, tags=[tag], authors=[author])
    ArticleFactory(slug="other")
    query = """{
      section(slug: "science") { name description path url articles(first: 2) {
        totalCount pageInfo { hasNextPage } edges { node { slug } } } }
      tag(slug: "space") { name path articles { totalCount edges { node { slug } } } }
      author(slug: "ama") { name path url articles { totalCount edges { node { slug } } } }
      sections { slug }
      tags { totalCount edges { node { slug } } }
      authors { totalCount edges { node { slug } } }
    }"""
    data = gql.query(query)
    assert data["section"]["path"] == "/sections/science/"
    assert data["section"]["articles"]["totalCount"] == 3
    assert len(data["section"]["articles"]["edges"]) == 2
    assert data["section"]["articles"]["pageInfo"]["hasNextPage"] is True
    assert data["tag"]["path"] == "/tags/space/"
    assert [e["node"]["slug"] for e in data["tag"]["articles"]["edges"]] == ["s0", "s1", "s2"]
    assert data["author"]["url"] == "http://localhost:3000/authors/ama/"
    assert data["author"]["articles"]["totalCount"] == 3
    assert "science" in [s["slug"] for s in data["sections"]]
    assert "space" in [e["node"]["slug"] for e in data["tags"]["edges"]]
    assert [e["node"]["slug"] for e in data["authors"]["edges"]] == ["ama"]


def test_node_resolves_every_public_type(gql):
    article = ArticleFactory(authors=[AuthorFactory()], tags=[TagFactory()])
    query = """{ articles { edges { node { id slug
        section { id slug } tags { id slug } authors { id slug } } } } }"""
    node = gql.query(query)["articles"]["edges"][0]["node"]
    for item in [node, node["section"], node["tags"][0], node["authors"][0]]:
        found = gql.query(
            "query($id: ID!) { node(id: $id) { id ... on Article { slug } ... on Section { slug }"
            " ... on Tag { slug } ... on Author { slug } } }",
            {"id": item["id"]},
        )["node"]
        assert found == {"id": item["id"], "slug": item["slug"]}
    assert node["slug"] == article.slug


def test_front_page_query_count_is_constant_and_small(gql):
    """5 or 50 articles, with authors, avatars, links, tags and images: the same few queries."""
    avatar, lead = ImageFactory(), ImageFactory()
    authors = [AuthorFactory(avatar=avatar), AuthorFactory()]
    for author in authors:
        AuthorLinkFactory(author=author)
    tags = [TagFactory(), TagFactory()]
    counts = {}
    for total in (5, 50):
        ArticleFactory.create_batch(
            total - Article.objects.count(), authors=authors, tags=tags, lead_image=lead
        )
        with CaptureQueriesContext(connection) as queries:
            data = gql.query(FRONT_PAGE.replace("first: 20", "first: 50"))
        assert len(data["articles"]["edges"]) == total
        counts[total] = len(queries)
    assert counts[5] == counts[50]
    # page (with section, lead image and credit), bylines with authors and avatars, author
    # links, tags, and the total count.
    assert counts[50] <= 5


def test_article_page_query_count_is_constant(gql):
    article = ArticleFactory(slug="one", lead_image=ImageFactory(), authors=[AuthorFactory()])
    CorrectionFactory(article=article)
    with CaptureQueriesContext(connection) as few:
        gql.query(ARTICLE_PAGE, {"slug": "one"})
    for position in range(6):
        author = AuthorFactory()
        AuthorLinkFactory.create_batch(2, author=author)
        ArticleAuthor.objects.create(article=article, author=author, position=position + 1)
        CorrectionFactory(article=article)
    with CaptureQueriesContext(connection) as many:
        gql.query(ARTICLE_PAGE, {"slug": "one"})
    assert len(few) == len(many) <= 6


def test_title_order_ignores_case_and_pages_cleanly(gql):
    for title in ["banana boats", "Apple harvest", "cherry season", "Damson jam", "apricot"]:
        ArticleFactory(title=title)
    query = """query($after: String) { articles(first: 2, after: $after, orderBy: TITLE_ASC) {
        pageInfo { hasNextPage endCursor } edges { node { title } } } }"""
    titles, after = [], None
    while True:
        page = gql.query(query, {"after": after})["articles"]
        titles += [edge["node"]["title"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert titles == ["Apple harvest", "apricot", "banana boats", "cherry season", "Damson jam"]


def test_order_by_null_means_newest_first(gql):
    now = timezone.now()
    ArticleFactory(slug="old", published_at=now - timedelta(days=2))
    ArticleFactory(slug="new", published_at=now - timedelta(days=1))
    data = gql.query("{ articles(orderBy: null) { edges { node { slug } } } }")
    assert [e["node"]["slug"] for e in data["articles"]["edges"]] == ["new", "old"]


def test_date_filters_include_after_and_exclude_before(gql):
    moment = timezone.now().replace(microsecond=0) - timedelta(days=1)
    ArticleFactory(slug="at-the-moment", published_at=moment)
    query = """query($after: DateTime, $before: DateTime) {
        articles(publishedAfter: $after, publishedBefore: $before) { totalCount } }"""
    stamp = moment.isoformat()
    assert gql.query(query, {"after": stamp})["articles"]["totalCount"] == 1
    assert gql.query(query, {"before": stamp})["articles"]["totalCount"] == 0
    # The same instant written with another offset is the same instant.
    shifted = moment.astimezone(timezone.get_fixed_timezone(120)).isoformat()
    assert gql.query(query, {"after": shifted})["articles"]["totalCount"] == 1


SECTION_RAILS = """query($size: Int) { sections { name articles(first: $size) {
    edges { node { title section { name } authors { name } tags { name } } } } } }"""


def test_nested_pages_cost_the_same_whatever_their_size(gql):
    """A home page of section rails: each rail is one page of its own, whatever its size."""
    author, tag = AuthorFactory(), TagFactory()
    for slug in ["world", "city", "science"]:
        section = SectionFactory(slug=slug)
        ArticleFactory.create_batch(12, section=section, authors=[author], tags=[tag])
    counts = {}
    for size in (2, 10):
        with CaptureQueriesContext(connection) as queries:
            data = gql.query(SECTION_RAILS, {"size": size})
        assert all(len(s["articles"]["edges"]) == size for s in data["sections"])
        counts[size] = len(queries)
    assert counts[2] == counts[10]
    # The sections, then per section: its page, bylines with authors, tags.
    assert counts[10] == 1 + 3 * 3
