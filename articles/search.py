"""Full-text search over articles: the rule behind ``Article.objects.public().search(text)``.

The headline weighs most, then the standfirst, then the body's text without its markup. Only
the newest ``SEARCH_MAX_MATCHES`` public matches (1,000 by default) are candidates: they are
found newest first through the full-text index or the public listing's index, and only they
are ranked and counted. A common word then costs what a rare one costs, however large the
archive; ``totalCount`` stops at the bound ("1,000+ results"), and a reader after an article
older than the newest thousand matches adds a word.

PostgreSQL: migration ``0004_search_index`` stores a weighted document (A, B, C) with every
article, kept by a trigger and indexed with GIN; candidates are ranked with ``ts_rank``. The
past year's newest matches are fetched first; when they reach the bound they are the
candidates, and only that year's matches were read (the GIN index intersected with the
listing's), not every match in the archive.

SQLite (development): an FTS5 table ``articles_article_search`` (migration ``0006``) holds each
article's headline, standfirst and body text under the article's id, tokenized like English
(``porter unicode61 remove_diacritics 2``); candidates are ranked with ``bm25`` weighted 4, 2
and 1. Triggers keep the table in step with ``articles_article`` on every insert, update of
the text and delete, whatever the path (``save()``, the admin, ``bulk_create`` in ``seed``
and imports, ``QuerySet.update()``, deletes through ``flush``), as PostgreSQL's trigger does;
signal handlers would miss the bulk paths. The body's text comes from the SQL function
``articles_search_text`` (:func:`body_text`), registered on every connection Django opens
(``articles.signal_handlers``); a connection without it (the ``sqlite3`` shell) cannot write
articles rather than leave the index stale. The table keeps its own copy of the text, so
deleting or changing a row never depends on reproducing the text it was indexed from.
:func:`rebuild_index` fills it afresh from the articles (``seed`` ends with it). A reader's
words are each quoted, so FTS5's syntax (``"``, ``*``, ``NEAR``, ``AND``, ``title:``) is text.

Either way the result is annotated with ``search_rank`` and ordered by it, then newest first,
so ``(search_rank, published_at, id)`` is a unique order a keyset cursor can resume from: page 2
never repeats or skips a result of page 1, and costs no ``OFFSET``.
"""

import html
import re
from datetime import timedelta

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import (
    BooleanField,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

#: The PostgreSQL text search configuration the stored documents are built with.
SEARCH_CONFIG = "english"
#: The longest query accepted, in characters.
MAX_QUERY_LENGTH = 200
#: How far back PostgreSQL first looks for the newest matches (see ``_postgres_search``).
RECENT_MATCHES = timedelta(days=365)

#: SQLite's FTS5 table, its tokenizer, and bm25's weights for headline, standfirst and body.
FTS_TABLE = "articles_article_search"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
FTS_WEIGHTS = (4.0, 2.0, 1.0)
#: The SQL function giving an article body's text, registered on every SQLite connection.
BODY_TEXT_FUNCTION = "articles_search_text"

TAG = re.compile(r"<[^>]*>")


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


def body_text(body: str | None) -> str:
    """The words of an article body: tags replaced by spaces (as PostgreSQL's document does)."""
    return html.unescape(TAG.sub(" ", body or ""))


def register_functions(connection) -> None:
    """Give a new SQLite connection the function the search index's triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(BODY_TEXT_FUNCTION, 1, body_text, deterministic=True)


class NoRows(models.Manager):
    """Lists no rows: the search table is derived data (and on PostgreSQL it does not exist),
    so ``dumpdata`` and other walks over every model skip it."""

    def get_queryset(self):
        return super().get_queryset().none()


class SearchEntry(models.Model):
    """An article's row in SQLite's FTS5 table, so a query can join it and rank with bm25.

    Migration ``0006`` creates the table (on SQLite only; Django never manages it). ``document``
    is FTS5's hidden column named after the table, the left side of ``MATCH`` and bm25's
    argument.
    """

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    document = models.TextField(db_column=FTS_TABLE)

    objects = NoRows()

    class Meta:
        managed = False
        db_table = FTS_TABLE

    def __str__(self):
        return f"Search entry of article {self.pk}"


_TEXT = "title, standfirst, body"
_ROW = f"{{row}}.id, {{row}}.title, {{row}}.standfirst, {BODY_TEXT_FUNCTION}({{row}}.body)"
#: SQLite's search table and the triggers that keep it in step with the articles, by name
#: (constant SQL, no user input).
SQLITE_INDEX = {
    FTS_TABLE: f"""
        CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}
        USING fts5({_TEXT}, tokenize = '{FTS_TOKENIZER}')
    """,
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN
            INSERT INTO {FTS_TABLE} (rowid, {_TEXT}) VALUES ({_ROW.format(row="NEW")});
        END
    """,  # noqa: S608
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
        AFTER UPDATE OF id, title, standfirst, body ON articles_article BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id;
            INSERT INTO {FTS_TABLE} (rowid, {_TEXT}) VALUES ({_ROW.format(row="NEW")});
        END
    """,  # noqa: S608
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id;
        END
    """,  # noqa: S608
}


def install_index(using: str = "default") -> None:
    """Create SQLite's search table and triggers where missing, and then fill the table.

    Run by migration ``0006`` and after every ``migrate``: when a later migration rebuilds
    ``articles_article`` (SQLite's way to alter a column), its triggers go with the old table;
    here they come back and the table is filled afresh, so it never silently goes stale.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", list(SQLITE_INDEX)
        )
        if {name for (name,) in cursor.fetchall()} == set(SQLITE_INDEX):
            return
        for statement in SQLITE_INDEX.values():
            cursor.execute(statement)
    rebuild_index(using)


def rebuild_index(using: str = "default") -> None:
    """Fill SQLite's search table afresh from the articles, and merge it into one b-tree.

    The triggers keep it complete; after a bulk load the merge makes searches faster, and a
    rebuild repairs a table written by other means. PostgreSQL's documents need nothing.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # Constant SQL, no user input.
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, {_TEXT}) "  # noqa: S608
            f"SELECT {_ROW.format(row='articles_article')} FROM articles_article"
        )
        cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


