"""The article body in the API: photos and embeds as blocks and HTML, summaries, constant SQL."""

import io
import math
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from articles.models import ArticleBodyImage
from tests.factories import ArticleFactory, ImageCreditFactory, ImageFactory

pytestmark = pytest.mark.django_db

BLOCKS = """query($slug: String!) { article(slug: $slug) {
  body {
    __typename
    ... on ParagraphBlock { html }
    ... on HeadingBlock { level text }
    ... on ListBlock { ordered items }
    ... on QuoteBlock { html attribution pull }
    ... on ImageBlock {
      image { altText credit { text } rendition(width: 800) { url width height } }
      caption
    }
    ... on EmbedBlock { url provider caption }
    ... on DividerBlock { divider }
  }
  bodyHtml
} }"""


def every_block_body(photo, other_photo):
    return (
        "<p>Intro with <a href='https://example.org/'>a link</a>.</p>"
        "<h2>What happened</h2>"
        f'<figure data-image-id="{photo.pk}"><figcaption>Crowds on the bridge</figcaption>'
        "</figure>"
        "<ul><li>one</li><li>two</li></ul>"
        "<ol><li>first</li><li><em>second</em></li></ol>"
        '<blockquote class="pull-quote"><p>We will build it.</p>'
        "<cite>Ann Lee, mayor</cite></blockquote>"
        "<blockquote><p>Plain quote.</p></blockquote>"
        '<figure data-embed-url="https://www.youtube.com/watch?v=abc123">'
        "<figcaption>The opening, on video</figcaption></figure>"
        f'<figure data-image-id="{other_photo.pk}"></figure>'
        "<hr><p>The end.</p>"
    )


def test_every_kind_of_block(gql):
    credit = ImageCreditFactory(text="Reuters")
    photo = ImageFactory(alt_text="People crossing a bridge", credit=credit)
    other = ImageFactory(caption="The library's own caption", credit=None)
    ArticleFactory(slug="all-blocks", body=every_block_body(photo, other))

    body = gql.query(BLOCKS, {"slug": "all-blocks"})["article"]["body"]

    assert [block["__typename"] for block in body] == [
        "ParagraphBlock",
        "HeadingBlock",
        "ImageBlock",
        "ListBlock",
        "ListBlock",
        "QuoteBlock",
        "QuoteBlock",
        "EmbedBlock",
        "ImageBlock",
        "DividerBlock",
        "ParagraphBlock",
    ]
    image = body[2]
    assert image["caption"] == "Crowds on the bridge"
    assert image["image"]["altText"] == "People crossing a bridge"
    assert image["image"]["credit"] == {"text": "Reuters"}
    rendition = image["image"]["rendition"]
    assert rendition["url"].startswith(f"http://testserver/images/{photo.pk}/")
    assert (rendition["width"], rendition["height"]) == (640, 480)
    # No caption of its own: the library's default; no credit: null.
    assert body[8]["caption"] == "The library's own caption"
    assert body[8]["image"]["credit"] is None
    assert body[3] == {"__typename": "ListBlock", "ordered": False, "items": ["one", "two"]}
    assert body[4] == {
        "__typename": "ListBlock",
        "ordered": True,
        "items": ["first", "<em>second</em>"],
    }
    assert body[5] == {
        "__typename": "QuoteBlock",
        "html": "We will build it.",
        "attribution": "Ann Lee, mayor",
        "pull": True,
    }
    assert body[6]["pull"] is False and body[6]["attribution"] is None
    assert body[7] == {
        "__typename": "EmbedBlock",
        "url": "https://www.youtube.com/watch?v=abc123",
        "provider": "youtube",
        "caption": "The opening, on video",
    }


