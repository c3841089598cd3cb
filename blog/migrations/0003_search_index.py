"""Full-text search index of posts, kept current by the database itself on every write path.

PostgreSQL: a stored generated tsvector column (title weighted above body, stemmed in the post's detected
language) with a GIN index. SQLite: an FTS5 external-content table (Porter stemming) kept in step by
triggers. Neither is a Django field: blog.search queries them.
"""

from django.db import migrations

POSTGRES_FORWARD = """
ALTER TABLE blog_post ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(CASE WHEN language = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END,
                          coalesce(title, '')), 'A')
    || setweight(to_tsvector(CASE WHEN language = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END,
                             coalesce(body, '')), 'B')
) STORED;
CREATE INDEX blog_post_search_idx ON blog_post USING GIN (search_vector);
"""
POSTGRES_BACKWARD = """
DROP INDEX IF EXISTS blog_post_search_idx;
ALTER TABLE blog_post DROP COLUMN IF EXISTS search_vector;
"""

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE blog_post_fts USING fts5(
        title, body, content='blog_post', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER blog_post_fts_insert AFTER INSERT ON blog_post BEGIN
        INSERT INTO blog_post_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER blog_post_fts_delete AFTER DELETE ON blog_post BEGIN
        INSERT INTO blog_post_fts(blog_post_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER blog_post_fts_update AFTER UPDATE OF title, body ON blog_post BEGIN
        INSERT INTO blog_post_fts(blog_post_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO blog_post_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO blog_post_fts(blog_post_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS blog_post_fts_update",
    "DROP TRIGGER IF EXISTS blog_post_fts_delete",
    "DROP TRIGGER IF EXISTS blog_post_fts_insert",
    "DROP TABLE IF EXISTS blog_post_fts",
]


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("blog", "0002_post_language")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
