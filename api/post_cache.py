"""Lists of posts in the API, serialized once: each post's JSON comes from the cache, keyed by a digest of
everything the list's query loaded for it, so an entry is always the post as it is now.

What PostSerializer shows of a post comes from the post's own columns, its annotations (comment and like
counts), its talk's columns and its pictures, and from the URL configuration. The key digests the first three
as loaded (any column, shown or not: an edit, a like, a comment, a moderator's change, a talk's new venue
each give a new key, and the old entry is never read again) and the script prefix; what depends on the caller
(``liked``, ``bookmarked``) and the pictures (their addresses may be signed for a while, on S3) are added
per request. Serializing a page of twenty posts with DRF took most of the list's time; a page from the
cache costs one multi-get.

The page's rows are read with SQL the ORM compiled once per process (for each number of keys: see
blog.prepared): building and compiling that query (its two counts, the caller's like and bookmark, whether
the post has pictures) cost more than running it. The rows stay tuples: a key is a digest of the row as
loaded, and a model instance is built only for a post whose JSON is not in the cache. Each entry is the
post's JSON text as the API's renderer writes it (api.renderers), so that a page is written without
parsing and rewriting every post.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.urls import get_script_prefix
from django.utils import timezone
from rest_framework.response import Response

from api.pagination import page_response
from api.renderers import Rendered, RenderedList, dumps
from api.serializers import PictureSerializer, PostSerializer
from api.views.base import not_found
from blog.models import Post, PostPicture, like_count, published_comment_count
from blog.prepared import PreparedRows
from blog.ruled_rows import reader_state
from flasky_project.moments import moment_or_value
from flasky_project.pagination import page_number, window_of

# What PostSerializer adds per request, after the cached part (in this order: the last keys of its JSON).
PER_REQUEST = ("liked", "bookmarked", "pictures")
# Entries of posts that changed are never read again; they leave the cache after this.
TIMEOUT = 60 * 60
# Bump when PostSerializer shows something else from the same data (its field names are in the key too).
VERSION = 2  # 2: entries are JSON text, keyed by the row as loaded
SHAPE = f"{VERSION}:{','.join(PostSerializer().fields)}"
# The caller's own columns (never in an entry's key: the entry is shared by every caller).
_PER_CALLER_COLUMNS = ("viewer_liked", "viewer_bookmarked")


class _SharedPostSerializer(PostSerializer):
    """What every caller is shown of a post: PostSerializer without its per-request keys."""

    liked = bookmarked = pictures = None


def post_page_response(request, posts, *, path, count=None, name=None):
    """The requested page of ``posts`` (a Post queryset, ordered or newest first) that the caller may see, as
    Flasky's page of posts (see api.pagination.page_response).

    The page's keys are read through the visibility rule; its rows then by those keys alone, each with its
    counts, the caller's like and bookmark (EXISTS in the same query) and whether it has pictures, whose rows
    are fetched only for the posts that have some: two queries for most pages.

    ``name`` names a list whose query depends on nothing but the caller (the list of every post): its keys'
    SQL is then compiled once per caller for a while (see _KeysQuery)."""
    per_page = settings.FLASKY_POSTS_PER_PAGE
    page = _prepared_window(request, posts, name, per_page) if name is not None else None
    visible = None
    if page is None or count is None:
        visible = posts.visible_to(request.user)
        if not visible.query.order_by:
            visible = visible.newest_first()
    return page_response(
        request,
        visible,
        serialized_posts,
        key="posts",
        per_page=per_page,
        path=path,
        count=count,
        rows=lambda keys: _rows(keys, request.user),
        page=page,
    )


def post_response(request, pk):
    """One post as PostSerializer writes it (a Response), from the cache as a page's posts are; a 404 when
    there is no such post or the caller may not see it. Two queries (its key through the visibility rule,
    then its row), and one more for its pictures when it has some."""
    if not Post.objects.visible_to(request.user).filter(pk=pk).exists():
        raise not_found(Post, pk)
    rows = _rows([int(pk)], request.user)
    if not rows:  # (deleted between the two queries)
        raise not_found(Post, pk)
    return Response(Rendered(serialized_posts(rows, request)[0]))


# How long a caller's compiled SQL of a list's keys is kept in the process (see _KeysQuery).
KEYS_SECONDS = 60
_KEYS_QUERIES_MAX = 1000


class _KeysQuery:
    """The SQL of a list's keys for one caller (the visibility rule applied), compiled once and kept for
    KEYS_SECONDS: building the rule's conditions and compiling them cost more than the rest of the list.

    Every parameter of the SQL is kept as compiled, the caller's own (their id, the ids of the people they
    block, are blocked by or mute) included, but for the moment the rule compares suspensions with (``now``):
    a parameter that is a date and time taken while the SQL was compiled is that moment, and is the request's
    own moment when the SQL runs. The SQL is kept for a caller whose columns are all as they were (the rule
    reads their role) and whose visibility facts are the same (blog.ruled_rows.reader_state), and only when it
    holds no date of its own (a moment written into the SQL would not move with time): else each request
    compiles its own. A caller without facts (or whose facts this process has made stale) gets the rule's
    subqueries, which read blocks, mutes and suspensions when the SQL runs; a caller with facts gets the
    simpler rule that names them, kept under those facts, so that a caller whose facts change (read anew with
    the session's user, or with a token's account when its version changes: api.tokens) gets new SQL on that
    request. The tests (api/tests/test_post_rows.py) compare the kept SQL with the SQL compiled for the
    request, for callers with blocks, mutes, a role, with facts and without."""

    def __init__(self, build, db, expires):
        """``build()`` returns the queryset of the keys (the rule applied: its moments are taken then)."""
        self.db, self.expires = db, expires
        before = timezone.now()
        try:
            self.sql, params = build().query.get_compiler(using=db).as_sql()
        except EmptyResultSet:  # (a list that matches nothing by construction)
            self.prepared = False
            return
        after = timezone.now()
        self.sources = [moment_or_value(param, before, after) for param in params]
        dates = {moment.date().isoformat() for moment in (before, after)}
        self.prepared = not any(date in self.sql for date in dates) and " LIMIT " not in self.sql.upper()

    def params(self):
        now = timezone.now()
        adapted = connections[self.db].ops.adapt_datetimefield_value(now)
        return [
            source[1] if source[0] == "value" else adapted if source[0] == "now (adapted)" else now
            for source in self.sources
        ]

    def keys(self, limit, offset):
        """The list's keys from ``offset``, at most ``limit`` of them."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"{self.sql} LIMIT %s OFFSET %s", [*self.params(), limit, offset])
            return [row[0] for row in cursor.fetchall()]


