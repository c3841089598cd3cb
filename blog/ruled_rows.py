"""A post's page read with SQL compiled once per process and reader: the post, a page of its comments and
their replies, each chosen by the one visibility rule in the query that reads it.

blog.prepared keeps the SQL of a list's rows once the rule has chosen their keys in a query of its own; a
post's page has no such first step, the rule is in the rows' query itself. Building the rule's conditions
and compiling that query cost more than running it: of the 19 ms of CPU a logged-in post page with 30
comments took, about 9 were the ORM building and compiling the post's query and the comments' two
(bench/readers_cpu.py, 100,000 posts).

So each query is compiled once for a reader and kept in the process for KEPT_SECONDS, as the API keeps a
caller's SQL of a list's keys (api.post_cache._KeysQuery): for the reader as they are (their columns but
the ever-changing ones, and the visibility facts the rule would name: ``reader_state``), with stand-ins for
the page's keys (the post, the page's top-level comments), which each request puts in its place. The rule
compares suspensions with the moment it is built: a parameter that is a date and time taken while the SQL
was compiled is that moment, and is the request's own moment when the SQL runs (flasky_project.moments).
Every other parameter is kept as compiled, the reader's own (their id, the people they do not see) among
them; a reader whose state changes (a new role, a block read with their session) gets new SQL on that
request. When the compiled SQL does not have that shape (a key or a date written into its text, a key not
found exactly once), every request compiles its own: a change to the rule can make the page slower, never
wrong. blog/tests/test_ruled_rows.py compares what the kept SQL reads with what the ORM reads per request,
for readers of every kind (blocks, mutes, a withheld post, suspended, moderators, with facts and without).
"""

import threading
import time

from django.db import connections
from django.db.models import Exists, OuterRef, Value, prefetch_related_objects
from django.db.models.query import get_related_populators
from django.utils import timezone

import blog.models
from blog.models import Comment, Like, Post, PostPicture, ViewerFacts
from blog.prepared import RowsQuery
from flasky_project.moments import moment_or_value

# The page's keys in the SQL compiled once (no row has a negative id).
FIRST_KEY = -8_000_000_001
# How long a reader's compiled SQL is kept, and for how many readers at most (then they are all dropped):
# about 28 kB a reader and query (its SQL, and the expressions its columns are converted with), so some
# 25 MB a process for the three queries of a post's page at most.
KEPT_SECONDS = 300
MAX_KEPT = 300
# The reader's columns that the visibility rule never reads and that change all the time, and their password,
# which it never reads either (and a session's user built from their copy does not hold: accounts.backends).
_CHANGING_COLUMNS = ("last_seen", "last_login", "password")


def reader_state(viewer):
    """What of the reader the rule's SQL may depend on: their columns (but the ever-changing ones) and the
    visibility facts it would name (None when it keeps its subqueries); None for a visitor. What keeps a
    reader's compiled SQL keeps it under this (here, and the API's kept SQL of a list's keys)."""
    if not viewer.is_authenticated:
        return None
    columns = tuple(
        getattr(viewer, field.attname)
        for field in viewer._meta.concrete_fields
        if field.attname not in _CHANGING_COLUMNS
    )
    facts = ViewerFacts.of(viewer)
    if facts is None:
        return (columns, None)
    unwanted = None if facts.unwanted is None else tuple(facts.unwanted)
    return (columns, (unwanted, facts.may_have_withheld_posts(viewer)))


class RuledQuery:
    """The SQL of ``build(keys, viewer)`` (a queryset, not sliced) for ``size`` keys and this ``viewer``,
    compiled for the database ``db``: where each parameter comes from, and how to read its rows into model
    instances (as blog.prepared.RowsQuery does)."""

    def __init__(self, build, db, size, viewer, expires):
        keys = [FIRST_KEY - index for index in range(size)]
        self.build, self.db, self.expires = build, db, expires
        before = timezone.now()
        compiler = build(keys, viewer).query.get_compiler(using=db)  # (not kept: its query is large)
        self.sql, params = compiler.as_sql()
        after = timezone.now()
        self.sources = [
            ("key", keys.index(param))
            if isinstance(param, int) and not isinstance(param, bool) and param in keys
            else moment_or_value(param, before, after)
            for param in params
        ]
        found = sorted(source[1] for source in self.sources if source[0] == "key")
        dates = {moment.date().isoformat() for moment in (before, after)}
        self.prepared = (
            found == list(range(size))
            and not any(str(key)[1:] in self.sql for key in keys)
            and not any(date in self.sql for date in dates)
        )
        info = compiler.klass_info
        if info is None:  # (a queryset of values: it is only counted)
            return
        self.model = info["model"]
        self.columns = slice(info["select_fields"][0], info["select_fields"][-1] + 1)
        self.init_list = [column[0].target.attname for column in compiler.select[self.columns]]
        self.populators = get_related_populators(info, compiler.select, db)
        self.annotations = dict(compiler.annotation_col_map)
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(selected).items())

    def params(self, keys):
        """The kept SQL's parameters for ``keys``, at this moment."""
        now = timezone.now()
        adapted = connections[self.db].ops.adapt_datetimefield_value(now)
        by_source = {"now": now, "now (adapted)": adapted}
        return [
            source[1]
            if source[0] == "value"
            else keys[source[1]]
            if source[0] == "key"
            else by_source[source[0]]
            for source in self.sources
        ]

    def _sql(self, keys, viewer):
        if self.prepared:
            return self.sql, self.params(keys)
        # Compiled for this request (see the module's docstring).
        return self.build(keys, viewer).query.get_compiler(using=self.db).as_sql()

    def count(self, keys, viewer):
        """How many rows ``build(keys, viewer)`` has (the ORM's ``count()``)."""
        sql, params = self._sql(keys, viewer)
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)  # noqa: S608 - our compiled SQL
            return cursor.fetchone()[0]

    def instances(self, keys, viewer, *, limit=None, offset=0):
        """The model instances the ORM would build from ``build(keys, viewer)[offset:offset + limit]``."""
        sql, params = self._sql(keys, viewer)
        if limit is not None:
            # As Django writes them, on PostgreSQL and SQLite alike (flasky_project.pagination._keys).
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self._converted(rows)
        return [self._instance(row) for row in rows]

    def _converted(self, rows):
        # What the compiler's apply_converters does, without keeping the compiler and its query.
        connection = connections[self.db]
        for row in map(list, rows):
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            yield row

    # (the same columns, populators and annotations as a list's kept rows query)
    _instance = RowsQuery.instance


