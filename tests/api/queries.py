"""The documents of DESIGN.md's contract, exactly as frontends send them."""

# The benchmark sends the same FrontPage document.
from cms.benchmark.queries import FRONT_PAGE  # noqa: F401

ARTICLE_PAGE = """
query ArticlePage($slug: String!) {
  article(slug: $slug) {
    title standfirst publishedAt updatedAt path url leadImageCaption
    authors { name role location bio links { label url } }
    byline { role author { name slug } }
    originalSource { publisher url }
    body { __typename }
    bodyHtml
    corrections { date text }
  }
}
"""
