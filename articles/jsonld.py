"""What search engines and social networks read about an article.

The SEO fields' fallbacks (title, description, social image, canonical URL) and the schema.org
``NewsArticle`` object frontends put in a ``<script type="application/ld+json">``. The object
follows Google's article and image-licence structured data: a headline of at most 110
characters, dates, authors as ``Person`` with their pages, images as ``ImageObject`` with their
credit and licence, the publisher, and ``isBasedOn`` for syndicated pieces.

The functions read only what :data:`ONLY`, :data:`SELECT_RELATED` and :data:`PREFETCH_RELATED`
load, so the API resolves them without a query per article.
"""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Prefetch
from django.utils.text import Truncator

from media.models import Image, ImageCredit

from . import body
from .models import Article, ArticleAuthor, Tag

HEADLINE_MAX_LENGTH = 110


def _image_columns(relation):
    """Every column of a photo but its original file (never read here), and of its credit.

    Named one by one: the optimizer merges these with other fields' columns of the same photo,
    and a column left out would be loaded by a query of its own.
    """
    image = [field.name for field in Image._meta.concrete_fields if field.name != "file"]
    credit = [field.name for field in ImageCredit._meta.concrete_fields]
    return [f"{relation}__{name}" for name in image] + [
        f"{relation}__credit__{name}" for name in credit
    ]


#: The article columns the SEO fields read.
SEO_ONLY = [
    "title",
    "slug",
    "seo_title",
    "seo_description",
    "standfirst",
    "body",
    "canonical_url",
    "original_url",
    "lead_image",
    "social_image",
    *_image_columns("lead_image"),
    *_image_columns("social_image"),
]
SEO_SELECT_RELATED = ["lead_image__credit", "social_image__credit"]

#: Everything :func:`news_article` reads, for the API's optimizer.
ONLY = [
    *SEO_ONLY,
    "original_publisher",
    "lead_image_caption",
    "published_at",
    "first_published_at",
    "modified_at",
    "section__name",
]
SELECT_RELATED = [*SEO_SELECT_RELATED, "section"]


def prefetch_bylines(info=None):
    """The byline with its authors, under an attribute of its own (``authors`` has another)."""
    bylines = ArticleAuthor.objects.select_related("author").order_by("position", "id")
    return Prefetch("bylines", queryset=bylines, to_attr="jsonld_bylines")


def prefetch_tags(info=None):
    """The article's tags: all of them, since the article itself is visible to the reader."""
    return Prefetch("tags", queryset=Tag.objects.order_by("name", "id"), to_attr="jsonld_tags")


PREFETCH_RELATED = [prefetch_bylines, prefetch_tags]


# -- SEO fallbacks ----------------------------------------------------------------------------


def seo_title(article: Article) -> str:
    return article.seo_title or article.title


def seo_description(article: Article) -> str:
    """The SEO description, else the standfirst, else the body's first paragraph (shortened)."""
    return article.seo_description or body.excerpt(article.standfirst, article.body)


def social_image(article: Article):
    """The photo shown when the article is shared: its own social image, else the lead photo."""
    return article.social_image or article.lead_image


def canonical_url(article: Article) -> str:
    """Where search engines should index the story: the original, if syndicated."""
    return article.canonical_url or article.original_url or article.get_absolute_url()


# -- schema.org NewsArticle -------------------------------------------------------------------


def headline(article: Article) -> str:
    """The headline, else a short enough SEO title, else the headline shortened to fit."""
    for text in (article.title, article.seo_title):
        if text and len(text) <= HEADLINE_MAX_LENGTH:
            return text
    return Truncator(article.title).chars(HEADLINE_MAX_LENGTH)


def _compact(data: dict) -> dict:
    """``data`` without empty values: absent beats an empty string to structured-data checks."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def person(author) -> dict:
    """An author as a ``Person``: the page's URL only while the author has a page (is active)."""
    return _compact(
        {
            "@type": "Person",
            "name": author.name,
            "url": author.get_absolute_url() if author.active else None,
            "jobTitle": author.role,
        }
    )