class RuledRows:
    """The kept RuledQuery of ``build`` for each database, number of keys and reader."""

    def __init__(self, build):
        self.build = build
        self.queries = {}
        self._lock = threading.Lock()

    def query(self, db, size, viewer):
        # (The rule's functions as installed: a test that puts another rule in place gets SQL of its own.)
        rule = (blog.models.post_visibility, blog.models.comment_visibility)
        name = (db, size, reader_state(viewer), rule)
        query = self.queries.get(name)
        if query is None or query.expires < time.monotonic():
            query = RuledQuery(self.build, db, size, viewer, time.monotonic() + KEPT_SECONDS)
            with self._lock:
                if len(self.queries) >= MAX_KEPT:
                    self.queries.clear()
                self.queries[name] = query
        return query

    def instances(self, keys, viewer, db, **slicing):
        return self.query(db, len(keys), viewer).instances(keys, viewer, **slicing)

    def count(self, keys, viewer, db):
        return self.query(db, len(keys), viewer).count(keys, viewer)


# --- The queries of a post's page ---------------------------------------------------------------------------


def _post(keys, viewer):
    # Post.objects.for_list() for one post, with whether it has pictures instead of their prefetch.
    return Post.objects.filter(pk=keys[0]).visible_to(viewer).listed().flag_pictures()


def _flag_liked(comments, viewer):
    """Annotate ``viewer_liked``: an EXISTS per row on the likes' (comment, user) unique index, in the same
    query (it was a query of its own)."""
    if not viewer.is_authenticated:
        return comments.annotate(viewer_liked=Value(False))
    return comments.annotate(viewer_liked=Exists(Like.objects.filter(comment=OuterRef("pk"), user=viewer)))


def _top_level(keys, viewer):
    comments = Comment.objects.visible_to(viewer).on(keys[0]).top_level().for_page()
    return _flag_liked(comments, viewer)


def _replies(keys, viewer):
    comments = Comment.objects.visible_to(viewer).on(keys[0]).replies_to(keys[1:]).for_page()
    return _flag_liked(comments, viewer)


_posts = RuledRows(_post)
_tops = RuledRows(_top_level)
_replies_rows = RuledRows(_replies)


def visible_post(pk, viewer):
    """The post ``pk`` as ``Post.objects.visible_to(viewer).for_list()`` reads it, or None when the viewer
    may not see it (or there is none); its pictures are read only when it has some."""
    posts = _posts.instances([pk], viewer, Post.objects.db)
    if not posts:
        return None
    post = posts[0]
    if post.has_pictures:
        prefetch_related_objects([post], "pictures")
    else:
        # As a prefetch that found none would leave it (blog.listing.listed_posts): no query to list them.
        none = PostPicture.objects.none()
        none._result_cache, none._prefetch_done = [], True
        post._prefetched_objects_cache = {PostPicture._meta.get_field("post").remote_field.cache_name: none}
    return post


def top_level_comments(post, viewer, *, offset, limit):
    """The top-level comments on ``post`` that ``viewer`` may see, oldest first, from ``offset``, at most
    ``limit``: as ``Comment.objects.visible_to(viewer).on(post).top_level().for_page()`` reads them (with
    their authors and like counts), with ``viewer_liked``."""
    return _tops.instances([post.pk], viewer, Comment.objects.db, limit=limit, offset=offset)


def replies(post, viewer, tops):
    """The replies to ``tops`` (top-level comments on ``post``) that ``viewer`` may see, oldest first, read
    as top_level_comments reads its comments."""
    if not tops:
        return []
    keys = [post.pk, *(top.pk for top in tops)]
    return _replies_rows.instances(keys, viewer, Comment.objects.db)
