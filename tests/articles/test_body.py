"""The article body: pasted markup keeps its words apart, stored and when cut into blocks."""

import random
import re
from collections import Counter
from html.parser import HTMLParser

import nh3
import pytest

from articles.body import (
    BulletList,
    Heading,
    Paragraph,
    Quote,
    body_blocks,
    sanitize_body,
)

# -- Blocks the body does not allow ----------------------------------------------------------


def test_pasted_divs_become_paragraphs():
    assert sanitize_body("<div>First para.</div><div>Second para.</div>") == (
        "<p>First para.</p><p>Second para.</p>"
    )


def test_unsupported_heading_levels_map_to_the_nearest_allowed_one():
    assert sanitize_body("<h5>h5</h5><h1>h1</h1><h6>h6</h6>") == "<h4>h5</h4><h2>h1</h2><h4>h6</h4>"


@pytest.mark.parametrize(
    "tag",
    ["section", "article", "header", "footer", "main", "aside", "address", "figure", "figcaption"],
)
def test_containers_become_paragraphs(tag):
    assert sanitize_body(f"<{tag}>One</{tag}><{tag}>Two</{tag}>") == "<p>One</p><p>Two</p>"


def test_container_content_keeps_its_blocks_and_wraps_loose_text():
    html = "<div>Intro<ul><li>x</li></ul>Outro<div><div>deep</div>after</div></div>"
    assert sanitize_body(html) == (
        "<p>Intro</p><ul><li>x</li></ul><p>Outro</p><p>deep</p><p>after</p>"
    )


def test_text_beside_a_container_stays_apart_from_it():
    assert sanitize_body("before<div>inside</div>after") == "before<p>inside</p>after"


def test_table_cells_and_definition_lists_become_paragraphs():
    table = "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>31</td></tr></table>"
    assert sanitize_body(table) == "<p>Name</p><p>Age</p><p>Ann</p><p>31</p>"
    assert sanitize_body("<dl><dt>Term</dt><dd>Meaning</dd></dl>") == "<p>Term</p><p>Meaning</p>"


def test_preformatted_text_keeps_its_lines():
    assert sanitize_body("<pre><code>x = 1\ny = 2\n</code></pre>") == (
        "<p><code>x = 1<br>y = 2</code></p>"
    )


def test_mapped_blocks_lose_their_attributes():
    html = '<div class="x" style="color:red" onclick="steal()">a</div><h1 id="t">b</h1>'
    assert sanitize_body(html) == "<p>a</p><h2>b</h2>"


def test_google_docs_paste_keeps_paragraphs_and_drops_the_wrapping_bold():
    html = (
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1">'
        '<p dir="ltr" style="line-height:1.38"><span style="font-size:11pt">First</span></p>'
        '<br><p dir="ltr"><span style="font-weight:700">Second</span></p></b>'
    )
    assert sanitize_body(html) == "<p>First</p><p>Second</p>"


def test_inline_markup_around_a_block_does_not_split_a_word():
    assert sanitize_body("Hel<b>lo<p>para</p>wor</b>ld") == "Hello<p>para</p>world"


def test_block_inside_a_heading_becomes_a_line_break():
    assert sanitize_body("<h2>Title<ul><li>x</li></ul></h2>") == "<h2>Title<br>x</h2>"
    assert sanitize_body("<h2><em>a<div>b</div></em>c</h2>") == "<h2><em>a<br>b</em><br>c</h2>"


def test_absurdly_deep_markup_is_flattened_not_a_crash():
    cleaned = sanitize_body("<div>" * 3000 + "deep<div>deeper</div>" + "</div>" * 3000)
    assert cleaned == "<p> deep deeper </p>"
    assert sanitize_body(cleaned) == cleaned
    assert body_blocks("<ul><li>" * 1000 + "x") == [BulletList(ordered=False, items=["x"])]


# -- Sanitisation still holds ----------------------------------------------------------------