_keys_queries = {}


def _keys_query(name, posts, viewer):
    """The caller's kept _KeysQuery of the list ``name`` (``posts``), compiled when there is none."""
    db = posts.db
    state = (db, name, reader_state(viewer))
    query = _keys_queries.get(state)
    if query is None or query.expires < time.monotonic():

        def build():
            # (with the caller's facts when they are current: the state names them, see _KeysQuery)
            visible = posts.visible_to(viewer)
            if not visible.query.order_by:
                visible = visible.newest_first()
            return visible.values_list("pk", flat=True)

        query = _KeysQuery(build, db, time.monotonic() + KEYS_SECONDS)
        if len(_keys_queries) >= _KEYS_QUERIES_MAX:
            _keys_queries.clear()
        _keys_queries[state] = query
    return query


def _prepared_window(request, posts, name, per_page):
    """The page's Window through the caller's kept SQL of the list's keys; None when it cannot be kept."""
    query = _keys_query(name, posts, request.user)
    if not query.prepared:
        return None
    number = page_number(request)  # (a 404 for a page that cannot exist)
    keys = query.keys(per_page + 1, (number - 1) * per_page)
    page = window_of(keys, number, per_page)  # (a 404 for an empty page past the first)
    position = {key: index for index, key in enumerate(page.object_list)}
    page.object_list = sorted(_rows(page.object_list, request.user), key=lambda row: position[row.pk])
    return page


def rows_queryset(keys, viewer):
    """The rows of the posts with ``keys``, as a page of the API shows them (see post_page_response)."""
    return (
        Post.objects.filter(pk__in=keys)
        .select_related("talk")
        .annotate(comment_count=published_comment_count(), like_count=like_count())
        .flag_viewer_marks(viewer)
        .flag_pictures()
    )


# The rows of a page, read with SQL compiled once per process for each number of keys (blog.prepared).
_prepared = PreparedRows(rows_queryset)
_queries = _prepared.queries


def _rows_query(db, size):
    return _prepared.query(db, size)


class _Row:
    """One post's row of a page: its values as loaded, its key, and the query that read it."""

    __slots__ = ("pk", "query", "values")

    def __init__(self, query, values):
        self.query = query
        self.values = values
        self.pk = values[query.pk_position]

    def flag(self, name):
        return bool(self.values[self.query.annotations[name]])

    def cache_key(self):
        shared = [self.values[position] for position in _shared_positions(self.query)]
        digest = hashlib.blake2b(repr((shared, get_script_prefix(), SHAPE)).encode(), digest_size=16)
        return f"api-post:{self.pk}:{digest.hexdigest()}"


