"""Full-text search of posts: ranked, stemmed, with highlighted snippets.

PostgreSQL uses the generated ``search_vector`` column (GIN-indexed) and SQLite the ``blog_post_fts``
FTS5 table, both created by migration 0003 and kept current by the database on every write, so an edit
or a deletion is reflected at once. Titles weigh more than bodies.
"""

import re

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

from blog.models import Post

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_query(text):
    """The words of a query, however it was typed: operators, quotes and symbols are dropped, and the
    query is cut to a sane length, so no input can make the search engine fail."""
    return _WORD.findall((text or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def search_posts(text, *, offset, limit):
    """Posts matching every word of ``text``, best first, each with ``snippet`` (safe HTML with <mark>s)
    and ``title_html``; ``limit`` + 1 rows are asked for so the caller can tell if there is more."""
    terms = clean_query(text)
    if not terms:
        return []
    run = _search_postgres if connection.vendor == "postgresql" else _search_sqlite
    hits = run(terms, offset, limit)
    posts = Post.objects.for_list().in_bulk([post_id for post_id, *_ in hits])
    results = []
    for post_id, _score, title, snippet in hits:
        post = posts.get(post_id)
        if post is not None:  # deleted between the two queries
            post.title_html = _highlight(title)
            post.snippet = _highlight(snippet)
            results.append(post)
    return results


def _search_sqlite(terms, offset, limit):
    # Every term quoted: FTS5 then reads them as plain words (Porter-stemmed), never as syntax.
    match = " ".join('"{}"'.format(term.replace('"', "")) for term in terms)
    sql = f"""
        SELECT rowid, bm25(blog_post_fts, 10.0, 1.0) AS score,
               highlight(blog_post_fts, 0, '{_START}', '{_STOP}'),
               snippet(blog_post_fts, 1, '{_START}', '{_STOP}', '…', 24)
        FROM blog_post_fts WHERE blog_post_fts MATCH %s
        ORDER BY score, rowid DESC LIMIT %s OFFSET %s
    """  # noqa: S608 - only constants are formatted in; the query is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, limit + 1, offset])
        return cursor.fetchall()


def _search_postgres(terms, offset, limit):
    # The query is stemmed both ways, as English and as Spanish, and either may match (a post's vector
    # is stemmed in its own language).
    words = " ".join(terms)
    headline = (
        f"StartSel={_START}, StopSel={_STOP}, MaxWords=40, MinWords=15, MaxFragments=2, "
        'FragmentDelimiter=" … "'
    )
    sql = """
        WITH query AS (
            SELECT plainto_tsquery('english', %(words)s) || plainto_tsquery('spanish', %(words)s) AS q
        )
        SELECT p.id, ts_rank(p.search_vector, query.q, 1) AS score,
               ts_headline(config, p.title, query.q, %(whole)s),
               ts_headline(config, p.body, query.q, %(headline)s)
        FROM blog_post p, query, LATERAL (
            SELECT CASE WHEN p.language = 'es' THEN 'spanish' ELSE 'english' END::regconfig
        ) AS c(config)
        WHERE p.search_vector @@ query.q
        ORDER BY score DESC, p.created DESC, p.id DESC
        LIMIT %(limit)s OFFSET %(offset)s
    """
    params = {
        "words": words,
        "headline": headline,
        "whole": f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true",
        "limit": limit + 1,
        "offset": offset,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _highlight(text):
    """Escape the engine's text, then turn its start/stop markers into <mark> elements."""
    return mark_safe(escape(text or "").replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def rebuild_index():
    """Rebuild the search index from the posts table (after restoring a backup, or if it ever drifts)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO blog_post_fts(blog_post_fts) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute("REINDEX INDEX blog_post_search_idx")
