"""Full-text search of posts: ranked, stemmed, with highlighted snippets.

PostgreSQL uses the generated ``search_vector`` column (GIN-indexed) and SQLite the ``blog_post_fts``
FTS5 table (migrations 0003 and 0007), both kept current by the database on every write, bulk inserts
included, so an edit or a deletion is reflected at once. Titles weigh more than bodies.

Each post is stemmed in its own language, Spanish or else English, and a query in both (either may
match). PostgreSQL does it with its text search configurations. SQLite's FTS5 only knows English (Porter),
so its triggers index ``stem_text()`` of each post, the same Snowball stemmers as PostgreSQL's
(PyStemmer), a function every SQLite connection gets; the words keep their positions, so FTS5 still
highlights the post's own words in the text it reads from ``blog_post``. Both fold accents.

Ranking has to look at every match, so a common word in a big table would cost as much as it has matches
(34,726 matches of "energy" at a million posts: a quarter of a second). A search therefore looks first at
the newest FLASKY_SEARCH_WINDOW posts: when they hold enough matches to fill ten pages, the results are
ranked among them; otherwise (rare words, small sites) among all posts. The choice depends only on the
query, so every page of one search uses the same ranking.
"""

import contextlib
import functools
import hashlib
import re

import Stemmer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from blog.fts5_separators import SEPARATORS
from blog.listing import listed_posts
from blog.models import Post, ViewerFacts
from blog.plaintext import markdown_to_text
from flasky_project import pagecache
from flasky_project.moments import moment_or_value
from flasky_project.pagination import window_of

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
ENOUGH_IN_WINDOW = 200  # ten pages of results
WINDOW_DECISION_SECONDS = 600
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
# A word as FTS5's unicode61 tokenizer sees one (so that a post's stems line up with its words).
_TOKEN = re.compile(f"[^\\x00-/:-@\\[-`{{-\\x7f{SEPARATORS}]+")
# Combining accents alone make no word: FTS5 folds them away (remove_diacritics).
_ONLY_ACCENTS = re.compile("[\u0300-\u036f\u1dc0-\u1de6\u20d0-\u20f0\ufe20-\ufe26]+")  # Unicode 6.1
_STEMMERS = {"es": "spanish"}  # and English for every other language, as on PostgreSQL
STEM_FUNCTION = "flasky_stem"