_shared_positions_of = {}


def _shared_positions(query):
    """The positions of a RowsQuery's columns that every caller shares (all but _PER_CALLER_COLUMNS)."""
    positions = _shared_positions_of.get(query)
    if positions is None:
        per_caller = {query.annotations[name] for name in _PER_CALLER_COLUMNS}
        positions = [i for i in range(query.compiler.col_count) if i not in per_caller]
        _shared_positions_of[query] = positions
    return positions


def _rows(keys, viewer):
    if not keys:
        return []
    # (The database the ORM would read these rows from: a replica, or the primary after a write.)
    query, rows = _prepared.rows(list(keys), viewer, Post.objects.db)
    return [_Row(query, values) for values in rows]


class PostItems(RenderedList):
    """A page's posts as JSON text (a RenderedList), with ``parts``: each post's key, the part of its JSON
    that every caller shares and its pictures, which api.shared_pages keeps to write the page again for
    another caller with that caller's likes and bookmarks (see assembled)."""

    parts = ()
    marks = None  # ({post key: (liked, bookmarked)}: the caller's, as ``assembled`` was given them)


def serialized_posts(rows, request):
    """The posts of ``rows`` (from _rows) as PostSerializer writes them, already JSON text (a PostItems):
    from the cache where it holds the posts as they are; the caller's likes and bookmarks from the rows,
    the pictures of the posts that have some in one query."""
    parts = post_parts(rows, request)
    marks = {row.pk: (row.flag("viewer_liked"), row.flag("viewer_bookmarked")) for row in rows}
    return assembled(parts, marks)


def post_parts(rows, request):
    """(key, shared JSON text, pictures) for each post of ``rows``: the text from the cache where it holds
    the post as it is (else serialized and stored), the pictures (as PictureSerializer writes them, None for
    a post without any) read in one query for the posts that have some."""
    keys = {row.pk: row.cache_key() for row in rows}
    stored = cache.get_many(list(keys.values())) if rows else {}
    context = {"request": request}
    fresh = {}
    for row in rows:
        if not isinstance(stored.get(keys[row.pk]), str):
            shared = dict(_SharedPostSerializer(row.query.instance(row.values), context=context).data)
            fresh[keys[row.pk]] = dumps(shared)[:-1]  # (without its closing brace: the caller's keys follow)
    if fresh:
        cache.set_many(fresh, TIMEOUT)
        stored.update(fresh)
    pictures = _pictures([row.pk for row in rows if row.flag("has_pictures")], context)
    return [(row.pk, stored[keys[row.pk]], pictures.get(row.pk)) for row in rows]


def assembled(parts, marks):
    """The posts of ``parts`` (from post_parts) as JSON text, each with the caller's ``liked`` and
    ``bookmarked`` from ``marks`` ({post key: (liked, bookmarked)}; a post not in it has neither)."""
    items = PostItems(
        shared + _per_request(*marks.get(pk, _UNMARKED), pictures) for pk, shared, pictures in parts
    )
    items.parts, items.marks = parts, marks
    return items


_UNMARKED = (False, False)


def _per_request_text(liked, bookmarked, pictures):
    """The caller's keys of a post's JSON, after its cached part (which ends without its closing brace)."""
    return "," + dumps({"liked": liked, "bookmarked": bookmarked, "pictures": pictures or []})[1:]


# The caller's keys of a post without pictures (most posts): four texts, written once rather than per post.
_WITHOUT_PICTURES = {
    (liked, bookmarked): _per_request_text(liked, bookmarked, None)
    for liked in (False, True)
    for bookmarked in (False, True)
}


def _per_request(liked, bookmarked, pictures):
    if not pictures:
        return _WITHOUT_PICTURES[liked, bookmarked]
    return _per_request_text(liked, bookmarked, pictures)


def _pictures(post_ids, context):
    """The pictures of these posts, serialized, by post (one query; none when no post has any)."""
    if not post_ids:
        return {}
    by_post = {}
    for picture in PostPicture.objects.filter(post__in=post_ids):  # (in their order: position, then pk)
        by_post.setdefault(picture.post_id, []).append(picture)
    # (Plain lists and dictionaries, not the serializer's: api.shared_pages keeps them in the cache.)
    return {
        post_id: [dict(each) for each in PictureSerializer(pictures, many=True, context=context).data]
        for post_id, pictures in by_post.items()
    }
