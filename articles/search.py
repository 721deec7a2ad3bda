"""Full-text search over articles: the rule behind ``Article.objects.public().search(text)``.

On PostgreSQL the headline weighs most (A), then the standfirst (B), then the body's text
without its markup (C): migration ``0004_search_index`` stores that weighted document with
every article and indexes it (GIN); matches are found through the index and ranked with
``ts_rank`` on the stored document. Elsewhere (SQLite in development) every word must appear,
case-insensitively, in the headline, standfirst or body text, and a match in the headline
counts most, as on PostgreSQL.

Either way the result is annotated with ``search_rank`` and ordered by it, then newest first,
so ``(search_rank, published_at, id)`` is a unique order a keyset cursor can resume from: page 2
never repeats or skips a result of page 1, and costs no ``OFFSET``.
"""

import functools
import operator
import re

from django.db import connections
from django.db.models import (
    Case,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

#: The PostgreSQL text search configuration the stored documents are built with.
SEARCH_CONFIG = "english"
#: The longest query accepted, in characters.
MAX_QUERY_LENGTH = 200

#: How much one word found in each field adds to the fallback's rank.
FALLBACK_WEIGHTS = {"title": 4, "standfirst": 2, "body": 1}


class SearchQueryError(ValueError):
    """A query that cannot be searched for: empty, blank, too long or with a NUL character."""


def clean_query(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SearchQueryError("Give some words to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"The query may be at most {MAX_QUERY_LENGTH} characters long.")
    if "\x00" in text:
        # PostgreSQL refuses NUL in any string; say so rather than fail in the database.
        raise SearchQueryError("The query may not contain NUL characters.")
    return text


class SearchDocument(Expression):
    """The article's stored search document (PostgreSQL's ``search_document`` column).

    Migration ``0004_search_index`` adds the column, a trigger that keeps it in step with the
    text, and its GIN index. The model does not list it, so this names it under whatever alias
    the query gives the article table.
    """

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def search(queryset: QuerySet, text: str) -> QuerySet:
    """``queryset`` narrowed to articles matching ``text``, best match first.

    Raises :class:`SearchQueryError` for an empty, blank or over-long ``text``.
    """
    text = clean_query(text)
    if connections[queryset.db].vendor == "postgresql":
        return _postgres_search(queryset, text)
    return _fallback_search(queryset, text)


def _postgres_search(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    document = SearchDocument()
    return (
        queryset.alias(search_document=document)
        .filter(search_document=query)
        # ts_rank gives a float4, which does not survive the trip through a cursor's decimal
        # text; as a float8 it does, so the next page resumes exactly after this one.
        .annotate(search_rank=Cast(SearchRank(document, query), FloatField()))
        .order_by(F("search_rank").desc(), F("published_at").desc(nulls_last=True), "-id")
    )


def _fallback_search(queryset, text):
    words = list(dict.fromkeys(word.lower() for word in re.findall(r"\w+", text)))
    if not words:
        return queryset.none().annotate(search_rank=Value(0))
    rank = Value(0)
    for word in words:
        escaped = re.escape(word)
        # In the body, a word of its text: after the start or a tag's end, with no "<" between.
        lookups = {
            "title": Q(title__iregex=escaped),
            "standfirst": Q(standfirst__iregex=escaped),
            "body": Q(body__iregex=f"(^|>)[^<]*{escaped}"),
        }
        queryset = queryset.filter(functools.reduce(operator.or_, lookups.values()))
        for field, condition in lookups.items():
            weight = Value(FALLBACK_WEIGHTS[field])
            rank = rank + Case(When(condition, then=weight), default=Value(0))
    return queryset.annotate(search_rank=ExpressionWrapper(rank, IntegerField())).order_by(
        F("search_rank").desc(), F("published_at").desc(nulls_last=True), "-id"
    )
