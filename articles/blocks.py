"""The article body in GraphQL: one type per kind of block, and their union ``ArticleBlock``."""

from typing import Annotated

import strawberry

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


@strawberry.type(name="DividerBlock")
class DividerBlock:
    divider: bool = True


ArticleBlock = Annotated[
    ParagraphBlock | HeadingBlock | ListBlock | QuoteBlock | DividerBlock,
    strawberry.union("ArticleBlock"),
]


def to_graphql_block(block: body.Block):
    match block:
        case body.Paragraph(html=html):
            return ParagraphBlock(html=html)
        case body.Heading(level=level, text=text):
            return HeadingBlock(level=level, text=text)
        case body.BulletList(ordered=ordered, items=items):
            return ListBlock(ordered=ordered, items=items)
        case body.Quote(html=html, attribution=attribution, pull=pull):
            return QuoteBlock(html=html, attribution=attribution, pull=pull)
        case body.Divider():
            return DividerBlock()
    raise TypeError(f"Unknown body block {block!r}")
