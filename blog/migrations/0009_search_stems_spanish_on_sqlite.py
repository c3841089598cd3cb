"""SQLite's search index stems each post in its language (Spanish or English) with Snowball, as PostgreSQL
does: the FTS5 table indexes ``flasky_stem(text, language)`` (blog.search.stem_text) instead of its own
Porter stemming. PostgreSQL is unchanged.
"""

import importlib

from django.db import migrations

from blog.search import SQLITE_FILL, add_sql_functions

FORWARD = [
    "DROP TRIGGER IF EXISTS blog_post_fts_update",
    "DROP TRIGGER IF EXISTS blog_post_fts_delete",
    "DROP TRIGGER IF EXISTS blog_post_fts_insert",
    "DROP TABLE IF EXISTS blog_post_fts",
    """CREATE VIRTUAL TABLE blog_post_fts USING fts5(
        title, body, content='blog_post', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER blog_post_fts_insert AFTER INSERT ON blog_post BEGIN
        INSERT INTO blog_post_fts(rowid, title, body)
        VALUES (new.id, flasky_stem(new.title, new.language), flasky_stem(new.body, new.language));
    END""",
    """CREATE TRIGGER blog_post_fts_delete AFTER DELETE ON blog_post BEGIN
        INSERT INTO blog_post_fts(blog_post_fts, rowid, title, body)
        VALUES ('delete', old.id, flasky_stem(old.title, old.language), flasky_stem(old.body, old.language));
    END""",
    # The language too: a post whose language is detected again is stemmed again.
    """CREATE TRIGGER blog_post_fts_update AFTER UPDATE OF title, body, language ON blog_post BEGIN
        INSERT INTO blog_post_fts(blog_post_fts, rowid, title, body)
        VALUES ('delete', old.id, flasky_stem(old.title, old.language), flasky_stem(old.body, old.language));
        INSERT INTO blog_post_fts(rowid, title, body)
        VALUES (new.id, flasky_stem(new.title, new.language), flasky_stem(new.body, new.language));
    END""",
    SQLITE_FILL,
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    add_sql_functions(connection=schema_editor.connection)
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    previous = importlib.import_module("blog.migrations.0003_search_index")
    for statement in [*previous.SQLITE_BACKWARD, *previous.SQLITE_FORWARD]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("blog", "0008_rerender_headings")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
