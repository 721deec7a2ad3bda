"""Full-text search on PostgreSQL: a stored, weighted search document and its GIN index.

``search_document`` holds the headline (weight A), the standfirst (B) and the body's text
without tags (C). A trigger computes it whenever a row is inserted or its text changes, by any
path (admin, bulk imports, ``QuerySet.update``). Ranking reads the stored document, so a word
found in most of the archive costs what a rare one costs; with an expression index alone,
PostgreSQL would rebuild every matching article's document for ``ts_rank`` on every search
(seconds for a common word in a few thousand articles).

Django's model does not list the column (SQLite has none), so the code never writes it;
``articles.search`` refers to it by name. A trigger rather than a generated column, so later
migrations may still change the type of the title, standfirst or body. The index is built
concurrently, so a deploy onto a large archive does not block editors' saves. Elsewhere than
PostgreSQL this migration does nothing.
"""

from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE({row}standfirst, '')), 'B')
    || setweight(
        to_tsvector(
            'english'::regconfig, regexp_replace(COALESCE({row}body, ''), '<[^>]*>', ' ', 'g')
        ),
        'C'
    )
"""

FORWARDS = [
    "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_document tsvector",
    f"""
    CREATE OR REPLACE FUNCTION articles_article_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := {DOCUMENT.format(row="NEW.")};
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE OR REPLACE TRIGGER articles_article_search_document
    BEFORE INSERT OR UPDATE OF title, standfirst, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_document()
    """,
    # Constant SQL, no user input.
    f"UPDATE articles_article SET search_document = {DOCUMENT.format(row='')}",  # noqa: S608
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS article_search_idx "
    "ON articles_article USING gin (search_document)",
]

BACKWARDS = [
    "DROP INDEX CONCURRENTLY IF EXISTS article_search_idx",
    "DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_document()",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document",
]


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARDS:
            schema_editor.execute(statement, params=None)


def remove_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("articles", "0003_newsroom_groups"),
    ]

    operations = [
        migrations.RunPython(add_search_document, remove_search_document, elidable=False),
    ]