def remove_index(using: str = "default") -> None:
    """Drop SQLite's search triggers and table (migration ``0006`` backwards)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in reversed(SQLITE_INDEX):
            kind = "TABLE" if name == FTS_TABLE else "TRIGGER"
            cursor.execute(f"DROP {kind} IF EXISTS {name}")


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


class FtsMatch(Expression):
    """SQLite: the article's id is among the FTS5 table's matches for ``match``.

    Written ``+id IN (...)`` so SQLite walks the public listing's index newest first, testing
    each id against the matches, and stops at the bound; joining the table instead would read
    every matching article's row (its whole body) to learn whether it is public and how new.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, match, pk=None):
        super().__init__()
        self.match = match
        self.pk = pk if pk is not None else F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk, params = compiler.compile(self.pk)
        table = connection.ops.quote_name(FTS_TABLE)
        return (
            f"+{pk} IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)",  # noqa: S608
            [*params, self.match],
        )


class FtsCandidateMatch(Expression):
    """SQLite: the joined FTS5 row matches ``match`` and is one of ``candidates`` (ids).

    The candidates are tested on the FTS5 row itself, written ``+rowid IN (...)``: SQLite then
    reads the matches once, in one pass (bm25 works out each word's weight once per pass), and
    looks up only the candidates' article rows. As an index constraint instead, the FTS5 table
    would be searched once per candidate, bm25 redoing its sums each time (1.6 s at 100k).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, document, match, candidates):
        super().__init__()
        self.document = document
        self.match = match
        self.candidates = candidates

    def get_source_expressions(self):
        return [self.document, self.candidates]

    def set_source_expressions(self, exprs):
        self.document, self.candidates = exprs

    def as_sql(self, compiler, connection):
        document, params = compiler.compile(self.document)
        candidates, candidate_params = compiler.compile(self.candidates)
        table = compiler.quote_name_unless_alias(self.document.alias)
        return (
            f"{document} MATCH %s AND +{table}.rowid IN {candidates}",
            [*params, self.match, *candidate_params],
        )


def search(queryset: QuerySet, text: str) -> QuerySet:
    """``queryset`` narrowed to articles matching ``text``, best match first.

    Raises :class:`SearchQueryError` for an empty, blank or over-long ``text``.
    """
    text = clean_query(text)
    if connections[queryset.db].vendor == "postgresql":
        return _postgres_search(queryset, text)
    return _sqlite_search(queryset, text)


def _newest(matches):
    """The ids of the newest ``SEARCH_MAX_MATCHES`` of ``matches``: the candidates to rank."""
    return matches.order_by(F("published_at").desc(nulls_last=True), "-id").values("pk")[
        : settings.SEARCH_MAX_MATCHES
    ]


def _unfiltered(queryset):
    """All of ``queryset``'s articles, without its conditions: the candidates carry them.

    Testing them again would read each article's row, its whole body, for every match the
    full-text index offers (300 ms for a common word at 100k articles on SQLite).
    """
    return queryset.model._base_manager.db_manager(queryset.db).all()


def _ordered(queryset):
    return queryset.order_by(
        F("search_rank").desc(), F("published_at").desc(nulls_last=True), "-id"
    )


def _postgres_search(queryset, text):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    document = SearchDocument()
    matches = queryset.alias(search_document=document).filter(search_document=query)
    # Choosing the newest matches reads every match's row (22,000 for a common word at 100k
    # articles). When the past year alone holds the bound, the newest matches all lie in it;
    # asked for them, PostgreSQL intersects the full-text index with the listing index and
    # reads only the year's matches. One query fetches them: if the year holds the bound they
    # are the candidates, as ids (the page and its count then need no second search), else
    # every match is searched.
    recent = matches.filter(published_at__gte=timezone.now() - RECENT_MATCHES)
    candidates = list(_newest(recent).values_list("pk", flat=True))
    if len(candidates) < settings.SEARCH_MAX_MATCHES:
        candidates = _newest(matches)
    return _ordered(
        _unfiltered(queryset)
        .filter(pk__in=candidates)
        # ts_rank gives a float4, which does not survive the trip through a cursor's decimal
        # text; as a float8 it does, so the next page resumes exactly after this one.
        .annotate(search_rank=Cast(SearchRank(document, query), FloatField()))
    )


def fts_query(text: str) -> str:
    """FTS5 query text for a reader's words: each word quoted, so all must match as words."""
    words = dict.fromkeys(word.lower() for word in re.findall(r"\w+", text))
    return " ".join(f'"{word}"' for word in words)


def _sqlite_search(queryset, text):
    match = fts_query(text)
    if not match:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    candidates = _newest(queryset.filter(FtsMatch(match)))
    document = F("search_entry__document")
    bm25 = Func(document, *(Value(w) for w in FTS_WEIGHTS), function="bm25")
    return _ordered(
        # The join to the FTS5 table must be inner for SQLite to use MATCH on it.
        _unfiltered(queryset)
        .filter(search_entry__isnull=False)
        .filter(FtsCandidateMatch(document, match, Subquery(candidates)))
        # bm25 is lower for a better match.
        .annotate(search_rank=ExpressionWrapper(-bm25, output_field=FloatField()))
    )
