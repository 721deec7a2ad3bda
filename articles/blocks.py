"""The article body in GraphQL: one type per kind of block, and their union ``ArticleBlock``.

Photos are the library's ``Image`` rows, loaded for a whole article in one query (the
``inline_images`` prefetch of the article's ``body`` and ``bodyHtml`` fields) and looked up
here by id; nothing below queries the database or opens a file.
"""

from typing import Annotated

import strawberry
from django.utils.html import format_html

from media.models import Image
from media.renditions import ImageFormat
from media.types import ImageType, build_spec, make_rendition, srcset, width_ladder

from . import body


@strawberry.type(name="ParagraphBlock")
class ParagraphBlock:
    html: str = strawberry.field(
        description="Inline HTML: links, emphasis, strong, code and line breaks only."
    )


@strawberry.type(name="HeadingBlock")
class HeadingBlock:
    level: int
    text: str


@strawberry.type(name="ListBlock")
class ListBlock:
    ordered: bool
    items: list[str] = strawberry.field(description="Each item as inline HTML.")


@strawberry.type(name="QuoteBlock")
class QuoteBlock:
    html: str
    attribution: str | None
    pull: bool = strawberry.field(description="A pull quote, set large beside the text.")


@strawberry.type(name="ImageBlock")
class ImageBlock:
    image: ImageType = strawberry.field(
        description="The photo from the library, with its alt text, credit and renditions."
    )
    caption: str | None = strawberry.field(
        description="The caption for this use, else the photo's default caption."
    )


@strawberry.type(name="EmbedBlock")
class EmbedBlock:
    url: str = strawberry.field(description="The embedded page (a video, a social post).")
    provider: str = strawberry.field(
        description=(
            'Who serves it, from the URL\'s host: "youtube", "vimeo", "x", "instagram", '
            '"tiktok", "facebook", "bluesky", "soundcloud", …; "link" for any other site.'
        )
    )
    caption: str | None


@strawberry.type(name="DividerBlock")
class DividerBlock:
    divider: bool = True


ArticleBlock = Annotated[
    ParagraphBlock | HeadingBlock | ListBlock | QuoteBlock | ImageBlock | EmbedBlock | DividerBlock,
    strawberry.union("ArticleBlock"),
]

#: The ``<img>`` of a photo in ``bodyHtml``: its ``src`` width, the ``srcset`` widths (snapped to
#: the rendition ladder, never above the original's) and the layout width for ``sizes``.
HTML_IMAGE_WIDTH = 800
HTML_SRCSET_WIDTHS = [320, 480, 640, 800, 1200, 1600]
HTML_IMAGE_SIZES = f"(min-width: {HTML_IMAGE_WIDTH}px) {HTML_IMAGE_WIDTH}px, 100vw"


def caption_for(ref: body.ImageRef, image: Image) -> str | None:
    """The caption for this use, else the photo's default one."""
    return ref.caption or image.caption or None


def image_html(info: strawberry.Info, ref: body.ImageRef, image: Image) -> str:
    """A photo as a ``<figure>``: a responsive ``<img>`` and the caption with the credit line.

    Built from the image's stored columns (size, hash, focal point, alt text, credit), so no
    file is opened and nothing is decoded.
    """
    src = make_rendition(info, image, build_spec(HTML_IMAGE_WIDTH, None, None, ImageFormat.WEBP))
    ladder = width_ladder(info, image, HTML_SRCSET_WIDTHS, ImageFormat.WEBP)
    caption = caption_for(ref, image)
    credit = image.credit.text if image.credit_id and image.credit else ""
    figcaption = ""
    if caption or credit:
        figcaption = format_html(
            "<figcaption>{}{}</figcaption>",
            caption or "",
            format_html('{}<span class="credit">{}</span>', " " if caption else "", credit)
            if credit
            else "",
        )
    return format_html(
        '<figure><img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" '
        'loading="lazy">{}</figure>',
        src.url,
        srcset(ladder),
        HTML_IMAGE_SIZES,
        image.alt_text,
        src.width,
        src.height,
        figcaption,
    )


def to_graphql_block(block: body.Block, images: dict[int, Image] | None = None):
    """The GraphQL block for ``block``; ``None`` for a photo missing from ``images``."""
    match block:
        case body.Paragraph(html=html):
            return ParagraphBlock(html=html)
        case body.Heading(level=level, text=text):
            return HeadingBlock(level=level, text=text)
        case body.BulletList(ordered=ordered, items=items):
            return ListBlock(ordered=ordered, items=items)
        case body.Quote(html=html, attribution=attribution, pull=pull):
            return QuoteBlock(html=html, attribution=attribution, pull=pull)
        case body.ImageRef(image_id=image_id):
            image = (images or {}).get(image_id)
            if image is None:
                return None
            return ImageBlock(image=image, caption=caption_for(block, image))
        case body.Embed(url=url, provider=provider, caption=caption):
            return EmbedBlock(url=url, provider=provider, caption=caption)
        case body.Divider():
            return DividerBlock()
    raise TypeError(f"Unknown body block {block!r}")
