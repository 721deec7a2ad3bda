"""The documents of DESIGN.md's contract, exactly as frontends send them."""

FRONT_PAGE = """
query FrontPage {
  articles(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id title slug standfirst publishedAt
      section { name slug }
      authors { name slug role avatar { url altText } }
      leadImage {
        altText caption width height
        credit { text creator license licenseUrl sourceUrl }
        rendition(width: 800, format: WEBP) { url width height }
      }
      tags { name slug }
    } }
  }
}
"""

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
