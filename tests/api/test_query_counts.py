"""Paths the benchmark does not send still cost the same SQL however many rows they show.

The optimizer has no per-field hook (``cms.schema.QueryOptimizer``): every list is loaded by
its own field. These shapes are each asked at two sizes and must cost the same queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from strawberry.relay import to_base64

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    ImageFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

SHAPES = {
    "authors": """{ authors(first: 50) { totalCount edges { node {
        name avatar { url credit { text } } links { label url }
    } } } }""",
    "tags": "{ tags(first: 50) { totalCount edges { node { name slug } } } }",
    "bylines": """{ articles(first: 50) { edges { node {
        byline { role author { name avatar { altText url } links { url } } }
    } } } }""",
    "seo": """{ articles(first: 50) { edges { node {
        seo { title image { altText credit { text creator } rendition(width: 800) { url } } }
    } } } }""",
}


def fill(count):
    for _ in range(count):
        author = AuthorFactory(avatar=ImageFactory())
        AuthorLinkFactory(author=author)
        ArticleFactory(
            authors=[author, AuthorFactory()],
            tags=[TagFactory(), TagFactory()],
            lead_image=ImageFactory(),
        )


def queries_for(gql, query, variables=None):
    with CaptureQueriesContext(connection) as queries:
        gql.query(query, variables)
    return len(queries)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_shape_costs_the_same_for_two_rows_and_for_eight(gql, settings, shape):
    settings.GRAPHQL_RESPONSE_CACHE = False
    settings.GRAPHQL_COUNT_CACHE = False
    fill(2)
    small = queries_for(gql, SHAPES[shape])
    fill(6)
    assert queries_for(gql, SHAPES[shape]) == small


def test_node_lookups_cost_the_same_whatever_they_show(gql, settings):
    settings.GRAPHQL_RESPONSE_CACHE = False
    query = """query($id: ID!) { node(id: $id) { ... on Article {
        title tags { name } authors { name avatar { url } } leadImage { credit { text } }
    } } }"""
    counts = []
    for authors in (1, 4):
        article = ArticleFactory(
            authors=[AuthorFactory(avatar=ImageFactory()) for _ in range(authors)],
            tags=[TagFactory() for _ in range(authors)],
            lead_image=ImageFactory(),
        )
        counts.append(queries_for(gql, query, {"id": to_base64("Article", article.pk)}))
    assert counts[0] == counts[1]