def test_mapped_blocks_are_sanitised_too():
    html = (
        '<div onclick="steal()"><a href="javascript:alert(1)">bad</a>'
        "<script>alert(1)</script><style>p { color: red }</style>"
        '<img src="x.png" onerror="alert(1)"></div><section><iframe src="https://e.example/">'
        "</iframe>ok</section>"
    )
    cleaned = sanitize_body(html)
    assert cleaned == '<p><a rel="noopener noreferrer">bad</a></p><p>ok</p>'


IDEMPOTENCE_CASES = [
    "<div>First para.</div><div>Second para.</div>",
    "<h5>h5</h5><h1>h1</h1>",
    "<ul><li>a<ul><li>nested</li></ul></li></ul>",
    "<blockquote><div>one</div><ul><li>x</li></ul><cite>Her</cite></blockquote>",
    "<h2><em>a<div>b</div></em>c</h2>",
    "<pre>x\n\ny &amp; z</pre>",
    "<table><tr><td>a</td><td><p>b</p><p>c</p></td></tr></table>",
    "<ul>stray<li>item</li><ul><li>deeper</li></ul></ul>",
    "<b><p>x</p><br><p>y</p></b>tail &nbsp;",
    '<a href="https://a.example/"><table><td><a href="https://b.example/">z</a></td></table></a>',
    "<li>a<section><li>b</li></section></li>",
    "plain text <em>with</em> markup",
]


@pytest.mark.parametrize("html", IDEMPOTENCE_CASES)
def test_sanitising_twice_changes_nothing(html):
    once = sanitize_body(html)
    assert sanitize_body(once) == once
    assert body_blocks(once) == body_blocks(html)


# -- Blocks ----------------------------------------------------------------------------------


def test_nested_list_items_keep_their_words_apart():
    blocks = body_blocks("<ul><li>a<ul><li>nested</li><li>more</li></ul></li><li>b</li></ul>")
    assert blocks == [BulletList(ordered=False, items=["a<br>nested<br>more", "b"])]


def test_list_item_paragraphs_become_lines():
    assert body_blocks("<ol><li><p>one</p><p>two</p></li></ol>") == [
        BulletList(ordered=True, items=["one<br>two"])
    ]


def test_quote_blocks_keep_their_words_apart():
    blocks = body_blocks("<blockquote><p>one</p><ul><li>x</li><li>y</li></ul></blockquote>")
    assert blocks == [Quote(html="one<br><br>x<br>y", attribution=None, pull=False)]


def test_quote_keeps_a_second_cite_in_its_text():
    blocks = body_blocks("<blockquote><p>Said.</p><cite>Her</cite><cite>Him</cite></blockquote>")
    assert blocks == [Quote(html="Said.<br><br>Him", attribution="Her", pull=False)]


def test_heading_text_puts_a_space_for_a_line_break():
    assert body_blocks("<h2>Line<br>break</h2><h3>a <em>b </em>c</h3>") == [
        Heading(level=2, text="Line break"),
        Heading(level=3, text="a b c"),
    ]


def test_blocks_of_a_body_stored_before_the_fix_are_cut_cleanly():
    # Older bodies kept blocks inside inline markup, e.g. a whole Google Docs paste in <b>.
    assert body_blocks("<strong><p>x</p><p>y</p></strong>") == [
        Paragraph(html="x"),
        Paragraph(html="y"),
    ]
    assert body_blocks("<p>a</p><br><p>b</p>") == [Paragraph(html="a"), Paragraph(html="b")]


# -- Property: generated tag soup -------------------------------------------------------------

