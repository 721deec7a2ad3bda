"""The floor: what the FrontPage and ArticlePage data cost with hand-written ORM code.

Each view returns exactly the JSON the GraphQL endpoint returns for the same document (the
benchmark checks the bytes), with the fewest queries and the least Python we could write by
hand. The API's cost is reported as a ratio to these.
"""

import json
from types import SimpleNamespace

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from strawberry.relay import to_base64

from articles import body
from articles.blocks import image_html
from articles.models import Article, ArticleAuthor, ArticleBodyImage, ArticleTag
from media.models import License
from media.renditions import (
    ORIGINAL_FORMATS,
    ImageFit,
    ImageFormat,
    RenditionSpec,
    rendition_path,
    rendition_size,
)

LEAD_SPEC = RenditionSpec.build(800, None, ImageFit.CONTAIN, ImageFormat.WEBP)
ARTICLE_LEAD_SPEC = RenditionSpec.build(1200, None, ImageFit.CONTAIN, ImageFormat.WEBP)
_LICENSE_NAMES = {member.value: member.name for member in License}
_ORIGINAL_SPECS = {
    image_format: RenditionSpec.build(None, None, ImageFit.CONTAIN, image_format)
    for image_format in set(ORIGINAL_FORMATS.values()) | {ImageFormat.JPEG}
}
_IMAGE_COLUMNS = ["id", "width", "height", "format", "content_hash", "focal_x", "focal_y"]


def _json(data):
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":")),
        content_type="application/json",
    )


def _rendition(request, image, spec):
    width, height = rendition_size(max(image.width, 1), max(image.height, 1), spec)
    path = rendition_path(image.pk, image.rendition_version(spec), spec)
    return {"url": request.build_absolute_uri(path), "width": width, "height": height}


def _full_size_url(request, image):
    spec = _ORIGINAL_SPECS[ORIGINAL_FORMATS.get(image.format, ImageFormat.JPEG)]
    return _rendition(request, image, spec)["url"]


def front_page(request):
    """``query FrontPage`` of DESIGN.md: the 20 newest public articles."""
    public = Article.objects.public()
    bylines = (
        ArticleAuthor.objects.select_related("author__avatar")
        .only(
            "article_id",
            "author__name",
            "author__slug",
            "author__role",
            "author__avatar__alt_text",
            *(f"author__avatar__{column}" for column in _IMAGE_COLUMNS),
        )
        .order_by("position", "id")
    )
    tags = ArticleTag.objects.select_related("tag").only("article_id", "tag__name", "tag__slug")
    articles = list(
        public.newest_first()
        .select_related("section", "lead_image__credit")
        .only(
            "id",
            "title",
            "slug",
            "standfirst",
            "published_at",
            "section__name",
            "section__slug",
            "lead_image__alt_text",
            "lead_image__caption",
            *(f"lead_image__{column}" for column in _IMAGE_COLUMNS),
            "lead_image__credit__text",
            "lead_image__credit__creator",
            "lead_image__credit__license",
            "lead_image__credit__license_url",
            "lead_image__credit__source_url",
        )
        .prefetch_related(
            Prefetch("bylines", queryset=bylines, to_attr="ordered_bylines"),
            Prefetch(
                "article_tags",
                queryset=tags.order_by("tag__name", "tag__id"),
                to_attr="ordered_tags",
            ),
        )[:21]
    )
    has_next = len(articles) > 20
    articles = articles[:20]
    edges = []
    for article in articles:
        image = article.lead_image
        lead = None
        if image is not None:
            credit = image.credit
            lead = {
                "altText": image.alt_text,
                "caption": image.caption,
                "width": image.width,
                "height": image.height,
                "credit": credit
                and {
                    "text": credit.text,
                    "creator": credit.creator,
                    "license": _LICENSE_NAMES[credit.license],
                    "licenseUrl": credit.license_url,
                    "sourceUrl": credit.source_url,
                },
                "rendition": _rendition(request, image, LEAD_SPEC),
            }
        authors = []
        for byline in article.ordered_bylines:
            author, avatar = byline.author, byline.author.avatar
            authors.append(
                {
                    "name": author.name,
                    "slug": author.slug,
                    "role": author.role,
                    "avatar": avatar
                    and {"url": _full_size_url(request, avatar), "altText": avatar.alt_text},
                }
            )
        section = article.section
        edges.append(
            {
                "node": {
                    "id": to_base64("Article", str(article.pk)),
                    "title": article.title,
                    "slug": article.slug,
                    "standfirst": article.standfirst,
                    "publishedAt": article.published_at.isoformat(),
                    "section": section and {"name": section.name, "slug": section.slug},
                    "authors": authors,
                    "leadImage": lead,
                    "tags": [
                        {"name": link.tag.name, "slug": link.tag.slug}
                        for link in article.ordered_tags
                    ],
                }
            }
        )
    end_cursor = None
    if articles:
        last = articles[-1]
        values = json.dumps([last.published_at.isoformat(), str(last.pk)], separators=(",", ":"))
        end_cursor = to_base64("orderedcursor", values)
    return _json(
        {
            "data": {
                "articles": {
                    "totalCount": public.count(),
                    "pageInfo": {"hasNextPage": has_next, "endCursor": end_cursor},
                    "edges": edges,
                }
            }
        }
    )


