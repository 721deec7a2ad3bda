"""The article body: what markup is allowed, and how it is cut into typed blocks for the API.

Bodies are stored as HTML sanitised to a small allow-list. Frontends get them either as that HTML
or as a list of blocks (paragraph, heading, list, quote, divider), so that a native app can
render an article without an HTML engine.
"""

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import nh3

INLINE_TAGS = {"a", "em", "strong", "i", "b", "code", "br"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "cite", "hr"}
PULL_QUOTE_CLASS = "pull-quote"

_cleaner = nh3.Cleaner(
    tags=INLINE_TAGS | BLOCK_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "template"},
    attributes={"a": {"href", "title"}},
    allowed_classes={"blockquote": {PULL_QUOTE_CLASS}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_body(html: str) -> str:
    """Reduce editor-supplied HTML to the markup the body allows; drop scripts and handlers."""
    return _cleaner.clean(html or "").strip()


def sanitize_inline(html: str) -> str:
    """Inline HTML as used inside a paragraph block: links, emphasis, strong, code, breaks."""
    return nh3.clean(
        html or "",
        tags=INLINE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
    ).strip()


# -- Blocks -----------------------------------------------------------------------------------


@dataclass
class Paragraph:
    html: str


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class BulletList:
    ordered: bool
    items: list[str]


@dataclass
class Quote:
    html: str
    attribution: str | None
    pull: bool


@dataclass
class Divider:
    pass


Block = Paragraph | Heading | BulletList | Quote | Divider


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["_Node | str"] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Builds a small element tree from sanitised (hence well-formed) body HTML."""

    VOID = {"br", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _to_html(children) -> str:
    parts = []
    for child in children:
        if isinstance(child, str):
            parts.append(escape(child, quote=False))
        elif child.tag in _TreeBuilder.VOID:
            parts.append(f"<{child.tag}>")
        else:
            attrs = "".join(
                f' {name}="{escape(value or "", quote=True)}"'
                for name, value in child.attrs.items()
            )
            parts.append(f"<{child.tag}{attrs}>{_to_html(child.children)}</{child.tag}>")
    return "".join(parts)


def _text(children) -> str:
    return "".join(
        child if isinstance(child, str) else _text(child.children) for child in children
    ).strip()


def _quote(node: _Node) -> Quote:
    cites = [c for c in node.children if isinstance(c, _Node) and c.tag == "cite"]
    rest = [c for c in node.children if not (isinstance(c, _Node) and c.tag == "cite")]
    paragraphs = [c for c in rest if isinstance(c, _Node) and c.tag == "p"]
    if paragraphs and len(paragraphs) == len([c for c in rest if not _is_blank(c)]):
        html = "<br><br>".join(sanitize_inline(_to_html(p.children)) for p in paragraphs)
    else:
        html = sanitize_inline(_to_html(rest))
    attribution = _text(cites[0].children).lstrip("—–- ").strip() if cites else ""
    pull = PULL_QUOTE_CLASS in (node.attrs.get("class") or "").split()
    return Quote(html=html, attribution=attribution or None, pull=pull)


def _is_blank(child) -> bool:
    return isinstance(child, str) and not child.strip()


def body_blocks(html: str) -> list[Block]:
    """Cut sanitised body HTML into blocks. Loose inline content becomes a paragraph."""
    builder = _TreeBuilder()
    builder.feed(html or "")
    builder.close()

    blocks: list[Block] = []
    loose: list[_Node | str] = []

    def flush_loose():
        inline = sanitize_inline(_to_html(loose))
        if inline:
            blocks.append(Paragraph(html=inline))
        loose.clear()

    for child in builder.root.children:
        if isinstance(child, str) or child.tag in INLINE_TAGS:
            loose.append(child)
            continue
        flush_loose()
        if child.tag == "p":
            inline = sanitize_inline(_to_html(child.children))
            if inline:
                blocks.append(Paragraph(html=inline))
        elif child.tag in {"h2", "h3", "h4"}:
            text = _text(child.children)
            if text:
                blocks.append(Heading(level=int(child.tag[1]), text=text))
        elif child.tag in {"ul", "ol"}:
            items = [
                sanitize_inline(_to_html(item.children))
                for item in child.children
                if isinstance(item, _Node) and item.tag == "li"
            ]
            if items:
                blocks.append(BulletList(ordered=child.tag == "ol", items=items))
        elif child.tag == "blockquote":
            quote = _quote(child)
            if quote.html:
                blocks.append(quote)
        elif child.tag == "hr":
            blocks.append(Divider())
        else:  # a stray <li> or <cite>: keep its words as a paragraph
            inline = sanitize_inline(_to_html(child.children))
            if inline:
                blocks.append(Paragraph(html=inline))
    flush_loose()
    return blocks
