"""A GIN index over the articles' weighted search document, on PostgreSQL only.

The indexed expression is exactly what ``articles.search.search_vector()`` compiles to (headline
A, standfirst B, body text without tags C, the ``english`` configuration), so the planner
answers ``search`` from the index; a test runs EXPLAIN to keep the two in step. The index is
built concurrently, so a deploy onto a large archive does not block editors' saves. SQLite has
no such index: its search is a plain scan (see ``articles.search``).
"""

from django.db import migrations

INDEX_NAME = "article_search_idx"

CREATE_INDEX = f"""
CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX_NAME} ON articles_article USING gin ((
    setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(standfirst, '')), 'B')
    || setweight(
        to_tsvector('english'::regconfig, COALESCE(regexp_replace(body, '<[^>]*>', ' ', 'g'), '')),
        'C'
    )
))
"""

DROP_INDEX = f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX_NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("articles", "0003_newsroom_groups"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
