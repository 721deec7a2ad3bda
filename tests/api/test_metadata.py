"""News metadata in the API: dates, corrections, SEO with fallbacks, and schema.org JSON-LD."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleAuthor, Correction
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    ImageCreditFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def article_data(gql, slug, fields):
    query = "query($slug: String!) { article(slug: $slug) { " + fields + " } }"
    return gql.query(query, {"slug": slug})["article"]


# -- Dates ------------------------------------------------------------------------------------


def test_first_publication_is_recorded_once_and_kept(gql):
    article = ArticleFactory(slug="budget", status=Article.Status.DRAFT, published_at=None)
    assert article.first_published_at is None

    with time_machine.travel(T0, tick=False):
        services.publish_article(article)
    article.refresh_from_db()
    assert article.first_published_at == T0 == article.published_at

    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        services.unpublish_article(article)
        article.refresh_from_db()
        assert article.first_published_at == T0
        # Republished later with a new publication time: the first one stays on record.
        services.schedule_article(article, T0 + timedelta(days=1))
    article.refresh_from_db()
    assert article.published_at == T0 + timedelta(days=1)
    assert article.first_published_at == T0

    article.title = "Budget passes"
    article.save()
    data = article_data(gql, "budget", "firstPublishedAt publishedAt")
    assert data == {
        "firstPublishedAt": "2026-03-02T09:30:00+00:00",
        "publishedAt": "2026-03-03T09:30:00+00:00",
    }


def test_first_publication_of_a_scheduled_article_follows_the_schedule_until_it_comes():
    now = timezone.now()
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    services.schedule_article(article, now + timedelta(days=2))
    assert article.first_published_at == now + timedelta(days=2)
    # Moved before it appeared: the first publication moves along.
    services.schedule_article(article, now + timedelta(days=3))
    article.refresh_from_db()
    assert article.first_published_at == now + timedelta(days=3)
    # Withdrawn before it ever appeared: it was never published.
    services.unpublish_article(article)
    article.refresh_from_db()
    assert article.first_published_at is None


def test_first_publication_through_a_plain_save():
    """Whatever path publishes (form, import, shell), the model records it."""
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=T0)
    assert Article.objects.get(pk=article.pk).first_published_at == T0


def test_display_date_falls_back_to_publication_time(gql):
    ArticleFactory(slug="plain", published_at=T0)
    ArticleFactory(slug="dated", published_at=T0, display_date=T0 - timedelta(days=30))
    assert article_data(gql, "plain", "displayDate") == {"displayDate": "2026-03-02T09:30:00+00:00"}
    assert article_data(gql, "dated", "displayDate") == {"displayDate": "2026-01-31T09:30:00+00:00"}


def test_corrections_and_updates_with_their_kind(gql):
    article = ArticleFactory(slug="bridge")
    CorrectionFactory(article=article, text="The bridge is 40 m long.", date=T0)
    CorrectionFactory(
        article=article, text="The bridge reopened.", date=T0 + timedelta(hours=2), kind="update"
    )
    data = article_data(gql, "bridge", "corrections { date text kind }")
    assert data["corrections"] == [
        {
            "date": "2026-03-02T09:30:00+00:00",
            "text": "The bridge is 40 m long.",
            "kind": "CORRECTION",
        },
        {"date": "2026-03-02T11:30:00+00:00", "text": "The bridge reopened.", "kind": "UPDATE"},
    ]
    assert Correction.Kind.UPDATE.label == "Update"


# -- SEO --------------------------------------------------------------------------------------

SEO = "seoTitle seoDescription seo { title description canonicalUrl image { altText url } }"


def test_seo_uses_the_editors_values(gql):
    lead, social = ImageFactory(alt_text="Lead"), ImageFactory(alt_text="Social card")
    ArticleFactory(
        slug="seo",
        title="Headline",
        seo_title="Search title",
        seo_description="Search description",
        lead_image=lead,
        social_image=social,
        canonical_url="https://example.org/elsewhere",
    )
    data = article_data(gql, "seo", SEO)
    assert data["seoTitle"] == "Search title"
    assert data["seoDescription"] == "Search description"
    seo = data["seo"]
    assert (seo["title"], seo["description"]) == ("Search title", "Search description")
    assert seo["canonicalUrl"] == "https://example.org/elsewhere"
    assert seo["image"]["altText"] == "Social card"
    assert seo["image"]["url"].startswith(f"http://testserver/images/{social.pk}/")


def test_seo_falls_back_to_headline_standfirst_and_lead_photo(gql):
    lead = ImageFactory(alt_text="Lead")
    ArticleFactory(slug="plain", title="Headline", standfirst="The summary.", lead_image=lead)
    data = article_data(gql, "plain", SEO)
    assert data["seoTitle"] == "" and data["seoDescription"] == "", "stored values stay as they are"
    assert data["seo"] == {
        "title": "Headline",
        "description": "The summary.",
        "canonicalUrl": "http://localhost:3000/articles/plain/",
        "image": {"altText": "Lead", "url": data["seo"]["image"]["url"]},
    }


def test_seo_description_falls_back_to_the_bodys_beginning(gql):
    ArticleFactory(
        slug="nosum",
        standfirst="",
        body="<h2>Heading</h2><p>The council met on <strong>Tuesday</strong> to vote.</p>",
    )
    data = article_data(gql, "nosum", "seo { description image { url } canonicalUrl }")
    assert data["seo"]["description"] == "The council met on Tuesday to vote."
    assert data["seo"]["image"] is None


def test_syndicated_seo_points_at_the_original(gql):
    ArticleFactory(slug="synd", original_publisher="Courier", original_url="https://c.example/x")
    assert article_data(gql, "synd", "seo { canonicalUrl }")["seo"] == {
        "canonicalUrl": "https://c.example/x"
    }


# -- JSON-LD ----------------------------------------------------------------------------------


@pytest.fixture
def news_article(settings):
    settings.PUBLISHER_NAME = "The Valley Times"
    settings.PUBLISHER_URL = "https://www.valley.example/"
    settings.PUBLISHER_LOGO_URL = "https://www.valley.example/logo.png"
    writer = AuthorFactory(name="Chen Wei", slug="chen-wei", role="Science Editor")
    photographer = AuthorFactory(name="Dana Levi", slug="dana-levi", role="Staff Photographer")
    editor = AuthorFactory(name="Eli Kahn", slug="eli-kahn", role="Night Editor", active=False)
    agency = ImageCreditFactory(
        text="Reuters",
        creator="Ana Ruiz",
        license="licensed",
        license_url="https://agency.example/licence",
        copyright_notice="© 2026 Reuters",
        acquire_license_page="https://agency.example/buy",
    )
    staff = ImageCreditFactory(
        text="The Valley Times", creator="", license="all-rights-reserved", license_url=""
    )
    lead = ImageFactory(credit=staff, caption="Library caption", alt_text="The bridge")
    social = ImageFactory(credit=agency, alt_text="Crowd")
    article = ArticleFactory(
        slug="bridge-opens",
        title="Bridge opens",
        standfirst="Crowds cross the river.",
        section=SectionFactory(name="City", slug="city"),
        tags=[TagFactory(name="Transport"), TagFactory(name="Bridges")],
        lead_image=lead,
        lead_image_caption="The bridge at dawn",
        social_image=social,
        published_at=T0,
        original_publisher="The Valley Courier",
        original_url="https://courier.example/bridge",
    )
    for position, (author, role) in enumerate(
        [(writer, "written-by"), (photographer, "photos-by"), (editor, "edited-by")]
    ):
        ArticleAuthor.objects.create(
            article=article, author=author, position=position, byline_role=role
        )
    return article


def test_json_ld_is_a_news_article_google_accepts(gql, news_article):
    ld = article_data(gql, "bridge-opens", "jsonLd")["jsonLd"]

    assert ld["@context"] == "https://schema.org"
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Bridge opens"
    assert ld["description"] == "Crowds cross the river."
    assert ld["datePublished"] == "2026-03-02T09:30:00+00:00"
    assert ld["dateModified"] >= ld["datePublished"]
    assert ld["url"] == "https://courier.example/bridge", "canonical: the original"
    assert ld["mainEntityOfPage"] == {"@type": "WebPage", "@id": "https://courier.example/bridge"}
    assert ld["author"] == [
        {
            "@type": "Person",
            "name": "Chen Wei",
            "url": "http://localhost:3000/authors/chen-wei/",
            "jobTitle": "Science Editor",
        }
    ]
    photographer = {
        "@type": "Person",
        "name": "Dana Levi",
        "url": "http://localhost:3000/authors/dana-levi/",
        "jobTitle": "Staff Photographer",
    }
    assert ld["contributor"] == [photographer]
    # An inactive author has no page: named, without a URL.
    assert ld["editor"] == [{"@type": "Person", "name": "Eli Kahn", "jobTitle": "Night Editor"}]
    assert ld["publisher"] == {
        "@type": "Organization",
        "name": "The Valley Times",
        "url": "https://www.valley.example/",
        "logo": {"@type": "ImageObject", "url": "https://www.valley.example/logo.png"},
    }
    assert ld["articleSection"] == "City"
    assert ld["keywords"] == ["Bridges", "Transport"]
    assert ld["isBasedOn"] == {
        "@type": "CreativeWork",
        "url": "https://courier.example/bridge",
        "publisher": {"@type": "Organization", "name": "The Valley Courier"},
    }
    assert ld["inLanguage"] == "en-gb"


def test_json_ld_images_carry_credit_and_licence(gql, news_article):
    ld = article_data(gql, "bridge-opens", "jsonLd")["jsonLd"]
    social, lead = ld["image"]
    social_image = news_article.social_image
    assert social == {
        "@type": "ImageObject",
        "url": social["url"],
        "contentUrl": social["url"],
        "width": 640,
        "height": 480,
        "caption": social_image.caption,
        "creditText": "Reuters",
        "creator": {"@type": "Person", "name": "Ana Ruiz"},
        "copyrightNotice": "© 2026 Reuters",
        "license": "https://agency.example/licence",
        "acquireLicensePage": "https://agency.example/buy",
    }
    # The full-size public rendition, never the uploaded original.
    assert social["url"].startswith(f"http://testserver/images/{social_image.pk}/")
    assert "/uploads/" not in social["url"]
    # A staff photo without a named creator credits the "photos by" byline.
    assert lead["caption"] == "The bridge at dawn"
    assert lead["creditText"] == "The Valley Times"
    assert lead["creator"]["name"] == "Dana Levi"
    assert lead["creator"]["url"] == "http://localhost:3000/authors/dana-levi/"
    assert "license" not in lead


def test_json_ld_of_a_plain_article(gql, settings):
    """No byline, photo, section or source: no empty values, and the outlet as author."""
    settings.PUBLISHER_LOGO_URL = ""
    long_title = "A very long headline " * 8
    ArticleFactory(slug="plain", title=long_title, section=None, published_at=T0)
    ld = article_data(gql, "plain", "jsonLd")["jsonLd"]
    assert len(ld["headline"]) <= 110
    assert ld["headline"].endswith("…")
    assert ld["url"] == "http://localhost:3000/articles/plain/"
    assert ld["author"] == [
        {"@type": "Organization", "name": settings.PUBLISHER_NAME, "url": settings.PUBLISHER_URL}
    ]
    for absent in ("image", "isBasedOn", "articleSection", "keywords", "contributor", "editor"):
        assert absent not in ld
    assert all(value not in ("", None, [], {}) for value in ld.values())


def test_json_ld_headline_prefers_a_short_seo_title():
    from articles.jsonld import headline

    article = Article(title="x" * 140, seo_title="Short")
    assert headline(article) == "Short"


def test_json_ld_costs_the_same_queries_for_many_articles(gql):
    """A page of articles with their JSON-LD: constant queries, whatever the page size."""
    lead, social = ImageFactory(), ImageFactory()
    authors = [AuthorFactory(), AuthorFactory()]
    tags = [TagFactory(), TagFactory()]
    query = (
        "{ articles(first: 50) { edges { node { title jsonLd seo { title image { url } } } } } }"
    )
    counts = {}
    for total in (3, 30):
        ArticleFactory.create_batch(
            total - Article.objects.count(),
            authors=authors,
            tags=tags,
            lead_image=lead,
            social_image=social,
        )
        with CaptureQueriesContext(connection) as queries:
            data = gql.query(query)
        edges = data["articles"]["edges"]
        assert len(edges) == total
        assert len(edges[0]["node"]["jsonLd"]["author"]) == 2
        counts[total] = len(queries)
    assert counts[3] == counts[30] <= 4
