"""Full-text search on SQLite: an FTS5 table of every article's text, kept by triggers.

``articles_article_search`` holds each article's headline, standfirst and body text (markup
removed by the ``articles_search_text`` function, which ``articles.signal_handlers`` registers
on every connection) under the article's id as rowid. Triggers on ``articles_article`` keep it
in step on insert, on a change of the text and on delete, by any path (``save()``,
``bulk_create``, ``QuerySet.update()``), as PostgreSQL's trigger of ``0004_search_index`` does.
The table is filled here from the existing articles. The statements live in
``articles.search.SQLITE_INDEX``, which also restores them after any later migration that
rebuilds the articles table. ``SearchEntry`` (``articles.search``) is
Django's unmanaged view of it, for the join that ranks with bm25. On PostgreSQL this migration
does nothing to the database.
"""

import django.db.models.deletion
from django.db import migrations, models

from articles import search


def add_search_table(apps, schema_editor):
    search.install_index(schema_editor.connection.alias)


def remove_search_table(apps, schema_editor):
    search.remove_index(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_listing_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("document", models.TextField(db_column="articles_article_search")),
            ],
            options={
                "db_table": "articles_article_search",
                "managed": False,
            },
        ),
        migrations.RunPython(add_search_table, remove_search_table, elidable=False),
    ]