def _photo(request, image, spec):
    credit = image.credit
    return {
        "altText": image.alt_text,
        "width": image.width,
        "height": image.height,
        "credit": credit
        and {
            "text": credit.text,
            "creator": credit.creator,
            "license": _LICENSE_NAMES[credit.license],
        },
        "rendition": _rendition(request, image, spec),
    }


def _block(request, block, images):
    match block:
        case body.Paragraph(html=html):
            return {"__typename": "ParagraphBlock", "html": html}
        case body.Heading(level=level, text=text):
            return {"__typename": "HeadingBlock", "level": level, "text": text}
        case body.BulletList(ordered=ordered, items=items):
            return {"__typename": "ListBlock", "ordered": ordered, "items": items}
        case body.Quote(html=html, attribution=attribution, pull=pull):
            return {
                "__typename": "QuoteBlock",
                "html": html,
                "attribution": attribution,
                "pull": pull,
            }
        case body.ImageRef(image_id=image_id, caption=caption):
            image = images.get(image_id)
            if image is None:
                return None
            return {
                "__typename": "ImageBlock",
                "caption": caption or image.caption or None,
                "image": _photo(request, image, LEAD_SPEC),
            }
        case body.Embed(url=url, provider=provider):
            return {"__typename": "EmbedBlock", "url": url, "provider": provider}
        case body.Divider():
            return {"__typename": "DividerBlock"}
    raise TypeError(block)


def article_page(request, slug):
    """The benchmark's ArticlePage: one article with its full body, bylines and photos."""
    bylines = (
        ArticleAuthor.objects.select_related("author")
        .prefetch_related("author__links")
        .order_by("position", "id")
    )
    article = (
        Article.objects.public()
        .select_related("lead_image__credit")
        .prefetch_related(
            Prefetch("bylines", queryset=bylines, to_attr="ordered_bylines"),
            Prefetch(
                "inline_images",
                queryset=ArticleBodyImage.objects.select_related("image__credit"),
                to_attr="loaded_inline_images",
            ),
            "corrections",
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404
    images = {row.image_id: row.image for row in article.loaded_inline_images}
    # The body's HTML is rendered by the same function as the API's (content work, not API
    # overhead); it only needs the request to make absolute URLs.
    info = SimpleNamespace(context=SimpleNamespace(request=request))

    def photo_html(ref):
        image = images.get(ref.image_id)
        return image_html(info, ref, image) if image is not None else None

    lead = article.lead_image
    blocks = (_block(request, block, images) for block in body.body_blocks(article.body))
    authors = [byline.author for byline in article.ordered_bylines]
    data = {
        "title": article.title,
        "standfirst": article.standfirst,
        "publishedAt": article.published_at.isoformat(),
        "updatedAt": article.modified_at.isoformat(),
        "path": article.path,
        "url": article.get_absolute_url(),
        "leadImageCaption": article.lead_image_caption or (lead.caption if lead else "") or None,
        "leadImage": lead and _photo(request, lead, ARTICLE_LEAD_SPEC),
        "authors": [
            {
                "name": author.name,
                "role": author.role,
                "location": author.location,
                "bio": author.bio,
                "links": [{"label": link.label, "url": link.url} for link in author.links.all()],
            }
            for author in authors
        ],
        "byline": [
            {
                "role": ArticleAuthor.BylineRole(byline.byline_role).name,
                "author": {"name": byline.author.name, "slug": byline.author.slug},
            }
            for byline in article.ordered_bylines
        ],
        "originalSource": (
            article.original_publisher
            and {"publisher": article.original_publisher, "url": article.original_url or None}
        )
        or None,
        "body": [block for block in blocks if block is not None],
        "bodyHtml": body.render_html(article.body, photo_html),
        "corrections": [
            {"date": correction.date.isoformat(), "text": correction.text}
            for correction in article.corrections.all()
        ],
    }
    return _json({"data": {"article": data}})