class _Elements(HTMLParser):
    """The elements of an HTML fragment, as (tag, attributes), and its text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag):
        return [attrs for name, attrs in self.elements if name == tag]


def test_body_html_shows_photos_with_srcset_caption_and_credit(gql):
    credit = ImageCreditFactory(text="Reuters")
    photo = ImageFactory(alt_text="People crossing a bridge", credit=credit)
    other = ImageFactory(caption="The library's own caption", credit=None)
    ArticleFactory(slug="all-blocks", body=every_block_body(photo, other))

    html = gql.query(BLOCKS, {"slug": "all-blocks"})["article"]["bodyHtml"]
    parsed = _Elements(html)

    first, second = parsed.all("img")
    assert first["src"].startswith(f"http://testserver/images/{photo.pk}/")
    assert first["src"].endswith("/800x0-contain.webp")
    assert first["alt"] == "People crossing a bridge"
    assert (first["width"], first["height"]) == ("640", "480")  # never larger than the original
    assert first["loading"] == "lazy" and "800px" in first["sizes"]
    entries = [entry.split() for entry in first["srcset"].split(", ")]
    assert [width for _url, width in entries] == ["320w", "480w", "640w"]
    assert all(url.startswith(f"http://testserver/images/{photo.pk}/") for url, _w in entries)
    assert second["alt"] == other.alt_text
    assert (
        '<figcaption>Crowds on the bridge <span class="credit">Reuters</span></figcaption>' in html
    )
    assert "<figcaption>The library&#x27;s own caption</figcaption>" in html
    # The embed: a figure with a plain link, no player, no script.
    assert parsed.all("a")[-1] == {
        "href": "https://www.youtube.com/watch?v=abc123",
        "rel": "noopener noreferrer",
    }
    assert '<figure class="embed" data-embed-provider="youtube">' in html
    assert "<iframe" not in html and "<script" not in html
    # The rest of the body is there as stored.
    assert '<blockquote class="pull-quote"><p>We will build it.</p><cite>' in html
    assert "<ol><li>first</li><li><em>second</em></li></ol>" in html
    assert html.endswith("<hr><p>The end.</p>")


def test_text_in_photos_and_embeds_is_escaped(gql):
    credit = ImageCreditFactory(text='<b>Agency</b> & "Partners"')
    photo = ImageFactory(alt_text='A "quoted" <alt>', credit=credit)
    ArticleFactory(
        slug="escaped",
        body=(
            f'<figure data-image-id="{photo.pk}"><figcaption>&lt;script&gt;x&lt;/script&gt;'
            "</figcaption></figure>"
            '<figure data-embed-url="https://x.com/a?b=1&amp;c=&quot;2&quot;"></figure>'
        ),
    )

    html = gql.query(BLOCKS, {"slug": "escaped"})["article"]["bodyHtml"]

    assert "<script>" not in html and "<b>" not in html and "<alt>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert (
        '<span class="credit">&lt;b&gt;Agency&lt;/b&gt; &amp; &quot;Partners&quot;</span>' in html
    )
    img = _Elements(html).all("img")[0]
    assert img["alt"] == 'A "quoted" <alt>'
    link = _Elements(html).all("a")[0]
    assert link["href"] == 'https://x.com/a?b=1&c="2"'


def test_a_reference_to_a_missing_photo_is_left_out(gql):
    photo = ImageFactory()
    article = ArticleFactory(slug="gap", body=f'<figure data-image-id="{photo.pk}"></figure>')
    # Old data: the reference stays in the body but the row is gone (PROTECT stops this today).
    ArticleBodyImage.objects.filter(article=article).delete()
    type(article).objects.filter(pk=article.pk).update(
        body=f'<p>Before</p><figure data-image-id="{photo.pk + 1000}"></figure><p>After</p>'
    )

    data = gql.query(BLOCKS, {"slug": "gap"})["article"]

    assert [block["__typename"] for block in data["body"]] == ["ParagraphBlock", "ParagraphBlock"]
    assert data["bodyHtml"] == "<p>Before</p><p>After</p>"


SUMMARY = """query($slug: String!) { article(slug: $slug) {
  excerpt wordCount readingTimeMinutes
} }"""


def test_excerpt_word_count_and_reading_time(gql):
    photo = ImageFactory()
    words = " ".join(f"word{i}" for i in range(500))
    ArticleFactory(
        slug="long",
        standfirst="",
        body=(
            "<h2>A heading</h2>"
            f'<figure data-image-id="{photo.pk}"><figcaption>Four caption words here'
            f"</figcaption></figure><p>{words}</p><ul><li>two more</li></ul>"
        ),
    )
    ArticleFactory(slug="short", standfirst="The summary.", body="<p>Three short words.</p>")

    long = gql.query(SUMMARY, {"slug": "long"})["article"]
    short = gql.query(SUMMARY, {"slug": "short"})["article"]

    # The first paragraph, cut at a word boundary, with an ellipsis.
    assert long["excerpt"].endswith("…") and len(long["excerpt"]) <= 201
    assert words.startswith(long["excerpt"][:-1] + " ")
    # Body text only: the heading, the paragraph and the list, not the caption.
    assert long["wordCount"] == 2 + 500 + 2
    assert long["readingTimeMinutes"] == math.ceil(504 / 230) == 3
    assert short == {"excerpt": "The summary.", "wordCount": 3, "readingTimeMinutes": 1}


FRONT_PAGE = """{ articles(first: 20) { edges { node {
  slug excerpt wordCount readingTimeMinutes
  body { ... on ImageBlock {
    image { altText credit { text } rendition(width: 800) { url } } caption
  } }
  bodyHtml
} } } }"""

ARTICLE = """query($slug: String!) { article(slug: $slug) {
  body { ... on ImageBlock {
    image { altText credit { text } rendition(width: 800) { url } } caption
  } }
  bodyHtml
} }"""


def article_with_photos(slug, count):
    photos = [ImageFactory(credit=ImageCreditFactory(text=f"Agency {i}")) for i in range(count)]
    body = "".join(
        f'<p>Paragraph {i}.</p><figure data-image-id="{photo.pk}">'
        f"<figcaption>Photo {i}</figcaption></figure>"
        for i, photo in enumerate(photos)
    )
    return ArticleFactory(slug=slug, body=body)


@pytest.mark.parametrize("count", [1, 20])
def test_an_article_costs_the_same_queries_for_1_or_20_photos(
    gql, django_assert_num_queries, count
):
    article_with_photos("photos", count)

    with django_assert_num_queries(2):  # the article, then its photos with their credits
        data = gql.query(ARTICLE, {"slug": "photos"})["article"]

    photos = [block for block in data["body"] if block]
    assert len(photos) == count
    assert photos[-1]["image"]["credit"] == {"text": f"Agency {count - 1}"}
    assert data["bodyHtml"].count("<figure>") == count


@pytest.mark.parametrize("articles", [1, 5])
def test_a_list_costs_the_same_queries_however_many_articles_and_photos(
    gql, django_assert_num_queries, articles
):
    for i in range(articles):
        article_with_photos(f"photos-{i}", 4 * i + 1)

    with django_assert_num_queries(2):  # the page, then every photo with its credit
        edges = gql.query(FRONT_PAGE)["articles"]["edges"]

    assert len(edges) == articles
    for edge in edges:
        photos = [block for block in edge["node"]["body"] if block]
        assert len(photos) == edge["node"]["bodyHtml"].count("<figure>") > 0


def test_the_demo_shows_every_kind_of_block(gql):
    call_command("demo", stdout=io.StringIO())
    query = """{ articles(first: 20) { edges { node {
      slug
      body {
        __typename
        ... on ImageBlock { image { title credit { text } } caption }
        ... on EmbedBlock { url provider }
        ... on QuoteBlock { pull attribution }
        ... on ListBlock { ordered }
      }
      bodyHtml
    } } } }"""

    nodes = [edge["node"] for edge in gql.query(query)["articles"]["edges"]]
    blocks = [block for node in nodes for block in node["body"]]

    assert {block["__typename"] for block in blocks} == {
        "ParagraphBlock",
        "HeadingBlock",
        "ListBlock",
        "QuoteBlock",
        "ImageBlock",
        "EmbedBlock",
        "DividerBlock",
    }
    assert any(block.get("pull") and block.get("attribution") for block in blocks)
    assert any(block.get("ordered") for block in blocks)
    photos = [block for block in blocks if block["__typename"] == "ImageBlock"]
    assert len(photos) >= 4 and all(photo["image"]["credit"]["text"] for photo in photos)
    trams = next(node for node in nodes if node["slug"] == "harbour-line-trams-every-six-minutes")
    assert '<span class="credit">Jonah Pryce/The Ostmere Courier</span>' in trams["bodyHtml"]
