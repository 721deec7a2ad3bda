// The site's GraphQL documents. `npm run codegen` checks them against ../../schema.graphql and
// types them; a schema change that breaks one fails `npm run build`.
import { graphql } from "@/gql";

/** Photo widths and formats asked for everywhere: the CMS snaps them to its size ladder. */
export const PhotoFields = graphql(`
  fragment PhotoFields on Image {
    altText
    caption
    width
    height
    placeholder
    dominantColor
    credit {
      text
      creator
      license
      licenseUrl
    }
    picture(widths: [400, 800, 1200], formats: [AVIF, WEBP, JPEG]) {
      width
      height
      sources {
        type
        srcset
      }
      fallback {
        url
        width
        height
      }
    }
  }
`);

export const ArticleCardFields = graphql(`
  fragment ArticleCardFields on Article {
    title
    slug
    path
    standfirst
    displayDate
    section {
      name
      slug
    }
    byline {
      role
      author {
        name
        slug
      }
    }
    leadImage {
      ...PhotoFields
    }
  }
`);

const ArticleConnectionFields = graphql(`
  fragment ArticleConnectionFields on ArticleCursorConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...ArticleCardFields
      }
    }
  }
`);
void ArticleConnectionFields;

export const SectionsQuery = graphql(`
  query Sections {
    sections {
      name
      slug
    }
  }
`);

export const FrontPageQuery = graphql(`
  query FrontPage($first: Int!) {
    articles(first: $first) {
      ...ArticleConnectionFields
    }
  }
`);

export const ArticleQuery = graphql(`
  query Article($slug: String!, $previewToken: String) {
    article(slug: $slug, previewToken: $previewToken) {
      ...ArticleCardFields
      status
      jsonLd
      canonicalUrl
      updatedAt
      leadImageCaption
      seo {
        title
        description
      }
      tags {
        name
        slug
      }
      originalSource {
        publisher
        url
      }
      corrections {
        date
        text
        kind
      }
      byline {
        role
        author {
          name
          slug
          path
          role
          location
          bio
          avatar {
            ...PhotoFields
          }
          links {
            label
            url
          }
        }
      }
      body {
        __typename
        ... on ParagraphBlock {
          html
        }
        ... on HeadingBlock {
          level
          text
        }
        ... on ListBlock {
          ordered
          items
        }
        ... on QuoteBlock {
          html
          attribution
          pull
        }
        ... on ImageBlock {
          caption
          image {
            ...PhotoFields
          }
        }
        ... on EmbedBlock {
          url
          provider
          caption
        }
        ... on DividerBlock {
          divider
        }
      }
    }
  }
`);

// Author, section and search pages list four articles a page, so that the demo content's
// five articles a section already show the cursor pagination (`?after=<endCursor>`).
export const AuthorQuery = graphql(`
  query Author($slug: String!, $after: String) {
    author(slug: $slug) {
      name
      slug
      role
      location
      bio
      avatar {
        ...PhotoFields
      }
      links {
        label
        url
      }
      articles(first: 4, after: $after) {
        ...ArticleConnectionFields
      }
    }
  }
`);

export const SectionQuery = graphql(`
  query Section($slug: String!, $after: String) {
    section(slug: $slug) {
      name
      slug
      description
      articles(first: 4, after: $after) {
        ...ArticleConnectionFields
      }
    }
  }
`);

export const SearchQuery = graphql(`
  query Search($query: String!, $after: String) {
    search(query: $query, first: 4, after: $after) {
      ...ArticleConnectionFields
    }
  }
`);
