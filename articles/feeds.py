"""RSS 2.0 and Atom feeds of the latest public articles: everything, a section, an author.

Every link and guid is the article's page on the frontend (``FRONTEND_URL`` plus its path from
``FRONTEND_PATHS``); only the feed's own address and the photo URLs point at this server.

The lead photo is the item's enclosure: its full-size rendition, the same file as the API's
``leadImage.url`` (the uploaded original is never published). RSS requires a length in bytes.
The rendition's size is only known once the file has been made (its ``Rendition`` row records
it, loaded with the feed in one query); before that the length is ``0``, which the RSS Advisory
Board's profile prescribes when a size cannot be determined. Working it out here would mean
decoding and encoding the photo inside the feed request.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from authors.models import Author
from media.models import Rendition
from media.renditions import ORIGINAL_FORMATS, ImageFormat, RenditionSpec, rendition_path

from .models import Article, ArticleTag, Section, prefetch_bylines

#: Characters XML 1.0 cannot carry; Django's feed writer refuses the whole feed over one.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the control characters a pasted headline sometimes carries."""
    return _NOT_XML.sub("", text)


def full_size_spec(image) -> RenditionSpec:
    """The spec of a photo's full-size public copy, as ``Image.url`` in the API serves it."""
    return RenditionSpec.build(format=ORIGINAL_FORMATS.get(image.format, ImageFormat.JPEG))


def full_size_specs() -> list[str]:
    """Every spec :func:`full_size_spec` can give, to load the made renditions in one query."""
    formats = set(ORIGINAL_FORMATS.values()) | {ImageFormat.JPEG}
    return sorted({str(RenditionSpec.build(format=image_format)) for image_format in formats})


@dataclass
class FeedSource:
    """What a feed is of (everything, a section or an author) and the request asking for it."""

    request: object
    section: Section | None = None
    author: Author | None = None

    @property
    def page(self):
        return self.section or self.author


class LatestArticlesFeed(Feed):
    """The latest public articles, newest first."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = True

    def get_object(self, request, *args, **kwargs):
        return FeedSource(request)

    def title(self, source):
        if source.page is None:
            return settings.PUBLISHER_NAME
        return xml_text(f"{source.page.name} – {settings.PUBLISHER_NAME}")

    def link(self, source):
        if source.page is None:
            return settings.FRONTEND_URL + "/"
        return source.page.get_absolute_url()

    def description(self, source):
        if source.page is None:
            return f"The latest articles from {settings.PUBLISHER_NAME}."
        return xml_text(f"The latest articles from {source.page.name}, {settings.PUBLISHER_NAME}.")

    def articles(self, source):
        return Article.objects.public()

    def items(self, source):
        articles = list(
            self.articles(source)
            .newest_first()
            .select_related("section", "lead_image")
            .defer("body")
            .prefetch_related(
                prefetch_bylines(),
                Prefetch(
                    "article_tags",
                    queryset=ArticleTag.objects.select_related("tag").order_by("tag__name"),
                    to_attr="ordered_tags",
                ),
                Prefetch(
                    "lead_image__renditions",
                    queryset=Rendition.objects.filter(spec__in=full_size_specs()),
                    to_attr="full_size_renditions",
                ),
            )[: settings.FEED_ITEMS]
        )
        for article in articles:
            article.feed_enclosure = self.enclosure(article.lead_image, source.request)
        source.request.cache_tags = self.cache_tags(source, articles)
        return articles

    def cache_tags(self, source, articles):
        """What the feed shows, named as change events name it, so a CDN purge reaches it."""
        tags = ["list:articles"]
        if source.page is not None:
            tags.append(f"{source.page._meta.model_name}:{source.page.pk}")
        for article in articles:
            tags.append(f"article:{article.pk}")
            if article.lead_image_id:
                tags.append(f"image:{article.lead_image_id}")
            if article.section_id:
                tags.append(f"section:{article.section_id}")
            tags += [f"author:{author.pk}" for author in article.byline_authors()]
            tags += [f"tag:{article_tag.tag_id}" for article_tag in article.ordered_tags]
        return list(dict.fromkeys(tags))

    def enclosure(self, image, request):
        if image is None:
            return None
        spec = full_size_spec(image)
        url = rendition_path(image.pk, image.rendition_version(spec), spec)
        made = [r for r in image.full_size_renditions if r.spec == str(spec)]
        length = made[0].file_size if made else 0
        return Enclosure(request.build_absolute_uri(url), str(length), spec.format.media_type)

    def item_title(self, article):
        return xml_text(article.title)

    def item_description(self, article):
        return xml_text(article.standfirst)

    def item_link(self, article):
        return article.get_absolute_url()

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.modified_at

    def item_author_name(self, article):
        return xml_text(", ".join(author.name for author in article.byline_authors())) or None

    def item_categories(self, article):
        names = [article.section.name] if article.section else []
        names += [article_tag.tag.name for article_tag in article.ordered_tags]
        return [xml_text(name) for name in names]

    def item_enclosures(self, article):
        return [article.feed_enclosure] if article.feed_enclosure else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    """The latest public articles of one section."""

    def get_object(self, request, slug):
        return FeedSource(request, section=get_object_or_404(Section, slug=slug))

    def articles(self, source):
        return Article.objects.public().filter(section=source.section)


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class AuthorFeed(LatestArticlesFeed):
    """The latest public articles with an active author on the byline."""

    def get_object(self, request, slug):
        return FeedSource(request, author=get_object_or_404(Author.objects.active(), slug=slug))

    def articles(self, source):
        return Article.objects.public().filter(bylines__author=source.author)


class AuthorAtomFeed(AuthorFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
