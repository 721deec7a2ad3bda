"""GraphQL types of articles, sections and tags."""

import enum
from datetime import datetime
from typing import Annotated

import strawberry
import strawberry_django
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower
from strawberry import auto, relay
from strawberry.scalars import JSON

from authors.types import AuthorType
from cms.fields import ColumnField
from cms.pagination import DjangoCursorConnection, connection, nested_page
from media.renditions import ORIGINAL_FORMATS
from media.types import ImageFormat, ImageType, build_spec, make_rendition

from . import body, jsonld, models, preview
from .blocks import ArticleBlock, image_html, to_graphql_block

ArticleStatus = strawberry.enum(models.Article.Status, name="ArticleStatus")
BylineRole = strawberry.enum(models.ArticleAuthor.BylineRole, name="BylineRole")
CorrectionKind = strawberry.enum(models.Correction.Kind, name="CorrectionKind")


@strawberry.enum(name="ArticleOrder")
class ArticleOrder(enum.Enum):
    PUBLISHED_AT_DESC = ("-published_at", "-id")
    PUBLISHED_AT_ASC = ("published_at", "id")
    TITLE_ASC = (Lower("title").asc(), "id")


# -- Types ------------------------------------------------------------------------------------


@strawberry.type
class FrontendPage(relay.Node):
    """What every object with a page on the frontend has: an id, a path and a full URL."""

    @strawberry_django.field(only=["slug"], description="The page's path on the frontend.")
    def path(self, root) -> str:
        return root.path

    @strawberry_django.field(only=["slug"], description="The page's address on the frontend.")
    def url(self, root) -> str | None:
        return root.get_absolute_url()

    @classmethod
    def resolve_id(cls, root, *, info):
        # The primary key as it is; strawberry's default re-inspects the type for every id.
        return str(root.pk)


@strawberry.type
class TaxonomyFields(FrontendPage):
    name: str
    slug: str
    description: str

    @connection(
        DjangoCursorConnection[Annotated["ArticleType", strawberry.lazy("articles.types")]],
        description="Public articles filed here, newest first.",
        disable_optimization=True,
    )
    def articles(self, root, info: strawberry.Info) -> QuerySet[models.Article]:
        return nested_page(root.articles.all(), info)


@strawberry_django.type(models.Section, name="Section", field_cls=ColumnField)
class SectionType(TaxonomyFields):
    pass


@strawberry_django.type(models.Tag, name="Tag", field_cls=ColumnField)
class TagType(TaxonomyFields):
    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return queryset.public(preview=preview.previewed_article_ids(info))


@strawberry_django.type(models.ArticleAuthor, name="Byline")
class BylineType:
    role: BylineRole = strawberry_django.field(field_name="byline_role")
    author: AuthorType


@strawberry_django.type(models.Correction, name="Correction", field_cls=ColumnField)
class CorrectionType:
    date: datetime
    text: auto
    kind: CorrectionKind = strawberry_django.field(
        description="A correction of a fact, or an update to the story."
    )


@strawberry.type(name="OriginalSource")
class OriginalSource:
    """Where a syndicated article first appeared."""

    publisher: str
    url: str | None


@strawberry.type(name="Seo", description="What search engines and social networks show.")
class Seo:
    title: str = strawberry.field(description="The SEO title, else the headline.")
    description: str = strawberry.field(
        description="The SEO description, else the standfirst, else the body's beginning."
    )
    image: ImageType | None = strawberry.field(description="The social image, else the lead photo.")
    canonical_url: str = strawberry.field(
        description="Where search engines should index the story: the original, if syndicated."
    )


def _full_size(info: strawberry.Info):
    """A photo's public full-size rendition as ``(url, width, height)``, as ``Image.url``."""

    def full_size(image):
        image_format = ORIGINAL_FORMATS.get(image.format, ImageFormat.JPEG)
        rendition = make_rendition(info, image, build_spec(image_format=image_format))
        return rendition.url, rendition.width, rendition.height

    return full_size


def _selects(selections, name) -> bool:
    """Whether a field called ``name`` is among ``selections`` (fragments included)."""
    for selection in selections:
        if getattr(selection, "name", None) == name or _selects(selection.selections, name):
            return True
    return False


def _byline_prefetch(info: strawberry.Info):
    """The bylines with what the selection shows of each author: the avatar, its credit and
    the links only when asked for (a front page shows names and avatars)."""
    selections = info.selected_fields[0].selections
    joined = []
    if _selects(selections, "avatar"):
        joined = ["author__avatar__credit" if _selects(selections, "credit") else "author__avatar"]
    return models.prefetch_bylines(
        select_related=joined,
        prefetch_related=["author__links"] if _selects(selections, "links") else [],
    )


def _tags_prefetch(info: strawberry.Info):
    """An article's tags by name, without ``TagType``'s visibility rule.

    A tag is public when a visible article carries it, and any article the API shows is
    visible (public, or opened by a preview token), so that rule would only repeat itself as
    an ``EXISTS`` over the archive for every tag of every article of a page.
    """
    tags = models.Tag.objects.order_by("name", "id")
    return Prefetch("tags", queryset=tags, to_attr="loaded_tags")


def _inline_images_prefetch(info: strawberry.Info):
    """Every photo of the body with its credit, for all articles of a response in one query."""
    rows = models.ArticleBodyImage.objects.select_related("image__credit")
    return Prefetch("inline_images", queryset=rows, to_attr="loaded_inline_images")


