"""Full-text search over articles: the rule behind ``Article.objects.public().search(text)``.

On PostgreSQL the headline weighs most (A), then the standfirst (B), then the body's text
without its markup (C); matches are ranked with ``ts_rank`` and found through the GIN index
that migration ``0004_search_index`` builds over exactly :func:`search_vector`. Elsewhere (SQLite
in development) every word must appear, case-insensitively, in the headline, standfirst or body
text, and a match in the headline counts most, as on PostgreSQL.

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
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

#: The PostgreSQL text search configuration; the GIN index is built with the same one.
SEARCH_CONFIG = "english"
#: The longest query accepted, in characters.
MAX_QUERY_LENGTH = 200
#: Tags, to leave the body's text only: ``<p>`` and ``href="…"`` are not words of the article.
TAG_PATTERN = "<[^>]*>"

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


class StripTags(Func):
    """The text of an HTML column with every tag replaced by a space (PostgreSQL)."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value(TAG_PATTERN), Value(" "), Value("g"))


def search_vector():
    """The weighted document of an article, as the GIN index stores it."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", config=SEARCH_CONFIG, weight="A")
        + SearchVector("standfirst", config=SEARCH_CONFIG, weight="B")
        + SearchVector(StripTags("body"), config=SEARCH_CONFIG, weight="C")
    )


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
    vector = search_vector()
    return (
        queryset.alias(search_document=vector)
        .filter(search_document=query)
        # ts_rank gives a float4, which does not survive the trip through a cursor's decimal
        # text; as a float8 it does, so the next page resumes exactly after this one.
        .annotate(search_rank=Cast(SearchRank(vector, query), FloatField()))
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
