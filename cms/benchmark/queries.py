"""The GraphQL documents the benchmark sends, as a frontend would.

FrontPage is DESIGN.md's contract document as written. ArticlePage is the contract's, with the
body's blocks and photos selected in full, as an article page renders them.
"""

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
    leadImage {
      altText width height
      credit { text creator license }
      rendition(width: 1200, format: WEBP) { url width height }
    }
    authors { name role location bio links { label url } }
    byline { role author { name slug } }
    originalSource { publisher url }
    body {
      __typename
      ... on ParagraphBlock { html }
      ... on HeadingBlock { level text }
      ... on ListBlock { ordered items }
      ... on QuoteBlock { html attribution pull }
      ... on ImageBlock {
        caption
        image {
          altText width height
          credit { text creator license }
          rendition(width: 800, format: WEBP) { url width height }
        }
      }
      ... on EmbedBlock { url provider }
    }
    bodyHtml
    corrections { date text }
  }
}
"""

_LIST_ITEM = """
      id title slug standfirst publishedAt
      authors { name slug }
      leadImage { altText rendition(width: 400, format: WEBP) { url width height } }
"""

AUTHOR_PAGE = (
    """
query AuthorPage($slug: String!) {
  author(slug: $slug) {
    name role location bio
    avatar { url altText }
    links { label url }
    articles(first: 20) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {"""
    + _LIST_ITEM
    + """    } }
    }
  }
}
"""
)

SECTION_PAGE = (
    """
query SectionPage($slug: String!, $after: String) {
  section(slug: $slug) {
    name description
    articles(first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {"""
    + _LIST_ITEM
    + """    } }
    }
  }
}
"""
)

SEARCH = (
    """
query Search($query: String!) {
  search(query: $query, first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {"""
    + _LIST_ITEM
    + """  } }
  }
}
"""
)
