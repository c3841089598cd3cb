"""Pages of the list of every post, written once for every caller who sees what a visitor sees.

Most callers block, mute and withhold nothing and moderate nothing: the visibility rule is then the
visitor's (blog.models.post_visibility), and their page of ``GET /api/v1/posts/`` differs from anybody
else's only in each post's ``liked`` and ``bookmarked``. Such a page is kept in the cache as its parts
(each post's shared JSON text and pictures, ``prev``, ``next`` and ``count``) under the site's page
generation (flasky_project.pagecache), which changes on every write to posts, pictures, comments, likes,
talks and people. The caller's likes and bookmarks of the page's posts are kept beside it, per caller,
under a generation of their own that every write to the likes or the bookmarks renews (blog.marks: the
bookmarks are not among the tables the page generation watches). A token's request then reads both with
its account, in one round trip, and makes no query; the page's keys and rows took two, and compiling and
assembling them most of the list's time.

What the entry is for is in its key: the address with its query, the host (the headers it is made from)
and scheme (pictures' addresses are absolute), the script prefix, the language and the shape of
PostSerializer. The entry holds the generation and the list's cached count it was written with, and is
used only while both are the current ones (so its ``count`` is what the page would show if written now),
and until the earliest suspension in force ends (the posts of a member whose suspension ends show again
with no write: read when the page is written, one query on the small index of suspended accounts). It
lives FLASKY_PAGE_CACHE_SECONDS (0 turns this off), as the visitors' pages do. A caller who blocks, mutes,
has a post held or hidden, or moderates, and one whose facts are not known (a password's caller), gets the
page written for them alone.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from rest_framework.response import Response

from accounts.models import User
from accounts.roles import MODERATE
from api import post_cache
from blog import marks as reader_marks
from blog.models import Bookmark, Like, Post, ViewerFacts
from flasky_project import pagecache
from flasky_project.pagination import cached_count, count_key

# Bump when an entry's parts change shape (the shape of PostSerializer is in the key already).
VERSION = 1
PREFIX = f"api-posts-page:v{VERSION}:"
COUNT = "posts"  # the list's cached count (flasky_project.pagination.cached_count)


_HOST_SOURCES = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT")


def page_key(request):
    """The cache key of the request's page: everything it depends on but the database (module docstring).
    Made once a request."""
    key = getattr(request, "_api_page_key", None)
    if key is not None:
        return key
    meta = request.META
    parts = (
        request.scheme,
        # What request.get_host() makes the host of (pictures' addresses) from, rather than the host: its
        # check against ALLOWED_HOSTS, made already by the middleware, cost as much as the rest of the key.
        *(meta.get(name, "") for name in _HOST_SOURCES),
        request.get_full_path(),
        get_script_prefix(),
        translation.get_language() or "",
        post_cache.SHAPE,
    )
    request._api_page_key = key = PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return key


def read_ahead(request, user_pk):
    """The cache keys a token's request reads with the account ``user_pk``, in one round trip
    (api.authentication): the list's count, and when pages are kept the generation, the page's entry, the
    generation of likes and bookmarks and the caller's marks of the page."""
    if not settings.FLASKY_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return [count_key(COUNT)]  # (a new post reads no page)
    key = page_key(request)
    return [
        count_key(COUNT),
        pagecache.GENERATION_KEY,
        key,
        reader_marks.GENERATION_KEY,
        _marks_key(user_pk, key),
    ]


def sees_what_visitors_see(user):
    """Whether ``user``'s list of posts is a visitor's: their facts are known and current and name nobody
    they block, mute or are blocked by, no post of theirs is withheld, and they do not moderate."""
    facts = ViewerFacts.of(user)
    return (
        facts is not None
        and facts.unwanted is not None
        and not facts.unwanted
        and not facts.may_have_withheld_posts(user)
        and not user.has_perm(MODERATE)
    )


