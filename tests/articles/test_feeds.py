"""Feeds and sitemaps: what feed readers, aggregators and search engines fetch from us."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from media.models import Rendition
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

FRONTEND = "https://news.example"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(autouse=True)
def frontend(settings):
    settings.FRONTEND_URL = FRONTEND
    settings.PUBLISHER_NAME = "The Ostmere Courier"
    settings.LANGUAGE_CODE = "en-gb"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, ET.fromstring(response.content)  # noqa: S314 - our own response


def rss_items(client, url):
    _response, root = fetch(client, url)
    return root.find("channel").findall("item")


def hidden_articles():
    """One article of each kind the public must not see, all matching everything else."""
    now = timezone.now()
    return [
        ArticleFactory(slug="draft", status=Article.Status.DRAFT),
        ArticleFactory(slug="review", status=Article.Status.REVIEW),
        ArticleFactory(slug="archived", status=Article.Status.ARCHIVED),
        ArticleFactory(slug="scheduled", published_at=now + timedelta(hours=1)),
        ArticleFactory(
            slug="expired",
            published_at=now - timedelta(days=2),
            unpublish_at=now - timedelta(hours=1),
        ),
    ]


# -- RSS and Atom -------------------------------------------------------------------------------


def test_rss_lists_public_articles_with_frontend_links(client):
    section = SectionFactory(name="Business", slug="business")
    author = AuthorFactory(name="Mara Lind")
    ArticleFactory(
        slug="port-deal",
        title="Port deal signed",
        standfirst="The harbour gets a new owner.",
        section=section,
        authors=[author, AuthorFactory(name="Jon Vik")],
        tags=[TagFactory(name="Shipping"), TagFactory(name="Harbour")],
    )
    hidden_articles()

    response, root = fetch(client, "/feeds/rss/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    channel = root.find("channel")
    assert channel.findtext("title") == "The Ostmere Courier"
    assert channel.findtext("link") == FRONTEND + "/"
    assert channel.findtext("language") == "en-gb"
    [item] = channel.findall("item")
    assert item.findtext("title") == "Port deal signed"
    assert item.findtext("description") == "The harbour gets a new owner."
    assert item.findtext("link") == FRONTEND + "/articles/port-deal/"
    assert item.findtext("guid") == FRONTEND + "/articles/port-deal/"
    assert item.find("guid").get("isPermaLink") == "true"
    assert item.findtext(f"{DC}creator") == "Mara Lind, Jon Vik"
    assert [c.text for c in item.findall("category")] == ["Business", "Harbour", "Shipping"]
    assert item.findtext("pubDate")
    assert item.find("enclosure") is None  # no lead photo


def test_atom_lists_the_same_articles(client):
    ArticleFactory(slug="port-deal", title="Port deal signed", authors=[AuthorFactory(name="Mara")])
    hidden_articles()

    response, root = fetch(client, "/feeds/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Port deal signed"
    assert entry.find(f"{ATOM}link").get("href") == FRONTEND + "/articles/port-deal/"
    assert entry.findtext(f"{ATOM}id") == FRONTEND + "/articles/port-deal/"
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Mara"
    assert entry.findtext(f"{ATOM}published") and entry.findtext(f"{ATOM}updated")


def test_control_characters_pasted_into_a_headline_do_not_break_feeds(client):
    ArticleFactory(
        title="Port\x0bdeal\x08 signed",
        standfirst="The\x1f harbour",
        section=SectionFactory(name="Busi\x02ness", slug="business"),
        authors=[AuthorFactory(name="Mara\x0c Lind")],
        published_at=timezone.now() - timedelta(minutes=5),
    )

    for url in ["/feeds/rss/", "/feeds/sections/business/rss/"]:
        [item] = rss_items(client, url)
        assert item.findtext("title") == "Portdeal signed"
        assert item.findtext("description") == "The harbour"
        assert item.findtext(f"{DC}creator") == "Mara Lind"
    _response, atom = fetch(client, "/feeds/atom/")
    assert atom.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Portdeal signed"
    _response, news = fetch(client, "/news-sitemap.xml")
    assert news.find(f".//{NEWS}title").text == "Portdeal signed"


def test_feeds_name_what_they_show_for_cdn_purges(client):
    section, author, tag, image = SectionFactory(), AuthorFactory(), TagFactory(), ImageFactory()
    article = ArticleFactory(section=section, authors=[author], tags=[tag], lead_image=image)

    response = client.get(f"/feeds/authors/{author.slug}/rss/")

    assert response["Surrogate-Key"].split() == [
        "list:articles",
        f"author:{author.pk}",
        f"article:{article.pk}",
        f"image:{image.pk}",
        f"section:{section.pk}",
        f"tag:{tag.pk}",
    ]
    assert response["Cache-Tag"] == response["Surrogate-Key"].replace(" ", ",")
    assert "list:articles" in client.get("/sitemap-articles.xml")["Surrogate-Key"].split()
    assert client.get("/news-sitemap.xml")["Surrogate-Key"] == "list:articles"


def test_the_lead_photo_is_the_enclosure_with_its_size_once_made(client):
    image = ImageFactory()
    ArticleFactory(lead_image=image)

    [item] = rss_items(client, "/feeds/rss/")
    enclosure = item.find("enclosure")
    url = enclosure.get("url")
    assert url.startswith("http://testserver/images/")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length") == "0"  # not made yet, and not made by the feed
    assert not Rendition.objects.exists()

    served = client.get(url)
    assert served.status_code == 200
    body = b"".join(served.streaming_content) if served.streaming else served.content

    [item] = rss_items(client, "/feeds/rss/")
    assert item.find("enclosure").get("url") == url
    assert item.find("enclosure").get("length") == str(len(body))

    _response, root = fetch(client, "/feeds/atom/")
    link = root.find(f"{ATOM}entry").find(f"{ATOM}link[@rel='enclosure']")
    assert link.get("href") == url
    assert link.get("length") == str(len(body))


def test_feeds_list_the_latest_articles_up_to_the_setting(client, settings):
    settings.FEED_ITEMS = 3
    articles = [ArticleFactory(published_at=timezone.now() - timedelta(hours=n)) for n in range(5)]

    items = rss_items(client, "/feeds/rss/")

    assert [item.findtext("link") for item in items] == [
        article.get_absolute_url() for article in articles[:3]
    ]


def test_a_section_feed_lists_that_section_only(client):
    business = SectionFactory(name="Business", slug="business")
    ArticleFactory(slug="in-business", section=business)
    ArticleFactory(slug="hidden", section=business, status=Article.Status.DRAFT)
    ArticleFactory(slug="elsewhere", section=SectionFactory())

    _response, root = fetch(client, "/feeds/sections/business/rss/")
    channel = root.find("channel")

    assert channel.findtext("link") == FRONTEND + "/sections/business/"
    assert "Business" in channel.findtext("title")
    links = [item.findtext("link") for item in channel.findall("item")]
    assert links == [FRONTEND + "/articles/in-business/"]
    _response, atom = fetch(client, "/feeds/sections/business/atom/")
    assert len(atom.findall(f"{ATOM}entry")) == 1


def test_an_author_feed_lists_their_articles_only(client):
    mara = AuthorFactory(slug="mara")
    ArticleFactory(slug="by-mara", authors=[AuthorFactory(), mara])
    ArticleFactory(slug="draft-by-mara", authors=[mara], status=Article.Status.DRAFT)
    ArticleFactory(slug="by-others", authors=[AuthorFactory()])

    items = rss_items(client, "/feeds/authors/mara/rss/")
    _response, atom = fetch(client, "/feeds/authors/mara/atom/")

    assert [item.findtext("link") for item in items] == [FRONTEND + "/articles/by-mara/"]
    assert len(atom.findall(f"{ATOM}entry")) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/sections/nowhere/rss/",
        "/feeds/sections/nowhere/atom/",
        "/feeds/authors/nobody/rss/",
        "/feeds/authors/retired/rss/",
        "/feeds/authors/retired/atom/",
    ],
)
def test_unknown_sections_and_inactive_authors_have_no_feed(client, url):
    retired = AuthorFactory(slug="retired", active=False)
    ArticleFactory(authors=[retired])

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(
    ("url", "queries"),
    [("/feeds/rss/", 4), ("/feeds/atom/", 4), ("/feeds/sections/desk/rss/", 5)],
)
def test_feed_queries_do_not_grow_with_items(
    client, django_assert_num_queries, count, url, queries
):
    """The articles, their bylines, tags and made renditions (+ the section): one query each."""
    desk = SectionFactory(slug="desk")
    tags = [TagFactory(), TagFactory()]
    for _ in range(count):
        ArticleFactory(
            section=desk, lead_image=ImageFactory(), tags=tags, authors=[AuthorFactory()]
        )

    with django_assert_num_queries(queries):
        items = rss_items(client, url) if "rss" in url else fetch(client, url)[1]

    assert len(items) == count or len(items.findall(f"{ATOM}entry")) == count


# -- Sitemaps -----------------------------------------------------------------------------------


def sitemap_locations(client, url):
    _response, root = fetch(client, url)
    return [entry.findtext(f"{SM}loc") for entry in root.findall(f"{SM}url")]


def test_the_sitemap_index_lists_each_sitemap_on_this_server(client):
    ArticleFactory()

    response, root = fetch(client, "/sitemap.xml")

    assert "public" in response["Cache-Control"]
    assert root.tag == f"{SM}sitemapindex"
    assert [entry.findtext(f"{SM}loc") for entry in root.findall(f"{SM}sitemap")] == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ["articles", "sections", "tags", "authors"]
    ]
    for entry in root.findall(f"{SM}sitemap"):
        assert client.get(entry.findtext(f"{SM}loc")).status_code == 200


def test_the_article_sitemap_lists_public_articles_at_their_frontend_urls(client):
    article = ArticleFactory(slug="port-deal")
    hidden_articles()

    _response, root = fetch(client, "/sitemap-articles.xml")

    [entry] = root.findall(f"{SM}url")
    assert entry.findtext(f"{SM}loc") == FRONTEND + "/articles/port-deal/"
    assert datetime.fromisoformat(entry.findtext(f"{SM}lastmod")).date() == (
        article.modified_at.date()
    )


def test_frontend_urls_keep_a_path_prefix(client, settings):
    settings.FRONTEND_URL = "https://example.org/news"
    ArticleFactory(slug="port-deal")

    assert sitemap_locations(client, "/sitemap-articles.xml") == [
        "https://example.org/news/articles/port-deal/"
    ]


def test_listing_sitemaps_list_sections_tags_in_use_and_active_authors(client):
    business = SectionFactory(slug="business")
    SectionFactory(slug="empty")
    active, retired = AuthorFactory(slug="mara"), AuthorFactory(slug="retired", active=False)
    used, secret = TagFactory(slug="shipping"), TagFactory(slug="takeover-talks")
    newest = ArticleFactory(section=business, authors=[active, retired], tags=[used])
    ArticleFactory(status=Article.Status.DRAFT, tags=[secret], section=business)

    assert sitemap_locations(client, "/sitemap-tags.xml") == [FRONTEND + "/tags/shipping/"]
    assert sitemap_locations(client, "/sitemap-authors.xml") == [FRONTEND + "/authors/mara/"]
    _response, root = fetch(client, "/sitemap-sections.xml")
    entries = {e.findtext(f"{SM}loc"): e.findtext(f"{SM}lastmod") for e in root.findall(f"{SM}url")}
    business_url = FRONTEND + "/sections/business/"
    assert set(entries) >= {business_url, FRONTEND + "/sections/empty/"}
    assert entries[business_url] == newest.published_at.date().isoformat()
    assert entries[FRONTEND + "/sections/empty/"] is None


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/sitemap.xml", 8),
        ("/sitemap-articles.xml", 2),
        ("/sitemap-sections.xml", 2),
        ("/sitemap-tags.xml", 2),
        ("/sitemap-authors.xml", 2),
        ("/news-sitemap.xml", 1),
    ],
)
def test_sitemap_queries_do_not_grow_with_items(
    client, django_assert_num_queries, count, url, queries
):
    """A count and a page per sitemap; the index adds each sitemap's latest change."""
    for _ in range(count):
        ArticleFactory(tags=[TagFactory()], authors=[AuthorFactory()])

    with django_assert_num_queries(queries):
        fetch(client, url)