def clean_query(text):
    """The words of a query, however it was typed: operators, quotes and symbols are dropped, and the
    query is cut to a sane length, so no input can make the search engine fail."""
    return _WORD.findall((text or "")[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def search_page(text, number, per_page, *, viewer):
    """Page ``number`` of the results for ``text`` that ``viewer`` may see (a Window, never counted); a page
    past them is a 404."""
    rows = search_posts(text, viewer=viewer, offset=(number - 1) * per_page, limit=per_page)
    return window_of(rows, number, per_page)


def search_posts(text, *, viewer, offset, limit):
    """Posts matching every word of ``text`` that ``viewer`` may see, best first, each with ``snippet``
    (safe HTML with <mark>s) and ``title_html``; ``limit`` + 1 rows are asked for so the caller can tell if
    there is more."""
    terms = clean_query(text)
    if not terms:
        return []
    before = timezone.now()
    visible = _visible_ids(viewer)
    built = (before, timezone.now())
    if _rule_names_everything(viewer):
        hits = _hits(terms, visible, built, offset=offset, limit=limit + 1)
    else:
        hits = _search(terms, visible, offset=offset, limit=limit + 1)
    # The rows a list reads (SQL compiled once per process: building the ORM's in_bulk query was a sixth of
    # a member's search page)
    posts = {post.pk: post for post in listed_posts([post_id for post_id, *_ in hits], viewer)}
    results = []
    for post_id, _score, title, snippet in hits:
        post = posts.get(post_id)
        if post is not None:  # deleted between the two queries
            post.title_html = _highlight(title)
            post.snippet = _highlight(markdown_to_text(snippet))  # the words, not the Markdown
            results.append(post)
    return results


def _rule_names_everything(viewer):
    """Whether the viewer's rule names in its SQL all it depends on besides the watched tables (see _hits):
    a visitor's, or a member's read with the session's facts (their blocks and mutes as literal ids). A
    member without them (an API caller by password, someone with too many blocks to name) has a rule that
    reads their blocks and mutes in subqueries, which no generation follows: their searches are not kept."""
    if not viewer.is_authenticated:
        return True
    facts = ViewerFacts.of(viewer)
    return facts is not None and facts.unwanted is not None


def _hits(terms, visible, built, *, offset, limit):
    """The engine's (post id, score, title, snippet) rows for ``terms`` among the ``visible`` posts (see
    _visible_ids; ``built``: the moments before and after it was). Kept in the cache under the site's page
    generation (flasky_project.pagecache), which changes on every write to posts, comments, people and the
    rest a result shows, so an entry is always the answer of now; readers whose rule is the same SQL
    (visitors, and members who block, mute and withhold nothing) share it. Ranking every match of a common
    word took 100-400 ms a search at 100,000 posts; the page's own cached parts (blog.cards.search_results)
    were the rest."""
    seconds = settings.FLASKY_PAGE_CACHE_SECONDS
    if not seconds:
        return _search(terms, visible, offset=offset, limit=limit)
    generation = pagecache.generation()
    condition, params = visible
    # The rule's "now" (suspensions that have ended) is the moment of the request: not a part of the key,
    # like the other moments the generation and the entry's lifetime cover.
    sources = sorted((name, moment_or_value(value, *built)) for name, value in params.items())
    words = repr((connection.vendor, terms, offset, limit, condition, sources, generation))
    key = "search-hits:v1:" + hashlib.sha256(words.encode()).hexdigest()
    hits = cache.get(key)
    if hits is None:
        hits = _search(terms, visible, offset=offset, limit=limit)
        if pagecache.settled(generation):
            cache.set(key, hits, seconds)
    return hits


def _search(terms, visible, *, offset, limit):
    engine = _Postgres(terms) if connection.vendor == "postgresql" else _SQLite(terms)
    with connection.cursor() as cursor:
        return engine.search(cursor, offset=offset, limit=limit, visible=visible)


class _Engine:
    def __init__(self, terms):
        self.terms = terms

    def search(self, cursor, *, offset, limit, visible=("", {})):
        """``visible``: an SQL condition on a post id column named ``{id}``, and its parameters (see
        _visible_ids), that keeps the results to the posts the viewer may see."""
        floor = self._window_floor(cursor)
        condition, condition_params = visible
        sql = self.sql(windowed=floor is not None)
        if condition:
            sql = sql.replace("/*visible*/", "AND " + condition.format(id=self.ID_COLUMN))
        cursor.execute(
            sql, {**self.params(), **condition_params, "floor": floor, "limit": limit, "offset": offset}
        )
        return cursor.fetchall()

    def _window_floor(self, cursor):
        """The lowest post id of the window, if the search should stay in it (see the module's docstring).

        Whether to stay in the window is remembered per query; the window itself is always the newest
        posts of this database (a cached id could outlive a restored backup, or belong to another site)."""
        cursor.execute("SELECT coalesce(max(id), 0) FROM blog_post")
        floor = cursor.fetchone()[0] - settings.FLASKY_SEARCH_WINDOW
        if floor <= 0:
            return None
        words = " ".join(term.lower() for term in self.terms)
        key = "search-window:" + hashlib.sha256(f"{connection.vendor}:{words}".encode()).hexdigest()
        windowed = cache.get(key)
        if windowed is None:
            cursor.execute(
                self.count_in_window_sql(), {**self.params(), "floor": floor, "enough": ENOUGH_IN_WINDOW}
            )
            windowed = cursor.fetchone()[0] >= ENOUGH_IN_WINDOW
            cache.set(key, windowed, WINDOW_DECISION_SECONDS)
        return floor if windowed else None


@functools.cache
def _stemmer(language):
    return Stemmer.Stemmer(_STEMMERS.get(language, "english"))


def stem_text(text, language):
    """The words of ``text`` stemmed in ``language`` ("es" Spanish, anything else English), one for each
    word FTS5 finds in the text, in order, separated by spaces.

    A newline always separates two words, so each line is stemmed on its own and remembered: posts share
    many of their lines (every fake post is assembled from a finite set of sentences, and an edit keeps
    most lines of the post), and finding the words is the slow part (the tokenizer's pattern is long), so
    a bulk load of 100,000 fake posts stems each distinct line once instead of 100,000 bodies word by
    word. The result is the same as stemming the whole text at once."""
    return " ".join(filter(None, [_stem_line(line, language) for line in (text or "").split("\n")]))


@functools.lru_cache(maxsize=65_536)  # a few megabytes at most
def _stem_line(line, language):
    words = [word.lower() for word in _TOKEN.findall(line) if not _ONLY_ACCENTS.fullmatch(word)]
    stems = _stemmer(language).stemWords(words)
    return " ".join(stem or word for stem, word in zip(stems, words, strict=True))


def add_sql_functions(sender=None, connection=None, **kwargs):
    """Give an SQLite connection ``flasky_stem(text, language)``, which the search triggers call (connected
    to ``connection_created`` by the blog app)."""
    if connection is not None and connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_function(STEM_FUNCTION, 2, _sql_stem, deterministic=True)


def _sql_stem(text, language):
    return stem_text(text or "", language or "")


class _SQLite(_Engine):
    ID_COLUMN = "rowid"

    def __init__(self, terms):
        super().__init__(terms)
        # Every term stemmed both ways (all the words in English, or all in Spanish, as on PostgreSQL) and
        # quoted: FTS5 then reads it as words, never as syntax.
        english, spanish = ([stem_text(term, language) for term in terms] for language in ("en", "es"))
        self.match = "({}) OR ({})".format(
            *(" AND ".join(f'"{stem}"' for stem in stems) for stems in (english, spanish))
        )
        if not all(english):  # a term with no word in it ("_"): nothing can match
            self.match = None

    def search(self, cursor, *, offset, limit, visible=("", {})):
        if not self.match:
            return []
        return super().search(cursor, offset=offset, limit=limit, visible=visible)

    def params(self):
        return {"match": self.match}

    def count_in_window_sql(self):
        return """SELECT count(*) FROM (SELECT 1 FROM blog_post_fts
                  WHERE blog_post_fts MATCH %(match)s AND rowid > %(floor)s LIMIT %(enough)s)"""

    def sql(self, *, windowed):
        window = "AND rowid > %(floor)s" if windowed else ""
        return f"""
            SELECT rowid, bm25(blog_post_fts, 10.0, 1.0) AS score,
                   highlight(blog_post_fts, 0, '{_START}', '{_STOP}'),
                   snippet(blog_post_fts, 1, '{_START}', '{_STOP}', '…', 24)
            FROM blog_post_fts WHERE blog_post_fts MATCH %(match)s {window} /*visible*/
            ORDER BY score, rowid DESC LIMIT %(limit)s OFFSET %(offset)s
        """  # noqa: S608 - only constants are formatted in; the query is a parameter


class _Postgres(_Engine):
    ID_COLUMN = "p.id"
    # The query is stemmed both ways, as English and as Spanish, and either may match (a post's vector is
    # stemmed in its own language).
    QUERY = "(plainto_tsquery('english', %(words)s) || plainto_tsquery('spanish', %(words)s))"
    HEADLINE = (
        f"StartSel={_START}, StopSel={_STOP}, MaxWords=40, MinWords=15, MaxFragments=2, "
        'FragmentDelimiter=" … "'
    )

    def params(self):
        return {
            "words": " ".join(self.terms),
            "headline": self.HEADLINE,
            "whole": f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true",
        }

    def count_in_window_sql(self):
        return f"""SELECT count(*) FROM (SELECT 1 FROM blog_post
                   WHERE id > %(floor)s AND search_vector @@ {self.QUERY} LIMIT %(enough)s) AS recent"""  # noqa: S608

    def sql(self, *, windowed):
        window = "AND p.id > %(floor)s" if windowed else ""
        # The page's posts are ranked and cut first, and only its 21 rows get their headlines: with the
        # headlines beside the rank, PostgreSQL computed them for every match before sorting (10,000 rows
        # for "people" at a million posts: 270 ms, the sort spilling to disk; 87-130 ms ranked first).
        return f"""
            WITH query AS (SELECT {self.QUERY} AS q),
            ranked AS (
                SELECT p.id, ts_rank(p.search_vector, query.q, 1) AS score, p.created
                FROM blog_post p, query
                WHERE p.search_vector @@ query.q {window} /*visible*/
                ORDER BY score DESC, p.created DESC, p.id DESC
                LIMIT %(limit)s OFFSET %(offset)s
            )
            SELECT p.id, ranked.score,
                   ts_headline(config, p.title, query.q, %(whole)s),
                   ts_headline(config, p.body, query.q, %(headline)s)
            FROM ranked JOIN blog_post p ON p.id = ranked.id, query, LATERAL (
                SELECT CASE WHEN p.language = 'es' THEN 'spanish' ELSE 'english' END::regconfig
            ) AS c(config)
            ORDER BY ranked.score DESC, ranked.created DESC, ranked.id DESC
        """  # noqa: S608 - only constants are formatted in; the query is a parameter


PEOPLE_QUERY_MAX_LENGTH = 64


def people_matching(text):
    """Active people whose username, or a word of whose real name, starts with ``text`` (any case),
    alphabetically by username.

    A prefix match with LIKE (its wildcards escaped) on lower-cased columns. PostgreSQL walks the
    lower(username) index in its order and filters (a LIKE prefix cannot seek in that index unless the
    collation is C): at 10,000 users 0.3 ms for a query that matches early, 3 ms for a name, 20 ms when
    nothing matches (the whole index walked). A site with far more people would add a trigram index."""
    words = " ".join((text or "").split())[:PEOPLE_QUERY_MAX_LENGTH].lower()
    users = get_user_model().objects.active()
    if not words:
        return users.none()
    return (
        users.annotate(username_lower=Lower("username"), name_lower=Lower("name"))
        .filter(
            Q(username_lower__startswith=words)
            | Q(name_lower__startswith=words)
            | Q(name_lower__contains=f" {words}")
        )
        .order_by("username_lower", "pk")
    )


def _visible_ids(viewer):
    """The one visibility rule (Post.objects.visible_to) as an SQL condition for the search's own SQL:
    ``("{id} IN (SELECT ...)", params)``, or ``("", {})`` while the rule hides nothing from ``viewer``."""
    visible = Post.objects.visible_to(viewer)
    if not visible.query.where:
        return "", {}
    sql, params = visible.values("pk").query.sql_with_params()
    names = [f"visible_{number}" for number in range(len(params))]
    # Django writes %s placeholders (and %% for a literal %); the search's SQL names its parameters.
    parts = re.split(r"(?<!%)%s", sql)
    named = parts[0] + "".join(f"%({name})s{part}" for name, part in zip(names, parts[1:], strict=True))
    return "{id} IN (" + named.replace("{", "{{").replace("}", "}}") + ")", dict(
        zip(names, params, strict=True)
    )


def _highlight(text):
    """Escape the engine's text, then turn its start/stop markers into <mark> elements."""
    return mark_safe(escape(text or "").replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


SQLITE_FILL = f"""INSERT INTO blog_post_fts(rowid, title, body)
    SELECT id, {STEM_FUNCTION}(title, language), {STEM_FUNCTION}(body, language) FROM blog_post"""  # noqa: S608


INSERT_TRIGGER = "blog_post_fts_insert"


@contextlib.contextmanager
def indexing_new_posts_at_the_end():
    """A block that inserts many posts (and neither edits nor deletes any): on SQLite their words are
    indexed once, at the end of the block, rather than by the insert trigger, row by row.

    FTS5 keeps the words of a transaction's inserts in memory and writes them out together, but it must
    write them out at every savepoint, and a trigger runs under one for each row: 100,000 fake posts took 31 s
    of CPU to insert through the trigger, and 13 s inserted first and then indexed in one statement (both with
    the same stemming; in memory, without stemming, the trigger is five times slower too). The block therefore
    drops the insert trigger, and at its end indexes the posts added in it with one INSERT ... SELECT
    (SQLITE_FILL, the statement of rebuild_index and of the migration, so the index holds the same stems
    the trigger would have written) and creates the trigger again from the SQL SQLite kept of it. All of it
    is one transaction, during which SQLite lets no other connection write: no post is ever added while the
    trigger is missing, and an error restores the trigger with everything else. PostgreSQL computes its
    search column as each row is written, at no such cost: there the block changes nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [INSERT_TRIGGER])
        (trigger,) = cursor.fetchone()
        cursor.execute("SELECT coalesce(max(id), 0) FROM blog_post")
        (last,) = cursor.fetchone()
        cursor.execute(f"DROP TRIGGER {INSERT_TRIGGER}")
        yield
        # Ids only grow (the table is AUTOINCREMENT), and nobody else wrote meanwhile: the block's posts are
        # exactly those past the last id it started with.
        cursor.execute(f"{SQLITE_FILL} WHERE id > %s", [last])
        cursor.execute(trigger)


def rebuild_index():
    """Rebuild the search index from the posts table (after restoring a backup, or if it ever drifts)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Not FTS5's 'rebuild', which would index the posts' text unstemmed.
            cursor.execute("INSERT INTO blog_post_fts(blog_post_fts) VALUES ('delete-all')")
            cursor.execute(SQLITE_FILL)
        elif connection.vendor == "postgresql":
            cursor.execute("REINDEX INDEX blog_post_search_idx")
