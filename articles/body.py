"""The article body: what markup is allowed, and how it is cut into typed blocks for the API.

Bodies are stored as HTML sanitised to a small allow-list. Frontends get them either as that HTML
or as a list of blocks (paragraph, heading, list, quote, photo, embed, divider), so that a native
app can render an article without an HTML engine.

Photos and embeds are stored by reference only, at the top level of the body:
``<figure data-image-id="123"><figcaption>Caption for this use</figcaption></figure>`` and
``<figure data-embed-url="https://…"><figcaption>…</figcaption></figure>``. A figure caption is
plain text. Alt text, credit and renditions of a photo come from its library row when the body is
rendered; no third-party markup or script is ever stored for an embed.

Sanitising never runs words together. Markup pasted from Google Docs or Word is full of blocks
the body does not allow (div, section, td, h1, ...); they give way to allowed blocks rather than
vanish, and a block inside inline content (a list inside a heading, say) becomes a line break.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

INLINE_TAGS = {"a", "em", "strong", "i", "b", "code", "br"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "cite", "hr"}
PULL_QUOTE_CLASS = "pull-quote"

# Blocks the body does not allow but editors paste. Some are renamed; the containers give way to
# their content, loose text in them becoming paragraphs.
_RENAMED = {"h1": "h2", "h5": "h4", "h6": "h4", "menu": "ul", "dir": "ul"}
_CONTAINERS = {
    "address", "article", "aside", "caption", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "legend", "main",
    "nav", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
}  # fmt: skip
# Content of these is phrasing (text and inline markup) only; cite is inline in HTML, too.
_PHRASING = INLINE_TAGS | {"cite"}

FIGURE_TAGS = {"figure", "figcaption"}
IMAGE_ID_ATTR = "data-image-id"
EMBED_URL_ATTR = "data-embed-url"
_MAX_IMAGE_ID = 2**63 - 1  # the largest primary key the database stores
_MAX_URL_LENGTH = 2000


def clean_image_id(value: str | None) -> str | None:
    """A photo reference as stored (``"123"``), or ``None`` unless it is a positive integer."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= _MAX_IMAGE_ID:
        return None
    return str(int(value))


def clean_embed_url(value: str | None) -> str | None:
    """An embed's URL as stored, or ``None`` unless it is an absolute http(s) URL."""
    value = (value or "").strip()
    if not value or len(value) > _MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    return value


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's last word on attribute values: figure references must be well-formed."""
    if name == IMAGE_ID_ATTR:
        return clean_image_id(value)
    if name == EMBED_URL_ATTR:
        return clean_embed_url(value)
    return value