def _inline_images(article: models.Article) -> dict:
    """The body's photos by id: prefetched when the optimizer ran, else one query."""
    rows = getattr(article, "loaded_inline_images", None)
    if rows is None:
        rows = article.inline_images.select_related("image__credit")
    return {row.image_id: row.image for row in rows}


@strawberry_django.type(models.Article, name="Article", field_cls=ColumnField)
class ArticleType(FrontendPage):
    title: auto
    slug: auto
    standfirst: auto
    status: ArticleStatus
    published_at: datetime | None
    updated_at: datetime = strawberry_django.field(
        field_name="modified_at", description="When the article last changed."
    )
    seo_title: auto
    seo_description: auto
    section: SectionType | None
    lead_image: ImageType | None
    byline: list[BylineType] = strawberry_django.field(
        field_name="bylines", description="The byline in order, each name with its role."
    )
    corrections: list[CorrectionType]

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        return queryset.public(preview=preview.previewed_article_ids(info))

    @strawberry_django.field(
        only=["first_published_at"],
        description="When the article was first published; later republishing keeps it.",
    )
    def first_published_at(self, root: models.Article) -> datetime | None:
        return root.first_published_at

    @strawberry_django.field(
        only=["display_date", "published_at"],
        description="The date to print on the article: its display date, else `publishedAt`.",
    )
    def display_date(self, root: models.Article) -> datetime | None:
        return root.display_date or root.published_at

    @strawberry_django.field(
        only=jsonld.SEO_ONLY,
        select_related=jsonld.SEO_SELECT_RELATED,
        description="Title, description, image and canonical URL, with their fallbacks.",
    )
    def seo(self, root: models.Article) -> Seo:
        return Seo(
            title=jsonld.seo_title(root),
            description=jsonld.seo_description(root),
            image=jsonld.social_image(root),
            canonical_url=jsonld.canonical_url(root),
        )

    @strawberry_django.field(
        only=jsonld.ONLY,
        select_related=jsonld.SELECT_RELATED,
        prefetch_related=jsonld.PREFETCH_RELATED,
        description=(
            'A schema.org `NewsArticle` object for a `<script type="application/ld+json">`.'
        ),
    )
    def json_ld(self, root: models.Article, info: strawberry.Info) -> JSON:
        return jsonld.news_article(root, _full_size(info))

    @strawberry_django.field(prefetch_related=[_tags_prefetch], description="The tags, by name.")
    def tags(self, root: models.Article) -> list[TagType]:
        tags = getattr(root, "loaded_tags", None)
        return list(root.tags.order_by("name", "id")) if tags is None else tags

    @strawberry_django.field(
        prefetch_related=[_byline_prefetch], description="Everyone on the byline, in order."
    )
    def authors(self, root: models.Article) -> list[AuthorType]:
        return root.byline_authors()

    @strawberry_django.field(
        only=["lead_image_caption", "lead_image__caption"],
        select_related=["lead_image"],
        description="The lead photo's caption for this article, else the photo's own caption.",
    )
    def lead_image_caption(self, root: models.Article) -> str | None:
        if root.lead_image_caption:
            return root.lead_image_caption
        return root.lead_image.caption if root.lead_image and root.lead_image.caption else None

    @strawberry_django.field(only=["original_publisher", "original_url"])
    def original_source(self, root: models.Article) -> OriginalSource | None:
        if not root.original_publisher:
            return None
        return OriginalSource(publisher=root.original_publisher, url=root.original_url or None)

    @strawberry_django.field(
        only=["canonical_url", "original_url", "slug"],
        description="Where search engines should index the story: the original, if syndicated.",
    )
    def canonical_url(self, root: models.Article) -> str:
        return jsonld.canonical_url(root)

    @strawberry_django.field(
        only=["body"],
        prefetch_related=[_inline_images_prefetch],
        description="The body as typed blocks, for frontends that render natively.",
    )
    def body(self, root: models.Article) -> list[ArticleBlock]:
        images = _inline_images(root)
        blocks = (to_graphql_block(block, images) for block in body.body_blocks(root.body))
        return [block for block in blocks if block is not None]

    @strawberry_django.field(
        only=["body"],
        prefetch_related=[_inline_images_prefetch],
        description=(
            "The body as sanitised HTML. Each photo is a `<figure>` with a responsive `<img>` "
            "(`srcset`, `sizes`, `alt`, `width`, `height`) and a `<figcaption>` holding the "
            'caption and a `<span class="credit">` credit line; each embed is a `<figure>` with '
            "a plain link."
        ),
    )
    def body_html(self, root: models.Article, info: strawberry.Info) -> str:
        images = _inline_images(root)

        def photo(ref):
            image = images.get(ref.image_id)
            return image_html(info, ref, image) if image is not None else None

        return body.render_html(root.body, photo)

    @strawberry_django.field(
        only=["body", "standfirst"],
        description=(
            "A short summary: the standfirst, else the body's first paragraph, cut at a word "
            "to about 200 characters."
        ),
    )
    def excerpt(self, root: models.Article) -> str:
        return body.excerpt(root.standfirst, root.body)

    @strawberry_django.field(
        only=["body"], description="Words in the body text (captions are not counted)."
    )
    def word_count(self, root: models.Article) -> int:
        return body.word_count(root.body)

    @strawberry_django.field(
        only=["body"], description="Minutes to read the body at 230 words a minute, at least 1."
    )
    def reading_time_minutes(self, root: models.Article) -> int:
        return body.reading_time_minutes(body.word_count(root.body))