def post_list_response(request, *, path):
    """``GET /api/v1/posts/``: the requested page of every post the caller may see (Flasky's page: see
    api.pagination.page_response), from the kept page when the caller sees what a visitor sees."""
    found = getattr(request, "read_ahead", None)
    seconds = settings.FLASKY_PAGE_CACHE_SECONDS
    if not seconds or not sees_what_visitors_see(request.user):
        return _written(request, path, found)
    key = page_key(request)
    if not isinstance(found, dict) or key not in found:  # (not read with a token: a session's caller)
        found = cache.get_many(read_ahead(request, request.user.pk))
    generation = found.get(pagecache.GENERATION_KEY) or pagecache.generation()
    entry = found.get(key)
    count = cached_count(COUNT, Post.objects.all(), found=found)
    if (
        isinstance(entry, tuple)
        and len(entry) == 7
        and entry[:2] == (generation, count)
        and _current(entry[2])
    ):
        _generation, _count, _until, parts, previous, following, shown = entry
        items = post_cache.assembled(parts, _kept_marks(request.user, key, parts, found, seconds))
        return Response({"posts": items, "prev": previous, "next": following, "count": shown})
    until = _suspensions_end()  # (before the page is read: a suspension ending meanwhile is after it)
    marks_generation = reader_marks.generation(
        found
    )  # (before the page's rows: they hold the caller's marks)
    response = _written(request, path, count=count)
    data = response.data
    kept = {}
    if pagecache.settled(generation):
        kept[key] = (generation, count, until, data["posts"].parts, data["prev"], data["next"], data["count"])
    if pagecache.settled(marks_generation):
        posts = tuple(pk for pk, _shared, _pictures in data["posts"].parts)
        kept[_marks_key(request.user.pk, key)] = (marks_generation, posts, data["posts"].marks)
    cache.set_many(kept, seconds)
    return response


def _kept_marks(user, key, parts, found, seconds):
    """The caller's marks of the page's posts (see _marks): kept in the cache with the generation of likes
    and bookmarks they were read under, and read again (and kept) when it is another."""
    posts = tuple(pk for pk, _shared, _pictures in parts)
    generation = reader_marks.generation(found)
    kept = found.get(_marks_key(user.pk, key))
    if isinstance(kept, tuple) and len(kept) == 3 and kept[:2] == (generation, posts):
        return kept[2]
    marks = _marks(posts, user)
    if pagecache.settled(generation):
        cache.set(_marks_key(user.pk, key), (generation, posts, marks), seconds)
    return marks


# --- Likes and bookmarks ------------------------------------------------------------------------------------

MARKS_PREFIX = f"api-marks:v{VERSION}:"


def _marks_key(user_pk, key):
    return f"{MARKS_PREFIX}{user_pk}:{key.removeprefix(PREFIX)}"


def _suspensions_end():
    """When the earliest suspension in force ends (None: none is): the one change to what a visitor sees
    that no write makes. A kept page is used only until then. One query, on the small partial index of
    suspended accounts, made when a page is written; in SQL written here (the ORM's aggregate cost a
    quarter of a written page)."""
    field = User._meta.get_field("suspended_until")
    connection = connections[User.objects.db]
    ops = connection.ops
    column, table = ops.quote_name(field.column), ops.quote_name(User._meta.db_table)
    sql = f"SELECT MIN({column}) FROM {table} WHERE {column} IS NOT NULL AND {column} > %s"  # noqa: S608 - names only
    with connection.cursor() as cursor:
        cursor.execute(sql, [ops.adapt_datetimefield_value(timezone.now())])
        (until,) = cursor.fetchone()
    if isinstance(until, str):  # (SQLite: an aggregate's value has no declared type to convert it)
        until = parse_datetime(until)
    if until is not None and timezone.is_naive(until):
        until = timezone.make_aware(until, datetime.UTC)  # (the databases keep UTC)
    return until


def _current(until):
    return until is None or timezone.now() < until


def _written(request, path, found=None, count=None):
    if count is None:
        count = cached_count(COUNT, Post.objects.all(), found=found)
    return post_cache.post_page_response(request, Post.objects.all(), path=path, count=count, name="posts")


def _marks(keys, user):
    """{post key: (liked, bookmarked)} of ``user`` for the posts ``keys`` that they like or bookmarked, in
    one query (both unique indexes lead with what it looks up: the likes' post, the bookmarks' user)."""
    if not keys:
        return {}
    db = Post.objects.db  # (where the page's rows would be read: the primary after the caller's write)
    connection = connections[db]
    quote = connection.ops.quote_name
    marked = ",".join(["%s"] * len(keys))
    selects = [
        f"SELECT {quote(model._meta.get_field('post').column)}, {kind} FROM {quote(model._meta.db_table)}"  # noqa: S608 - names and placeholders only
        f" WHERE {quote(model._meta.get_field('user').column)} = %s"
        f" AND {quote(model._meta.get_field('post').column)} IN ({marked})"
        for kind, model in enumerate((Like, Bookmark))
    ]
    sql = " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *keys, user.pk, *keys])
        rows = cursor.fetchall()
    found = {}
    for post, kind in rows:
        liked, bookmarked = found.get(post, (False, False))
        found[post] = (liked or kind == 0, bookmarked or kind == 1)
    return found