_CLEANER_OPTIONS = dict(
    clean_content_tags={"script", "style", "iframe", "object", "template"},
    attributes={"a": {"href", "title"}, "figure": {IMAGE_ID_ATTR, EMBED_URL_ATTR}},
    attribute_filter=_filter_attribute,
    allowed_classes={"blockquote": {PULL_QUOTE_CLASS}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_cleaner = nh3.Cleaner(tags=INLINE_TAGS | BLOCK_TAGS | FIGURE_TAGS, **_CLEANER_OPTIONS)
# The first pass also keeps the blocks about to be renamed or unwrapped (with no attributes but
# a figure's reference, which decides whether the figure stays).
_pre_cleaner = nh3.Cleaner(
    tags=INLINE_TAGS | BLOCK_TAGS | _CONTAINERS | set(_RENAMED), **_CLEANER_OPTIONS
)


def sanitize_body(html: str) -> str:
    """Reduce editor-supplied HTML to the markup the body allows; drop scripts and handlers.

    nh3 parses and cleans first (keeping the blocks about to be replaced), the tree is then
    rearranged to the allowed blocks, and nh3 cleans the result once more. The output is a fixed
    point: sanitising it again changes nothing.
    """
    root = _parse(_pre_cleaner.clean(html or ""))
    return _cleaner.clean(_to_html(_flow(root.children, wrap=False))).strip()


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


@dataclass
class ImageRef:
    """A library photo shown in the body; ``caption`` is this use's own, if any."""

    image_id: int
    caption: str | None


@dataclass
class Embed:
    """A video or social post, by URL; ``provider`` is derived from the host."""

    url: str
    provider: str
    caption: str | None


Block = Paragraph | Heading | BulletList | Quote | ImageRef | Embed | Divider


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["_Node | str"] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Builds a small element tree from sanitised (hence well-formed) body HTML.

    Markup nested deeper than MAX_DEPTH is flattened, so that the recursive functions below stay
    well within Python's recursion limit: its tags go, and a space stands for each block tag.
    """

    VOID = {"br", "hr"}
    MAX_DEPTH = 100

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]
        self.flattened = 0  # open tags not in the tree for being too deep

    def handle_starttag(self, tag, attrs):
        if len(self.stack) > self.MAX_DEPTH and tag not in self.VOID:
            self.flattened += 1
            self._flatten(tag)
            return
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self.flattened:
            self.flattened -= 1
            self._flatten(tag)
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def _flatten(self, tag):
        children = self.stack[-1].children
        if tag not in _PHRASING and not (children and children[-1] == " "):
            children.append(" ")


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


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


# -- Rearranging the tree to the allowed blocks -----------------------------------------------
#
# Flow content (the body itself, a list item, a quote) holds blocks and inline content; phrasing
# content (a paragraph, a heading, inline markup) holds inline content only. Each function below
# rebuilds one kind of content. Inside phrasing content a block is replaced by its text set off
# with _BREAK markers, which become <br> where they fall between words.

_BREAK = _Node("line-break")


def _is_blank(child) -> bool:
    """Whitespace, a line break or a marker: nothing that would fill a paragraph."""
    if isinstance(child, str):
        return not child.strip()
    return child is _BREAK or child.tag == "br"


def _has_blocks(node: _Node) -> bool:
    return any(
        isinstance(child, _Node)
        and child is not _BREAK
        and (child.tag not in _PHRASING or _has_blocks(child))
        for child in node.children
    )


def _pre_lines(children) -> list:
    """A <pre> becomes a paragraph, which collapses newlines: mark each one as a line break."""
    out = []
    for child in children:
        if isinstance(child, str):
            lines = child.split("\n")
            out.append(lines[0])
            for line in lines[1:]:
                out += [_BREAK, line]
        else:
            out.append(_Node(child.tag, child.attrs, _pre_lines(child.children)))
    return [child for child in out if isinstance(child, _Node) or child]


def _content(node: _Node) -> list:
    return _pre_lines(node.children) if node.tag == "pre" else node.children


def _flow(children, wrap: bool, figures: bool = True) -> list:
    """Flow content. With wrap (the content of a container), loose inline runs become <p>.

    With figures (the body's top level, and containers in it), a figure that references a photo
    or an embed stays one; elsewhere (in a list or a quote) a figure is a container like any.
    """
    out, run = [], []

    def flush():
        nodes = _resolve_breaks(run)
        run.clear()
        if not all(_is_blank(node) for node in nodes):
            out.extend([_Node("p", {}, nodes)] if wrap else nodes)
        elif not wrap:  # a <br> between blocks only adds space: keep just the whitespace
            out.extend(node for node in nodes if isinstance(node, str))

    for child in _unwrap_inline_around_blocks(children):
        if isinstance(child, str) or child is _BREAK:
            run.append(child)
            continue
        tag = _RENAMED.get(child.tag, child.tag)
        if tag in _PHRASING:
            run.extend(_inline(child))
            continue
        if tag == "figure" and figures and _figure_reference(child.attrs):
            flush()
            out.extend(_figure(child))
            continue
        if tag in _CONTAINERS or tag == "li":  # a list item outside a list, too
            blocks = _flow(_content(child), wrap=True, figures=figures)
            if blocks:
                flush()
                out.extend(blocks)
            else:  # nothing left of it, but it still parted the text around it
                run.append(_BREAK)
            continue
        flush()
        if tag in {"p", "h2", "h3", "h4"}:
            out.append(_Node(tag, child.attrs, _resolve_breaks(_phrasing(child.children))))
        elif tag in {"ul", "ol"}:
            out.append(_Node(tag, child.attrs, _list_items(child.children)))
        elif tag == "blockquote":
            out.append(_Node(tag, child.attrs, _flow(child.children, wrap=False, figures=False)))
        else:  # hr
            out.append(child)
    flush()
    return out


def _figure_reference(attrs) -> tuple[str, str] | None:
    """The one attribute a figure keeps: its photo id, else its embed URL; ``None`` if neither.

    Figures without a valid reference are not dropped with their content: they give way to it
    like any other container (a caption pasted from another site stays as a paragraph).
    """
    image_id = clean_image_id(attrs.get(IMAGE_ID_ATTR))
    if image_id is not None:
        return IMAGE_ID_ATTR, image_id
    url = clean_embed_url(attrs.get(EMBED_URL_ATTR))
    if url is not None:
        return EMBED_URL_ATTR, url
    return None


def _figure(node: _Node) -> list:
    """A photo or embed figure: its reference and a plain-text caption, nothing else.

    Anything else inside it (an ``<img>`` a page rendered, loose text) is not stored in the
    figure; text in it follows the figure as paragraphs, so no words are lost.
    """
    name, value = _figure_reference(node.attrs)
    captions = [c for c in node.children if isinstance(c, _Node) and c.tag == "figcaption"]
    rest = [c for c in node.children if not (isinstance(c, _Node) and c.tag == "figcaption")]
    caption = " ".join(text for text in (_text(c.children) for c in captions) if text)
    figure = _Node("figure", {name: value}, [_Node("figcaption", {}, [caption])] if caption else [])
    return [figure, *_flow(rest, wrap=True, figures=True)]


def _unwrap_inline_around_blocks(children):
    """Inline markup wrapped around blocks gives way to its content (Google Docs wraps a whole
    paste in <b>); its inline content joins the run around it, so no word is split."""
    for child in children:
        if isinstance(child, _Node) and child.tag in _PHRASING and _has_blocks(child):
            yield from _unwrap_inline_around_blocks(child.children)
        else:
            yield child


def _list_items(children) -> list:
    """Only <li> in a list: anything else between items becomes an item of its own."""
    items, stray = [], []

    def flush():
        if not all(_is_blank(child) for child in stray):
            items.append(_Node("li", {}, _flow(stray, wrap=False, figures=False)))
        stray.clear()

    for child in children:
        if isinstance(child, _Node) and child.tag == "li":
            flush()
            items.append(_Node("li", child.attrs, _flow(child.children, wrap=False, figures=False)))
        else:
            stray.append(child)
    flush()
    return items


def _phrasing(children, in_link: bool = False) -> list:
    """Phrasing content: a block inside it becomes its text on a line of its own."""
    out = []
    for child in children:
        if isinstance(child, str) or child is _BREAK:
            out.append(child)
        elif child.tag == "hr":
            out.append(_BREAK)
        elif child.tag == "a" and in_link:  # a link inside a link (only via tables): unwrap
            out.extend(_phrasing(child.children, in_link))
        elif child.tag in _PHRASING:
            out.extend(_inline(child, in_link))
        else:
            out += [_BREAK, *_phrasing(_content(child), in_link), _BREAK]
    return out


def _inline(node: _Node, in_link: bool = False) -> list:
    """An inline element with phrasing content; line breaks at its edges move outside it."""
    if node.tag == "br":
        return [node]
    inner = _phrasing(node.children, in_link or node.tag == "a")
    before = after = []
    while inner and inner[0] is _BREAK:
        before, inner = [_BREAK], inner[1:]
    while inner and inner[-1] is _BREAK:
        after, inner = [_BREAK], inner[:-1]
    return [*before, _Node(node.tag, node.attrs, inner), *after]


def _resolve_breaks(nodes) -> list:
    """Markers become <br> between content; none at the edges, never two in a row."""
    out, pending, after_content = [], False, False
    for node in nodes:
        if node is _BREAK:
            pending = True
            continue
        if isinstance(node, _Node) and node.tag != "br":
            node = _Node(node.tag, node.attrs, _resolve_breaks(node.children))
        if not _is_blank(node):
            if pending and after_content:
                out.append(_Node("br"))
            after_content, pending = True, False
        elif isinstance(node, _Node):  # a <br> of its own
            after_content, pending = False, False
        out.append(node)
    return out


# -- Cutting into blocks ----------------------------------------------------------------------

_BLOCK_LEVEL = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "hr"} | FIGURE_TAGS


def _text(children) -> str:
    """Plain text, with whitespace collapsed; a line break or block boundary is a space."""

    def pieces(nodes):
        for child in nodes:
            if isinstance(child, str):
                yield child
            elif child.tag in _TreeBuilder.VOID or child.tag in _BLOCK_LEVEL:
                yield " "
                yield from pieces(child.children)
                yield " "
            else:
                yield from pieces(child.children)

    return " ".join("".join(pieces(children)).split())


def _inline_html(children, gap: str = "<br>") -> str:
    """Flow content as inline HTML: each block in it on a line of its own, lines joined by gap."""
    lines, run = [], []

    def flush():
        html = sanitize_inline(_to_html(run))
        run.clear()
        if _has_text(html):
            lines.append(html)

    for child in children:
        if isinstance(child, _Node) and child.tag in _BLOCK_LEVEL:
            flush()
            html = _inline_html(child.children)
            if _has_text(html):
                lines.append(html)
        else:
            run.append(child)
    flush()
    return gap.join(lines)


def _has_text(html: str) -> bool:
    return bool(_text(_parse(html).children))


def _quote(node: _Node) -> Quote:
    cite = next((c for c in node.children if isinstance(c, _Node) and c.tag == "cite"), None)
    rest = [" " if c is cite else c for c in node.children]  # a space: words either side stay apart
    # Paragraphs of a quote are set apart by an empty line, lines within them by a break.
    html = _inline_html(rest, gap="<br><br>")
    attribution = _text(cite.children).lstrip("—–- ").strip() if cite else ""
    pull = PULL_QUOTE_CLASS in (node.attrs.get("class") or "").split()
    return Quote(html=html, attribution=attribution or None, pull=pull)


def body_blocks(html: str) -> list[Block]:
    """Cut body HTML into blocks. Loose inline content becomes a paragraph.

    The HTML is sanitised again first (a no-op for a body saved since), so bodies stored by
    older code, with blocks nested in inline markup, are cut without running words together.
    """
    root = _parse(sanitize_body(html))
    blocks: list[Block] = []
    loose: list[_Node | str] = []

    def paragraph(children):
        inline = _inline_html(children)
        if inline:
            blocks.append(Paragraph(html=inline))

    def flush_loose():
        paragraph(loose)
        loose.clear()

    for child in root.children:
        if isinstance(child, str) or child.tag in INLINE_TAGS:
            loose.append(child)
            continue
        flush_loose()
        if child.tag in {"h2", "h3", "h4"}:
            text = _text(child.children)
            if text:
                blocks.append(Heading(level=int(child.tag[1]), text=text))
        elif child.tag in {"ul", "ol"}:
            items = [
                _inline_html(item.children)
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
        elif child.tag == "figure":
            figure = _figure_block(child)
            if figure is not None:
                blocks.append(figure)
        else:  # a paragraph, or a stray <cite>: its words as a paragraph
            paragraph(child.children)
    flush_loose()
    return blocks


#: Embed providers by domain (a subdomain counts too); any other host is a plain "link".
EMBED_PROVIDERS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "vimeo.com": "vimeo",
    "x.com": "x",
    "twitter.com": "x",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "facebook.com": "facebook",
    "fb.watch": "facebook",
    "bsky.app": "bluesky",
    "soundcloud.com": "soundcloud",
    "spotify.com": "spotify",
    "threads.net": "threads",
    "threads.com": "threads",
    "linkedin.com": "linkedin",
    "reddit.com": "reddit",
    "dailymotion.com": "dailymotion",
    "flickr.com": "flickr",
    "giphy.com": "giphy",
}


def embed_provider(url: str) -> str:
    """Who serves an embedded URL ("youtube", "x", ...), so a frontend picks its player."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    while host:
        if host in EMBED_PROVIDERS:
            return EMBED_PROVIDERS[host]
        host = host.partition(".")[2]
    return "link"


def _figure_block(node: _Node) -> ImageRef | Embed | None:
    caption = _text(node.children) or None  # a stored figure holds its figcaption only
    image_id = clean_image_id(node.attrs.get(IMAGE_ID_ATTR))
    if image_id is not None:
        return ImageRef(image_id=int(image_id), caption=caption)
    url = clean_embed_url(node.attrs.get(EMBED_URL_ATTR))
    if url is not None:
        return Embed(url=url, provider=embed_provider(url), caption=caption)
    return None


# -- HTML for frontends -----------------------------------------------------------------------


def embed_html(embed: Embed) -> str:
    """An embed as plain markup: a figure with a link, never a third-party iframe or script."""
    caption = f"<figcaption>{escape(embed.caption)}</figcaption>" if embed.caption else ""
    url = escape(embed.url, quote=True)
    return (
        f'<figure class="embed" data-embed-provider="{escape(embed.provider, quote=True)}">'
        f'<a href="{url}" rel="noopener noreferrer">{escape(embed.url)}</a>{caption}</figure>'
    )


def render_html(html: str, image_html: Callable[[ImageRef], str | None]) -> str:
    """The body as HTML for frontends: each photo reference replaced by ``image_html``'s markup
    (``None`` leaves the photo out), each embed by a figure with a link.

    The stored HTML is sanitised again first, like :func:`body_blocks` does, so a body stored by
    older code renders by today's rules.
    """
    parts = []
    for child in _parse(sanitize_body(html)).children:
        if isinstance(child, _Node) and child.tag == "figure":
            figure = _figure_block(child)
            if isinstance(figure, ImageRef):
                parts.append(image_html(figure) or "")
            elif isinstance(figure, Embed):
                parts.append(embed_html(figure))
        else:
            parts.append(_to_html([child]))
    return "".join(parts)


# -- Summaries --------------------------------------------------------------------------------

EXCERPT_LENGTH = 200
WORDS_PER_MINUTE = 230


def body_text(html: str) -> str:
    """The body's running text: every block's words, without photo and embed captions."""

    def without_figures(children):
        return [
            child
            if isinstance(child, str)
            else _Node(child.tag, child.attrs, without_figures(child.children))
            for child in children
            if isinstance(child, str) or child.tag != "figure"
        ]

    return _text(without_figures(_parse(sanitize_body(html)).children))


def word_count(html: str) -> int:
    """Words of the body text, as readers read them; captions and credits are not counted."""
    return len(body_text(html).split())


def reading_time_minutes(words: int) -> int:
    """Minutes an average reader needs (230 words a minute), at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def truncate_words(text: str, length: int = EXCERPT_LENGTH) -> str:
    """``text`` cut at a word boundary to at most about ``length`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length + 1]
    # At the last space within the limit; a single enormous word is cut where the limit falls.
    cut = cut[: cut.rindex(" ")] if " " in cut else cut[:length]
    return cut.rstrip(" ,;:.–—-") + "…"


def excerpt(standfirst: str, html: str, length: int = EXCERPT_LENGTH) -> str:
    """A short summary for lists and previews: the standfirst, else the first paragraph's text."""
    if standfirst and standfirst.strip():
        return truncate_words(standfirst, length)
    for block in body_blocks(html):
        if isinstance(block, Paragraph):
            text = _text(_parse(block.html).children)
            if text:
                return truncate_words(text, length)
    return ""


def image_ids(html: str) -> list[int]:
    """The library photos a body shows inline, in order of first appearance.

    Works on raw editor input as well as on stored bodies: the input is sanitised first, so the
    ids are exactly those of the body as it will be stored (a raw parse could disagree with the
    sanitiser about duplicate attributes or comments, and let a photo through a check).
    """
    ids: list[int] = []
    for child in _parse(sanitize_body(html or "")).children:
        if isinstance(child, _Node) and child.tag == "figure":
            value = clean_image_id(child.attrs.get("data-image-id"))
            if value is not None and int(value) not in ids:
                ids.append(int(value))
    return ids