SOUP_TAGS = [
    *["p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "cite"],
    *["div", "section", "article", "aside", "header", "footer", "main", "address"],
    *["figure", "figcaption", "pre", "dl", "dt", "dd", "h1", "h5", "h6"],
    *["a", "em", "strong", "i", "b", "code", "span", "u", "font"],
]
SOUP_VOID = ["br", "hr", "img"]
SOUP_ATTRS = [
    "",
    ' onclick="steal()"',
    ' style="color:red"',
    ' class="pull-quote"',
    ' href="javascript:alert(1)"',
    ' href="https://example.org/"',
    ' onmouseover="x()" id="y"',
]
SOUP_DANGER = [
    "<script>alert(1)</script>",
    "<style>p { color: red }</style>",
    '<img src="x" onerror="alert(1)">',
    '<a href="JaVaScRiPt:alert(1)">w</a>',
]
# Tags that a browser shows as a block (or a line break): they keep the words either side apart.
RENDERED_AS_BLOCK = {*SOUP_TAGS} - {"a", "em", "strong", "i", "b", "code", "span", "u", "font"}
RENDERED_AS_BLOCK = (RENDERED_AS_BLOCK - {"cite"}) | {"br", "hr"}


def tag_soup(rng: random.Random, dangerous: bool) -> str:
    """Random, often unbalanced markup around unique words (w0, w1, ...)."""
    parts, stack, word = [], [], 0
    for _ in range(rng.randint(3, 30)):
        roll = rng.random()
        if roll < 0.35:
            parts.append(f"w{word}" + rng.choice(["", " ", "&amp;"]))
            word += 1
        elif roll < 0.65:
            tag = rng.choice(SOUP_TAGS)
            parts.append(f"<{tag}{rng.choice(SOUP_ATTRS)}>")
            stack.append(tag)
        elif roll < 0.85 and stack:
            # Mostly the innermost open tag; sometimes any tag at all.
            tag = stack.pop() if rng.random() < 0.8 else rng.choice(SOUP_TAGS)
            parts.append(f"</{tag}>")
        elif roll < 0.95:
            parts.append(f"<{rng.choice(SOUP_VOID)}>")
        elif dangerous:
            parts.append(rng.choice(SOUP_DANGER))
        else:
            parts.append(rng.choice(["\n", " ", "<!-- note -->"]))
    return "".join(parts)


class _Words(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []

    def handle_starttag(self, tag, attrs=()):
        if tag in RENDERED_AS_BLOCK:
            self.text.append(" ")

    handle_endtag = handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def visible_words(html: str) -> list[str]:
    """The words a browser shows, reading well-formed HTML; blocks and breaks part them."""
    parser = _Words()
    parser.feed(html)
    parser.close()
    return "".join(parser.text).split()


def rendered_words(html: str) -> list[str]:
    """Visible words of any HTML, after parsing it as a browser does (nh3 with every tag kept)."""
    return visible_words(nh3.clean(html, tags=set(SOUP_TAGS) | set(SOUP_VOID)))


def block_strings(block) -> list[str]:
    """The HTML and text a block carries."""
    if isinstance(block, Paragraph):
        return [block.html]
    if isinstance(block, Heading):
        return [block.text]
    if isinstance(block, BulletList):
        return block.items
    if isinstance(block, Quote):
        return [block.html, block.attribution or ""]
    return []


def block_words(blocks) -> list[str]:
    return [
        word for block in blocks for text in block_strings(block) for word in visible_words(text)
    ]


def assert_safe(html: str):
    assert "<script" not in html.lower()
    assert not re.search(r"on\w+=", html, re.IGNORECASE)
    assert "javascript:" not in html.lower()


def assert_no_fusion(words: list[str], source_words: list[str]):
    """No word is made of words that were apart in the source (a word may be split or dropped)."""
    owner = {token: i for i, word in enumerate(source_words) for token in re.findall(r"w\d+", word)}
    for word in words:
        assert len({owner[token] for token in re.findall(r"w\d+", word)}) <= 1, word


@pytest.mark.parametrize("dangerous", [False, True])
def test_generated_tag_soup_is_safe_and_keeps_every_word_apart(dangerous):
    rng = random.Random(20240611 + dangerous)  # noqa: S311 -- reproducible test input, not secrets
    for _ in range(60):
        soup = tag_soup(rng, dangerous)
        cleaned = sanitize_body(soup)
        assert_safe(cleaned)
        assert sanitize_body(cleaned) == cleaned, soup
        blocks = body_blocks(soup)
        for block in blocks:
            for text in block_strings(block):
                assert_safe(text)
        if not dangerous:
            expected = rendered_words(soup)
            assert Counter(visible_words(cleaned)) == Counter(expected), soup
            assert_no_fusion(block_words(blocks), expected)