def publisher() -> dict:
    logo = settings.PUBLISHER_LOGO_URL
    return _compact(
        {
            "@type": "Organization",
            "name": settings.PUBLISHER_NAME,
            "url": settings.PUBLISHER_URL,
            "logo": {"@type": "ImageObject", "url": logo} if logo else None,
        }
    )


def image_object(image, full_size, caption: str, photographers: list[dict]) -> dict:
    """A photo as an ``ImageObject`` with Google's image-licence properties.

    ``full_size(image)`` gives the public full-size rendition as ``(url, width, height)``. The
    creator is the credit's, else the staff photographers on the byline ("photos by").
    """
    url, width, height = full_size(image)
    credit = image.credit
    creator = None
    if credit is not None and credit.creator:
        creator = {"@type": "Person", "name": credit.creator}
    elif photographers:
        creator = photographers if len(photographers) > 1 else photographers[0]
    return _compact(
        {
            "@type": "ImageObject",
            "url": url,
            "contentUrl": url,
            "width": width,
            "height": height,
            "caption": caption,
            "creditText": credit.text if credit else None,
            "creator": creator,
            "copyrightNotice": credit.copyright_notice if credit else None,
            "license": credit.license_url if credit else None,
            "acquireLicensePage": credit.acquire_license_page if credit else None,
        }
    )


def news_article(article: Article, full_size: Callable) -> dict:
    """The article as a schema.org ``NewsArticle`` (a JSON-serialisable dict).

    ``full_size(image)`` gives a photo's public full-size rendition as ``(url, width, height)``;
    the API passes one that builds absolute, signed rendition URLs.
    """
    bylines = getattr(article, "jsonld_bylines", None)
    if bylines is None:
        bylines = list(article.bylines.select_related("author").order_by("position", "id"))
    tags = getattr(article, "jsonld_tags", None)
    if tags is None:
        tags = list(article.tags.order_by("name", "id"))

    roles = ArticleAuthor.BylineRole
    writers = [person(b.author) for b in bylines if b.byline_role == roles.WRITTEN_BY]
    photographers = [person(b.author) for b in bylines if b.byline_role == roles.PHOTOS_BY]
    editors = [person(b.author) for b in bylines if b.byline_role == roles.EDITED_BY]
    contributors = [
        person(b.author)
        for b in bylines
        if b.byline_role in (roles.ADDITIONAL_REPORTING, roles.PHOTOS_BY)
    ]
    if not writers:
        # Google wants an author: with nobody "written by", the whole byline, else the outlet.
        writers = [person(b.author) for b in bylines] or [publisher()]

    images = []
    for image in dict.fromkeys(filter(None, [article.social_image, article.lead_image])):
        caption = image.caption
        if image == article.lead_image and article.lead_image_caption:
            caption = article.lead_image_caption
        images.append(image_object(image, full_size, caption, photographers))

    published = article.first_published_at or article.published_at
    modified = article.modified_at
    if published is not None and modified is not None and modified < published:
        modified = published  # edited before a scheduled publication: not "modified before"
    url = canonical_url(article)
    based_on = None
    if article.original_url or article.original_publisher:
        based_on = _compact(
            {
                "@type": "CreativeWork",
                "url": article.original_url,
                "publisher": _compact({"@type": "Organization", "name": article.original_publisher})
                if article.original_publisher
                else None,
            }
        )
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline(article),
            "description": seo_description(article),
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": published.isoformat() if published else None,
            "dateModified": modified.isoformat() if modified else None,
            "inLanguage": settings.LANGUAGE_CODE,
            "author": writers,
            "editor": editors,
            "contributor": contributors,
            "image": images,
            "publisher": publisher(),
            "articleSection": article.section.name if article.section else None,
            "keywords": [tag.name for tag in tags],
            "isBasedOn": based_on,
        }
    )
