"""Sitemaps of the public site: articles, sections, tags in use and active authors, and a Google
News sitemap of the last two days' articles.

The sitemap files are served here, but every ``<loc>`` is the page on the frontend
(``FRONTEND_URL`` plus the path from ``FRONTEND_PATHS``), not this server: the sitemaps
framework would otherwise take the domain from ``django.contrib.sites`` or the request.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from authors.models import Author

from .feeds import xml_text
from .models import Article, Section, Tag

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
#: Google News takes articles of the last two days, at most 1,000 per sitemap.
NEWS_MAX_AGE = timedelta(days=2)
NEWS_MAX_ITEMS = 1000


class FrontendSitemap(Sitemap):
    """A sitemap whose locations are pages on the frontend."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.FRONTEND_URL).scheme

    def get_domain(self, site=None):
        # The frontend may live under a path ("https://example.com/news"); keep it.
        return settings.FRONTEND_URL.split("://", 1)[1]

    def location(self, item):
        return item.path

    def lastmod(self, item):
        return item.lastmod


class ArticleSitemap(FrontendSitemap):
    def items(self):
        return Article.objects.public().newest_first().only("slug", "published_at", "modified_at")

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        return Article.objects.public().aggregate(latest=Max("modified_at"))["latest"]


def newest_public(**relation):
    """The publication time of the newest public article related as ``relation`` says."""
    articles = Article.objects.public().filter(**relation).order_by("-published_at")
    return Subquery(articles.values("published_at")[:1])


class ListingSitemap(FrontendSitemap):
    """Pages listing articles (a section, a tag, an author): changed when an article arrives."""

    def get_latest_lastmod(self):
        return Article.objects.public().aggregate(latest=Max("published_at"))["latest"]


class SectionSitemap(ListingSitemap):
    def items(self):
        return Section.objects.annotate(lastmod=newest_public(section=OuterRef("pk"))).only("slug")


class TagSitemap(ListingSitemap):
    def items(self):
        return (
            Tag.objects.public().annotate(lastmod=newest_public(tags=OuterRef("pk"))).only("slug")
        )


class AuthorSitemap(ListingSitemap):
    def items(self):
        return (
            Author.objects.active()
            .annotate(lastmod=newest_public(bylines__author=OuterRef("pk")))
            .only("slug")
        )


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def news_language(language_code: str) -> str:
    """The language as Google News wants it: ISO 639 ("en"), except zh-cn and zh-tw."""
    code = language_code.lower()
    if code in ("zh-cn", "zh-hans", "zh-sg"):
        return "zh-cn"
    if code in ("zh-tw", "zh-hant", "zh-hk"):
        return "zh-tw"
    return code.split("-")[0]


def news_articles(now=None):
    """Public articles published in the last two days, newest first, at most 1,000."""
    now = now or timezone.now()
    return (
        Article.objects.public(now)
        .filter(published_at__gte=now - NEWS_MAX_AGE)
        .newest_first()
        .only("slug", "title", "published_at")[:NEWS_MAX_ITEMS]
    )


def news_sitemap(request):
    """A Google News sitemap (``news:news`` entries) of the last two days' articles."""
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    xml = SimplerXMLGenerator(response, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    language = news_language(settings.LANGUAGE_CODE)
    for article in news_articles():
        xml.startElement("url", {})
        xml.addQuickElement("loc", article.get_absolute_url())
        xml.startElement("news:news", {})
        xml.startElement("news:publication", {})
        xml.addQuickElement("news:name", settings.PUBLISHER_NAME)
        xml.addQuickElement("news:language", language)
        xml.endElement("news:publication")
        xml.addQuickElement(
            "news:publication_date", article.published_at.isoformat(timespec="seconds")
        )
        xml.addQuickElement("news:title", xml_text(article.title))
        xml.endElement("news:news")
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    return response