# -- Google News sitemap ------------------------------------------------------------------------

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_the_news_sitemap_lists_the_last_two_days_only(client):
    with time_machine.travel(T0, tick=False):
        ArticleFactory(slug="just-now", title="Port deal", published_at=T0 - timedelta(hours=1))
        ArticleFactory(slug="yesterday", published_at=T0 - timedelta(hours=47))
        ArticleFactory(slug="old", published_at=T0 - timedelta(hours=49))
        ArticleFactory(slug="draft", status=Article.Status.DRAFT, published_at=T0)
        ArticleFactory(slug="later", published_at=T0 + timedelta(hours=3))

        response, root = fetch(client, "/news-sitemap.xml")

    assert response["Content-Type"].startswith("application/xml")
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in urls] == [
        FRONTEND + "/articles/just-now/",
        FRONTEND + "/articles/yesterday/",
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}name") == "The Ostmere Courier"
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Port deal"
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == T0 - timedelta(hours=1)

    # Four hours on: the scheduled article is out, and "yesterday" has aged out.
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        locations = sitemap_locations(client, "/news-sitemap.xml")
    assert locations == [
        FRONTEND + "/articles/later/",
        FRONTEND + "/articles/just-now/",
    ]


def test_the_news_sitemap_stops_at_a_thousand_articles(client):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Brief {n}",
            slug=f"brief-{n}",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(seconds=n + 1),
        )
        for n in range(1001)
    )

    locations = sitemap_locations(client, "/news-sitemap.xml")

    assert len(locations) == 1000
    assert locations[0] == FRONTEND + "/articles/brief-0/"


@pytest.mark.parametrize(
    ("code", "expected"), [("de", "de"), ("zh-hans", "zh-cn"), ("pt-br", "pt")]
)
def test_the_news_language_comes_from_language_code(client, settings, code, expected):
    settings.LANGUAGE_CODE = code
    ArticleFactory(published_at=timezone.now() - timedelta(minutes=5))

    _response, root = fetch(client, "/news-sitemap.xml")

    assert root.find(f".//{NEWS}language").text == expected
